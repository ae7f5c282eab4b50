/// Marks, on each scan, the value columns the query never reads, so the decoder can skip them
/// (decoding, and above all allocating, strings nobody looks at is most of a wide record's cost).
///
/// Every expression of a projection, rekey or filter is evaluated for every row, so all the
/// columns they mention are read. The one rewrite: a rekey feeding an aggregation carries the
/// whole input row, but the aggregation reads only its arguments, so the rekey's other value
/// expressions become NULL. Joins and table functions keep everything (their layouts are wide and
/// rarely worth the bookkeeping).
public enum ColumnPruning {
    public static func prune(_ node: PlanNode) -> PlanNode {
        rewrite(node, reading: nil)
    }

    /// `reading`: the evaluation-row positions of `node`'s output its consumer reads (nil: all).
    private static func rewrite(_ node: PlanNode, reading: Set<Int>?) -> PlanNode {
        switch node {
        case .scan(var scan):
            if let reading {
                let keys = scan.layout.keyCount
                let decoded = scan.source.valueColumns.count
                var read = (0..<decoded).map { reading.contains(keys + $0) }
                // The TIMESTAMP column is read to give the row its time.
                if let ts = scan.timestampExpr {
                    var columns = Set<Int>()
                    ts.collectColumns(into: &columns)
                    for c in columns where c >= keys && c < keys + decoded { read[c - keys] = true }
                }
                scan.readValueColumns = read
            }
            return .scan(scan)
        case .filter(let input, let predicate, let layout):
            // A filter passes its input's layout through.
            var columns = reading ?? allColumns(layout)
            predicate.collectColumns(into: &columns)
            return .filter(rewrite(input, reading: columns), predicate: predicate, layout: layout)
        case .project(let input, let mapping):
            return .project(rewrite(input, reading: columns(of: mapping.keys + mapping.values)), mapping)
        case .rekey(let input, let mapping):
            return .rekey(rewrite(input, reading: columns(of: mapping.keys + mapping.values)), mapping)
        case .aggregate(let input, let aggregate):
            var columns = columns(of: aggregate.calls.flatMap(\.arguments) + aggregate.carried)
            let keys = input.layout.keyCount
            for k in 0..<keys { columns.insert(k) }
            guard case .rekey(let below, var mapping) = input else {
                return .aggregate(rewrite(input, reading: columns), aggregate)
            }
            for (i, value) in mapping.values.enumerated() where !columns.contains(keys + i) {
                mapping.values[i] = .literal(.null, value.type)
            }
            return .aggregate(.rekey(rewrite(below, reading: Self.columns(of: mapping.keys + mapping.values)), mapping), aggregate)
        case .flatMap(let input, let flatMap):
            return .flatMap(rewrite(input, reading: nil), flatMap)
        case .join(var join):
            join.left = rewrite(join.left, reading: nil)
            join.right = rewrite(join.right, reading: nil)
            return .join(join)
        }
    }

    private static func columns(of expressions: [BoundExpr]) -> Set<Int> {
        var columns = Set<Int>()
        for e in expressions { e.collectColumns(into: &columns) }
        return columns
    }

    private static func allColumns(_ layout: RowLayout) -> Set<Int> {
        Set(0..<(layout.keyCount + layout.valueCount))
    }
}
