/// A resolved SQL type, as the planner and runtime see it.
public indirect enum SQLType: Hashable, Sendable, CustomStringConvertible {
    case boolean
    case integer
    case bigint
    case double
    case decimal(precision: Int, scale: Int)
    case string
    case bytes
    case date
    case time
    case timestamp
    case array(SQLType)
    case map(key: SQLType, value: SQLType)
    case structure([StructField])

    /// ksqlDB's spelling, as `DESCRIBE` prints it (`ARRAY<STRUCT<`A` INTEGER>>`).
    public var description: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .integer: "INTEGER"
        case .bigint: "BIGINT"
        case .double: "DOUBLE"
        case .decimal(let p, let s): "DECIMAL(\(p), \(s))"
        case .string: "STRING"
        case .bytes: "BYTES"
        case .date: "DATE"
        case .time: "TIME"
        case .timestamp: "TIMESTAMP"
        case .array(let e): "ARRAY<\(e)>"
        case .map(let k, let v): "MAP<\(k), \(v)>"
        case .structure(let fields):
            "STRUCT<" + fields.map { "`\($0.name)` \($0.type)" }.joined(separator: ", ") + ">"
        }
    }

    public var isNumeric: Bool {
        switch self {
        case .integer, .bigint, .double, .decimal: true
        default: false
        }
    }
}

public struct StructField: Hashable, Sendable {
    public var name: String
    public var type: SQLType

    public init(name: String, type: SQLType) {
        self.name = name
        self.type = type
    }
}
