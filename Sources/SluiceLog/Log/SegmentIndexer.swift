/// Follows the batches appended to one segment and decides which get index entries.
///
/// Appends, recovery scans and compaction all feed batches through this one type, so an index built
/// live and an index rebuilt from the bytes come out identical.
struct SegmentIndexer: Sendable {
    let baseOffset: Int64
    let intervalBytes: Int
    /// Bytes of the segment so far: the position of the next batch.
    private(set) var position: Int64 = 0
    /// The offset after the last record so far (the base offset while empty).
    private(set) var nextOffset: Int64
    /// The largest record timestamp so far; `Int64.min` while empty.
    private(set) var maxTimestamp: Int64 = .min
    /// The first batch's largest timestamp, the segment's age for `segment.ms` (Kafka's
    /// "rolling-based timestamp"); `Int64.max` while empty, so an empty segment never counts as old.
    private(set) var firstMaxTimestamp: Int64 = .max
    private var bytesSinceEntry = 0
    private var lastTimeEntry: Int64 = .min

    init(baseOffset: Int64, intervalBytes: Int) {
        self.baseOffset = baseOffset
        self.intervalBytes = intervalBytes
        nextOffset = baseOffset
    }

    /// Accounts for a batch written at ``position``, adding index entries to the given arrays when due.
    mutating func add(
        batchBaseOffset: Int64, nextOffset batchNext: Int64, maxTimestamp batchMax: Int64, size: Int,
        offsetEntries: inout [OffsetIndex.Entry], timeEntries: inout [TimeIndex.Entry]
    ) {
        if position == 0 { firstMaxTimestamp = batchMax }
        if position == 0 || bytesSinceEntry >= intervalBytes {
            let relative = UInt32(batchBaseOffset - baseOffset)
            offsetEntries.append(OffsetIndex.Entry(relativeOffset: relative, position: UInt32(position)))
            if maxTimestamp > lastTimeEntry {
                timeEntries.append(TimeIndex.Entry(timestamp: maxTimestamp, relativeOffset: relative))
                lastTimeEntry = maxTimestamp
            }
            bytesSinceEntry = 0
        }
        bytesSinceEntry += size
        position += Int64(size)
        nextOffset = max(nextOffset, batchNext)
        maxTimestamp = max(maxTimestamp, batchMax)
    }

    /// The closing time-index entry written when the segment is sealed: its largest timestamp against
    /// its end, so a sealed segment's time index ends with its maximum.
    func closingTimeEntry() -> TimeIndex.Entry? {
        guard maxTimestamp > lastTimeEntry else { return nil }
        return TimeIndex.Entry(timestamp: maxTimestamp, relativeOffset: UInt32(nextOffset - baseOffset))
    }

    /// Whether a batch of `size` bytes and `recordCount` records still fits this segment's 32-bit
    /// relative offsets and positions.
    func fits(size: Int, recordCount: Int) -> Bool {
        position + Int64(size) <= Int64(UInt32.max) && nextOffset + Int64(recordCount) - baseOffset < Int64(UInt32.max)
    }
}
