import SluiceEngine
import SluiceLog
import SluiceTypes

/// Why a record could not be written or read by the runner.
struct CodingFailure: Error, CustomStringConvertible {
    var message: String
    /// The failure is the runner's own limit (a format it cannot write), not the engine's fault.
    var unsupported: Bool
    init(_ message: String, unsupported: Bool = false) {
        self.message = message
        self.unsupported = unsupported
    }
    var description: String { message }
}

/// Writes test-file keys and values as record bytes, the way ksqlDB's test framework serializes
/// them: a JSON key or value is written as the JSON text the test gives (strings included, as
/// JSON strings), never through the source's schema, so odd inputs reach the engine as they are;
/// DELIMITED takes the raw string; KAFKA writes the single column's type in Kafka's serializer
/// encoding (big-endian integers and doubles, UTF-8 strings); NONE writes nothing.
enum RecordEncoder {
    /// `registry`: where AVRO keys and values find the schema registered for the topic, which
    /// they are written with (as ksqlDB's test serializers write with the subject's latest schema).
    static func key(_ record: InputRecord, layout: TopicLayout, registry: SchemaRegistry? = nil) throws(CodingFailure) -> [UInt8]? {
        var bytes = try encode(
            record.key, format: layout.keyFormat, columns: layout.keyColumns, options: layout.keyOptions, isKey: true,
            what: "key", registered: registry.flatMap { SchemaFormatCoding.registeredWriterSchema($0, topic: record.topic, isKey: true, layout: layout) })
        if let window = record.window {
            var windowed = bytes ?? []
            switch window.kind {
            case .time:
                appendBigEndian(window.start, to: &windowed)
            case .session:
                appendBigEndian(window.end, to: &windowed)
                appendBigEndian(window.start, to: &windowed)
            }
            bytes = windowed
        }
        return bytes
    }

    static func value(_ record: InputRecord, layout: TopicLayout, registry: SchemaRegistry? = nil) throws(CodingFailure) -> [UInt8]? {
        try encode(
            record.value, format: layout.valueFormat, columns: layout.valueColumns, options: layout.valueOptions,
            isKey: false, what: "value",
            registered: registry.flatMap { SchemaFormatCoding.registeredWriterSchema($0, topic: record.topic, isKey: false, layout: layout) })
    }

    static func encode(
        _ json: JSONValue, format: FormatKind, columns: [Column], options: FormatOptions = FormatOptions(),
        isKey: Bool = false, what: String, registered: PhysicalSchema? = nil
    ) throws(CodingFailure) -> [UInt8]? {
        if json.isNull { return nil }
        if format == .avro, let registered {
            return try SchemaFormatCoding.encode(json, writer: registered, isKey: isKey, what: what)
        }
        switch format {
        case .json:
            return Array(JSONWriter.string(json).utf8)
        case .jsonSR:
            // Confluent's wire format: magic byte 0 and a 4-byte schema id before the JSON.
            return [0, 0, 0, 0, 1] + Array(JSONWriter.string(json).utf8)
        case .delimited:
            switch json {
            case .string(let text): return Array(text.utf8)
            case .number, .bool: return Array(json.plainText.utf8)
            default: throw CodingFailure("a DELIMITED \(what) must be a string, not \(JSONWriter.string(json))")
            }
        case .none:
            return nil
        case .kafka:
            return try kafka(json, columns: columns, what: what)
        case .avro, .protobuf, .protobufNoSR:
            return try SchemaFormatCoding.encode(json, format: format, columns: columns, options: options, isKey: isKey, what: what)
        }
    }

