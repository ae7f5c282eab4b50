import SluiceFunctions
import SluiceLog
import SluicePlanner
import SluiceSQL
import SluiceTypes

/// GROUP BY's fold: one set of accumulators per key (and per window), updated per row, with the
/// new result emitted as a table change.
///
/// - Streams: each row is added to its group; late rows (their window ended more than the grace
///   period before stream time) are dropped and logged.
/// - Tables: a retraction (no new value) is removed from its group, an addition added.
/// - Windows: tumbling and hopping assign each row to every window containing it; session windows
///   merge with the sessions the row falls within `gap` of, deleting the merged ones.
/// - Output timestamp: the largest timestamp folded into the group (a session's end for sessions).
/// - EMIT FINAL: tumbling and hopping windows are released once each, when they close, on the
///   schedule `WindowCloseSchedule` describes; session results are held until stream time passes
///   the session's end plus grace. Without a GRACE PERIOD, EMIT FINAL closes windows at their end.
final class AggregateOperator: Operator {
    struct GroupKey: Hashable {
        let key: [Value]
        let start: Int64
        let end: Int64
        /// The fields' hash, computed once: the dictionary hashes this one word on every probe and
        /// on growth, rather than every key value, and a probe compares it before the key values.
        private let hash: Int

        init(key: [Value], start: Int64, end: Int64) {
            self.key = key
            self.start = start
            self.end = end
            var hasher = Hasher()
            hasher.combine(key)
            hasher.combine(start)
            hasher.combine(end)
            hash = hasher.finalize()
        }

        static func == (a: GroupKey, b: GroupKey) -> Bool {
            a.hash == b.hash && a.start == b.start && a.end == b.end && a.key == b.key
        }

        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    }

    /// One group's aggregation state.
    ///
    /// Calls that are single-value folds keep their state in `values`, in call order, where it is
    /// also their result: emitting a result hands the array on as is, and updating it in place
    /// copies nothing unless a result emitted earlier is still held downstream. The other calls'
    /// slots hold NULL; their accumulators are in `accumulators`, in call order.
    final class GroupState {
        var values: [Value]
        var accumulators: [any Accumulator]
        var timestamp: Int64
        var rows = 0

        init(values: [Value], accumulators: [any Accumulator], timestamp: Int64) {
            self.values = values
            self.accumulators = accumulators
            self.timestamp = timestamp
        }
    }

    let calls: [(make: @Sendable () -> any Accumulator, args: [CompiledExpr])]
    /// Per call: its single-value fold, or nil when it keeps an accumulator.
    private let folds: [SingleValueFold?]
    /// The calls that keep an accumulator, in order.
    private let accumulatorCalls: [Int]
    /// A new group's `values`: each fold's initial state, NULL for the other calls.
    private let initialValues: [Value]
    let window: WindowSpec?
    let grace: Int64
    let emitFinal: Bool
    let next: Operator
    fileprivate var groups: [GroupKey: GroupState] = [:]
    /// Session windows per key, for finding the sessions a row merges with.
    private var sessions: [[Value]: [WindowBounds]] = [:]
    /// EMIT FINAL over tumbling and hopping windows: which windows close when.
    private var closeSchedule: WindowCloseSchedule?
    /// The order groups were created in, for releasing windows with the same start in a stable order.
    private var creationOrder: [GroupKey: Int] = [:]
    private var created = 0
    /// EMIT FINAL over session windows: results waiting for their session to close, in arrival order.
    private var pending: [GroupKey: RuntimeRow] = [:]
    private var pendingOrder: [GroupKey] = []
    /// The largest timestamp of the rows this operator has seen (Kafka Streams keeps stream time
    /// per windowed processor: rows filtered out upstream do not move it).
    private var observedStreamTime: Int64 = .min
    /// The evaluation row for aggregate arguments, reused from row to row.
    private var scratch: [Value] = []
    /// The inactivity gap, for session windows.
    fileprivate let sessionGap: Int64?
    /// Whether results carry the group's previous result as `oldValue` (see
    /// ``Operator/needsOldValues``): HAVING needs it, a sink does not.
    private let keepsPrevious: Bool
    /// The stream time at which the earliest-closing window in `groups` closes: expiry sweeps wait
    /// for it, so a large state is not scanned after every record.
    private var earliestClose: Int64 = .max
    /// Aggregate arguments, per call, reused from row to row.
    private var argumentRows: [[Value]] = []
    /// When every argument is a plain input column: their indices per call (key columns, then
    /// value columns), read directly so that no evaluation row is built.
    private let argumentColumns: [[Int]]?
    /// With `argumentColumns`: per call, its first argument's column, or -1 when it has none.
    private let foldColumns: [Int]
    private let widestArgumentColumn: Int

