import SluiceSQL
import SluiceTypes

/// The `WITH (...)` clause of CREATE statements, checked and typed.
public struct SourceProperties: Sendable {
    public var topic: String?
    public var keyFormat: FormatKind?
    public var valueFormat: FormatKind?
    public var partitions: Int?
    public var replicas: Int?
    public var timestampColumn: String?
    public var timestampFormat: String?
    public var wrapSingleValue: Bool?
    public var keyDelimiter: UInt8?
    public var valueDelimiter: UInt8?
    public var windowType: String?
    public var windowSize: Duration?
    public var retentionMs: Int64?
    public var cleanupPolicy: String?
    /// `VALUE_AVRO_SCHEMA_FULL_NAME`, only meaningful with AVRO.
    public var valueSchemaFullName: String?

    static let known: Set<String> = [
        "KAFKA_TOPIC", "KEY_FORMAT", "VALUE_FORMAT", "FORMAT", "PARTITIONS", "REPLICAS", "TIMESTAMP",
        "TIMESTAMP_FORMAT", "WRAP_SINGLE_VALUE", "KEY_DELIMITER", "VALUE_DELIMITER", "WINDOW_TYPE", "WINDOW_SIZE",
        "RETENTION_MS", "CLEANUP_POLICY", "VALUE_AVRO_SCHEMA_FULL_NAME", "KEY_SCHEMA_ID", "VALUE_SCHEMA_ID",
        "KEY_SCHEMA_FULL_NAME", "VALUE_SCHEMA_FULL_NAME", "KEY_PROTOBUF_NULLABLE_REPRESENTATION",
        "VALUE_PROTOBUF_NULLABLE_REPRESENTATION", "SOURCE_CONNECTOR",
    ]

    public init(_ properties: [Property]) throws(Diagnostic) {
        var seen: Set<String> = []
        for p in properties {
            guard Self.known.contains(p.name) else {
                throw PlannerErrors.semantic(
                    "unknown-property", "unknown property '\(p.name)' in WITH clause", p.range,
                    help: EditDistance.nearest(to: p.name, among: Array(Self.known)).map { "did you mean '\($0)'?" })
            }
            guard seen.insert(p.name).inserted else {
                throw PlannerErrors.semantic("duplicate-property", "property '\(p.name)' is given twice", p.range)
            }
            switch p.name {
            case "KAFKA_TOPIC": topic = try Self.string(p)
            case "KEY_FORMAT": keyFormat = try Self.format(p)
            case "VALUE_FORMAT": valueFormat = try Self.format(p)
            case "FORMAT":
                let f = try Self.format(p)
                keyFormat = f
                valueFormat = f
            case "PARTITIONS": partitions = try Self.int(p)
            case "REPLICAS": replicas = try Self.int(p)
            case "TIMESTAMP": timestampColumn = try Self.string(p).uppercased()
            case "TIMESTAMP_FORMAT": timestampFormat = try Self.string(p)
            case "WRAP_SINGLE_VALUE": wrapSingleValue = try Self.bool(p)
            case "KEY_DELIMITER": keyDelimiter = try Self.delimiter(p)
            case "VALUE_DELIMITER": valueDelimiter = try Self.delimiter(p)
            case "WINDOW_TYPE": windowType = try Self.string(p).uppercased()
            case "WINDOW_SIZE": windowSize = try Self.duration(p)
            case "RETENTION_MS": retentionMs = Int64(try Self.int(p))
            case "CLEANUP_POLICY": cleanupPolicy = try Self.string(p)
            case "VALUE_AVRO_SCHEMA_FULL_NAME", "VALUE_SCHEMA_FULL_NAME": valueSchemaFullName = try Self.string(p)
            default: break
            }
        }
        if seen.contains("FORMAT") && (seen.contains("KEY_FORMAT") || seen.contains("VALUE_FORMAT")) {
            let other = seen.contains("KEY_FORMAT") ? "KEY_FORMAT" : "VALUE_FORMAT"
            throw PlannerErrors.semantic(
                "format-conflict",
                "cannot give both '\(other)' and 'FORMAT': 'FORMAT' sets both the key and the value format", nil)
        }
        if valueSchemaFullName != nil, let f = valueFormat, f != .avro, f != .protobuf {
            throw PlannerErrors.semantic(
                "schema-name-format", "\(f.rawValue) does not support the property VALUE_AVRO_SCHEMA_FULL_NAME", nil)
        }
        if let partitions, partitions < 1 {
            throw PlannerErrors.semantic("bad-property", "PARTITIONS must be at least 1", nil)
        }
    }

    static func string(_ p: Property) throws(Diagnostic) -> String {
        switch p.value {
        case .string(let s): return s
        case .integer(let s), .decimal(let s), .double(let s): return s
        case .boolean(let b): return b ? "true" : "false"
        case .null: throw PlannerErrors.semantic("bad-property", "property '\(p.name)' cannot be NULL", p.range)
        }
    }

    static func int(_ p: Property) throws(Diagnostic) -> Int {
        guard let v = Int(try string(p)) else {
            throw PlannerErrors.semantic("bad-property", "property '\(p.name)' must be an integer", p.range)
        }
        return v
    }

    static func bool(_ p: Property) throws(Diagnostic) -> Bool {
        switch try string(p).lowercased() {
        case "true": return true
        case "false": return false
        default: throw PlannerErrors.semantic("bad-property", "property '\(p.name)' must be true or false", p.range)
        }
    }

    static func format(_ p: Property) throws(Diagnostic) -> FormatKind {
        let name = try string(p).uppercased()
        guard let f = FormatKind(rawValue: name) else {
            throw PlannerErrors.semantic(
                "unknown-format", "unknown format '\(name)'", p.range,
                help: "the formats are " + FormatKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return f
    }

    static func delimiter(_ p: Property) throws(Diagnostic) -> UInt8 {
        let s = try string(p)
        switch s.uppercased() {
        case "TAB": return UInt8(ascii: "\t")
        case "SPACE": return UInt8(ascii: " ")
        default:
            guard s.utf8.count == 1, let b = s.utf8.first, b != UInt8(ascii: " "), b != UInt8(ascii: "\t") else {
                throw PlannerErrors.semantic(
                    "bad-delimiter", "a delimiter must be one character, or TAB or SPACE, not '\(s)'", p.range)
            }
            return b
        }
    }

    static func duration(_ p: Property) throws(Diagnostic) -> Duration {
        let parts = try string(p).uppercased().split(separator: " ")
        guard parts.count == 2, let n = Int64(parts[0]) else {
            throw PlannerErrors.semantic("bad-property", "WINDOW_SIZE must look like '10 SECONDS'", p.range)
        }
        var unitText = String(parts[1])
        if !unitText.hasSuffix("S") { unitText += "S" }
        guard let unit = TimeUnit(rawValue: unitText) else {
            throw PlannerErrors.semantic("bad-property", "unknown time unit '\(parts[1])'", p.range)
        }
        return Duration(n, unit)
    }
}
