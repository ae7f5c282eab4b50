/// Opening a partition directory, and recovering it after a crash.
///
/// What open trusts and what it checks:
/// - Leftovers of an interrupted compaction are finished or discarded (see `compact`): `.cleaned`
///   index files without a `.cleaned` log were renamed past their commit point and are moved into
///   place; a `.cleaned` log means the swap never happened and all `.cleaned` files go.
/// - Trailing empty segments are dropped (a crash right after a roll), so the segment that may hold
///   a torn write is the last one.
/// - Sealed segments were fsynced when sealed: their indexes are loaded and sanity-checked, and only
///   their tail (from the last index entry) is walked to find their end offset and largest
///   timestamp. A missing or inconsistent index is rebuilt by a full, checksummed scan.
/// - The last segment is scanned completely with checksums, rebuilding its indexes. At the first
///   damaged batch, if any valid batch follows anywhere in the file, the damage is in the middle and
///   open fails with ``TopicStoreError/Code/corrupt``; otherwise it is a torn tail and is truncated.
/// - Transactional batches at the tail that end beyond the partition's last committed end (from the
///   ``CommitJournal``) belong to a transaction that never reached its commit point: truncated.
extension PartitionLog {
    /// How much of the directory a load may change.
    enum LoadMode {
        /// Crash recovery: truncate a torn tail and uncommitted transactions, drop trailing empty
        /// segments, rewrite bad indexes. Needs the partition's shared lock. With `sweep`, also
        /// finish interrupted compactions and remove stray temporary files, which is only safe when
        /// no other process has the data directory open.
        case recover(sweep: Bool)
        /// Another process's published view: segments up to `activeBase`, the active one read up
        /// to `activeSize`. Changes no file.
        case view(activeBase: Int64, activeSize: Int64)
    }

    /// Opens a partition: takes its shared lock, then either adopts what the shared page says is
    /// published (another process has it open and healthy) or recovers it from the files (first
    /// opener, `exclusive` directory access, or a writer that died mid-write).
    static func open(
        _ topicPartition: TopicPartition, directory: String, settings: TopicSettings, options: LogStoreOptions,
        journal: CommitJournal, exclusive: Bool
    ) throws(TopicStoreError) -> PartitionLog {
        try FileSystem.makeDirectories(directory)
        let shared = try SharedPartitionState(directory: directory)
        try shared.lock()
        defer { shared.unlock() }
        let snapshot = shared.snapshot()
        let settingsGeneration = shared.settingsGeneration
        let recovering = exclusive || !snapshot.valid || !snapshot.stable || snapshot.writing
        let mode: LoadMode =
            recovering
            ? .recover(sweep: exclusive) : .view(activeBase: snapshot.activeBase, activeSize: snapshot.activeSize)
        if recovering { try journal.refresh() }
        let (segments, indexer) = try load(
            topicPartition, directory: directory, options: options, committedEnd: journal.committedEnd(topicPartition),
            mode: mode)
        let log = PartitionLog(
            topicPartition: topicPartition, directory: directory, settings: settings, options: options, segments: segments,
            indexer: indexer, shared: shared, journal: journal)
        log.knownSettings.store(settingsGeneration, ordering: .relaxed)
        if recovering {
            log.writeLock.withLock { log.stateLock.withLock { log.publishLocked() } }
            log.knownStructure.store(shared.bumpStructure(), ordering: .relaxed)
            shared.setWriting(false)
        } else {
            log.knownSequence.store(snapshot.sequence, ordering: .relaxed)
            log.knownStructure.store(snapshot.structure, ordering: .relaxed)
        }
        return log
    }

