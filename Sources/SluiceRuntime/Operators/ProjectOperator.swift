import SluicePlanner
import SluiceTypes

/// SELECT's projection: computes the output key and value columns.
///
/// Deletes (tables) keep their key, projected from the old key columns with NULL values, and stay
/// deletes.
final class ProjectOperator: Operator {
    let keys: [CompiledExpr]
    let values: [CompiledExpr]
    let inputValueCount: Int
    let next: Operator
    /// The evaluation row, reused from row to row.
    private var scratch: [Value] = []

    init(_ node: ProjectNode, inputValueCount: Int, next: Operator) {
        keys = node.keys.map(ExpressionCompiler.compile)
        values = node.values.map(ExpressionCompiler.compile)
        self.inputValueCount = inputValueCount
        self.next = next
    }

    func project(_ row: RuntimeRow, _ input: [Value], _ context: TaskContext) -> (key: [Value], value: [Value]) {
        row.fillEvaluationRow(input, into: &scratch)
        let k = keys.map { $0(scratch, context.eval) }
        let v = values.map { $0(scratch, context.eval) }
        context.flushEvaluationErrors()
        return (k, v)
    }

    override func process(_ row: RuntimeRow, _ context: TaskContext) {
        var out = row
        if let value = row.value {
            let (k, v) = project(row, value, context)
            out.key = k
            out.value = v
        } else {
            let (k, _) = project(row, [Value](repeating: .null, count: inputValueCount), context)
            out.key = k
        }
        if let old = row.oldValue { out.oldValue = project(row, old, context).value }
        next.process(out, context)
    }

    override func advance(_ context: TaskContext) { next.advance(context) }
}