    init(_ node: AggregateNode, next: Operator) {
        calls = node.calls.map { ($0.function.makeAccumulator, $0.arguments.map(ExpressionCompiler.compile)) }
        let folds = node.calls.map { $0.function.makeAccumulator().singleValueFold }
        self.folds = folds
        accumulatorCalls = folds.indices.filter { folds[$0] == nil }
        initialValues = folds.map { $0?.initial ?? .null }
        var columns: [[Int]]? = []
        for call in node.calls {
            var indices: [Int] = []
            for argument in call.arguments {
                if case .column(let i, _) = argument { indices.append(i) } else { columns = nil }
            }
            columns?.append(indices)
        }
        argumentColumns = columns
        foldColumns = columns?.map { $0.first ?? -1 } ?? []
        widestArgumentColumn = columns?.joined().max() ?? -1
        window = node.window
        let grace = node.window?.grace?.milliseconds ?? (node.emitFinal ? 0 : 86_400_000)
        self.grace = grace
        emitFinal = node.emitFinal
        self.next = next
        keepsPrevious = next.needsOldValues
        if case .session(let gap)? = node.window?.kind { sessionGap = gap.milliseconds } else { sessionGap = nil }
        if node.emitFinal, let window = node.window {
            let retention = window.retention?.milliseconds
            switch window.kind {
            case .tumbling(let size):
                closeSchedule = WindowCloseSchedule(
                    size: size.milliseconds, advance: size.milliseconds, grace: grace, retention: retention)
            case .hopping(let size, let advance):
                closeSchedule = WindowCloseSchedule(
                    size: size.milliseconds, advance: advance.milliseconds, grace: grace, retention: retention)
            case .session:
                break
            }
        }
    }

    /// One row's aggregate arguments.
    ///
    /// When every argument is a plain column, folds read theirs from the row in place and only
    /// the calls keeping an accumulator get theirs copied into `perCall`; otherwise every call's
    /// arguments are evaluated once into `perCall` (a failing expression is reported once,
    /// however many windows the row folds into).
    struct Arguments {
        var perCall: [[Value]]
        let inPlace: Bool
    }

    /// The arguments of every call for `values`. Hand the result back with ``recycle(_:)``.
    private func arguments(_ row: RuntimeRow, _ values: [Value], _ context: TaskContext) -> Arguments {
        var args = argumentRows
        argumentRows = []
        if args.count != calls.count { args = Array(repeating: [], count: calls.count) }
        let keyCount = row.key.count
        if let argumentColumns, widestArgumentColumn < keyCount + values.count {
            for i in accumulatorCalls {
                args[i].removeAll(keepingCapacity: true)
                for c in argumentColumns[i] { args[i].append(c < keyCount ? row.key[c] : values[c - keyCount]) }
            }
            return Arguments(perCall: args, inPlace: true)
        }
        row.fillEvaluationRow(values, into: &scratch)
        for i in calls.indices {
            args[i].removeAll(keepingCapacity: true)
            for e in calls[i].args { args[i].append(e(scratch, context.eval)) }
        }
        context.flushEvaluationErrors()
        return Arguments(perCall: args, inPlace: false)
    }

    private func recycle(_ args: consuming Arguments) { argumentRows = args.perCall }

    /// The first argument of fold `call` (NULL when it has none, as COUNT(*)), for the row with
    /// `key` and `values` that `args` were taken from.
    private func foldArgument(_ call: Int, _ args: borrowing Arguments, _ key: [Value], _ values: [Value]) -> Value {
        guard args.inPlace else { return args.perCall[call].first ?? .null }
        let c = foldColumns[call]
        if c < 0 { return .null }
        return c < key.count ? key[c] : values[c - key.count]
    }