    /// Reads a partition directory into a segment list and a writer positioned at its end.
    static func load(
        _ topicPartition: TopicPartition, directory: String, options: LogStoreOptions, committedEnd: Int64?,
        mode: LoadMode
    ) throws(TopicStoreError) -> ([SegmentState], SegmentIndexer) {
        var names = Set(try FileSystem.list(directory))
        var viewEnd: (base: Int64, size: Int64)?
        var repair = true
        switch mode {
        case .recover(let sweep):
            if sweep {
                try finishInterruptedCompaction(directory, names: &names)
                for name in names where name.hasSuffix(".tmp") { try FileSystem.remove(directory + "/" + name) }
            }
        case .view(let base, let size):
            viewEnd = (base, size)
            repair = false
        }

        var bases = names.compactMap { SegmentFile.baseOffset(fromName: $0, kind: .log) }.sorted()
        if let viewEnd {
            bases.removeAll { $0 > viewEnd.base }
            guard bases.last == viewEnd.base else {
                throw TopicStoreError(
                    .io, "partition \(topicPartition): segment \(viewEnd.base) published by another process is missing")
            }
        } else {
            let known = Set(bases)
            for name in names {
                for kind in [SegmentFile.Kind.index, .timeIndex] {
                    if let base = SegmentFile.baseOffset(fromName: name, kind: kind), !known.contains(base) {
                        try FileSystem.remove(directory + "/" + name)
                    }
                }
            }
            if bases.isEmpty {
                _ = try FileDescriptor.open(SegmentFile.path(directory, 0, .log), create: true)
                if options.sync != .never { try FileSystem.syncDirectory(directory) }
                bases = [0]
            }
            while bases.count > 1, try FileDescriptor.open(SegmentFile.path(directory, bases.last!, .log)).size() == 0 {
                let base = bases.removeLast()
                try SegmentFile(
                    baseOffset: base, directory: directory,
                    file: try FileDescriptor.open(SegmentFile.path(directory, base, .log))
                ).removeFiles()
            }
        }

        var segments: [SegmentState] = []
        for base in bases.dropLast() {
            let segment = try loadSealedSegment(
                topicPartition, directory: directory, base: base, options: options, repair: repair)
            if let previous = segments.last, segment.baseOffset < previous.nextOffset {
                throw TopicStoreError(
                    .corrupt, "partition \(topicPartition): segment \(base) starts before the previous one ends")
            }
            segments.append(segment)
        }
        let (active, indexer) = try recoverActiveSegment(
            topicPartition, directory: directory, base: bases.last!, options: options, committedEnd: committedEnd,
            publishedSize: viewEnd?.size)
        if let previous = segments.last, active.baseOffset < previous.nextOffset {
            throw TopicStoreError(
                .corrupt, "partition \(topicPartition): segment \(active.baseOffset) starts before the previous one ends")
        }
        segments.append(active)
        return (segments, indexer)
    }

    private static func finishInterruptedCompaction(_ directory: String, names: inout Set<String>) throws(TopicStoreError) {
        let cleanedLogs = Set(names.compactMap { SegmentFile.baseOffset(fromName: $0, kind: .cleanedLog) })
        for name in names {
            for kind in [SegmentFile.Kind.cleanedLog, .cleanedIndex, .cleanedTimeIndex] {
                guard let base = SegmentFile.baseOffset(fromName: name, kind: kind) else { continue }
                let path = directory + "/" + name
                if cleanedLogs.contains(base) {
                    try FileSystem.remove(path)
                } else {
                    let target = kind == .cleanedIndex ? SegmentFile.Kind.index : .timeIndex
                    try FileSystem.rename(path, to: SegmentFile.path(directory, base, target))
                }
            }
        }
        names = Set(try FileSystem.list(directory))
    }

    /// Loads a sealed segment, trusting its index files when they are consistent with the log.
    private static func loadSealedSegment(
        _ topicPartition: TopicPartition, directory: String, base: Int64, options: LogStoreOptions, repair: Bool
    ) throws(TopicStoreError) -> SegmentState {
        let file = SegmentFile(
            baseOffset: base, directory: directory, file: try FileDescriptor.open(SegmentFile.path(directory, base, .log)))
        let size = try file.file.size()
        if FileSystem.exists(file.indexPath), FileSystem.exists(file.timeIndexPath),
            let offsetIndex = OffsetIndex.decode(try FileSystem.readFile(file.indexPath), logSize: size),
            let timeIndex = TimeIndex.decode(try FileSystem.readFile(file.timeIndexPath)),
            let tail = try tailSummary(of: file, size: size, offsetIndex: offsetIndex)
        {
            return SegmentState(
                file: file, size: size, nextOffset: tail.nextOffset,
                maxTimestamp: max(timeIndex.entries.last?.timestamp ?? .min, tail.maxTimestamp),
                offsetIndex: offsetIndex, timeIndex: timeIndex)
        }
        // Rebuild from the bytes. A sealed segment was complete when sealed, so any damage is corruption.
        var indexer = SegmentIndexer(baseOffset: base, intervalBytes: options.indexIntervalBytes)
        var offsetEntries: [OffsetIndex.Entry] = []
        var timeEntries: [TimeIndex.Entry] = []
        let outcome = try BatchScan.forEach(
            in: file.file, from: 0, to: size, chunkSize: 1 << 20, verifyingChecksums: true
        ) { (_, header, batch) throws(TopicStoreError) -> Bool in
            indexer.add(
                batchBaseOffset: header.baseOffset, nextOffset: header.nextOffset, maxTimestamp: header.maxTimestamp,
                size: batch.count, offsetEntries: &offsetEntries, timeEntries: &timeEntries)
            return true
        }
        if case .invalid(let position, let reason) = outcome {
            throw TopicStoreError(
                .corrupt,
                "partition \(topicPartition): corrupt record batch in sealed segment '\(file.logPath)' at byte \(position): \(reason.message)")
        }
        if let closing = indexer.closingTimeEntry() { timeEntries.append(closing) }
        let offsetIndex = OffsetIndex(entries: offsetEntries)
        let timeIndex = TimeIndex(entries: timeEntries)
        if repair {
            let durable = options.sync != .never
            try FileSystem.writeAtomically(file.indexPath, offsetIndex.encoded(), durable: durable)
            try FileSystem.writeAtomically(file.timeIndexPath, timeIndex.encoded(), durable: durable)
        }
        return SegmentState(
            file: file, size: size, nextOffset: indexer.nextOffset, maxTimestamp: indexer.maxTimestamp,
            offsetIndex: offsetIndex, timeIndex: timeIndex)
    }

