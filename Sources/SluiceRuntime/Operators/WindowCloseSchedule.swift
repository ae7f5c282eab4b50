/// When EMIT FINAL releases tumbling and hopping windows, following Kafka Streams' "emit on
/// window close" strategy that ksqlDB uses, so the same inputs release the same windows.
///
/// The rules, which are observable in ksqlDB's output and so are copied exactly:
/// - After every input row the close time is `stream time - grace`; windows whose start is at
///   most `close time - size` (so whose end is at most the close time) are closed.
/// - Each release covers the window starts not covered by the previous release: from just after
///   `previous close time - size` up to `close time - size`. Nothing is released until the close
///   time moves past the previous one, or while the range holds no new window start.
/// - The window store keeps a window only while its start is at least
///   `latest window start - (size + grace)` (its retention, unless RETENTION asks for more): a
///   window older than that is gone by the time it closes, and is never released. This is why a
///   jump in stream time can release a later window but not an earlier one.
struct WindowCloseSchedule {
    let size: Int64
    let advance: Int64
    let grace: Int64
    let retention: Int64
    private(set) var lastCloseTime: Int64?
    /// The largest window start folded into so far (the window store's own notion of time).
    private(set) var latestWindowStart: Int64 = .min

    init(size: Int64, advance: Int64, grace: Int64, retention: Int64?) {
        self.size = size
        self.advance = advance
        self.grace = grace
        self.retention = max(retention ?? 0, size + grace)
    }

    /// Puts back the progress a snapshot recorded.
    mutating func restore(lastCloseTime: Int64?, latestWindowStart: Int64) {
        self.lastCloseTime = lastCloseTime
        self.latestWindowStart = latestWindowStart
    }

    /// Notes that a row was folded into the window starting at `start`.
    mutating func folded(windowStart start: Int64) {
        latestWindowStart = max(latestWindowStart, start)
    }

    /// The earliest window start the store still holds; windows before it can be forgotten.
    var oldestRetainedStart: Int64 {
        latestWindowStart == .min ? .min : latestWindowStart - retention
    }

    /// The window starts to release now that stream time is `streamTime`, or nil when nothing is
    /// due. Calling it with a range returned commits that release.
    mutating func release(streamTime: Int64) -> ClosedRange<Int64>? {
        let closeTime = streamTime - grace
        if let last = lastCloseTime, last >= closeTime { return nil }
        let upper = closeTime - size
        guard upper >= 0 else { return nil }
        let lower: Int64
        if let last = lastCloseTime {
            lower = max(0, last - size) + 1
            // Nothing new closed: the same windows contain both ends of the range.
            if windowStarts(containing: upper) == windowStarts(containing: lower - 1) { return nil }
        } else {
            lower = 0
        }
        lastCloseTime = closeTime
        let from = max(lower, oldestRetainedStart)
        return from <= upper ? from...upper : nil
    }

    /// The starts of the windows containing `timestamp` (non-negative starts only, as Kafka
    /// Streams assigns them).
    private func windowStarts(containing timestamp: Int64) -> [Int64] {
        var start = timestamp - TemporalMath.floorMod(timestamp, advance)
        var starts: [Int64] = []
        while start > timestamp - size && start >= 0 {
            starts.append(start)
            start -= advance
        }
        return starts
    }
}