    /// The stream time at which a window (or session) ending at `end` closes (see ``isClosed(_:)``).
    private func closeTime(_ end: Int64) -> Int64 {
        let (t, overflow) = sessionGap.map { end.addingReportingOverflow($0 &+ grace &+ 1) } ?? end.addingReportingOverflow(grace)
        return overflow ? .max : t
    }

    private func noteGroup(end: Int64) { earliestClose = min(earliestClose, closeTime(end)) }

    private func newState(_ timestamp: Int64) -> GroupState {
        GroupState(values: initialValues, accumulators: accumulatorCalls.map { calls[$0].make() }, timestamp: timestamp)
    }

    /// The group for `key`, created when new, in one probe of `groups`.
    private func group(_ key: GroupKey, timestamp: Int64) -> (state: GroupState, isNew: Bool) {
        var isNew = false
        let state = Self.read(
            &groups[
                key,
                default: {
                    isNew = true
                    return newState(timestamp)
                }()])
        return (state, isNew)
    }

    /// Reads through an `inout` access, so that `groups[key, default:]` inserts what it creates.
    private static func read(_ state: inout GroupState) -> GroupState { state }

    /// Folds the arguments of the row with `key` and `values` into `state`.
    private func add(_ args: borrowing Arguments, _ key: [Value], _ values: [Value], to state: GroupState) {
        for i in folds.indices {
            if let fold = folds[i] { fold.add(foldArgument(i, args, key, values), to: &state.values[i]) }
        }
        for (j, i) in accumulatorCalls.enumerated() { state.accumulators[j].add(args.perCall[i]) }
    }

    /// Takes back the arguments of the row with `key` and `values` from `state`.
    private func remove(_ args: borrowing Arguments, _ key: [Value], _ values: [Value], from state: GroupState) {
        for i in folds.indices {
            if let fold = folds[i] { fold.remove(foldArgument(i, args, key, values), from: &state.values[i]) }
        }
        for (j, i) in accumulatorCalls.enumerated() { state.accumulators[j].remove(args.perCall[i]) }
    }

    /// The group's results, one per call.
    private func results(_ state: GroupState) -> [Value] {
        if accumulatorCalls.isEmpty { return state.values }
        var results = state.values
        for (j, i) in accumulatorCalls.enumerated() { results[i] = state.accumulators[j].result() }
        return results
    }

    override func process(_ row: inout RuntimeRow, _ context: TaskContext) {
        observedStreamTime = max(observedStreamTime, row.timestamp)
        guard let window else {
            processUnwindowed(&row, context)
            return
        }
        guard let value = row.value else { return }
        let args = arguments(row, value, context)
        switch window.kind {
        case .tumbling(let size):
            let size = size.milliseconds
            let start = row.timestamp - TemporalMath.floorMod(row.timestamp, size)
            fold(&row, args, into: WindowBounds(start: start, end: start + size), context)
        case .hopping(let size, let advance):
            let size = size.milliseconds
            let advance = advance.milliseconds
            var start = row.timestamp - TemporalMath.floorMod(row.timestamp, advance)
            var windows: [WindowBounds] = []
            while start > row.timestamp - size && start >= 0 {
                windows.append(WindowBounds(start: start, end: start + size))
                start -= advance
            }
            for w in windows.reversed() {
                var copy = row
                fold(&copy, args, into: w, context)
            }
        case .session(let gap):
            foldSession(row, args, gap: gap.milliseconds, context)
        }
        recycle(args)
        releaseClosedWindows(after: row, context)
    }

    /// EMIT FINAL over time windows: emits the windows that closed with this row, oldest first,
    /// and forgets them (a closed window takes no more rows).
    private func releaseClosedWindows(after row: RuntimeRow, _ context: TaskContext) {
        guard var schedule = closeSchedule else { return }
        let range = schedule.release(streamTime: observedStreamTime)
        closeSchedule = schedule
        let oldest = schedule.oldestRetainedStart
        if let range {
            let due = groups.keys.filter { range.contains($0.start) }.sorted {
                $0.start != $1.start ? $0.start < $1.start : creationOrder[$0, default: 0] < creationOrder[$1, default: 0]
            }
            for key in due {
                guard let state = groups.removeValue(forKey: key) else { continue }
                creationOrder.removeValue(forKey: key)
                var out = row
                out.key = key.key
                out.value = results(state)
                out.oldValue = nil
                out.timestamp = state.timestamp
                out.window = WindowBounds(start: key.start, end: key.end)
                next.process(&out, context)
            }
        }
        if groups.count > 1024 {
            for key in groups.keys where key.start < oldest {
                groups.removeValue(forKey: key)
                creationOrder.removeValue(forKey: key)
            }
        }
    }

