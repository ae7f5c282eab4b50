import SluicePlanner
import SluiceSQL
import SluiceTypes

/// `integer column * decimal literal` (either order; Nexmark's `0.908 * price`): the product of
/// an integer and the literal's unscaled value already has the result's scale, so the record's
/// work is one multiplication and a range check. Anything else (an overflow, a result wider than
/// its precision, NULL) takes the general path, which words the error.
enum DecimalFastPaths {
    /// 10^n for n in 0...38, the bounds of DECIMAL precisions.
    static let powersOfTen: [Int128] = (0...38).map { n in (0..<n).reduce(Int128(1)) { p, _ in p * 10 } }

    static func multiply(
        _ l: BoundExpr, _ r: BoundExpr, _ type: SQLType, general: @escaping CompiledExpr
    ) -> CompiledExpr? {
        guard case .decimal(let precision, let scale) = type, precision <= 38 else { return nil }
        let (literal, other): (SQLDecimal, BoundExpr)
        if let d = decimalLiteral(l), let x = integerOperand(r) {
            (literal, other) = (d, x)
        } else if let d = decimalLiteral(r), let x = integerOperand(l) {
            (literal, other) = (d, x)
        } else {
            return nil
        }
        guard literal.scale == scale else { return nil }
        let factor = literal.unscaled
        let bound = powersOfTen[precision]
        guard case .column(let index, _) = other else { return nil }
        return { row, ctx in
            guard let x = row[index].asInt64 else { return general(row, ctx) }
            let (product, overflow) = Int128(x).multipliedReportingOverflow(by: factor)
            guard !overflow, product.magnitude < bound.magnitude else { return general(row, ctx) }
            return .decimal(SQLDecimal(unscaled: product, scale: scale))
        }
    }

    private static func decimalLiteral(_ e: BoundExpr) -> SQLDecimal? {
        if case .literal(.decimal(let d), _) = e { return d }
        return nil
    }

    /// An INTEGER or BIGINT column, also under the planner's cast to a DECIMAL of scale 0. Only a
    /// column: reading it cannot fail, so falling back to the general path (which reads it again)
    /// never reports an error twice.
    private static func integerOperand(_ e: BoundExpr) -> BoundExpr? {
        if case .column(_, let t) = e, IntegerFastPaths.isInteger(t) { return e }
        if case .cast(let inner, .decimal(_, 0)) = e, case .column(_, let t) = inner, IntegerFastPaths.isInteger(t) { return inner }
        return nil
    }
}
