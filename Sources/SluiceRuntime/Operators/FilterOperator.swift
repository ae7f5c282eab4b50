import SluicePlanner
import SluiceTypes

/// WHERE and HAVING.
///
/// Streams: a row passes when the predicate is TRUE (NULL and FALSE drop it). Tables (Kafka
/// Streams' table filter): the old and new rows are each kept only if they match; a new row that
/// fails becomes a delete of the key when its old row matched, and the change is dropped when
/// neither matched. Aggregations downstream take back exactly what they were given.
final class FilterOperator: Operator {
    let predicate: CompiledExpr
    /// The evaluation row, reused from row to row.
    private var scratch: [Value] = []
    /// The predicate runs on the value array itself (see ``readsValuesOnly``).
    let readsValues: Bool
    let next: Operator
    /// Whether rows are a table's changes (deletes and retractions flow) or a stream's events.
    let isTable: Bool

    init(predicate: BoundExpr, inputKeyCount: Int, inputValueCount: Int, isTable: Bool, next: Operator) {
        self.isTable = isTable
        self.predicate = ExpressionCompiler.compile(predicate)
        readsValues = readsValuesOnly([predicate], inputKeyCount: inputKeyCount, inputValueCount: inputValueCount)
        self.next = next
    }

    private func passes(_ row: RuntimeRow, _ values: [Value], _ context: TaskContext) -> Bool {
        let result: Value
        if readsValues {
            result = predicate(values, context.eval)
        } else {
            row.fillEvaluationRow(values, into: &scratch)
            result = predicate(scratch, context.eval)
        }
        context.flushEvaluationErrors()
        if case .boolean(true) = result { return true }
        return false
    }

    override func process(_ row: inout RuntimeRow, _ context: TaskContext) {
        guard isTable else {
            // A stream record with no value never matches.
            if let value = row.value, passes(row, value, context) { next.process(&row, context) }
            return
        }
        var out = row
        if let old = row.oldValue, !passes(row, old, context) { out.oldValue = nil }
        if let value = row.value, !passes(row, value, context) { out.value = nil }
        // A change that neither was nor is visible through the filter is not a change downstream;
        // a plain delete of a key whose old row is unknown still passes, as a delete.
        if out.value == nil && out.oldValue == nil && (row.value != nil || row.oldValue != nil) { return }
        next.process(&out, context)
    }

    override func advance(_ context: TaskContext) { next.advance(context) }
}
