/// A value that does not fit its SQL type, with the JSON path where it was found (`.A[0]`),
/// reported as ksqlDB does: `<message>, path: $.A[0]`.
struct CoercionError: Error {
    var message: String
    var path: String = ""

    func under(_ part: String) -> CoercionError {
        CoercionError(message: message, path: part + path)
    }

    var recordError: RecordError { RecordError("\(message), path: $\(path)") }

    static func cannotConvert(_ sourceKind: String, to type: SQLType) -> CoercionError {
        CoercionError(message: "Can't convert type. sourceType: \(sourceKind), requiredType: \(type)")
    }

    static func cannotCoerceString(to type: SQLType) -> CoercionError {
        CoercionError(message: "Can't coerce string to type. targetType: \(type)")
    }
}

/// Either a syntax error in the JSON text or a value that does not fit its column.
enum JSONReadError: Error {
    case syntax(JSONParseError)
    case coercion(CoercionError)

    func under(_ part: String) -> JSONReadError {
        if case .coercion(let c) = self { return .coercion(c.under(part)) }
        return self
    }

    var recordError: RecordError {
        switch self {
        case .syntax(let e): RecordError("Invalid JSON: \(e)")
        case .coercion(let c): c.recordError
        }
    }
}
