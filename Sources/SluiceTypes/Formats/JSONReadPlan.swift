/// A SQL type prepared for reading JSON bytes: struct field names are turned into a `FieldMatcher`
/// once, when the codec is built, not per record.
indirect enum JSONReadPlan: Sendable {
    case scalar(ScalarKind)
    case string
    case array(element: JSONReadPlan, type: SQLType)
    case map(key: SQLType, value: JSONReadPlan, type: SQLType)
    case structure(JSONStructPlan)

    init(_ type: SQLType) {
        switch type {
        case .string: self = .string
        case .array(let e): self = .array(element: JSONReadPlan(e), type: type)
        case .map(let k, let v): self = .map(key: k, value: JSONReadPlan(v), type: type)
        case .structure(let fields):
            self = .structure(JSONStructPlan(names: fields.map(\.name), types: fields.map(\.type)))
        default: self = .scalar(ScalarKind(type)!)
        }
    }

    var type: SQLType {
        switch self {
        case .scalar(let k): k.sqlType
        case .string: .string
        case .array(_, let t), .map(_, _, let t): t
        case .structure(let s): s.type
        }
    }
}

/// The fields of a struct (or the columns of a row) to find in a JSON object.
struct JSONStructPlan: Sendable {
    let matcher: FieldMatcher
    let names: [String]
    let fields: [JSONReadPlan]
    /// How each field is read, decided here rather than per member.
    private(set) var readers: [FieldReader]
    let type: SQLType
    /// `.NAME` for error paths.
    let pathParts: [String]

    init(names: [String], types: [SQLType]) {
        self.names = names
        matcher = FieldMatcher(names: names)
        fields = types.map(JSONReadPlan.init)
        readers = types.map(FieldReader.init)
        type = .structure(zip(names, types).map { StructField(name: $0, type: $1) })
        pathParts = names.map { "." + $0 }
    }

    /// Reads past field `i` without decoding it. Only for STRING fields the query never reads: any
    /// JSON value is a valid STRING, so skipping one never hides a record ksqlDB would reject.
    mutating func skip(_ i: Int) {
        readers[i] = .skip
    }
}

/// How `readFields` reads one field.
enum FieldReader: Sendable, Equatable {
    /// Passed over, still validated.
    case skip
    /// BIGINT, INTEGER, TIMESTAMP, DATE or TIME: a short integer literal is parsed in place.
    case integer(ScalarKind)
    case string
    case scalar(ScalarKind)
    /// A container, read through its `JSONReadPlan`.
    case value

    init(_ type: SQLType) {
        switch type {
        case .bigint, .integer, .timestamp, .date, .time: self = .integer(ScalarKind(type)!)
        case .string: self = .string
        case .array, .map, .structure: self = .value
        default: self = .scalar(ScalarKind(type)!)
        }
    }
}
