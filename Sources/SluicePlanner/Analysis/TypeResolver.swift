import SluiceSQL
import SluiceTypes

/// Turns written types into resolved ones, expanding `CREATE TYPE` names.
public struct TypeResolver: Sendable {
    public var customTypes: [String: SQLType]

    public init(customTypes: [String: SQLType]) {
        self.customTypes = customTypes
    }

    public func resolve(_ syntax: TypeSyntax, range: SourceRange = .none) throws(Diagnostic) -> SQLType {
        switch syntax {
        case .boolean: return .boolean
        case .integer: return .integer
        case .bigint: return .bigint
        case .double: return .double
        case .decimal(let p, let s):
            guard p >= 1, p <= 38, s >= 0, s <= p else {
                throw PlannerErrors.semantic(
                    "bad-decimal", "DECIMAL precision must be 1 to 38 and scale 0 to precision, not (\(p), \(s))", range)
            }
            return .decimal(precision: p, scale: s)
        case .string: return .string
        case .bytes: return .bytes
        case .date: return .date
        case .time: return .time
        case .timestamp: return .timestamp
        case .array(let e): return .array(try resolve(e, range: range))
        case .map(let k, let v): return .map(key: try resolve(k, range: range), value: try resolve(v, range: range))
        case .structure(let fields):
            var out: [StructField] = []
            for f in fields { out.append(StructField(name: f.name.value, type: try resolve(f.type, range: range))) }
            return .structure(out)
        case .named(let id):
            guard let t = customTypes[id.value] else { throw PlannerErrors.unknownType(id.value, id.range) }
            return t
        }
    }
}