    private static func kafka(_ json: JSONValue, columns: [Column], what: String) throws(CodingFailure) -> [UInt8]? {
        guard let column = columns.first else { return nil }
        guard columns.count == 1 else {
            throw CodingFailure("the KAFKA format holds one column, the \(what) has \(columns.count)")
        }
        let shown = JSONWriter.string(json)
        switch column.type {
        case .integer:
            guard case .number(let text) = json, NumberLiteral.isIntegerLiteral(text), let value = Int32(text) else {
                throw CodingFailure("cannot write \(shown) as an INTEGER \(what)")
            }
            var out: [UInt8] = []
            appendBigEndian(Int64(value), to: &out, width: 4)
            return out
        case .bigint:
            guard case .number(let text) = json, NumberLiteral.isIntegerLiteral(text), let value = Int64(text) else {
                throw CodingFailure("cannot write \(shown) as a BIGINT \(what)")
            }
            var out: [UInt8] = []
            appendBigEndian(value, to: &out)
            return out
        case .double:
            guard case .number(let text) = json, let value = Double(text) else {
                throw CodingFailure("cannot write \(shown) as a DOUBLE \(what)")
            }
            var out: [UInt8] = []
            appendBigEndian(Int64(bitPattern: value.bitPattern), to: &out)
            return out
        case .string:
            guard case .string(let text) = json else {
                throw CodingFailure("cannot write \(shown) as a STRING \(what)")
            }
            return Array(text.utf8)
        case .bytes:
            guard case .string(let text) = json, let bytes = Base64.decode(text) else {
                throw CodingFailure("cannot write \(shown) as a BYTES \(what) (expected base64)")
            }
            return bytes
        default:
            throw CodingFailure("the KAFKA format cannot hold a \(column.type) \(what)")
        }
    }

    static func appendBigEndian(_ value: Int64, to out: inout [UInt8], width: Int = 8) {
        let bits = UInt64(bitPattern: value)
        for shift in stride(from: (width - 1) * 8, through: 0, by: -8) {
            out.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift)))
        }
    }
}

/// An output key as the test framework sees it: the inner key, and the window if the key is
/// windowed.
struct ActualKey: Sendable {
    var window: WindowData?
    var key: ActualValue
}

/// Reads output record bytes back into ``ActualValue``s, independently of the engine's codecs:
/// JSON as plain JSON (how ksqlDB's test framework reads it, not through the sink's schema),
/// DELIMITED as one string, KAFKA by the single column's type, NONE as null. Windowed keys are
/// split as Kafka's windowed deserializers do: a time window ends with its 8-byte start (the end is
/// start plus the window size), a session window with its end and then its start.
enum RecordDecoder {
    /// `registry`: where an AVRO key or value written with a registered schema (the layout has a
    /// physical schema) finds the schema its header names, to be read with it as ksqlDB's test
    /// deserializers read it.
    static func key(_ bytes: [UInt8]?, layout: TopicLayout, registry: SchemaRegistry? = nil) throws(CodingFailure) -> ActualKey {
        guard let bytes else { return ActualKey(window: nil, key: .null) }
        switch layout.windowing {
        case nil:
            return ActualKey(
                window: nil,
                key: try decode(
                    bytes[...], format: layout.keyFormat, columns: layout.keyColumns, options: layout.keyOptions,
                    isKey: true, what: "key", registry: registry))
        case .time(let size):
            guard bytes.count >= 8 else {
                throw CodingFailure("a time-windowed key needs at least 8 bytes, got \(bytes.count)")
            }
            let start = readBigEndian(bytes[(bytes.count - 8)...])
            let (sum, overflow) = start.addingReportingOverflow(size)
            let window = WindowData(start: start, end: overflow ? Int64.max : sum, kind: .time)
            let inner = try decode(
                bytes[..<(bytes.count - 8)], format: layout.keyFormat, columns: layout.keyColumns,
                options: layout.keyOptions, isKey: true, what: "key", registry: registry)
            return ActualKey(window: window, key: inner)
        case .session:
            guard bytes.count >= 16 else {
                throw CodingFailure("a session-windowed key needs at least 16 bytes, got \(bytes.count)")
            }
            let end = readBigEndian(bytes[(bytes.count - 16)..<(bytes.count - 8)])
            let start = readBigEndian(bytes[(bytes.count - 8)...])
            let inner = try decode(
                bytes[..<(bytes.count - 16)], format: layout.keyFormat, columns: layout.keyColumns,
                options: layout.keyOptions, isKey: true, what: "key", registry: registry)
            return ActualKey(window: WindowData(start: start, end: end, kind: .session), key: inner)
        }
    }