    private func processUnwindowed(_ row: inout RuntimeRow, _ context: TaskContext) {
        // A stream record without a value (or a table delete of a row never seen) changes no group.
        if row.value == nil && row.oldValue == nil { return }
        let key = GroupKey(key: row.key, start: 0, end: 0)
        let (state, isNew) = group(key, timestamp: row.timestamp)
        let previous = keepsPrevious && !isNew ? results(state) : nil
        if let old = row.oldValue {
            let args = arguments(row, old, context)
            remove(args, row.key, old, from: state)
            state.rows -= 1
            recycle(args)
        }
        if let value = row.value {
            let args = arguments(row, value, context)
            add(args, row.key, value, to: state)
            state.rows += 1
            recycle(args)
        }
        state.timestamp = max(state.timestamp, row.timestamp)
        emit(&row, key: key, state: state, window: nil, previous: previous, context)
    }

    /// Whether the window (or session) ending at `end` takes no more rows. A time window closes
    /// once stream time reaches its end plus grace; a session, which a row up to `gap` later could
    /// still extend, once its end is before stream time minus gap and grace (Kafka Streams' rule).
    private func isClosed(_ end: Int64, _ context: TaskContext) -> Bool { isClosed(end) }

    fileprivate func isClosed(_ end: Int64) -> Bool {
        guard observedStreamTime != .min else { return false }
        if let gap = sessionGap { return end < observedStreamTime - gap - grace }
        return end + grace <= observedStreamTime
    }

    /// Folds the row into its window's group and emits the result in `row`'s place.
    private func fold(_ row: inout RuntimeRow, _ args: borrowing Arguments, into window: WindowBounds, _ context: TaskContext) {
        if isClosed(window.end, context) {
            context.report("record is too late for window [\(window.start), \(window.end)) and was dropped")
            return
        }
        let key = GroupKey(key: row.key, start: window.start, end: window.end)
        let (state, isNew) = group(key, timestamp: row.timestamp)
        var previous: [Value]?
        if !isNew {
            if keepsPrevious { previous = results(state) }
            state.timestamp = max(state.timestamp, row.timestamp)
        } else {
            noteGroup(end: window.end)
            if closeSchedule != nil {
                creationOrder[key] = created
                created += 1
            }
        }
        closeSchedule?.folded(windowStart: window.start)
        add(args, row.key, row.value ?? [], to: state)
        state.rows += 1
        emit(&row, key: key, state: state, window: window, previous: previous, context)
    }

    private func foldSession(_ row: RuntimeRow, _ args: borrowing Arguments, gap: Int64, _ context: TaskContext) {
        let ts = row.timestamp
        var existing = sessions[row.key] ?? []
        let overlapping = existing.filter { $0.end >= ts - gap && $0.start <= ts + gap }
        var merged = WindowBounds(start: ts, end: ts)
        for s in overlapping {
            merged.start = min(merged.start, s.start)
            merged.end = max(merged.end, s.end)
        }
        if isClosed(merged.end, context) {
            context.report("record is too late for session window and was dropped")
            return
        }
        let state = newState(ts)
        for s in overlapping {
            let oldKey = GroupKey(key: row.key, start: s.start, end: s.end)
            guard let old = groups.removeValue(forKey: oldKey) else { continue }
            for i in folds.indices {
                if let fold = folds[i] { fold.merge(old.values[i], into: &state.values[i]) }
            }
            for j in accumulatorCalls.indices { state.accumulators[j].merge(old.accumulators[j]) }
            state.rows += old.rows
            if s != merged {
                var tombstone = row
                tombstone.value = nil
                tombstone.oldValue = nil
                tombstone.window = s
                tombstone.timestamp = s.end
                forward(&tombstone, key: oldKey, context)
            }
        }
        existing.removeAll { s in overlapping.contains(s) }
        existing.append(merged)
        sessions[row.key] = existing
        add(args, row.key, row.value ?? [], to: state)
        state.rows += 1
        let key = GroupKey(key: row.key, start: merged.start, end: merged.end)
        groups[key] = state
        noteGroup(end: merged.end)
        state.timestamp = merged.end
        var out = row
        emit(&out, key: key, state: state, window: merged, context)
    }

