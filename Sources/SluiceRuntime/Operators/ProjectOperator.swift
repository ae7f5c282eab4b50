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
    /// Whether anything downstream reads the old row (see ``Operator/needsOldValues``).
    let projectsOldValues: Bool
    /// The evaluation row, reused from row to row.
    private var scratch: [Value] = []
    /// The last row's value array, for reuse (see `evaluateValues`).
    private var spare: [Value] = []
    /// The value columns are the input's, unchanged (see ``isValueIdentity``).
    let passesValue: Bool
    /// The expressions run on the value array itself (see ``readsValuesOnly``).
    let readsValues: Bool
    /// When every key and value expression is a plain input column: their positions (key
    /// columns, then value columns), copied without an evaluation row or closure calls.
    let columnSources: (keys: [Int], values: [Int])?
    /// The output key is the input key unchanged.
    let passesKey: Bool
    /// Per value expression, its evaluation-row position when it is a plain column: copied
    /// without a closure call where other columns need evaluating (`price * 0.908, auction`).
    let valueColumns: [Int]
    let inputKeyCount: Int

    init(_ node: ProjectNode, inputKeyCount: Int, inputValueCount: Int, next: Operator) {
        keys = node.keys.map(ExpressionCompiler.compile)
        values = node.values.map(ExpressionCompiler.compile)
        passesValue = isValueIdentity(node.values, inputKeyCount: inputKeyCount, inputValueCount: inputValueCount)
        readsValues = readsValuesOnly(node.keys + node.values, inputKeyCount: inputKeyCount, inputValueCount: inputValueCount)
        func plainColumns(_ expressions: [BoundExpr]) -> [Int]? {
            var positions: [Int] = []
            for e in expressions {
                guard case .column(let i, _) = e, i < inputKeyCount + inputValueCount else { return nil }
                positions.append(i)
            }
            return positions
        }
        if let k = plainColumns(node.keys), let v = plainColumns(node.values) {
            columnSources = (k, v)
        } else {
            columnSources = nil
        }
        passesKey = inputKeyCount > 0 && columnSources?.keys == Array(0..<inputKeyCount)
        self.inputKeyCount = inputKeyCount
        valueColumns = node.values.map { e in
            if case .column(let i, _) = e { return i }
            return -1
        }
        self.inputValueCount = inputValueCount
        self.next = next
        projectsOldValues = next.needsOldValues
    }

    func project(_ row: RuntimeRow, _ input: [Value], _ context: TaskContext) -> (key: [Value], value: [Value]) {
        if passesValue && keys.isEmpty { return ([], input) }
        if let columnSources { return copyColumns(columnSources, row, input) }
        if !readsValues { row.fillEvaluationRow(input, into: &scratch) }
        let from = readsValues ? input : scratch
        let k = keys.isEmpty ? [] : keys.map { $0(from, context.eval) }
        let v = passesValue ? input : evaluateValues(from, context)
        context.flushEvaluationErrors()
        return (k, v)
    }

    /// Plain-column projections: keys and values copied from the row (the value into the array
    /// the previous row left behind, as in `evaluateValues`).
    private func copyColumns(_ sources: (keys: [Int], values: [Int]), _ row: RuntimeRow, _ input: [Value]) -> (key: [Value], value: [Value]) {
        let keyCount = inputKeyCount
        let key = row.key
        let k = passesKey ? key : sources.keys.map { $0 < keyCount ? key[$0] : input[$0 - keyCount] }
        if passesValue { return (k, input) }
        var out = spare
        spare = []
        if out.count != sources.values.count { out = .nulls(sources.values.count) }
        out.withUnsafeMutableBufferPointer { slots in
            for (slot, i) in sources.values.enumerated() { slots[slot] = i < keyCount ? key[i] : input[i - keyCount] }
        }
        return (k, out)
    }

    /// The value columns, written into the array the previous row's value left behind when no
    /// one downstream kept it (a stateless chain ending in a sink): no array per row.
    private func evaluateValues(_ from: [Value], _ context: TaskContext) -> [Value] {
        var out = spare
        spare = []
        if out.count != values.count { out = .nulls(values.count) }
        values.withUnsafeBufferPointer { expressions in
            valueColumns.withUnsafeBufferPointer { columns in
                out.withUnsafeMutableBufferPointer { slots in
                    for i in 0..<expressions.count {
                        let column = columns[i]
                        slots[i] = column >= 0 ? from[column] : expressions[i](from, context.eval)
                    }
                }
            }
        }
        return out
    }

    override func process(_ row: inout RuntimeRow, _ context: TaskContext) {
        // Both rows are evaluated against the input key before it is replaced.
        let old = projectsOldValues ? row.oldValue.map { project(row, $0, context).value } : nil
        if let value = row.value {
            let (k, v) = project(row, value, context)
            row.key = k
            row.value = v
        } else {
            row.key = project(row, .nulls(inputValueCount), context).key
        }
        row.oldValue = old
        next.process(&row, context)
        // Take the value back for the next row; the caller reads nothing of the row after this.
        if !passesValue, let used = row.value {
            row.value = nil
            spare = used
        }
    }

    override func advance(_ context: TaskContext) { next.advance(context) }

    override var needsOldValues: Bool { projectsOldValues }
}
