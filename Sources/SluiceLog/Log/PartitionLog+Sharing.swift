import Synchronization

/// Keeping one process's view of a partition in step with the other processes that share the data
/// directory, through the partition's ``SharedPartitionState`` page.
///
/// - Readers call ``refreshIfStale()`` once per read: two atomic loads when nothing changed. On a
///   change, and only if no local writer is busy (which would sync anyway), they catch up: an
///   append by another process is read from the end of the known active segment; a roll, or a
///   change to sealed segments (retention, compaction, recovery) reloads the published view.
/// - Writers call ``beginWrite()`` under their write lock: it takes the cross-process lock, syncs
///   the same way, and if the last writer died mid-write (the page's `writing` mark is still set)
///   recovers the tail exactly as open would: torn batches and uncommitted transactions are
///   truncated, so no torn or uncommitted record is ever published. ``endWrite()`` clears the mark
///   and wakes waiting processes.
extension PartitionLog {
    /// Whether another process changed the partition since this one last looked.
    @inline(__always)
    var isStale: Bool {
        shared.sequence != knownSequence.load(ordering: .relaxed)
            || shared.structure != knownStructure.load(ordering: .relaxed)
    }

    /// Reader side: catches up with other processes' publishes, if any.
    func refreshIfStale() throws(TopicStoreError) {
        guard isStale else { return }
        guard writeLock.tryLock() else { return }
        defer { writeLock.unlock() }
        if writerClosed { return }
        try syncWithShared(asWriter: false)
    }

    /// Brings the view up to date under the cross-process lock (before maintenance).
    func catchUp() throws(TopicStoreError) {
        try writeLock.withLock { () throws(TopicStoreError) in
            try checkWritable()
            try shared.lock()
            defer { shared.unlock() }
            try syncWithShared(asWriter: true)
        }
    }

    /// Takes the cross-process lock and syncs before a write. Caller holds `writeLock` and calls
    /// ``endWrite()`` when done (also after a failure).
    func beginWrite() throws(TopicStoreError) {
        try shared.lock()
        do throws(TopicStoreError) {
            try syncWithShared(asWriter: true)
        } catch {
            shared.unlock()
            throw error
        }
        shared.setWriting(true)
    }

    /// Ends a write begun with ``beginWrite()``. The `writing` mark stays if a failed write could not
    /// be undone, so the next writer (any process) recovers the tail.
    func endWrite() {
        if writeFailure == nil { shared.setWriting(false) }
        shared.unlock()
        if shared.hasWaiters { shared.ringDoorbell() }
    }

    /// Caller holds `writeLock`, and the shared lock if `asWriter`.
    func syncWithShared(asWriter: Bool) throws(TopicStoreError) {
        var attempt = 0
        while true {
            let snapshot = shared.snapshot()
            do throws(TopicStoreError) {
                try sync(to: snapshot, asWriter: asWriter)
                return
            } catch {
                // A reload can race a recovery or cleaning in another process (a segment it just
                // listed disappears); try again from a newer snapshot before calling it an error.
                attempt += 1
                if attempt >= 3 || error.code == .unknownTopic || shared.sequence == snapshot.sequence
                    && shared.structure == snapshot.structure
                {
                    throw error
                }
            }
        }
    }

