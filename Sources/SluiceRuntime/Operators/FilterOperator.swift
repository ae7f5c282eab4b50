import SluicePlanner
import SluiceTypes

/// WHERE and HAVING.
///
/// Streams: a row passes when the predicate is TRUE (NULL and FALSE drop it). Tables: a new value
/// that fails becomes a delete of the key (ksqlDB emits the tombstone, so downstream forgets a row
/// that used to match); the old value is kept only if it matched, so aggregations downstream take
/// back exactly what they were given. A delete of a key whose old row did not match is dropped.
final class FilterOperator: Operator {
    let predicate: CompiledExpr
    let next: Operator
    /// Whether rows are a table's changes (deletes and retractions flow) or a stream's events.
    let isTable: Bool

    init(predicate: BoundExpr, isTable: Bool, next: Operator) {
        self.isTable = isTable
        self.predicate = ExpressionCompiler.compile(predicate)
        self.next = next
    }

    private func passes(_ row: RuntimeRow, _ values: [Value], _ context: TaskContext) -> Bool {
        let result = predicate(row.evaluationRow(values), context.eval)
        context.flushEvaluationErrors()
        if case .boolean(true) = result { return true }
        return false
    }

    override func process(_ row: RuntimeRow, _ context: TaskContext) {
        var out = row
        if let old = row.oldValue, !passes(row, old, context) { out.oldValue = nil }
        guard let value = row.value else {
            // A table delete passes on; a stream record with no value never matches.
            if isTable { next.process(out, context) }
            return
        }
        if passes(row, value, context) {
            next.process(out, context)
        } else if isTable {
            out.value = nil
            next.process(out, context)
        }
    }

    override func advance(_ context: TaskContext) { next.advance(context) }
}
