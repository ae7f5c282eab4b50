/// Retention and compaction: the only changes to sealed segments. Both run under
/// `maintenanceLock`; neither touches the active segment, so they never block the writer beyond the
/// brief `stateLock` sections that swap segments in the published list.
///
/// Across processes, whoever cleans a partition holds `flock` on its `cleaner.lock` (maintenance run
/// on roll skips a partition another process is cleaning), works only from a view that matches the
/// shared page's structure generation, and bumps that generation afterwards so other processes
/// reload the changed segments.
extension PartitionLog {
    /// Runs `body` holding the cross-process cleaner lock, or returns nil without running it when
    /// another process holds it (and `wait` is false) or this view of sealed segments is stale.
    /// Caller holds `maintenanceLock`.
    private func withCleanerLock<R>(wait: Bool, _ body: () throws(TopicStoreError) -> R) throws(TopicStoreError) -> R? {
        if cleanerFile == nil { cleanerFile = try FileDescriptor.open(directory + "/cleaner.lock", create: true) }
        let file = cleanerFile!
        if wait { try file.lock(exclusive: true) } else if try !file.tryLock(exclusive: true) { return nil }
        defer { file.unlock() }
        if shared.structure != knownStructure.load(ordering: .relaxed) { return nil }
        return try body()
    }

    /// Runs whatever the topic's cleanup policy calls for after a roll.
    func maintainAfterRoll(now: Int64) {
        do throws(TopicStoreError) {
            let policy = config.cleanupPolicy
            if policy.deletes { _ = try enforceRetention(now: now, wait: false) }
            if policy.compacts { _ = try compactIfDirty(now: now, wait: false) }
        } catch {
            maintenanceLock.withLock { lastMaintenanceError = error }
        }
    }

    // MARK: - Retention

    /// Deletes the oldest sealed segments that are past the topic's retention: a segment whose largest
    /// timestamp is older than `now - retentionMs`, or while the partition without it would still
    /// hold at least `retentionBytes`. Only a prefix of segments goes, never the active one (Kafka's
    /// rules). Does nothing for topics that only compact. Returns the number of segments deleted.
    @discardableResult
    func enforceRetention(now: Int64, wait: Bool = true) throws(TopicStoreError) -> Int {
        let config = self.config
        guard config.cleanupPolicy.deletes, config.retentionMs != nil || config.retentionBytes != nil else {
            return 0
        }
        return try maintenanceLock.withLock { () throws(TopicStoreError) -> Int in
            try withCleanerLock(wait: wait) { () throws(TopicStoreError) -> Int in
                try enforceRetentionLocked(now: now, config: config)
            } ?? 0
        }
    }

    private func enforceRetentionLocked(now: Int64, config: TopicConfig) throws(TopicStoreError) -> Int {
        do {
            let victims = try stateLock.withLock { () throws(TopicStoreError) -> [SegmentState] in
                try checkOpen()
                let sealed = segments.count - 1
                var byTime = 0
                if let retentionMs = config.retentionMs {
                    let cutoff = now &- retentionMs
                    while byTime < sealed && segments[byTime].maxTimestamp < cutoff { byTime += 1 }
                }
                var bySize = 0
                if let retentionBytes = config.retentionBytes {
                    var total = segments.reduce(Int64(0)) { $0 + $1.size }
                    while bySize < sealed && total - segments[bySize].size >= retentionBytes {
                        total -= segments[bySize].size
                        bySize += 1
                    }
                }
                let count = max(byTime, bySize)
                let victims = Array(segments[0..<count])
                segments.removeFirst(count)
                return victims
            }
            for victim in victims { try victim.file.removeFiles() }
            if !victims.isEmpty {
                noteStructureChange()
                if isDurable { try FileSystem.syncDirectory(directory) }
            }
            return victims.count
        }
    }

    // MARK: - Compaction

    /// Compacts when the sealed bytes written since the last compaction reach the dirty ratio.
    @discardableResult
    func compactIfDirty(now: Int64, wait: Bool = true) throws(TopicStoreError) -> Int {
        let due = maintenanceLock.withLock {
            stateLock.withLock { () -> Bool in
                let sealed = segments.dropLast()
                let total = sealed.reduce(Int64(0)) { $0 + $1.size }
                let dirty = sealed.filter { $0.nextOffset > cleanedThrough }.reduce(Int64(0)) { $0 + $1.size }
                return total > 0 && Double(dirty) >= options.minCleanableDirtyRatio * Double(total)
            }
        }
        return due ? try compact(now: now, wait: wait) : 0
    }

