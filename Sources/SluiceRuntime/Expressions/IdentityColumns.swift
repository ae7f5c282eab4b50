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

/// Whether `expressions` can be evaluated on the value array itself, without building the
/// evaluation row (key columns, value columns, then ROWTIME and the other pseudo-columns; see
/// ``RuntimeRow/fillEvaluationRow(_:into:)``): true when the input has no key columns, so the
/// value array is that row's prefix, and nothing reads past it.
func readsValuesOnly(_ expressions: [BoundExpr], inputKeyCount: Int, inputValueCount: Int) -> Bool {
    guard inputKeyCount == 0 else { return false }
    var columns = Set<Int>()
    for e in expressions { e.collectColumns(into: &columns) }
    return columns.allSatisfy { $0 < inputValueCount }
}
