import SluicePlanner
import SluiceSQL
import SluiceTypes

/// Joins two inputs keyed by the join key. Rows arrive through ``left`` and ``right``; the output
/// row's value is the left columns then the right columns (NULLs for a missing side).
///
/// - Stream-table: a table row only updates the table side; a stream row looks its key up and
///   emits (INNER: only when found; LEFT: always). Output time is the stream row's.
/// - Table-table: a change on either side recomputes the key's result; it is emitted as an update,
///   or as a delete when a result that existed no longer does. Output time is the larger of the two
///   rows' times.
/// - Stream-stream: each row is kept for the window and matched with the other side's rows whose
///   time lies within `WITHIN` of it; output time is the larger of the two. Without a GRACE PERIOD,
///   an outer side's row with no match is emitted at once with NULLs (Kafka Streams' eager
///   semantics); with one, only once its window has closed, and a row arriving after its window
///   closed is emitted unmatched straight away (outer sides) or dropped.
final class JoinOperator {
    enum Side {
        case left
        case right
    }

    struct Buffered {
        var timestamp: Int64
        var values: [Value]
        var joined: Bool
        var emitted: Bool
    }

    let type: JoinType
    let leftIsTable: Bool
    let rightIsTable: Bool
    let leftWidth: Int
    let rightWidth: Int
    let before: Int64
    let after: Int64
    let grace: Int64?
    let next: Operator
    /// The operator each side's chain ends in (it holds the join; the join holds neither side).
    func input(_ side: Side) -> SideInput { SideInput(join: self, side: side) }

    private var leftTable: [[Value]: (values: [Value], timestamp: Int64)] = [:]
    private var rightTable: [[Value]: (values: [Value], timestamp: Int64)] = [:]
    private var leftWindow: [[Value]: [Buffered]] = [:]
    private var rightWindow: [[Value]: [Buffered]] = [:]
    private var streamTime: Int64 = .min

    init(_ node: JoinNode, next: Operator) {
        type = node.type
        leftIsTable = node.left.layout.isTable
        rightIsTable = node.right.layout.isTable
        leftWidth = node.left.layout.valueCount
        rightWidth = node.right.layout.valueCount
        before = node.within?.before.milliseconds ?? 0
        after = node.within?.after.milliseconds ?? 0
        grace = node.within?.grace?.milliseconds
        self.next = next
    }

    private var leftOuter: Bool { type == .left || type == .full }
    private var rightOuter: Bool { type == .right || type == .full }

    private func output(_ row: RuntimeRow, _ l: [Value]?, _ r: [Value]?, _ timestamp: Int64, _ context: TaskContext) {
        var out = row
        out.value = (l ?? [Value](repeating: .null, count: leftWidth)) + (r ?? [Value](repeating: .null, count: rightWidth))
        out.oldValue = nil
        out.timestamp = timestamp
        out.window = nil
        next.process(out, context)
    }

    func process(_ row: RuntimeRow, from side: Side, _ context: TaskContext) {
        if row.key.contains(where: \.isNull) {
            if row.value != nil { context.report("join key is NULL: record dropped") }
            return
        }
        switch (leftIsTable, rightIsTable) {
        case (false, true): streamTable(row, from: side, context)
        case (true, true): tableTable(row, from: side, context)
        default: streamStream(row, from: side, context)
        }
    }

    // MARK: - Stream-table

    private func streamTable(_ row: RuntimeRow, from side: Side, _ context: TaskContext) {
        if side == .right {
            if let v = row.value { rightTable[row.key] = (v, row.timestamp) } else { rightTable.removeValue(forKey: row.key) }
            return
        }
        guard let value = row.value else { return }
        if let match = rightTable[row.key] {
            output(row, value, match.values, row.timestamp, context)
        } else if leftOuter {
            output(row, value, nil, row.timestamp, context)
        }
    }

    // MARK: - Table-table

    private func result(_ l: [Value]?, _ r: [Value]?) -> Bool {
        switch type {
        case .inner: l != nil && r != nil
        case .left: l != nil
        case .right: r != nil
        case .full: l != nil || r != nil
        }
    }