    private func sync(to snapshot: SharedPartitionState.Snapshot, asWriter: Bool) throws(TopicStoreError) {
        if snapshot.deleted {
            markDeletedElsewhere()
            throw deletedError
        }
        if asWriter && (!snapshot.valid || !snapshot.stable || snapshot.writing) {
            try journal.refresh()
            let (segments, indexer) = try Self.load(
                topicPartition, directory: directory, options: options,
                committedEnd: journal.committedEnd(topicPartition), mode: .recover(sweep: false))
            adopt(segments, indexer)
            stateLock.withLock { publishLocked() }
            knownStructure.store(shared.bumpStructure(), ordering: .relaxed)
            shared.setWriting(false)
            tailRecoveries.add(1, ordering: .relaxed)
            return
        }
        guard snapshot.valid, snapshot.stable else { return }
        let known = knownStructure.load(ordering: .relaxed)
        if snapshot.sequence == knownSequence.load(ordering: .relaxed) && snapshot.structure == known { return }
        if snapshot.structure == known, snapshot.activeBase == activeFile.baseOffset,
            snapshot.activeSize >= indexer.position
        {
            try extendActive(to: snapshot.activeSize)
        } else {
            let (segments, indexer) = try Self.load(
                topicPartition, directory: directory, options: options, committedEnd: nil,
                mode: .view(activeBase: snapshot.activeBase, activeSize: snapshot.activeSize))
            adopt(segments, indexer)
        }
        knownSequence.store(snapshot.sequence, ordering: .relaxed)
        knownStructure.store(snapshot.structure, ordering: .relaxed)
    }

    /// Indexes and publishes (locally) the batches another process appended to the active segment.
    private func extendActive(to size: Int64) throws(TopicStoreError) {
        let segment = activeFile
        var indexer = self.indexer
        var offsetEntries: [OffsetIndex.Entry] = []
        var timeEntries: [TimeIndex.Entry] = []
        let outcome = try BatchScan.forEach(
            in: segment.file, from: indexer.position, to: size, chunkSize: 1 << 20, verifyingChecksums: false
        ) { (_, header, batch) throws(TopicStoreError) -> Bool in
            indexer.add(
                batchBaseOffset: header.baseOffset, nextOffset: header.nextOffset, maxTimestamp: header.maxTimestamp,
                size: batch.count, offsetEntries: &offsetEntries, timeEntries: &timeEntries)
            return true
        }
        if case .invalid(let position, let reason) = outcome { throw corruption(in: segment, at: position, reason) }
        self.indexer = indexer
        pendingOffsetEntries.append(contentsOf: offsetEntries)
        pendingTimeEntries.append(contentsOf: timeEntries)
        logEnd = indexer.nextOffset
        stateLock.withLock { publishLocalLocked() }
    }

    /// Replaces the whole view with a freshly loaded one. Caller holds `writeLock`.
    private func adopt(_ loaded: [SegmentState], _ loadedIndexer: SegmentIndexer) {
        maintenanceLock.withLock {
            stateLock.withLock {
                segments = loaded
                visibleEnd = loadedIndexer.nextOffset
            }
        }
        activeFile = loaded[loaded.count - 1].file
        reservation.forget()
        writeback.forget()
        indexer = loadedIndexer
        publishedIndexer = loadedIndexer
        pendingOffsetEntries.removeAll(keepingCapacity: true)
        pendingTimeEntries.removeAll(keepingCapacity: true)
        logEnd = loadedIndexer.nextOffset
    }

    /// Another process deleted the topic: stop serving it. Caller holds `writeLock`.
    private func markDeletedElsewhere() {
        deletedElsewhere.store(true, ordering: .relaxed)
        writerClosed = true
        stateLock.withLock { isClosed = true }
    }

    /// Records a change this process made to sealed segments, so other processes reload them.
    func noteStructureChange() {
        let previous = knownStructure.load(ordering: .relaxed)
        let now = shared.bumpStructure()
        if now == previous + 1 { knownStructure.store(now, ordering: .relaxed) }
    }

    /// For `waitForData`: the published end (after catching up with other processes), or nil once
    /// closed or deleted.
    func currentEndForWaiting() -> Int64? {
        try? refreshIfStale()
        return visibleEndIfOpen()
    }

    /// fsyncs the active segment if appends happened since the last call (the interval policy).
    func syncIfDirty() {
        guard unsynced.exchange(false, ordering: .relaxed) else { return }
        let file = writeLock.withLock { writerClosed ? nil : activeFile }
        try? file?.file.sync()
    }
}
