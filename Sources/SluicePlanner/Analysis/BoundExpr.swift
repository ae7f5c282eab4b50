import SluiceFunctions
import SluiceSQL
import SluiceTypes

/// An expression after name and type resolution: column references are positions in the row the
/// expression is evaluated over, functions are resolved to implementations, every node has a type.
///
/// The runtime compiles it once per task into a closure (see `ExpressionCompiler`).
public indirect enum BoundExpr: Sendable {
    case literal(Value, SQLType)
    /// Position in the evaluation row (keys, values, then the pseudo columns; see ``RowLayout``).
    case column(Int, SQLType)
    /// A lambda parameter: depth counts lambdas from the outermost (0), index is the parameter.
    case lambdaParameter(depth: Int, index: Int, SQLType)
    case arithmetic(BinaryOperator, BoundExpr, BoundExpr, SQLType)
    case negate(BoundExpr)
    case not(BoundExpr)
    case and(BoundExpr, BoundExpr)
    case or(BoundExpr, BoundExpr)
    /// Operands already cast to a common comparable type.
    case comparison(ComparisonOperator, BoundExpr, BoundExpr)
    case isNull(BoundExpr, negated: Bool)
    case isDistinctFrom(BoundExpr, BoundExpr, negated: Bool)
    case between(BoundExpr, BoundExpr, BoundExpr, negated: Bool)
    case inList(BoundExpr, [BoundExpr], negated: Bool)
    case like(BoundExpr, pattern: BoundExpr, escape: Character?, negated: Bool)
    case cast(BoundExpr, to: SQLType)
    case caseWhen([(condition: BoundExpr, result: BoundExpr)], elseValue: BoundExpr?, SQLType)
    case call(name: String, ScalarFunctionCall, [BoundExpr], lambdas: [BoundLambda])
    /// Array (1-based; negative counts from the end) or map subscript.
    case subscriptOf(BoundExpr, BoundExpr, SQLType)
    case field(BoundExpr, name: String, SQLType)
    case makeArray([BoundExpr], SQLType)
    case makeMap([(key: BoundExpr, value: BoundExpr)], SQLType)
    case makeStruct([(name: String, value: BoundExpr)], SQLType)

    public var type: SQLType {
        switch self {
        case .literal(_, let t), .column(_, let t), .lambdaParameter(_, _, let t), .arithmetic(_, _, _, let t):
            return t
        case .negate(let e): return e.type
        case .not, .and, .or, .comparison, .isNull, .isDistinctFrom, .between, .inList, .like: return .boolean
        case .cast(_, let t): return t
        case .caseWhen(_, _, let t): return t
        case .call(_, let c, _, _): return c.returnType
        case .subscriptOf(_, _, let t), .field(_, _, let t), .makeArray(_, let t), .makeMap(_, let t),
            .makeStruct(_, let t):
            return t
        }
    }

    /// True for an untyped `NULL` literal (its type was picked from context).
    public var isNullLiteral: Bool {
        if case .literal(.null, _) = self { return true }
        return false
    }
}

/// A lambda argument: its body is bound with the parameters as ``BoundExpr/lambdaParameter``.
public struct BoundLambda: Sendable {
    public var depth: Int
    public var parameterTypes: [SQLType]
    public var body: BoundExpr

    public init(depth: Int, parameterTypes: [SQLType], body: BoundExpr) {
        self.depth = depth
        self.parameterTypes = parameterTypes
        self.body = body
    }
}