    static func value(_ bytes: [UInt8]?, layout: TopicLayout, registry: SchemaRegistry? = nil) throws(CodingFailure) -> ActualValue {
        guard let bytes else { return .null }
        return try decode(
            bytes[...], format: layout.valueFormat, columns: layout.valueColumns, options: layout.valueOptions,
            isKey: false, what: "value", registry: registry)
    }

    static func decode(
        _ bytes: ArraySlice<UInt8>, format: FormatKind, columns: [Column], options: FormatOptions = FormatOptions(),
        isKey: Bool = false, what: String, registry: SchemaRegistry? = nil
    ) throws(CodingFailure) -> ActualValue {
        if format == .avro, let physical = options.physicalSchema, physical.type == .avro {
            return try SchemaFormatCoding.decode(Array(bytes), registered: physical, registry: registry, isKey: isKey, what: what)
        }
        switch format {
        case .json:
            return try json(bytes, what: what)
        case .jsonSR:
            guard bytes.count >= 5, bytes.first == 0 else {
                throw CodingFailure("a JSON_SR \(what) must start with the magic byte and a schema id")
            }
            return try json(bytes.dropFirst(5), what: what)
        case .delimited:
            return .string(String(decoding: bytes, as: UTF8.self))
        case .none:
            return .null
        case .kafka:
            return try kafka(bytes, columns: columns, what: what)
        case .avro, .protobuf, .protobufNoSR:
            return try SchemaFormatCoding.decode(Array(bytes), format: format, columns: columns, options: options, isKey: isKey, what: what)
        }
    }

    private static func json(_ bytes: ArraySlice<UInt8>, what: String) throws(CodingFailure) -> ActualValue {
        do {
            // Jackson's readValue ignores anything after the first value, and so does the test framework.
            return ActualValue(json: try JSONParser(allowTrailingContent: true).parse(Array(bytes)))
        } catch {
            throw CodingFailure(
                "\(what) is not JSON (\(error.message)): \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        }
    }

    private static func kafka(_ bytes: ArraySlice<UInt8>, columns: [Column], what: String) throws(CodingFailure)
        -> ActualValue
    {
        guard let column = columns.first else { return .null }
        guard columns.count == 1 else {
            throw CodingFailure("the KAFKA format holds one column, the \(what) has \(columns.count)")
        }
        switch column.type {
        case .integer:
            guard bytes.count == 4 else { throw CodingFailure("an INTEGER \(what) needs 4 bytes, got \(bytes.count)") }
            return .int(Int32(truncatingIfNeeded: readBigEndian(bytes)))
        case .bigint:
            guard bytes.count == 8 else { throw CodingFailure("a BIGINT \(what) needs 8 bytes, got \(bytes.count)") }
            return .long(readBigEndian(bytes))
        case .double:
            guard bytes.count == 8 else { throw CodingFailure("a DOUBLE \(what) needs 8 bytes, got \(bytes.count)") }
            return .double(Double(bitPattern: UInt64(bitPattern: readBigEndian(bytes))))
        case .string:
            return .string(String(decoding: bytes, as: UTF8.self))
        case .bytes:
            return .string(Base64.encode(Array(bytes)))
        default:
            throw CodingFailure("the KAFKA format cannot hold a \(column.type) \(what)")
        }
    }

    /// A big-endian two's-complement integer of up to 8 bytes, sign-extended.
    static func readBigEndian(_ bytes: ArraySlice<UInt8>) -> Int64 {
        var value: UInt64 = 0
        for byte in bytes { value = value << 8 | UInt64(byte) }
        let width = bytes.count * 8
        if width < 64 && width > 0 {
            let shift = UInt64(64 - width)
            return Int64(bitPattern: value << shift) >> Int64(shift)
        }
        return Int64(bitPattern: value)
    }
}
