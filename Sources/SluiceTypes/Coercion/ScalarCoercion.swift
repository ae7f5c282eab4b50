/// A JSON scalar as bytes: number literal text, or the unescaped UTF-8 content of a string.
enum JSONScalar {
    case bool(Bool)
    case number(UnsafeBufferPointer<UInt8>, isInteger: Bool)
    case string(UnsafeBufferPointer<UInt8>)

    /// Jackson's node class name, for error messages.
    var kindName: String {
        switch self {
        case .bool: "BooleanNode"
        case .number(let t, let isInteger): JSONNumberLiteral.nodeKind(t, isInteger: isInteger)
        case .string: "TextNode"
        }
    }
}

/// ksqlDB's JSON coercions of one scalar to one SQL type (`JsonSerdeUtils` / `KsqlJsonDeserializer`):
/// - BOOLEAN only from JSON booleans (a string "true" is an error);
/// - INTEGER/BIGINT from numbers (fractions truncated, out-of-range values keep their low bits, as
///   Java's `intValue()`/`longValue()` do) or from strings via `Integer.parseInt`/`Long.parseLong`;
/// - DOUBLE from numbers (correctly rounded) or strings via `Double.parseDouble`;
/// - DECIMAL from numbers or strings, fitted without rounding (`DecimalUtil.ensureFit`);
/// - STRING from anything scalar (`asText()`: numbers as Java prints them, `1.50` stays `1.50`);
/// - BYTES from Base64 strings; DATE (days), TIME (ms of day), TIMESTAMP (ms) from numbers or
///   integer strings.
enum ScalarCoercion {
    static func coerce(_ s: JSONScalar, to type: SQLType) throws(CoercionError) -> Value {
        guard let kind = ScalarKind(type) else { throw .cannotConvert(s.kindName, to: type) }
        return try coerce(s, to: kind)
    }

    static func coerce(_ s: JSONScalar, to kind: ScalarKind) throws(CoercionError) -> Value {
        switch kind {
        case .boolean:
            if case .bool(let b) = s { return .boolean(b) }
        case .integer:
            switch s {
            case .number(let t, let isInteger): return .integer(JSONNumberLiteral.int32(t, isInteger: isInteger))
            case .string(let t):
                guard let v = JavaNumberParsing.parseInt(t) else { throw .cannotCoerceString(to: kind.sqlType) }
                return .integer(v)
            case .bool: break
            }
        case .bigint:
            switch s {
            case .number(let t, let isInteger): return .bigint(JSONNumberLiteral.int64(t, isInteger: isInteger))
            case .string(let t):
                guard let v = JavaNumberParsing.parseLong(t) else { throw .cannotCoerceString(to: kind.sqlType) }
                return .bigint(v)
            case .bool: break
            }
        case .double:
            switch s {
            case .number(let t, _): return .double(JSONNumberLiteral.double(t))
            case .string(let t):
                guard let v = JavaNumberParsing.parseDouble(t) else { throw .cannotCoerceString(to: kind.sqlType) }
                return .double(v)
            case .bool: break
            }
        case .decimal(let precision, let scale):
            switch s {
            case .number(let t, _), .string(let t):
                guard let literal = DecimalLiteral.parse(t) else {
                    throw CoercionError(message: "Invalid decimal: '\(String(decoding: t, as: UTF8.self))'")
                }
                do {
                    // A number that fits keeps the scale it was written with, as ksqlDB's
                    // deserializers do (12.3 read as DECIMAL(4, 2) is written back as 12.3); text
                    // takes the column's scale ("3.4" read as DECIMAL(3, 2) is 3.40).
                    let fitted = try literal.ensureFit(precision: precision, scale: scale)
                    if case .number = s, literal.scale < scale, let unscaled = literal.rescaledUnscaled(to: literal.scale, roundHalfUp: false) {
                        return .decimal(SQLDecimal(unscaled: unscaled, scale: literal.scale))
                    }
                    return .decimal(fitted)
                } catch {
                    throw CoercionError(message: error.message)
                }
            case .bool: break
            }
        case .string:
            switch s {
            case .string(let t): return .string(String(decoding: t, as: UTF8.self))
            case .number(let t, let isInteger): return .string(JSONNumberLiteral.javaText(t, isInteger: isInteger))
            case .bool(let b): return .string(b ? "true" : "false")
            }
        case .bytes:
            if case .string(let t) = s {
                guard let bytes = Base64.decode(t, paddingRequired: true, skipsWhitespace: true) else {
                    throw CoercionError(
                        message: "Value is not a valid Base64 encoded string: \(String(decoding: t, as: UTF8.self))")
                }
                return .bytes(bytes)
            }
        case .date:
            switch s {
            case .number(let t, let isInteger): return .date(JSONNumberLiteral.int32(t, isInteger: isInteger))
            case .string(let t):
                guard let v = JavaNumberParsing.parseInt(t) else { throw .cannotCoerceString(to: kind.sqlType) }
                return .date(v)
            case .bool: break
            }
        case .time:
            switch s {
            case .number(let t, let isInteger): return .time(JSONNumberLiteral.int32(t, isInteger: isInteger))
            case .string(let t):
                guard let v = JavaNumberParsing.parseInt(t) else { throw .cannotCoerceString(to: kind.sqlType) }
                return .time(v)
            case .bool: break
            }
        case .timestamp:
            switch s {
            case .number(let t, let isInteger): return .timestamp(JSONNumberLiteral.int64(t, isInteger: isInteger))
            case .string(let t):
                guard let v = JavaNumberParsing.parseLong(t) else { throw .cannotCoerceString(to: kind.sqlType) }
                return .timestamp(v)
            case .bool: break
            }
        }
        throw .cannotConvert(s.kindName, to: kind.sqlType)
    }
}

/// The scalar SQL types, as a trivially copyable value for the per-record decode path.
enum ScalarKind: Sendable, Equatable {
    case boolean, integer, bigint, double, string, bytes, date, time, timestamp
    case decimal(precision: Int, scale: Int)

    init?(_ type: SQLType) {
        switch type {
        case .boolean: self = .boolean
        case .integer: self = .integer
        case .bigint: self = .bigint
        case .double: self = .double
        case .decimal(let p, let s): self = .decimal(precision: p, scale: s)
        case .string: self = .string
        case .bytes: self = .bytes
        case .date: self = .date
        case .time: self = .time
        case .timestamp: self = .timestamp
        case .array, .map, .structure: return nil
        }
    }

    var sqlType: SQLType {
        switch self {
        case .boolean: .boolean
        case .integer: .integer
        case .bigint: .bigint
        case .double: .double
        case .decimal(let p, let s): .decimal(precision: p, scale: s)
        case .string: .string
        case .bytes: .bytes
        case .date: .date
        case .time: .time
        case .timestamp: .timestamp
        }
    }
}
