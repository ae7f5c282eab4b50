import SluiceTypes

/// A parameter's declared type in a function signature.
///
/// Concrete types match themselves and the types that widen to them (INT → BIGINT → DECIMAL →
/// DOUBLE, at any depth inside arrays and maps). `decimal` accepts any precision and scale.
/// A `generic` name binds to one type per call: every argument in a position that uses it must
/// agree, the widest numeric type winning.
indirect enum ParamType: Sendable, Hashable, CustomStringConvertible {
    case boolean
    case integer
    case bigint
    case double
    case string
    case bytes
    case date
    case time
    case timestamp
    /// A DECIMAL of any precision and scale.
    case decimal
    case generic(String)
    case array(ParamType)
    case map(ParamType, ParamType)
    /// A STRUCT of any shape.
    case anyStruct
    /// A lambda taking these parameter types and returning this type.
    case lambda([ParamType], ParamType)

    static let t = ParamType.generic("T")
    static let u = ParamType.generic("U")
    static let k = ParamType.generic("K")
    static let v = ParamType.generic("V")
    static let s = ParamType.generic("S")

    var description: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .integer: "INT"
        case .bigint: "BIGINT"
        case .double: "DOUBLE"
        case .string: "STRING"
        case .bytes: "BYTES"
        case .date: "DATE"
        case .time: "TIME"
        case .timestamp: "TIMESTAMP"
        case .decimal: "DECIMAL"
        case .generic(let n): n
        case .array(let e): "ARRAY<\(e)>"
        case .map(let k, let v): "MAP<\(k), \(v)>"
        case .anyStruct: "STRUCT"
        case .lambda(let ps, let r): "LAMBDA (" + ps.map(\.description).joined(separator: ", ") + ") => \(r)"
        }
    }

    var isLambda: Bool {
        if case .lambda = self { return true }
        return false
    }

    /// The concrete type this template denotes under `bindings`, or nil when it names an unbound
    /// generic or an unsized decimal.
    func substitute(_ bindings: [String: SQLType]) -> SQLType? {
        switch self {
        case .boolean: .boolean
        case .integer: .integer
        case .bigint: .bigint
        case .double: .double
        case .string: .string
        case .bytes: .bytes
        case .date: .date
        case .time: .time
        case .timestamp: .timestamp
        case .decimal, .anyStruct, .lambda: nil
        case .generic(let n): bindings[n]
        case .array(let e): e.substitute(bindings).map { .array($0) }
        case .map(let k, let v):
            if let kt = k.substitute(bindings), let vt = v.substitute(bindings) { .map(key: kt, value: vt) } else { nil }
        }
    }
}

/// One declared parameter: a name for signatures and messages, and a type.
struct Parameter: Sendable, Hashable, CustomStringConvertible {
    var name: String
    var type: ParamType
    /// The argument must be a literal (aggregate initial arguments such as TOPK's `k`).
    var mustBeLiteral: Bool = false

    var description: String { "\(name) \(type)" }
}

/// Shorthand for building parameter lists: `p("str", .string)`.
func p(_ name: String, _ type: ParamType, literal: Bool = false) -> Parameter {
    Parameter(name: name, type: type, mustBeLiteral: literal)
}
