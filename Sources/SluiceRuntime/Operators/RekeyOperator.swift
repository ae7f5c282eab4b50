import SluicePlanner
import SluiceTypes

/// PARTITION BY and GROUP BY: gives each row a new key.
///
/// Streams: one row out per row in; for GROUP BY a row whose new key has a NULL is dropped and
/// logged (ksqlDB cannot group on NULL). Tables: a change is split into a retraction of the old
/// row under its old group key, then the new row under its new group key, as Kafka Streams'
/// table grouping does; aggregations downstream take back and fold in accordingly.
final class RekeyOperator: Operator {
    let keys: [CompiledExpr]
    let values: [CompiledExpr]
    let dropNullKeys: Bool
    let next: Operator
    /// Whether rows are a table's changes (deletes and retractions flow) or a stream's events.
    let isTable: Bool

    let inputValueCount: Int

    init(_ node: RekeyNode, inputValueCount: Int, dropNullKeys: Bool, isTable: Bool, next: Operator) {
        self.inputValueCount = inputValueCount
        self.isTable = isTable
        keys = node.keys.map(ExpressionCompiler.compile)
        values = node.values.map(ExpressionCompiler.compile)
        self.dropNullKeys = dropNullKeys
        self.next = next
    }

    private func rekey(_ row: RuntimeRow, _ input: [Value], _ context: TaskContext) -> (key: [Value], value: [Value])? {
        let eval = row.evaluationRow(input)
        let k = keys.map { $0(eval, context.eval) }
        let v = values.map { $0(eval, context.eval) }
        context.flushEvaluationErrors()
        if dropNullKeys && k.contains(where: \.isNull) {
            context.report("GROUP BY key is NULL: record dropped")
            return nil
        }
        return (k, v)
    }

    override func process(_ row: RuntimeRow, _ context: TaskContext) {
        if !isTable {
            // A stream record without a value keeps no value, under its new key.
            let input = row.value ?? [Value](repeating: .null, count: inputValueCount)
            guard let (k, v) = rekey(row, input, context) else { return }
            var out = row
            out.key = k
            out.value = row.value == nil ? nil : v
            next.process(out, context)
            return
        }
        if let old = row.oldValue, let (k, v) = rekey(row, old, context) {
            var retraction = row
            retraction.key = k
            retraction.value = nil
            retraction.oldValue = v
            next.process(retraction, context)
        }
        if let value = row.value, let (k, v) = rekey(row, value, context) {
            var addition = row
            addition.key = k
            addition.value = v
            addition.oldValue = nil
            next.process(addition, context)
        }
    }

    override func advance(_ context: TaskContext) { next.advance(context) }
}