    /// Emits the group's result in place of the row it folded; `previous` is its result before
    /// this row (HAVING needs it to decide whether a failing row deletes a row it let through before).
    private func emit(
        _ row: inout RuntimeRow, key: GroupKey, state: GroupState, window: WindowBounds?, previous: [Value]? = nil,
        _ context: TaskContext
    ) {
        row.key = key.key
        row.value = results(state)
        row.oldValue = previous
        row.timestamp = state.timestamp
        row.window = window
        forward(&row, key: key, context)
    }

    private func forward(_ row: inout RuntimeRow, key: GroupKey, _ context: TaskContext) {
        guard emitFinal else {
            next.process(&row, context)
            return
        }
        // Time windows are released from `groups` by `releaseClosedWindows`.
        if closeSchedule != nil { return }
        if row.value == nil {
            pending.removeValue(forKey: key)
            return
        }
        if pending.updateValue(row, forKey: key) == nil { pendingOrder.append(key) }
    }

    override func advance(_ context: TaskContext) {
        if emitFinal && !pending.isEmpty {
            var ready: [GroupKey] = []
            for key in pendingOrder where pending[key] != nil && isClosed(key.end, context) { ready.append(key) }
            if !ready.isEmpty {
                ready.sort { $0.end < $1.end }
                for key in ready {
                    if var row = pending.removeValue(forKey: key) { next.process(&row, context) }
                }
                // Their groups were kept for them; the next sweep may now forget them.
                earliestClose = .min
                pendingOrder.removeAll { pending[$0] == nil }
            }
        }
        expireClosedWindows(context)
        next.advance(context)
    }

    /// Forgets windows that can no longer change, so state stays bounded.
    private func expireClosedWindows(_ context: TaskContext) {
        guard window != nil, groups.count > 1024, observedStreamTime >= earliestClose else { return }
        var earliest = Int64.max
        for key in groups.keys {
            if isClosed(key.end, context) {
                if pending[key] == nil { groups.removeValue(forKey: key) }
            } else {
                earliest = min(earliest, closeTime(key.end))
            }
        }
        earliestClose = earliest
    }
}

enum TemporalMath {
    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
        let r = a % b
        return r < 0 ? r + b : r
    }
}

extension AggregateOperator {
    /// Windows still open and the earliest stream time at which one of them closes (nil when
    /// the aggregation is not windowed).
    var openWindows: (count: Int, earliestClose: Int64?)? {
        guard window != nil else { return nil }
        var count = 0
        var earliest: Int64?
        for key in groups.keys where !isClosed(key.end) {
            count += 1
            let closes = key.end + grace + (sessionGap.map { $0 + 1 } ?? 0)
            earliest = min(earliest ?? closes, closes)
        }
        return (count, earliest)
    }
}

/// Snapshots: every group with its accumulators, sessions, windows waiting for EMIT FINAL, and
/// the operator's stream time.
extension AggregateOperator: StatefulComponent {
    private static func bounds(_ w: WindowBounds?) -> Value {
        w.map { .array([.bigint($0.start), .bigint($0.end)]) } ?? .null
    }

    private static func bounds(_ v: Value?) -> WindowBounds? {
        guard case .array(let b)? = v, b.count == 2, case .bigint(let s) = b[0], case .bigint(let e) = b[1] else { return nil }
        return WindowBounds(start: s, end: e)
    }

