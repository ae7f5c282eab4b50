import Synchronization

/// One partition of the on-disk log: the segments in `DATA_DIR/topics/NAME/PARTITION/`.
///
/// The last segment is *active* (appended to); the others are *sealed* and change only through
/// retention (deleted whole) and compaction (rewritten whole, same base offset). See
/// ``SegmentFile`` for naming, ``OffsetIndex`` and ``TimeIndex`` for the indexes, and
/// ``RecordBatchHeader`` for the bytes.
///
/// Concurrency: one writer at a time (serialized by `writeLock`), many readers, no lock held during
/// a reader's I/O. Three locks, always taken in this order:
/// - `writeLock` guards the write side: the active segment's descriptor, its ``SegmentIndexer``
///   (which runs ahead of what readers see), pending index entries, and `logEnd`.
/// - `maintenanceLock` serializes retention and compaction of sealed segments.
/// - `stateLock` guards the published state: the segment list with each segment's readable size and
///   indexes, and `visibleEnd`. Readers hold it only to plan a read (find segments and start
///   positions), then read with `pread` outside it.
///
/// Writes become visible in two steps: bytes are written to the active segment, then *published*
/// (sizes, index entries and `visibleEnd` move forward under `stateLock`). A plain append publishes
/// at once; a transaction publishes all its partitions together after its commit point, or truncates
/// its unpublished bytes away if it fails. Readers never see unpublished bytes, so a rollback can
/// truncate them safely.
///
/// Other processes: every publish is mirrored into the partition's ``SharedPartitionState`` page,
/// and writers of all processes hold its `flock` while they write. A writer re-syncs its view
/// from that page under the lock before writing (another process may have appended or rolled);
/// a reader compares the page's sequence with the one it last saw (a memory load) and re-reads
/// only what changed. See `PartitionLog+Sharing.swift`.
final class PartitionLog: @unchecked Sendable {
    let topicPartition: TopicPartition
    let directory: String
    /// Shared with the topic's other partitions; may change while open (``refreshSettings()``).
    let settings: TopicSettings
    let options: LogStoreOptions

    let writeLock = Lock()
    let maintenanceLock = Lock()
    let stateLock = Lock()

    /// The cross-process page: published extent, change sequence, writer lock.
    let shared: SharedPartitionState
    /// Where committed ends come from when recovering a tail another process left behind.
    let journal: CommitJournal
    /// The shared sequence and structure generation this process's view matches.
    let knownSequence = Atomic<UInt64>(0)
    let knownStructure = Atomic<UInt64>(0)
    /// Set once another process deleted the topic (seen on the shared page).
    let deletedElsewhere = Atomic<Bool>(false)
    /// How often a writer here recovered a tail another writer left mid-write (tests check it).
    let tailRecoveries = Atomic<Int>(0)
    /// The shared page's settings generation this process's `settings` match.
    let knownSettings = Atomic<UInt64>(0)
    /// Appends since the last fsync (for ``LogStoreOptions/SyncPolicy/interval(milliseconds:)``).
    let unsynced = Atomic<Bool>(false)

    // MARK: Published state, guarded by `stateLock`
    var segments: [SegmentState]
    var visibleEnd: Int64
    var isClosed = false

    // MARK: Write side, guarded by `writeLock`
    var activeFile: SegmentFile
    var indexer: SegmentIndexer
    var publishedIndexer: SegmentIndexer
    var pendingOffsetEntries: [OffsetIndex.Entry] = []
    var pendingTimeEntries: [TimeIndex.Entry] = []
    var logEnd: Int64
    var writerClosed = false
    /// Set when a failed write could not be rolled back; the partition refuses further writes.
    var writeFailure: TopicStoreError?
    /// Disk blocks reserved ahead of the active segment's end.
    var reservation = SpaceReservation()
    /// Disk writes started behind the active segment's end, ahead of the next fsync.
    var writeback: EarlyWriteback
    /// The settings that decide rolling, as of `settings.version == rollLimitsVersion`.
    var rollLimits = RollLimits(segmentBytes: 0, segmentMs: 0)
    var rollLimitsVersion = UInt64.max

