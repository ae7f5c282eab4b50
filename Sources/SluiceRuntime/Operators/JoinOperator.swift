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
/// - Windowed sources: records match only within the same window (the window start, and for
///   session windows its end too, is part of the key); the result carries that window, sized as
///   the left source's windows.
final class JoinOperator {
    enum Side {
        case left
        case right
    }

    struct Buffered {
        var id: Int
        var timestamp: Int64
        var values: [Value]
    }

    /// An outer side's row waiting, unmatched, for its window to close.
    struct Pending {
        var side: Side
        var key: [Value]
        var timestamp: Int64
        var values: [Value]
        var closesAt: Int64
    }

    let type: JoinType
    let leftIsTable: Bool
    let rightIsTable: Bool
    let leftWidth: Int
    let rightWidth: Int
    let before: Int64
    let after: Int64
    let grace: Int64?
    /// The result's windowing (the left side's); nil for unwindowed sources.
    let windowing: Windowing?
    let next: Operator
    /// The operator each side's chain ends in (it holds the join; the join holds neither side).
    func input(_ side: Side) -> SideInput { SideInput(join: self, side: side) }

    private var leftTable: [[Value]: (values: [Value], timestamp: Int64)] = [:]
    private var rightTable: [[Value]: (values: [Value], timestamp: Int64)] = [:]
    private var leftWindow: [[Value]: [Buffered]] = [:]
    private var rightWindow: [[Value]: [Buffered]] = [:]
    private var streamTime: Int64 = .min
    private var leftObserved: Int64 = .min
    private var rightObserved: Int64 = .min
    private var pending: [Int: Pending] = [:]
    private var nextID = 0
    private var expireCounter = 0

    init(_ node: JoinNode, next: Operator) {
        type = node.type
        leftIsTable = node.left.layout.isTable
        rightIsTable = node.right.layout.isTable
        leftWidth = node.left.layout.valueCount
        rightWidth = node.right.layout.valueCount
        before = node.within?.before.milliseconds ?? 0
        after = node.within?.after.milliseconds ?? 0
        grace = node.within?.grace?.milliseconds
        windowing = node.layout.windowing
        self.next = next
    }

    /// How many window values ``windowedKey(_:)`` appends to a windowed row's key.
    private var windowKeyCount: Int {
        switch windowing {
        case nil: 0
        case .time: 1
        case .session: 2
        }
    }

    /// A windowed row keyed by its key and window, its window sized as the result's; nil (dropped)
    /// when the row has no window.
    private func windowedKey(_ row: RuntimeRow) -> RuntimeRow? {
        guard let windowing, let window = row.window else { return nil }
        var out = row
        out.key.append(.bigint(window.start))
        switch windowing {
        case .time(let size):
            out.window = WindowBounds(start: window.start, end: window.start + size)
        case .session:
            out.key.append(.bigint(window.end))
        }
        return out
    }

    /// Forwards a result, taking the window off its key first.
    private func emit(_ row: RuntimeRow, _ context: TaskContext) {
        var out = row
        if windowKeyCount > 0 { out.key.removeLast(windowKeyCount) }
        next.process(&out, context)
    }

    private var leftOuter: Bool { type == .left || type == .full }
    private var rightOuter: Bool { type == .right || type == .full }

    private func output(_ row: RuntimeRow, _ l: [Value]?, _ r: [Value]?, _ timestamp: Int64, _ context: TaskContext) {
        var out = row
        out.value = (l ?? .nulls(leftWidth)) + (r ?? .nulls(rightWidth))
        out.oldValue = nil
        out.timestamp = timestamp
        if windowing == nil { out.window = nil }
        emit(out, context)
    }

    func process(_ row: RuntimeRow, from side: Side, _ context: TaskContext) {
        if row.key.contains(where: \.isNull) {
            if row.value != nil { context.report("join key is NULL: record dropped") }
            return
        }
        if windowing != nil {
            guard let keyed = windowedKey(row) else {
                context.report("windowed join input without a window: record dropped")
                return
            }
            dispatch(keyed, from: side, context)
            return
        }
        dispatch(row, from: side, context)
    }