    /// Keeps only the latest record of each key in the sealed segments, preserving offsets.
    ///
    /// "Latest" is judged over the whole partition, the active segment included, so a key updated
    /// in the active segment loses its older records everywhere else. Records with a null key are
    /// never removed. A tombstone (null value) that is the latest for its key is kept until its
    /// has waited `delete.retention.ms` (the topic's, else the store's default) since compaction first kept
    /// it (``TombstoneHorizons``), then removed with the key. Batches keep
    /// their base offset and offset span, and a batch left with no records is dropped, as is a
    /// segment left empty.
    ///
    /// Each rewritten segment is written beside the original as `.cleaned` files, then the log is
    /// renamed over the original (the commit point), then the indexes. See `open` for recovery.
    /// Returns the number of records removed. Does nothing for topics that only delete.
    @discardableResult
    func compact(now: Int64, wait: Bool = true) throws(TopicStoreError) -> Int {
        let config = self.config
        guard config.cleanupPolicy.compacts else { return 0 }
        let tombstoneRetentionMs = config.deleteRetentionMs ?? options.tombstoneRetentionMs
        return try maintenanceLock.withLock { () throws(TopicStoreError) -> Int in
            try withCleanerLock(wait: wait) { () throws(TopicStoreError) -> Int in
                try compactLocked(now: now, tombstoneRetentionMs: tombstoneRetentionMs)
            } ?? 0
        }
    }

    private func compactLocked(now: Int64, tombstoneRetentionMs: Int64) throws(TopicStoreError) -> Int {
        do {
            let (sealed, active, activeSize) = try stateLock.withLock {
                () throws(TopicStoreError) -> ([SegmentState], SegmentFile, Int64) in
                try checkOpen()
                return (Array(segments.dropLast()), segments[segments.count - 1].file, segments[segments.count - 1].size)
            }
            guard !sealed.isEmpty else { return 0 }
            // Kafka's cleaner: the map needs only the keys written since the last compaction (the
            // dirty segments and the active one). Below `cleanedThrough` each key appears at most
            // once, as that compaction left it, so a record there is the latest of its key unless
            // the map holds a newer offset. (`cleanedThrough` is this process's, 0 after opening:
            // then every segment counts as dirty.)
            var latest = KeyOffsetMap()
            for segment in sealed where segment.nextOffset > cleanedThrough {
                try collectLatest(segment.file, size: segment.size, into: &latest)
            }
            try collectLatest(active, size: activeSize, into: &latest)
            let before = TombstoneHorizons.read(from: directory)
            var horizons = TombstoneHorizons()
            var removed = 0
            for segment in sealed {
                let firstSeen = before.firstSeen[segment.baseOffset]
                var keptTombstone = false
                removed += try rewrite(segment, keeping: { record in
                    guard let key = record.key else { return true }
                    if let newest = latest.offset(of: key), newest != record.offset { return false }
                    if record.value != nil { return true }
                    // The latest record of its key is a tombstone: it stays until the retention has
                    // passed since compaction first kept it (Kafka's delete horizon).
                    if let firstSeen, now &- firstSeen >= tombstoneRetentionMs { return false }
                    keptTombstone = true
                    return true
                })
                if keptTombstone { horizons.firstSeen[segment.baseOffset] = firstSeen ?? now }
            }
            if horizons != before { try horizons.write(to: directory, durable: isDurable) }
            cleanedThrough = sealed.last!.nextOffset
            if removed > 0 { noteStructureChange() }
            return removed
        }
    }

    private func collectLatest(_ segment: SegmentFile, size: Int64, into latest: inout KeyOffsetMap)
        throws(TopicStoreError)
    {
        let outcome = try BatchScan.forEach(
            in: segment.file, from: 0, to: size, chunkSize: 1 << 20, verifyingChecksums: true
        ) { (position, header, batch) throws(TopicStoreError) -> Bool in
            if header.attributes.contains(.control) { return true }
            do throws(FormatError) {
                var iterator = try RecordIterator(batch: batch, header: header)
                while let record = try iterator.next() {
                    if let key = record.key { latest.set(key, offset: record.offset) }
                }
            } catch {
                throw corruption(in: segment, at: position, error)
            }
            return true
        }
        if case .invalid(let position, let reason) = outcome { throw corruption(in: segment, at: position, reason) }
    }

