import SluiceFunctions
import SluicePlanner
import SluiceTypes

/// Table functions (EXPLODE): each input row becomes one row per element, the functions' results
/// appended as extra value columns. With several functions, rows run to the longest result and
/// the shorter ones give NULL, as ksqlDB does.
final class FlatMapOperator: Operator {
    let calls: [(name: String, invoke: @Sendable ([Value], [Lambda]) throws(FunctionError) -> [Value], args: [CompiledExpr])]
    let next: Operator

    init(_ node: FlatMapNode, next: Operator) {
        calls = node.functions.map { ($0.name, $0.call.invoke, $0.arguments.map(ExpressionCompiler.compile)) }
        self.next = next
    }

    override func process(_ row: inout RuntimeRow, _ context: TaskContext) {
        guard let value = row.value else { return }
        let eval = row.evaluationRow(value)
        var results: [[Value]] = []
        for call in calls {
            let args = call.args.map { $0(eval, context.eval) }
            do {
                results.append(try call.invoke(args, []))
            } catch {
                context.report("\(call.name): \(error.message)")
                results.append([])
            }
        }
        context.flushEvaluationErrors()
        let count = results.map(\.count).max() ?? 0
        for i in 0..<count {
            var out = row
            out.value = value + results.map { i < $0.count ? $0[i] : .null }
            next.process(&out, context)
        }
    }

    override func advance(_ context: TaskContext) { next.advance(context) }
}