    // MARK: Maintenance, guarded by `maintenanceLock`
    /// Sealed segments ending at or below this offset were rewritten by the last compaction.
    var cleanedThrough: Int64 = 0
    /// The last error from maintenance run on roll (an append that triggered it has succeeded).
    var lastMaintenanceError: TopicStoreError?
    /// `cleaner.lock`, opened at the first maintenance: held by whichever process cleans.
    var cleanerFile: FileDescriptor?

    init(
        topicPartition: TopicPartition, directory: String, settings: TopicSettings, options: LogStoreOptions,
        segments: [SegmentState], indexer: SegmentIndexer, shared: SharedPartitionState, journal: CommitJournal
    ) {
        self.shared = shared
        self.journal = journal
        self.topicPartition = topicPartition
        self.directory = directory
        self.settings = settings
        self.options = options
        self.segments = segments
        activeFile = segments[segments.count - 1].file
        writeback = EarlyWriteback(interval: options.effectiveWritebackBytes)
        self.indexer = indexer
        publishedIndexer = indexer
        logEnd = indexer.nextOffset
        visibleEnd = indexer.nextOffset
    }

    var isDurable: Bool { options.sync != .never }

    /// The topic's settings now, after picking up an alteration made by another process.
    var config: TopicConfig {
        refreshSettings()
        return settings.current
    }

    /// Re-reads `topic.json` if another process altered the topic since this process last looked
    /// (one shared-memory load when nothing changed). A file that cannot be read keeps the old
    /// settings and is tried again next time.
    @inline(__always)
    func refreshSettings() {
        let generation = shared.settingsGeneration
        guard generation != knownSettings.load(ordering: .relaxed) else { return }
        if (try? settings.reload()) != nil { knownSettings.store(generation, ordering: .relaxed) }
    }

    // MARK: - Offsets

    func endOffset() throws(TopicStoreError) -> Int64 {
        try refreshIfStale()
        return try stateLock.withLock { () throws(TopicStoreError) in
            try checkOpen()
            return visibleEnd
        }
    }

    func storage() throws(TopicStoreError) -> PartitionStorage {
        try refreshIfStale()
        return try stateLock.withLock { () throws(TopicStoreError) in
            try checkOpen()
            return PartitionStorage(segments: segments.count, bytes: segments.reduce(0) { $0 + $1.size })
        }
    }

    func startOffset() throws(TopicStoreError) -> Int64 {
        try refreshIfStale()
        return try stateLock.withLock { () throws(TopicStoreError) in
            try checkOpen()
            return segments[0].baseOffset
        }
    }

    /// The published end, or nil once closed (for `waitForData`).
    func visibleEndIfOpen() -> Int64? {
        stateLock.withLock { isClosed ? nil : visibleEnd }
    }

    func checkOpen() throws(TopicStoreError) {
        if isClosed {
            if deletedElsewhere.load(ordering: .relaxed) { throw deletedError }
            throw TopicStoreError(.io, "partition \(topicPartition) is closed")
        }
    }

    var deletedError: TopicStoreError {
        TopicStoreError(.unknownTopic, "topic '\(topicPartition.topic)' does not exist (deleted by another process)")
    }

    // MARK: - Appending

    /// Records encoded outside any lock with offsets relative to 0; the base offsets are patched in
    /// under the write lock (they lie outside the CRC'd region, so the checksums stay valid).
    struct EncodedAppend {
        var bytes: [UInt8] = []
        var batches: [RecordBatchEncoder.EncodedBatch]
        var recordCount: Int

        /// - Parameter appendTime: on a `LogAppendTime` topic, the time every record gets instead of
        ///   its own; the batches are then marked as Kafka marks them.
        /// - Throws: `.recordTooLarge` for the first record over `maxRecordBytes`.
        init(
            _ records: [ProducerRecord], fields: RecordBatchEncoder.Fields, maxBatchBytes: Int,
            maxRecordBytes: Int = .max, appendTime: Int64? = nil, partition: TopicPartition
        ) throws(TopicStoreError) {
            var fields = fields
            var stamped: [ProducerRecord] = []
            if let appendTime {
                fields.attributes.insert(.logAppendTime)
                stamped = records.map { record in
                    var record = record
                    record.timestamp = appendTime
                    return record
                }
            }
            do throws(RecordBatchEncoder.RecordTooLarge) {
                batches = try RecordBatchEncoder.encode(
                    appendTime == nil ? records : stamped, fields: fields, maxBatchBytes: maxBatchBytes,
                    maxRecordBytes: maxRecordBytes, into: &bytes)
            } catch {
                throw LogTopicStore.recordTooLarge(
                    index: error.index, size: error.size, limit: maxRecordBytes, partition: partition)
            }
            recordCount = records.count
        }
    }

