import SluiceTypes
import Testing

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }

func parseJSON(_ s: String) throws -> JSONValue { try JSONParser.parse(s) }

func dec(_ unscaled: Int128, _ scale: Int) -> Value { .decimal(SQLDecimal(unscaled: unscaled, scale: scale)) }

/// The error message of a throwing call, or nil if it succeeded.
func errorMessage<T>(_ body: () throws -> T) -> String? {
    do {
        _ = try body()
        return nil
    } catch let error as RecordError {
        return error.message
    } catch {
        return "unexpected error type: \(error)"
    }
}