    private func dispatch(_ row: RuntimeRow, from side: Side, _ context: TaskContext) {
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
            // Kafka Streams stamps a result with the later of the incoming change (a delete
            // included) and the other side's row.
            let other = side == .left ? newRight : newLeft
            let ts = max(row.timestamp, other?.timestamp ?? .min)
            var out = row
            out.value = (newLeft?.values ?? .nulls(leftWidth))
                + (newRight?.values ?? .nulls(rightWidth))
            out.oldValue = had
                ? (oldLeft?.values ?? .nulls(leftWidth))
                    + (oldRight?.values ?? .nulls(rightWidth)) : nil
            out.timestamp = ts
            emit(out, context)
        } else if had {
            var out = row
            out.value = nil
            out.oldValue = (oldLeft?.values ?? .nulls(leftWidth))
                + (oldRight?.values ?? .nulls(rightWidth))
            emit(out, context)
        }
    }

    // MARK: - Stream-stream

    /// Kafka Streams' stream-stream join: each side keeps a window store whose retention is
    /// before + after + grace, counted from that side's own latest time (a record already older than
    /// that is not stored); stream time for closing outer results is shared by both sides.
    private func streamStream(_ row: RuntimeRow, from side: Side, _ context: TaskContext) {
        guard let value = row.value else { return }
        let ts = row.timestamp
        streamTime = max(streamTime, ts)
        let outer = side == .left ? leftOuter : rightOuter
        let reach = side == .left ? after : before
        let retention = before + after + (grace ?? 86_400_000)
        // Store the row on its own side, unless that side's store has already moved past it.
        var stored = false
        var id = 0
        if side == .left {
            leftObserved = max(leftObserved, ts)
            if ts > leftObserved - retention {
                nextID += 1
                id = nextID
                leftWindow[row.key, default: []].append(Buffered(id: id, timestamp: ts, values: value))
                stored = true
            }
        } else {
            rightObserved = max(rightObserved, ts)
            if ts > rightObserved - retention {
                nextID += 1
                id = nextID
                rightWindow[row.key, default: []].append(Buffered(id: id, timestamp: ts, values: value))
                stored = true
            }
        }
        if grace != nil && ts == streamTime { flushClosed(row, context) }
        // Match against the other side's stored rows: for a left row, right rows in [ts - before, ts + after].
        let low = side == .left ? ts - before : ts - after
        let high = side == .left ? ts + after : ts + before
        var joined = false
        let others = (side == .left ? rightWindow[row.key] : leftWindow[row.key]) ?? []
        for other in others where other.timestamp >= low && other.timestamp <= high {
            joined = true
            pending.removeValue(forKey: other.id)
            let t = max(ts, other.timestamp)
            side == .left ? output(row, value, other.values, t, context) : output(row, other.values, value, t, context)
        }
        if !joined && outer {
            if let grace, streamTime - reach - grace <= ts, stored {
                pending[id] = Pending(side: side, key: row.key, timestamp: ts, values: value, closesAt: ts + reach + grace)
            } else {
                side == .left ? output(row, value, nil, ts, context) : output(row, nil, value, ts, context)
            }
        }
        expire()
    }

    /// With a grace period: emits the outer sides' unmatched rows whose windows have closed, in time
    /// order.
    private func flushClosed(_ row: RuntimeRow, _ context: TaskContext) {
        let closed = pending.filter { $0.value.closesAt < streamTime }.sorted {
            ($0.value.timestamp, $0.key) < ($1.value.timestamp, $1.key)
        }
        for (id, p) in closed {
            pending.removeValue(forKey: id)
            var out = row
            out.key = p.key
            p.side == .left ? output(out, p.values, nil, p.timestamp, context) : output(out, nil, p.values, p.timestamp, context)
        }
    }

    /// Forgets stored rows that fell out of their side's retention.
    private func expire() {
        let retention = before + after + (grace ?? 86_400_000)
        expireCounter += 1
        guard expireCounter % 256 == 0 else { return }
        for key in Array(leftWindow.keys) {
            leftWindow[key]!.removeAll { $0.timestamp <= leftObserved - retention }
            if leftWindow[key]!.isEmpty { leftWindow.removeValue(forKey: key) }
        }
        for key in Array(rightWindow.keys) {
            rightWindow[key]!.removeAll { $0.timestamp <= rightObserved - retention }
            if rightWindow[key]!.isEmpty { rightWindow.removeValue(forKey: key) }
        }
    }
}

/// An operator with a left and a right input (the stream and foreign-key joins).
protocol TwoSidedOperator: AnyObject {
    var next: Operator { get }
    func process(_ row: RuntimeRow, from side: JoinOperator.Side, _ context: TaskContext)
}

extension JoinOperator: TwoSidedOperator {}