    /// Appends and publishes. Returns the first offset and whether a segment was rolled.
    ///
    /// If this throws, a prefix of the records may have been stored (published at a segment roll);
    /// the rest were truncated away.
    func append(_ encoded: inout EncodedAppend) throws(TopicStoreError) -> (firstOffset: Int64, rolled: Bool) {
        writeLock.lock()
        defer { writeLock.unlock() }
        try checkWritable()
        try beginWrite()
        defer { endWrite() }
        let first = logEnd
        var rolled = false
        let limits = currentRollLimits()
        do throws(TopicStoreError) {
            try writeBatches(&encoded, limits, rollingBetweenBatches: true, rolled: &rolled)
            if options.sync == .always { try activeFile.file.sync() }
        } catch {
            rollbackUnpublished()
            throw error
        }
        stateLock.withLock { publishLocked() }
        if case .interval = options.sync { unsynced.store(true, ordering: .relaxed) }
        return (first, rolled)
    }

    /// Writes a transaction's batches without publishing them; the caller holds `writeLock` and later
    /// calls ``publishLocked()`` (with `stateLock`) or ``rollbackUnpublished()``. All the batches go
    /// into one segment (rolled first if they would not fit), so after a crash they are the tail of
    /// the last segment, where recovery looks for them.
    func stageTransaction(_ encoded: inout EncodedAppend) throws(TopicStoreError) -> Bool {
        try checkWritable()
        var rolled = false
        let limits = currentRollLimits()
        do throws(TopicStoreError) {
            let newest = encoded.batches.reduce(Int64.min) { max($0, $1.maxTimestamp) }
            if needsRoll(size: encoded.bytes.count, recordCount: encoded.recordCount, maxTimestamp: newest, limits) {
                try roll()
                rolled = true
            }
            var ignored = false
            try writeBatches(&encoded, limits, rollingBetweenBatches: false, rolled: &ignored)
        } catch {
            rollbackUnpublished()
            throw error
        }
        return rolled
    }

    /// fsyncs the active segment (a transaction's outputs before its commit point).
    func syncActiveSegment() throws(TopicStoreError) {
        try activeFile.file.sync()
    }

    func checkWritable() throws(TopicStoreError) {
        if writerClosed { throw TopicStoreError(.io, "partition \(topicPartition) is closed") }
        if let writeFailure { throw writeFailure }
    }

    /// The settings that decide rolling, read once per append.
    struct RollLimits {
        var segmentBytes: Int64
        var segmentMs: Int64
    }

    /// The topic's rolling settings as this process knows them; the settings' lock is taken only
    /// after they changed. Caller holds `writeLock`. Another process's alteration is picked up by
    /// ``refreshSettings()``, which `LogTopicStore` calls before encoding every append.
    func currentRollLimits() -> RollLimits {
        let version = settings.version.load(ordering: .acquiring)
        if version != rollLimitsVersion {
            let config = settings.current
            rollLimits = RollLimits(segmentBytes: config.segmentBytes, segmentMs: config.segmentMs)
            rollLimitsVersion = version
        }
        return rollLimits
    }

    /// Whether a batch must start a new segment: the active one is not empty and would grow past
    /// `segment.bytes` or its 32-bit offsets, or the batch's timestamp is more than `segment.ms`
    /// after the segment's first batch's (Kafka's rule, so a segment's age follows its records'
    /// time, not the wall clock).
    private func needsRoll(size: Int, recordCount: Int, maxTimestamp: Int64, _ limits: RollLimits) -> Bool {
        guard indexer.position > 0 else { return false }
        return indexer.position + Int64(size) > limits.segmentBytes || !indexer.fits(size: size, recordCount: recordCount)
            || maxTimestamp &- indexer.firstMaxTimestamp > limits.segmentMs
    }