    func writeState(into out: inout [Value]) -> Bool {
        out.append(.bigint(observedStreamTime))
        var groupList: [Value] = []
        groupList.reserveCapacity(groups.count)
        for (key, state) in groups {
            var accs: [Value] = []
            var accumulators = state.accumulators.makeIterator()
            for (i, fold) in folds.enumerated() {
                // A fold's state is what its accumulator's `stateValues()` would be: its value.
                if fold != nil {
                    accs.append(.array([state.values[i]]))
                    continue
                }
                guard let r = accumulators.next() as? any RestorableAccumulator else { return false }
                accs.append(.array(r.stateValues()))
            }
            groupList.append(
                .array([
                    .array(key.key), .bigint(key.start), .bigint(key.end), .bigint(state.timestamp), .bigint(Int64(state.rows)),
                    .bigint(Int64(creationOrder[key] ?? -1)), .array(accs),
                ]))
        }
        out.append(.array(groupList))
        out.append(.bigint(Int64(created)))
        out.append(.array(sessions.map { key, windows in .array([.array(key), .array(windows.map { Self.bounds($0) })]) }))
        var pendingList: [Value] = []
        for key in pendingOrder {
            guard let row = pending[key] else { continue }
            pendingList.append(
                .array([
                    .array(key.key), .bigint(key.start), .bigint(key.end), .array(row.key), row.value.map(Value.array) ?? .null,
                    .bigint(row.timestamp), Self.bounds(row.window),
                ]))
        }
        out.append(.array(pendingList))
        out.append(closeSchedule?.lastCloseTime.map(Value.bigint) ?? .null)
        out.append(.bigint(closeSchedule?.latestWindowStart ?? .min))
        return true
    }

    func readState(_ reader: inout StateReader) -> Bool {
        guard let streamTime = reader.int64(), let groupList = reader.array(), let createdCount = reader.int64(),
            let sessionList = reader.array(), let pendingList = reader.array(), let lastClose = reader.next(),
            let latestStart = reader.int64()
        else { return false }
        var restoredGroups: [GroupKey: GroupState] = [:]
        var restoredOrder: [GroupKey: Int] = [:]
        for entry in groupList {
            guard case .array(let g) = entry, g.count == 7, case .array(let k) = g[0], case .bigint(let start) = g[1],
                case .bigint(let end) = g[2], case .bigint(let ts) = g[3], case .bigint(let rows) = g[4],
                case .bigint(let order) = g[5], case .array(let accs) = g[6], accs.count == calls.count
            else { return false }
            var values = initialValues
            var accumulators: [any Accumulator] = []
            for (i, state) in accs.enumerated() {
                guard case .array(let saved) = state else { return false }
                if let fold = folds[i] {
                    guard let restored = fold.restore(saved) else { return false }
                    values[i] = restored
                    continue
                }
                guard var r = calls[i].make() as? any RestorableAccumulator, r.restoreState(saved) else { return false }
                accumulators.append(r)
            }
            let key = GroupKey(key: k, start: start, end: end)
            let group = GroupState(values: values, accumulators: accumulators, timestamp: ts)
            group.rows = Int(rows)
            restoredGroups[key] = group
            if order >= 0 { restoredOrder[key] = Int(order) }
        }
        var restoredSessions: [[Value]: [WindowBounds]] = [:]
        for entry in sessionList {
            guard case .array(let s) = entry, s.count == 2, case .array(let k) = s[0], case .array(let ws) = s[1] else { return false }
            restoredSessions[k] = ws.compactMap { Self.bounds($0) }
        }
        var restoredPending: [GroupKey: RuntimeRow] = [:]
        var restoredPendingOrder: [GroupKey] = []
        for entry in pendingList {
            guard case .array(let p) = entry, p.count == 7, case .array(let k) = p[0], case .bigint(let start) = p[1],
                case .bigint(let end) = p[2], case .array(let rowKey) = p[3], case .bigint(let ts) = p[5]
            else { return false }
            var value: [Value]?
            if case .array(let v) = p[4] { value = v }
            let key = GroupKey(key: k, start: start, end: end)
            restoredPending[key] = RuntimeRow(
                key: rowKey, value: value, oldValue: nil, timestamp: ts, window: Self.bounds(p[6]), partition: 0,
                offset: 0, headers: [])
            restoredPendingOrder.append(key)
        }
        observedStreamTime = streamTime
        groups = restoredGroups
        earliestClose = .min  // unknown until the next sweep
        creationOrder = restoredOrder
        created = Int(createdCount)
        sessions = restoredSessions
        pending = restoredPending
        pendingOrder = restoredPendingOrder
        if case .bigint(let last) = lastClose {
            closeSchedule?.restore(lastCloseTime: last, latestWindowStart: latestStart)
        } else {
            closeSchedule?.restore(lastCloseTime: nil, latestWindowStart: latestStart)
        }
        return true
    }
}
