import SluicePlanner

/// Whether `expressions` are the input's value columns, all of them, in order: `SELECT *`-like
/// projections and a GROUP BY's rekey, which carries the value through. Such an operator passes
/// the value array on as it is, with no evaluation and no new array.
func isValueIdentity(_ expressions: [BoundExpr], inputKeyCount: Int, inputValueCount: Int) -> Bool {
    guard expressions.count == inputValueCount else { return false }
    for (i, e) in expressions.enumerated() {
        guard case .column(let index, _) = e, index == inputKeyCount + i else { return false }
    }
    return true
}