    /// Patches base offsets, feeds the indexer and writes the bytes, one `pwrite` per run of
    /// batches that land in the same segment.
    private func writeBatches(
        _ encoded: inout EncodedAppend, _ limits: RollLimits, rollingBetweenBatches: Bool, rolled: inout Bool
    ) throws(TopicStoreError) {
        var runStart = 0
        var runPosition = indexer.position
        for index in encoded.batches.indices {
            let batch = encoded.batches[index]
            if rollingBetweenBatches
                && needsRoll(size: batch.size, recordCount: batch.recordCount, maxTimestamp: batch.maxTimestamp, limits)
            {
                try writeRun(encoded, runStart..<index, at: runPosition, segmentBytes: limits.segmentBytes)
                stateLock.withLock { publishLocked() }
                try roll()
                rolled = true
                runStart = index
                runPosition = 0
            }
            encoded.bytes.storeBigEndian(logEnd, at: batch.start)
            indexer.add(
                batchBaseOffset: logEnd, nextOffset: logEnd + Int64(batch.recordCount), maxTimestamp: batch.maxTimestamp,
                size: batch.size, offsetEntries: &pendingOffsetEntries, timeEntries: &pendingTimeEntries)
            logEnd += Int64(batch.recordCount)
        }
        try writeRun(encoded, runStart..<encoded.batches.count, at: runPosition, segmentBytes: limits.segmentBytes)
    }