/// One input of a two-sided operator: the end of that side's operator chain. It holds the join;
/// the join holds neither side, so no cycle keeps them alive.
final class SideInput: Operator {
    let join: any TwoSidedOperator
    let side: JoinOperator.Side

    init(join: any TwoSidedOperator, side: JoinOperator.Side) {
        self.join = join
        self.side = side
    }

    override func process(_ row: inout RuntimeRow, _ context: TaskContext) {
        join.process(row, from: side, context)
    }

    override func advance(_ context: TaskContext) {
        join.next.advance(context)
    }
}

/// Snapshots: both sides' tables and window buffers, outer rows waiting for their window to
/// close, and the times that decide expiry.
extension JoinOperator: StatefulComponent {
    private static func table(_ t: [[Value]: (values: [Value], timestamp: Int64)]) -> Value {
        .array(t.map { key, entry in .array([.array(key), .array(entry.values), .bigint(entry.timestamp)]) })
    }

    private static func table(_ v: Value?) -> [[Value]: (values: [Value], timestamp: Int64)]? {
        guard case .array(let entries)? = v else { return nil }
        var out: [[Value]: (values: [Value], timestamp: Int64)] = [:]
        for e in entries {
            guard case .array(let f) = e, f.count == 3, case .array(let k) = f[0], case .array(let vs) = f[1],
                case .bigint(let ts) = f[2]
            else { return nil }
            out[k] = (vs, ts)
        }
        return out
    }

    private static func window(_ w: [[Value]: [Buffered]]) -> Value {
        .array(
            w.map { key, rows in
                .array([.array(key), .array(rows.map { .array([.bigint(Int64($0.id)), .bigint($0.timestamp), .array($0.values)]) })])
            })
    }

    private static func window(_ v: Value?) -> [[Value]: [Buffered]]? {
        guard case .array(let entries)? = v else { return nil }
        var out: [[Value]: [Buffered]] = [:]
        for e in entries {
            guard case .array(let f) = e, f.count == 2, case .array(let k) = f[0], case .array(let rows) = f[1] else { return nil }
            var buffered: [Buffered] = []
            for r in rows {
                guard case .array(let b) = r, b.count == 3, case .bigint(let id) = b[0], case .bigint(let ts) = b[1],
                    case .array(let vs) = b[2]
                else { return nil }
                buffered.append(Buffered(id: Int(id), timestamp: ts, values: vs))
            }
            out[k] = buffered
        }
        return out
    }

    func writeState(into out: inout [Value]) -> Bool {
        out.append(Self.table(leftTable))
        out.append(Self.table(rightTable))
        out.append(Self.window(leftWindow))
        out.append(Self.window(rightWindow))
        out.append(contentsOf: [.bigint(streamTime), .bigint(leftObserved), .bigint(rightObserved)])
        out.append(
            .array(
                pending.sorted { $0.key < $1.key }.map { id, p in
                    .array([
                        .bigint(Int64(id)), .boolean(p.side == .left), .array(p.key), .bigint(p.timestamp), .array(p.values),
                        .bigint(p.closesAt),
                    ])
                }))
        out.append(contentsOf: [.bigint(Int64(nextID)), .bigint(Int64(expireCounter))])
        return true
    }

    func readState(_ reader: inout StateReader) -> Bool {
        guard let lt = Self.table(reader.next()), let rt = Self.table(reader.next()), let lw = Self.window(reader.next()),
            let rw = Self.window(reader.next()), let st = reader.int64(), let lo = reader.int64(), let ro = reader.int64(),
            let pendingList = reader.array(), let id = reader.int64(), let expire = reader.int64()
        else { return false }
        var restoredPending: [Int: Pending] = [:]
        for e in pendingList {
            guard case .array(let f) = e, f.count == 6, case .bigint(let pid) = f[0], case .boolean(let isLeft) = f[1],
                case .array(let k) = f[2], case .bigint(let ts) = f[3], case .array(let vs) = f[4],
                case .bigint(let closes) = f[5]
            else { return false }
            restoredPending[Int(pid)] = Pending(side: isLeft ? .left : .right, key: k, timestamp: ts, values: vs, closesAt: closes)
        }
        (leftTable, rightTable, leftWindow, rightWindow) = (lt, rt, lw, rw)
        (streamTime, leftObserved, rightObserved) = (st, lo, ro)
        pending = restoredPending
        nextID = Int(id)
        expireCounter = Int(expire)
        return true
    }
}