    /// Walks the batch headers from the last index entry to the end: the segment's end offset and the
    /// largest timestamp there. nil if the index does not line up with the log.
    private static func tailSummary(of file: SegmentFile, size: Int64, offsetIndex: OffsetIndex) throws(TopicStoreError)
        -> (nextOffset: Int64, maxTimestamp: Int64)?
    {
        let last = offsetIndex.entries.last
        var nextOffset = file.baseOffset
        var maxTimestamp = Int64.min
        var first = true
        var aligned = true
        let outcome = try BatchScan.forEach(
            in: file.file, from: Int64(last?.position ?? 0), to: size, chunkSize: 1 << 20, verifyingChecksums: false
        ) { (_, header, _) throws(TopicStoreError) -> Bool in
            if first, let last, header.baseOffset != file.baseOffset + Int64(last.relativeOffset) {
                aligned = false
                return false
            }
            first = false
            nextOffset = header.nextOffset
            maxTimestamp = max(maxTimestamp, header.maxTimestamp)
            return true
        }
        guard aligned, case .finished = outcome else { return nil }
        return (nextOffset, maxTimestamp)
    }

    /// Scans the last segment with checksums, truncating a torn tail and uncommitted transactional
    /// batches, and returns its state and a writer positioned at its end. With `publishedSize`
    /// (another process's published extent) it reads only that far and changes nothing: damage
    /// there is corruption, and bytes past it belong to a writer that is still at work.
    private static func recoverActiveSegment(
        _ topicPartition: TopicPartition, directory: String, base: Int64, options: LogStoreOptions, committedEnd: Int64?,
        publishedSize: Int64?
    ) throws(TopicStoreError) -> (SegmentState, SegmentIndexer) {
        let file = SegmentFile(
            baseOffset: base, directory: directory, file: try FileDescriptor.open(SegmentFile.path(directory, base, .log)))
        var size = try file.file.size()
        if let publishedSize { size = min(size, publishedSize) }
        var indexer = SegmentIndexer(baseOffset: base, intervalBytes: options.indexIntervalBytes)
        var offsetEntries: [OffsetIndex.Entry] = []
        var timeEntries: [TimeIndex.Entry] = []
        var uncommittedFrom: Int64?
        var inconsistency: TopicStoreError?
        var expectedOffset = base
        let outcome = try BatchScan.forEach(
            in: file.file, from: 0, to: size, chunkSize: 1 << 20, verifyingChecksums: true
        ) { (position, header, batch) throws(TopicStoreError) -> Bool in
            if header.baseOffset < expectedOffset {
                inconsistency = TopicStoreError(
                    .corrupt,
                    "partition \(topicPartition): batch at byte \(position) of '\(file.logPath)' has offset \(header.baseOffset), expected at least \(expectedOffset)")
                return false
            }
            expectedOffset = header.nextOffset
            let uncommitted =
                publishedSize == nil && header.attributes.contains(.transactional)
                && header.nextOffset > (committedEnd ?? .min)
            if uncommitted {
                if uncommittedFrom == nil { uncommittedFrom = position }
                return true
            }
            if uncommittedFrom != nil {
                inconsistency = TopicStoreError(
                    .corrupt,
                    "partition \(topicPartition): '\(file.logPath)' has committed data at byte \(position) after an uncommitted transaction; the commit journal does not match the log")
                return false
            }
            indexer.add(
                batchBaseOffset: header.baseOffset, nextOffset: header.nextOffset, maxTimestamp: header.maxTimestamp,
                size: batch.count, offsetEntries: &offsetEntries, timeEntries: &timeEntries)
            return true
        }
        var validEnd = size
        switch outcome {
        case .finished:
            break
        case .stopped:
            throw inconsistency!
        case .invalid(let position, let reason):
            var validAfter = false
            if publishedSize == nil {
                validAfter = try BatchScan.containsValidBatch(in: file.file, from: position + 1, to: size)
            }
            if publishedSize != nil || validAfter {
                throw TopicStoreError(
                    .corrupt,
                    "partition \(topicPartition): corrupt record batch in '\(file.logPath)' at byte \(position) (\(reason.message)) with valid batches after it; refusing to skip it")
            }
            validEnd = position
        }
        let keep = min(validEnd, uncommittedFrom ?? validEnd)
        if keep < size {
            try file.file.truncate(to: keep)
            if options.sync != .never { try file.file.sync() }
        }
        let state = SegmentState(
            file: file, size: indexer.position, nextOffset: indexer.nextOffset, maxTimestamp: indexer.maxTimestamp,
            offsetIndex: OffsetIndex(entries: offsetEntries), timeIndex: TimeIndex(entries: timeEntries))
        return (state, indexer)
    }
}
