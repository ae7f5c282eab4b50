import SluicePlanner
import SluiceSQL
import SluiceTypes

/// Closures for the commonest shapes of integer expressions, `column op literal`
/// (`auction % 123`, `price > 1000`): the literal is read once when the task is built, and the
/// operation is chosen then, instead of widening and switching on types for every record.
/// Each returns nil when the expression is not of that shape; the general path then applies.
/// Results equal the general path's (``ValueArithmetic``, ``ValueComparison``) by construction:
/// same wrapping, same division rules, NULL-safe FALSE comparisons.
enum IntegerFastPaths {
    static func isInteger(_ type: SQLType) -> Bool { type == .bigint || type == .integer }

    /// A non-NULL integer literal's value, also under the planner's widening cast to BIGINT.
    static func literal(_ e: BoundExpr) -> Int64? {
        if case .cast(let inner, .bigint) = e { return literal(inner) }
        guard case .literal(let v, _) = e else { return nil }
        switch v {
        case .integer(let x): return Int64(x)
        case .bigint(let x): return x
        default: return nil
        }
    }

    /// `left op literal` over BIGINT (outside lambdas, where NULL operands fail the call instead).
    static func arithmetic(_ op: BinaryOperator, _ l: BoundExpr, _ r: BoundExpr, _ type: SQLType, left: @escaping CompiledExpr) -> CompiledExpr? {
        guard type == .bigint, isInteger(l.type), let y = literal(r) else { return nil }
        switch op {
        case .add: return { row, ctx in left(row, ctx).asInt64.map { .bigint($0 &+ y) } ?? .null }
        case .subtract: return { row, ctx in left(row, ctx).asInt64.map { .bigint($0 &- y) } ?? .null }
        case .multiply: return { row, ctx in left(row, ctx).asInt64.map { .bigint($0 &* y) } ?? .null }
        case .modulo where y != 0:
            return { row, ctx in left(row, ctx).asInt64.map { .bigint(y == -1 ? 0 : $0 % y) } ?? .null }
        case .divide where y != 0:
            return { row, ctx in left(row, ctx).asInt64.map { .bigint($0 == .min && y == -1 ? .min : $0 / y) } ?? .null }
        default: return nil
        }
    }

    /// `left op literal` over integers: FALSE when the left side is NULL, as every comparison.
    static func comparison(_ op: ComparisonOperator, _ l: BoundExpr, _ r: BoundExpr, left: @escaping CompiledExpr) -> CompiledExpr? {
        guard isInteger(l.type), let y = literal(r) else { return nil }
        return { row, ctx in
            guard let x = left(row, ctx).asInt64 else { return .boolean(false) }
            return .boolean(ExpressionCompiler.evaluate(op, x < y ? -1 : (x > y ? 1 : 0)))
        }
    }
}