    /// Rewrites one sealed segment without the records `keeping` rejects; returns how many went.
    private func rewrite(_ segment: SegmentState, keeping: (RecordView) -> Bool) throws(TopicStoreError) -> Int {
        var output: [UInt8] = []
        var indexer = SegmentIndexer(baseOffset: segment.baseOffset, intervalBytes: options.indexIntervalBytes)
        var offsetEntries: [OffsetIndex.Entry] = []
        var timeEntries: [TimeIndex.Entry] = []
        var removed = 0
        let outcome = try BatchScan.forEach(
            in: segment.file.file, from: 0, to: segment.size, chunkSize: 1 << 20, verifyingChecksums: true
        ) { (position, header, batch) throws(TopicStoreError) -> Bool in
            let start = output.count
            do throws(FormatError) {
                var kept: [RecordView] = []
                var iterator = try RecordIterator(batch: batch, header: header)
                while let record = try iterator.next() {
                    if header.attributes.contains(.control) || keeping(record) { kept.append(record) }
                }
                removed += Int(header.recordCount) - kept.count
                if kept.count == Int(header.recordCount) {
                    output.append(contentsOf: batch)
                } else if !kept.isEmpty {
                    RecordBatchEncoder.appendFiltered(kept, of: header, to: &output)
                }
            } catch {
                throw corruption(in: segment.file, at: position, error)
            }
            if output.count > start {
                let maxTimestamp = output.withUnsafeBytes {
                    $0.loadBigEndian(at: start + RecordBatchHeader.maxTimestampOffset, as: Int64.self)
                }
                indexer.add(
                    batchBaseOffset: header.baseOffset, nextOffset: header.nextOffset, maxTimestamp: maxTimestamp,
                    size: output.count - start, offsetEntries: &offsetEntries, timeEntries: &timeEntries)
            }
            return true
        }
        if case .invalid(let position, let reason) = outcome { throw corruption(in: segment.file, at: position, reason) }
        guard removed > 0 else { return 0 }
        if output.isEmpty {
            stateLock.withLock { segments.removeAll { $0.baseOffset == segment.baseOffset } }
            try segment.file.removeFiles()
            if isDurable { try FileSystem.syncDirectory(directory) }
            return removed
        }
        if let closing = indexer.closingTimeEntry() { timeEntries.append(closing) }
        let offsetIndex = OffsetIndex(entries: offsetEntries)
        let timeIndex = TimeIndex(entries: timeEntries)
        let base = segment.baseOffset
        let cleanedLog = SegmentFile.path(directory, base, .cleanedLog)
        let cleanedIndex = SegmentFile.path(directory, base, .cleanedIndex)
        let cleanedTimeIndex = SegmentFile.path(directory, base, .cleanedTimeIndex)
        try FileSystem.writeAtomically(cleanedIndex, offsetIndex.encoded(), durable: isDurable)
        try FileSystem.writeAtomically(cleanedTimeIndex, timeIndex.encoded(), durable: isDurable)
        try FileSystem.remove(cleanedLog)
        let file = try FileDescriptor.open(cleanedLog, create: true, exclusive: true)
        try file.write(output, at: 0)
        if isDurable { try file.sync() }
        try FileSystem.rename(cleanedLog, to: segment.file.logPath)
        try FileSystem.rename(cleanedIndex, to: segment.file.indexPath)
        try FileSystem.rename(cleanedTimeIndex, to: segment.file.timeIndexPath)
        if isDurable { try FileSystem.syncDirectory(directory) }
        let replacement = SegmentState(
            file: SegmentFile(baseOffset: base, directory: directory, file: file), size: Int64(output.count),
            nextOffset: indexer.nextOffset, maxTimestamp: indexer.maxTimestamp, offsetIndex: offsetIndex,
            timeIndex: timeIndex)
        stateLock.withLock {
            if let index = segments.firstIndex(where: { $0.baseOffset == base }) { segments[index] = replacement }
        }
        return removed
    }
}