    private func writeRun(
        _ encoded: EncodedAppend, _ run: Range<Int>, at position: Int64, segmentBytes: Int64
    ) throws(TopicStoreError) {
        guard let first = run.first, let last = run.last else { return }
        let start = encoded.batches[first].start
        let end = encoded.batches[last].start + encoded.batches[last].size
        reservation.prepare(
            activeFile.file, segmentBase: activeFile.baseOffset, toWrite: end - start, at: position,
            segmentBytes: segmentBytes)
        var failure: TopicStoreError?
        encoded.bytes.withUnsafeBytes { raw in
            do throws(TopicStoreError) {
                try activeFile.file.write(UnsafeRawBufferPointer(rebasing: raw[start..<end]), at: position)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        writeback.wrote(upTo: position + Int64(end - start), in: activeFile.file, segmentBase: activeFile.baseOffset)
    }

    /// Makes everything written so far visible, here and (through the shared page) to other
    /// processes. Caller holds `writeLock`, `stateLock` and the shared lock.
    func publishLocked() {
        publishLocalLocked()
        knownSequence.store(
            shared.publish(activeBase: activeFile.baseOffset, activeSize: indexer.position, logEnd: logEnd),
            ordering: .relaxed)
    }

    /// Makes everything the write side knows visible to this process's readers. Caller holds
    /// `writeLock` and `stateLock`.
    func publishLocalLocked() {
        let last = segments.count - 1
        segments[last].size = indexer.position
        segments[last].nextOffset = indexer.nextOffset
        segments[last].maxTimestamp = indexer.maxTimestamp
        if !pendingOffsetEntries.isEmpty {
            segments[last].offsetIndex.append(contentsOf: pendingOffsetEntries)
            pendingOffsetEntries.removeAll(keepingCapacity: true)
        }
        if !pendingTimeEntries.isEmpty {
            segments[last].timeIndex.append(contentsOf: pendingTimeEntries)
            pendingTimeEntries.removeAll(keepingCapacity: true)
        }
        visibleEnd = logEnd
        publishedIndexer = indexer
    }

    /// Forgets and truncates away everything written since the last publish. Caller holds
    /// `writeLock`. If the truncation itself fails the partition stops accepting writes, since its
    /// file would hold bytes no reader or recovery may trust.
    func rollbackUnpublished() {
        indexer = publishedIndexer
        logEnd = indexer.nextOffset
        pendingOffsetEntries.removeAll(keepingCapacity: true)
        pendingTimeEntries.removeAll(keepingCapacity: true)
        reservation.forget()
        writeback.forget()
        do throws(TopicStoreError) {
            try activeFile.file.truncate(to: indexer.position)
        } catch {
            writeFailure = TopicStoreError(
                .io, "partition \(topicPartition) refuses writes: could not undo a failed write: \(error.message)")
        }
    }

    /// Seals the active segment and starts a new one at `logEnd`. Caller holds `writeLock` and has
    /// published everything written.
    func roll() throws(TopicStoreError) {
        let sealed = activeFile
        let (offsetIndex, timeIndex) = stateLock.withLock { () -> (OffsetIndex, TimeIndex) in
            let last = segments.count - 1
            if let closing = indexer.closingTimeEntry() { segments[last].timeIndex.append(contentsOf: [closing]) }
            return (segments[last].offsetIndex, segments[last].timeIndex)
        }
        try FileSystem.writeAtomically(sealed.indexPath, offsetIndex.encoded(), durable: isDurable)
        try FileSystem.writeAtomically(sealed.timeIndexPath, timeIndex.encoded(), durable: isDurable)
        if isDurable { try sealed.file.sync() }
        // Gives back the blocks reserved past the sealed segment's end. Its own size, not the
        // indexer's, so that this can never cut anything off; failing only leaves them reserved.
        if let size = try? sealed.file.size() { try? sealed.file.truncate(to: size) }
        let file = try FileDescriptor.open(SegmentFile.path(directory, logEnd, .log), create: true, exclusive: true)
        if isDurable { try FileSystem.syncDirectory(directory) }
        let segment = SegmentFile(baseOffset: logEnd, directory: directory, file: file)
        stateLock.withLock {
            segments.append(
                SegmentState(
                    file: segment, size: 0, nextOffset: logEnd, maxTimestamp: .min, offsetIndex: OffsetIndex(),
                    timeIndex: TimeIndex()))
        }
        activeFile = segment
        reservation.forget()
        indexer = SegmentIndexer(baseOffset: logEnd, intervalBytes: options.indexIntervalBytes)
        publishedIndexer = indexer
    }

    // MARK: - Reading

    /// The index of the last segment whose base offset is at most `offset` (0 if none).
    func segmentIndexLocked(containing offset: Int64) -> Int {
        var low = 0
        var high = segments.count
        while low < high {
            let middle = (low + high) / 2
            if segments[middle].baseOffset <= offset { low = middle + 1 } else { high = middle }
        }
        return max(0, low - 1)
    }

    /// The first published offset whose record has a timestamp at least `timestamp`, or nil.
    func offset(forTimestamp timestamp: Int64) throws(TopicStoreError) -> Int64? {
        try refreshIfStale()
        var limit: Int64 = 0
        let plan = try stateLock.withLock { () throws(TopicStoreError) -> [(SegmentFile, Int64, Int64)] in
            try checkOpen()
            limit = visibleEnd
            return segments.compactMap { segment in
                guard segment.size > 0, segment.maxTimestamp >= timestamp else { return nil }
                let relative = segment.timeIndex.startOffset(forTimestamp: timestamp)
                return (segment.file, segment.offsetIndex.position(for: relative), segment.size)
            }
        }
        var found: Int64?
        for (segment, start, end) in plan {
            let outcome = try BatchScan.forEach(
                in: segment.file, from: start, to: end, chunkSize: 256 << 10, verifyingChecksums: options.verifyChecksumsOnRead
            ) { (position, header, batch) throws(TopicStoreError) -> Bool in
                if header.maxTimestamp < timestamp || header.attributes.contains(.control) { return true }
                do throws(FormatError) {
                    var iterator = try RecordIterator(batch: batch, header: header)
                    while let record = try iterator.next() {
                        if record.offset >= limit { return false }
                        if record.timestamp >= timestamp {
                            found = record.offset
                            return false
                        }
                    }
                } catch {
                    throw corruption(in: segment, at: position, error)
                }
                return true
            }
            if case .invalid(let position, let reason) = outcome { throw corruption(in: segment, at: position, reason) }
            if found != nil { break }
        }
        return found
    }

    func corruption(in segment: SegmentFile, at position: Int64, _ reason: FormatError) -> TopicStoreError {
        TopicStoreError(
            .corrupt, "partition \(topicPartition): corrupt record batch in '\(segment.logPath)' at byte \(position): \(reason.message)")
    }

    // MARK: - Closing

    /// Stops reads and writes; fsyncs the active segment unless syncing is off. Idempotent.
    func close() {
        writeLock.withLock {
            if !writerClosed && isDurable { try? activeFile.file.sync() }
            writerClosed = true
        }
        stateLock.withLock { isClosed = true }
    }
}