    private func tableTable(_ row: RuntimeRow, from side: Side, _ context: TaskContext) {
        let key = row.key
        let oldLeft = leftTable[key]
        let oldRight = rightTable[key]
        if side == .left {
            if let v = row.value { leftTable[key] = (v, row.timestamp) } else { leftTable.removeValue(forKey: key) }
        } else {
            if let v = row.value { rightTable[key] = (v, row.timestamp) } else { rightTable.removeValue(forKey: key) }
        }
        let newLeft = leftTable[key]
        let newRight = rightTable[key]
        let had = result(oldLeft?.values, oldRight?.values)
        let has = result(newLeft?.values, newRight?.values)
        if has {
            let ts = max(newLeft?.timestamp ?? .min, newRight?.timestamp ?? .min)
            var out = row
            out.value = (newLeft?.values ?? [Value](repeating: .null, count: leftWidth))
                + (newRight?.values ?? [Value](repeating: .null, count: rightWidth))
            out.oldValue = had
                ? (oldLeft?.values ?? [Value](repeating: .null, count: leftWidth))
                    + (oldRight?.values ?? [Value](repeating: .null, count: rightWidth)) : nil
            out.timestamp = ts
            next.process(out, context)
        } else if had {
            var out = row
            out.value = nil
            out.oldValue = (oldLeft?.values ?? [Value](repeating: .null, count: leftWidth))
                + (oldRight?.values ?? [Value](repeating: .null, count: rightWidth))
            next.process(out, context)
        }
    }

    // MARK: - Stream-stream

    private func streamStream(_ row: RuntimeRow, from side: Side, _ context: TaskContext) {
        guard let value = row.value else { return }
        let ts = row.timestamp
        streamTime = max(streamTime, ts)
        let outer = side == .left ? leftOuter : rightOuter
        // The other side's rows this row can meet: for a left row, right rows in [ts - before, ts + after].
        let low = side == .left ? ts - before : ts - after
        let high = side == .left ? ts + after : ts + before
        let closesAt = ts + (side == .left ? after : before) + (grace ?? 0)
        if let grace, closesAt < streamTime {
            _ = grace
            if outer {
                side == .left ? output(row, value, nil, ts, context) : output(row, nil, value, ts, context)
            } else {
                context.report("record is too late for the join window and was dropped")
            }
            return
        }
        var joined = false
        var others = (side == .left ? rightWindow[row.key] : leftWindow[row.key]) ?? []
        for i in others.indices where others[i].timestamp >= low && others[i].timestamp <= high {
            joined = true
            others[i].joined = true
            let t = max(ts, others[i].timestamp)
            side == .left ? output(row, value, others[i].values, t, context) : output(row, others[i].values, value, t, context)
        }
        if side == .left { rightWindow[row.key] = others } else { leftWindow[row.key] = others }
        var emitted = false
        if !joined && outer && grace == nil {
            side == .left ? output(row, value, nil, ts, context) : output(row, nil, value, ts, context)
            emitted = true
        }
        let entry = Buffered(timestamp: ts, values: value, joined: joined, emitted: emitted)
        if side == .left { leftWindow[row.key, default: []].append(entry) } else { rightWindow[row.key, default: []].append(entry) }
        flushClosed(row, context)
    }

    /// With a grace period: emits the outer sides' unmatched rows whose windows have closed, in time
    /// order, and forgets rows no window can reach any more.
    private func flushClosed(_ row: RuntimeRow, _ context: TaskContext) {
        let horizon = before + after + (grace ?? 86_400_000)
        var pending: [(Int64, [Value], Side, [Value])] = []
        for (side, outer, reach) in [(Side.left, leftOuter, after), (Side.right, rightOuter, before)] {
            var window = side == .left ? leftWindow : rightWindow
            for key in Array(window.keys) {
                var rows = window[key]!
                for i in rows.indices where grace != nil && outer && !rows[i].joined && !rows[i].emitted {
                    if rows[i].timestamp + reach + grace! < streamTime {
                        rows[i].emitted = true
                        pending.append((rows[i].timestamp, key, side, rows[i].values))
                    }
                }
                rows.removeAll { $0.timestamp + horizon < streamTime }
                window[key] = rows.isEmpty ? nil : rows
            }
            if side == .left { leftWindow = window } else { rightWindow = window }
        }
        for (ts, key, side, values) in pending.sorted(by: { $0.0 < $1.0 }) {
            var out = row
            out.key = key
            side == .left ? output(out, values, nil, ts, context) : output(out, nil, values, ts, context)
        }
    }
}

/// One input of a ``JoinOperator``: the end of a side's operator chain.
final class SideInput: Operator {
    let join: JoinOperator
    let side: JoinOperator.Side

    init(join: JoinOperator, side: JoinOperator.Side) {
        self.join = join
        self.side = side
    }

    override func process(_ row: RuntimeRow, _ context: TaskContext) {
        join.process(row, from: side, context)
    }

    override func advance(_ context: TaskContext) {
        join.next.advance(context)
    }
}
