import SluiceSQL
import SluiceTypes

/// `EXPLAIN`'s text: one line per plan node, the sink first, each with the columns it produces.
public enum PlanPrinter {
    public static func lines(_ plan: QueryPlan) -> [String] {
        var out: [String] = []
        if let sink = plan.sink {
            out.append("> [ SINK ] | \(sink.kind.rawValue) \(sink.name) | topic: \(sink.topic) | \(schema(plan.layout))")
        }
        walk(plan.root, depth: plan.sink == nil ? 0 : 1, into: &out)
        return out
    }

    static func walk(_ node: PlanNode, depth: Int, into out: inout [String]) {
        let indent = String(repeating: "\t", count: depth) + "> "
        switch node {
        case .scan(let s):
            out.append("\(indent)[ SOURCE ] | \(s.source.kind.rawValue) \(s.source.name) | topic: \(s.source.topic) | \(schema(node.layout))")
        case .filter(let input, _, _):
            out.append("\(indent)[ FILTER ] | \(schema(node.layout))")
            walk(input, depth: depth + 1, into: &out)
        case .project(let input, _):
            out.append("\(indent)[ PROJECT ] | \(schema(node.layout))")
            walk(input, depth: depth + 1, into: &out)
        case .rekey(let input, _):
            out.append("\(indent)[ REKEY ] | \(schema(node.layout))")
            walk(input, depth: depth + 1, into: &out)
        case .aggregate(let input, let a):
            let window = a.window.map { w -> String in
                switch w.kind {
                case .tumbling(let size): return " | TUMBLING \(size.value) \(size.unit.rawValue)"
                case .hopping(let size, let advance):
                    return " | HOPPING \(size.value) \(size.unit.rawValue) ADVANCE BY \(advance.value) \(advance.unit.rawValue)"
                case .session(let gap): return " | SESSION \(gap.value) \(gap.unit.rawValue)"
                }
            } ?? ""
            let calls = a.calls.map(\.name).joined(separator: ", ")
            out.append("\(indent)[ AGGREGATE ] | \(calls)\(window)\(a.emitFinal ? " | EMIT FINAL" : "") | \(schema(node.layout))")
            walk(input, depth: depth + 1, into: &out)
        case .flatMap(let input, let f):
            out.append("\(indent)[ FLATMAP ] | \(f.functions.map(\.name).joined(separator: ", ")) | \(schema(node.layout))")
            walk(input, depth: depth + 1, into: &out)
        case .join(let j):
            out.append("\(indent)[ JOIN ] | \(j.type.rawValue) | \(schema(node.layout))")
            walk(j.left, depth: depth + 1, into: &out)
            walk(j.right, depth: depth + 1, into: &out)
        }
    }

    static func schema(_ layout: RowLayout) -> String {
        (layout.keyColumns.map { "\($0.name) \($0.type) KEY" } + layout.valueColumns.map { "\($0.name) \($0.type)" })
            .joined(separator: ", ")
    }
}
