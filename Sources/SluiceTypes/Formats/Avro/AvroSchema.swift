/// An Avro schema: the types of the Avro 1.11 specification that Kafka Connect's `AvroData` maps
/// to and from, with the logical types it understands (decimal, date, time-millis,
/// timestamp-millis). Other logical types read as their underlying type, as Connect does.
///
/// Named types that a schema refers to by name are inlined when a schema is parsed; recursive
/// schemas are rejected (ksqlDB does not support them either).
public indirect enum AvroSchema: Hashable, Sendable {
    case null
    case boolean
    case int
    case long
    case float
    case double
    case bytes
    case string
    /// `int` with logical type `date`: days since the epoch.
    case date
    /// `int` with logical type `time-millis`.
    case timeMillis
    /// `long` with logical type `timestamp-millis`.
    case timestampMillis
    /// `bytes` with logical type `decimal`: big-endian two's-complement unscaled value.
    case decimal(precision: Int, scale: Int)
    case fixed(AvroFixed)
    case enumeration(AvroEnum)
    case array(AvroSchema)
    /// An Avro map; keys are always strings.
    case map(AvroSchema)
    case record(AvroRecord)
    case union([AvroSchema])

    /// The `["null", T]` union ksqlDB writes for every optional value.
    public static func optional(_ schema: AvroSchema) -> AvroSchema { .union([.null, schema]) }

    /// For `["null", T]` / `[T, "null"]`: T. Nil for other schemas.
    var nonNullBranchOfOptional: AvroSchema? {
        guard case .union(let branches) = self, branches.count == 2 else { return nil }
        if branches[0] == .null { return branches[1] }
        if branches[1] == .null { return branches[0] }
        return nil
    }
}

/// A full Avro name: `namespace.name`, or `name` alone when there is no namespace.
public struct AvroName: Hashable, Sendable {
    public var name: String
    public var namespace: String?

    public init(name: String, namespace: String?) {
        self.name = name
        self.namespace = (namespace?.isEmpty ?? true) ? nil : namespace
    }

    /// Splits `a.b.C` at the last dot, as Avro and Connect do.
    public init(fullName: String) {
        if let dot = fullName.lastIndex(of: ".") {
            self.init(name: String(fullName[fullName.index(after: dot)...]), namespace: String(fullName[..<dot]))
        } else {
            self.init(name: fullName, namespace: nil)
        }
    }

    public var fullName: String { namespace.map { "\($0).\(name)" } ?? name }
}

public struct AvroRecord: Hashable, Sendable {
    public var name: AvroName
    public var fields: [AvroField]
    /// Connect's `connect.internal.type: MapEntry`: an array of these records is a map whose keys
    /// may be null or non-strings. Records named `io.confluent.connect.avro.MapEntry` count too.
    public var isMapEntry: Bool
    /// Other properties, kept so parsed schemas print back with them (values are JSON text).
    public var properties: [AvroProperty]

    public init(name: AvroName, fields: [AvroField], isMapEntry: Bool = false, properties: [AvroProperty] = []) {
        self.name = name
        self.fields = fields
        self.isMapEntry = isMapEntry
        self.properties = properties
    }

    /// Whether Connect reads an array of this record as a map: two fields `key` and `value`, and
    /// marked as a map entry.
    var readsAsMapEntry: Bool {
        isMapEntry && fields.count == 2 && fields[0].name == "key" && fields[1].name == "value"
    }
}

public struct AvroField: Hashable, Sendable {
    public var name: String
    public var schema: AvroSchema
    /// The field's default as JSON text (`null`, `0`, `"x"`), or nil for no default.
    public var defaultJSON: String?

    public init(name: String, schema: AvroSchema, defaultJSON: String? = nil) {
        self.name = name
        self.schema = schema
        self.defaultJSON = defaultJSON
    }
}

public struct AvroFixed: Hashable, Sendable {
    public var name: AvroName
    public var size: Int
    /// The precision of logical type decimal on this fixed, or nil when it is plain bytes.
    public var decimalPrecision: Int?
    public var decimalScale: Int = 0

    /// Logical type decimal on a fixed.
    public var decimal: (precision: Int, scale: Int)? {
        get { decimalPrecision.map { ($0, decimalScale) } }
        set {
            decimalPrecision = newValue?.precision
            decimalScale = newValue?.scale ?? 0
        }
    }

    public init(name: AvroName, size: Int, decimal: (precision: Int, scale: Int)? = nil) {
        self.name = name
        self.size = size
        self.decimal = decimal
    }
}

public struct AvroEnum: Hashable, Sendable {
    public var name: AvroName
    public var symbols: [String]

    public init(name: AvroName, symbols: [String]) {
        self.name = name
        self.symbols = symbols
    }
}

/// A schema property that Sluice does not interpret, as raw JSON text.
public struct AvroProperty: Hashable, Sendable {
    public var key: String
    public var valueJSON: String

    public init(key: String, valueJSON: String) {
        self.key = key
        self.valueJSON = valueJSON
    }
}

extension AvroSchema {
    /// Connect's schema type name for this Avro type (how `ConnectDataTranslator` names it in
    /// "Cannot deserialize type X as type Y" errors). Optional unions take their branch's name;
    /// other unions are Connect structs.
    var connectTypeName: String {
        switch self {
        case .null: "null"
        case .boolean: "boolean"
        case .int, .date, .timeMillis: "int32"
        case .long, .timestampMillis: "int64"
        case .float: "float32"
        case .double: "float64"
        case .bytes, .decimal, .fixed: "bytes"
        case .string, .enumeration: "string"
        case .array(let items):
            if case .record(let r) = items, r.readsAsMapEntry { "map" } else { "array" }
        case .map: "map"
        case .record: "struct"
        case .union:
            nonNullBranchOfOptional?.connectTypeName ?? "struct"
        }
    }

    /// The name Connect gives a union branch when it turns a general union into a struct: the
    /// simple name of a named type, else the Avro type name.
    var unionBranchName: String {
        switch self {
        case .null: "null"
        case .boolean: "boolean"
        case .int, .date, .timeMillis: "int"
        case .long, .timestampMillis: "long"
        case .float: "float"
        case .double: "double"
        case .bytes, .decimal: "bytes"
        case .string: "string"
        case .fixed(let f): f.name.name
        case .enumeration(let e): e.name.name
        case .array: "array"
        case .map: "map"
        case .record(let r): r.name.name
        case .union: "union"
        }
    }
}
