/// Reading: plan under `stateLock`, then decode batches in place outside it.
extension PartitionLog {
    /// Up to `maxRecords` published records from `offset` (clamped to the start offset), copied out.
    func read(from offset: Int64, maxRecords: Int) throws(TopicStoreError) -> [ConsumedRecord] {
        var records: [ConsumedRecord] = []
        _ = try scan(from: offset, maxRecords: maxRecords, willVisitAtMost: { records.reserveCapacity($0) }) {
            records.append($0.consumed())
        }
        return records
    }

    /// Calls `body` for up to `maxRecords` published records from `offset` (clamped to the start
    /// offset), each a view into the batch bytes just read; returns the next offset to read.
    ///
    /// One scratch buffer serves the whole call: batches are read a chunk at a time, each batch's
    /// CRC is checked once (``LogStoreOptions/verifyChecksumsOnRead``), and records are decoded where
    /// they lie. `willVisitAtMost` learns, before the first record, how many records the call can
    /// visit at most (``read(from:maxRecords:)`` sizes its array with it).
    ///
    /// - Returns: the offset after the last record visited if `maxRecords` were visited, otherwise
    ///   the published end seen when the read was planned (past any compacted gap before it), or the
    ///   clamped `offset` if nothing lies beyond it (`offset` itself if `maxRecords` is not
    ///   positive).
    func scan(
        from offset: Int64, maxRecords: Int, willVisitAtMost: (Int) -> Void = { _ in },
        _ body: (borrowing RecordView) throws(TopicStoreError) -> Void
    ) throws(TopicStoreError) -> Int64 {
        guard maxRecords > 0 else { return offset }
        try refreshIfStale()
        var from = offset
        var limit: Int64 = 0
        let plan = try stateLock.withLock { () throws(TopicStoreError) -> [ReadStep] in
            try checkOpen()
            limit = visibleEnd
            from = max(offset, segments[0].baseOffset)
            guard from < limit else { return [] }
            return readPlanLocked(from: from)
        }
        guard from < limit else { return from }
        willVisitAtMost(Int(min(Int64(maxRecords), limit - from)))
        let chunkSize = max(16 << 10, min(maxRecords, 8192) * 128)
        let buffer = ScratchBuffer(capacity: Int(min(Int64(chunkSize), plan.reduce(0) { $0 + $1.end - $1.start })))
        var visited = 0
        var next = limit
        for step in plan {
            var done = false
            var first = true
            let outcome = try BatchScan.forEach(
                in: step.segment.file, from: step.start, to: step.end, chunkSize: chunkSize, verifyingChecksums: false,
                buffer: buffer
            ) { (position, header, batch) throws(TopicStoreError) -> Bool in
                // A damaged index entry that points at a later batch would silently skip records.
                if first, let expected = step.expectedBaseOffset, header.baseOffset != expected {
                    throw TopicStoreError(
                        .corrupt,
                        "partition \(topicPartition): the offset index of '\(step.segment.logPath)' points at byte \(position), which holds offset \(header.baseOffset) instead of \(expected); delete the .index file to rebuild it")
                }
                first = false
                if header.nextOffset <= from { return true }
                if header.baseOffset >= limit {
                    done = true
                    return false
                }
                if header.attributes.contains(.control) { return true }
                var iterator: RecordIterator
                do throws(FormatError) {
                    if options.verifyChecksumsOnRead { try header.verifyChecksum(batch) }
                    iterator = try RecordIterator(batch: batch, header: header)
                } catch {
                    throw corruption(in: step.segment, at: position, error)
                }
                while true {
                    let record: RecordView
                    do throws(FormatError) {
                        guard let decoded = try iterator.next() else { break }
                        record = decoded
                    } catch {
                        throw corruption(in: step.segment, at: position, error)
                    }
                    if record.offset < from { continue }
                    if record.offset >= limit {
                        done = true
                        return false
                    }
                    try body(record)
                    visited += 1
                    if visited == maxRecords {
                        next = record.offset + 1
                        done = true
                        return false
                    }
                }
                return true
            }
            if case .invalid(let position, let reason) = outcome {
                throw corruption(in: step.segment, at: position, reason)
            }
            if done { break }
        }
        return next
    }

    /// One segment's part of a read: the byte range to scan, and the base offset the first batch
    /// must have when an index entry chose the start.
    struct ReadStep {
        var segment: SegmentFile
        var start: Int64
        var end: Int64
        var expectedBaseOffset: Int64?
    }

    /// The segments and byte ranges holding offsets from `from`. Caller holds `stateLock`.
    private func readPlanLocked(from: Int64) -> [ReadStep] {
        var plan: [ReadStep] = []
        var index = segmentIndexLocked(containing: from)
        while index < segments.count {
            let segment = segments[index]
            if segment.size > 0 && segment.nextOffset > from {
                var step = ReadStep(segment: segment.file, start: 0, end: segment.size, expectedBaseOffset: nil)
                if segment.baseOffset <= from,
                    let entry = segment.offsetIndex.entry(for: UInt32(clamping: from - segment.baseOffset))
                {
                    step.start = Int64(entry.position)
                    step.expectedBaseOffset = segment.baseOffset + Int64(entry.relativeOffset)
                }
                plan.append(step)
            }
            index += 1
        }
        return plan
    }
}
