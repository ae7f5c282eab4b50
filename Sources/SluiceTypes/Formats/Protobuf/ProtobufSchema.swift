/// How ksqlDB represents NULL in protobuf (`KEY_/VALUE_PROTOBUF_NULLABLE_REPRESENTATION`).
public enum ProtobufNullableRepresentation: String, Hashable, Sendable {
    /// Plain proto3 scalars: a NULL is not written and reads back as the type's default value.
    case none = "NONE"
    /// Scalars are `google.protobuf.*Value` wrapper messages: a missing one reads as NULL.
    case wrapper = "WRAPPER"
    /// Scalars are proto3 `optional` fields with explicit presence: a missing one reads as NULL.
    case optional = "OPTIONAL"
}

/// The message Connect's `ProtobufData` generates for ksqlDB's columns: one field per column
/// (or struct field), numbered from 1 in order. ARRAY is a `repeated` field, MAP a repeated entry
/// message (key = 1, value = 2), STRUCT a nested message, DECIMAL `confluent.type.Decimal`
/// (bytes value = 1, uint32 precision = 2, int32 scale = 3), DATE `google.type.Date`
/// (year, month, day), TIME `google.type.TimeOfDay` (hours, minutes, seconds, nanos), TIMESTAMP
/// `google.protobuf.Timestamp` (int64 seconds, int32 nanos).
struct ProtobufMessage: Sendable {
    var name: String
    var fields: [ProtobufField]
    /// The struct with every field NULL (names in field order), for struct messages.
    var template: [StructEntry]
}

struct ProtobufField: Sendable {
    var number: Int
    var name: String
    var kind: ProtobufFieldKind
}

indirect enum ProtobufFieldKind: Sendable {
    /// A singular field. `presence`: whether a missing value reads as NULL (messages, wrappers,
    /// `optional` scalars) rather than as the default value (plain proto3 scalars).
    case single(ProtobufValueType, presence: Bool)
    case repeated(ProtobufValueType)
    /// A map: repeated entry messages whose fields are the key (1) and the value (2).
    case map(entry: ProtobufMessage)
}

indirect enum ProtobufValueType: Sendable {
    case bool, int32, int64, double, string, bytes
    /// A `google.protobuf.*Value` wrapper message around a scalar (field `value` = 1).
    case wrapper(ProtobufValueType)
    case decimal(precision: Int, scale: Int)
    case date, time, timestamp
    case message(ProtobufMessage)

    /// Scalars that `repeated` packs (proto3 default).
    var isPackable: Bool {
        switch self {
        case .bool, .int32, .int64, .double: true
        default: false
        }
    }

    var isScalar: Bool {
        switch self {
        case .bool, .int32, .int64, .double, .string, .bytes: true
        default: false
        }
    }

    var wireType: ProtobufWireType {
        switch self {
        case .bool, .int32, .int64: .varint
        case .double: .fixed64
        default: .lengthDelimited
        }
    }

    /// The value of a scalar field that was not written.
    var defaultValue: Value {
        switch self {
        case .bool: .boolean(false)
        case .int32: .integer(0)
        case .int64: .bigint(0)
        case .double: .double(0)
        case .string: .string("")
        case .bytes: .bytes([])
        default: .null
        }
    }
}

extension ProtobufMessage {
    /// The message for `columns`, as ksqlDB's PROTOBUF / PROTOBUF_NOSR formats generate it.
    static func ksql(columns: [Column], format: String, nullable: ProtobufNullableRepresentation) throws(RecordError) -> ProtobufMessage {
        for c in columns { try check(c.type, format: format) }
        return try message(name: "ConnectDefault1", fields: columns.map { StructField(name: $0.name, type: $0.type) }, nullable: nullable)
    }

    private static func check(_ type: SQLType, format: String) throws(RecordError) {
        switch type {
        case .map(let key, let value):
            guard key == .string else {
                throw RecordError("\(format) format only supports MAP types with STRING keys. See https://github.com/confluentinc/ksql/issues/6177.")
            }
            try check(value, format: format)
        case .array(let element):
            switch element {
            case .array: throw RecordError("Array cannot be nested")
            case .map: throw RecordError("The '\(format)' format does not support ARRAY of MAP")
            default: try check(element, format: format)
            }
        case .structure(let fields): for f in fields { try check(f.type, format: format) }
        case .decimal(let p, let s): try SQLDecimal.validateType(precision: p, scale: s)
        default: break
        }
    }

    private static func message(name: String, fields: [StructField], nullable: ProtobufNullableRepresentation) throws(RecordError) -> ProtobufMessage {
        var out: [ProtobufField] = []
        for (i, f) in fields.enumerated() {
            out.append(ProtobufField(number: i + 1, name: f.name, kind: try kind(f.type, name: f.name, nullable: nullable, inMessage: true)))
        }
        return ProtobufMessage(name: name, fields: out, template: fields.map { StructEntry(name: $0.name, value: .null) })
    }

    /// The field kind for a SQL type. `inMessage`: a field of a struct (where `optional` applies),
    /// rather than a map entry's value.
    private static func kind(_ type: SQLType, name: String, nullable: ProtobufNullableRepresentation, inMessage: Bool) throws(RecordError) -> ProtobufFieldKind {
        switch type {
        case .array(let element):
            return .repeated(try valueType(element, name: name, nullable: nullable))
        case .map(_, let value):
            let fields = [
                ProtobufField(number: 1, name: "key", kind: .single(.string, presence: false)),
                ProtobufField(number: 2, name: "value", kind: try kind(value, name: name + "Value", nullable: nullable, inMessage: false)),
            ]
            return .map(entry: ProtobufMessage(name: name + "Entry", fields: fields, template: []))
        default:
            let t = try valueType(type, name: name, nullable: nullable)
            if case .wrapper = t { return .single(t, presence: true) }
            if t.isScalar { return .single(t, presence: nullable == .optional && inMessage) }
            return .single(t, presence: true)
        }
    }

    private static func valueType(_ type: SQLType, name: String, nullable: ProtobufNullableRepresentation) throws(RecordError) -> ProtobufValueType {
        let scalar: ProtobufValueType
        switch type {
        case .boolean: scalar = .bool
        case .integer: scalar = .int32
        case .bigint: scalar = .int64
        case .double: scalar = .double
        case .string: scalar = .string
        case .bytes: scalar = .bytes
        case .decimal(let p, let s): return .decimal(precision: p, scale: s)
        case .date: return .date
        case .time: return .time
        case .timestamp: return .timestamp
        case .structure(let fields): return .message(try message(name: name, fields: fields, nullable: nullable))
        case .array, .map: throw RecordError("internal: nested container in protobuf value type")
        }
        return nullable == .wrapper ? .wrapper(scalar) : scalar
    }
}
