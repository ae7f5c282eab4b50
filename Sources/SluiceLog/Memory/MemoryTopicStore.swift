/// An in-memory ``TopicStore`` for tests and `sluice test`.
///
/// Conformance runs create thousands of stores and topics, so this is deliberately plain: one lock
/// guards everything, records are kept as ``ConsumedRecord`` values (an append copies references to
/// the key and value arrays, not bytes), and reads copy a slice. `waitForData` waits on a condition
/// variable broadcast by appends and commits; nothing spins.
///
/// Differences from ``LogTopicStore``, all deliberate: nothing is retained or compacted away (the
/// start offset stays 0, whatever the retention settings), and a transaction is trivially atomic because it runs under the one lock.
public final class MemoryTopicStore: TopicStore, @unchecked Sendable {
    private struct Topic {
        var config: TopicConfig
        var partitions: [[ConsumedRecord]]
    }

    private let lock = ConditionLock()
    // Everything below is guarded by `lock`.
    private var topics: [String: Topic] = [:]
    private var groups: [String: [TopicPartition: Int64]] = [:]
    private var waiters = 0
    private let clock: @Sendable () -> Int64

    /// - Parameter clock: milliseconds since the epoch, the time records get on a `LogAppendTime` topic.
    public init(clock: @escaping @Sendable () -> Int64 = wallClockMilliseconds) {
        self.clock = clock
    }

    public func createTopic(_ name: String, config: TopicConfig) throws(TopicStoreError) {
        try TopicValidation.validate(name: name)
        try TopicValidation.validate(config: config, topic: name)
        try lock.withLock { () throws(TopicStoreError) in
            if topics[name] != nil { throw TopicStoreError(.topicExists, "topic '\(name)' already exists") }
            topics[name] = Topic(config: config, partitions: Array(repeating: [], count: config.partitions))
        }
    }

    public func deleteTopic(_ name: String) throws(TopicStoreError) {
        try lock.withLock { () throws(TopicStoreError) in
            if topics.removeValue(forKey: name) == nil {
                throw TopicStoreError(.unknownTopic, "topic '\(name)' does not exist")
            }
            // As in Kafka and the log store: a deleted topic's committed offsets go with it.
            for (group, offsets) in groups {
                let kept = offsets.filter { $0.key.topic != name }
                groups[group] = kept.isEmpty ? nil : kept
            }
        }
    }

    public func alterTopic(_ name: String, config: TopicConfig) throws(TopicStoreError) {
        try lock.withLock { () throws(TopicStoreError) in
            guard let current = topics[name]?.config else {
                throw TopicStoreError(.unknownTopic, "topic '\(name)' does not exist")
            }
            try TopicValidation.validate(alteration: config, of: current, topic: name)
            topics[name]!.config = config
        }
    }

    public func describeTopic(_ name: String) -> TopicDescription? {
        lock.withLock { topics[name].map { TopicDescription(name: name, config: $0.config) } }
    }

    public func topicNames() -> [String] {
        lock.withLock { topics.keys.sorted() }
    }

    @discardableResult
    public func append(_ records: [ProducerRecord], to partition: TopicPartition) throws(TopicStoreError) -> Int64 {
        try lock.withLock { () throws(TopicStoreError) in
            try check(partition)
            let first = appendLocked(records, to: partition)
            if waiters > 0 { lock.broadcast() }
            return first
        }
    }

    public func read(_ partition: TopicPartition, from offset: Int64, maxRecords: Int) throws(TopicStoreError)
        -> [ConsumedRecord]
    {
        try lock.withLock { () throws(TopicStoreError) in
            try check(partition)
            let records = topics[partition.topic]!.partitions[partition.partition]
            let start = Int(clamping: max(offset, 0))
            guard maxRecords > 0, start < records.count else { return [] }
            let end = start + min(maxRecords, records.count - start)
            return Array(records[start..<end])
        }
    }

    /// Views of the stored arrays. `body` runs outside the lock (on a copy of the records taken
    /// under it), so it may call back into the store, as it may with the log store. A copy, not a
    /// slice: a slice would keep the partition's storage shared, and every append made meanwhile
    /// by another thread would then copy the whole partition.
    public func scan(
        _ partition: TopicPartition, from offset: Int64, maxRecords: Int,
        _ body: (borrowing RecordView) throws(TopicStoreError) -> Void
    ) throws(TopicStoreError) -> Int64 {
        let records = try read(partition, from: offset, maxRecords: maxRecords)
        guard maxRecords > 0 else { return offset }
        for record in records { try record.withView(body) }
        return max(offset, 0) + Int64(records.count)
    }

    public func endOffset(_ partition: TopicPartition) throws(TopicStoreError) -> Int64 {
        try lock.withLock { () throws(TopicStoreError) in
            try check(partition)
            return Int64(topics[partition.topic]!.partitions[partition.partition].count)
        }
    }

    public func startOffset(_ partition: TopicPartition) throws(TopicStoreError) -> Int64 {
        try lock.withLock { () throws(TopicStoreError) in
            try check(partition)
            return 0
        }
    }

    public func waitForData(_ positions: [TopicPartition: Int64], timeout: Double) -> Bool {
        let deadline = deadlineAfter(seconds: timeout)
        lock.lock()
        defer { lock.unlock() }
        waiters += 1
        defer { waiters -= 1 }
        while true {
            if hasDataLocked(positions) { return true }
            if !lock.wait(until: deadline) { return hasDataLocked(positions) }
        }
    }

    public func commit(_ transaction: StoreTransaction) throws(TopicStoreError) {
        try lock.withLock { () throws(TopicStoreError) in
            // Validate everything first, so a bad partition leaves no partial transaction behind.
            for (partition, _) in transaction.appends { try check(partition) }
            if transaction.group != nil { for partition in transaction.offsets.keys { try check(partition) } }
            for (partition, records) in transaction.appends where !records.isEmpty {
                appendLocked(records, to: partition)
            }
            if let group = transaction.group, !transaction.offsets.isEmpty {
                groups[group, default: [:]].merge(transaction.offsets) { _, new in new }
            }
            if waiters > 0 { lock.broadcast() }
        }
    }

    public func committedOffsets(group: String) -> [TopicPartition: Int64] {
        lock.withLock { groups[group] ?? [:] }
    }

    /// How many callers are parked in `waitForData` (for tests that must publish only once a
    /// waiter is really blocked).
    var waiterCount: Int { lock.withLock { waiters } }

    // MARK: - Private, called with `lock` held

    private func check(_ partition: TopicPartition) throws(TopicStoreError) {
        guard let topic = topics[partition.topic] else {
            throw TopicStoreError(.unknownTopic, "topic '\(partition.topic)' does not exist")
        }
        guard partition.partition >= 0, partition.partition < topic.partitions.count else {
            throw TopicStoreError(.unknownPartition, "topic '\(partition.topic)' has no partition \(partition.partition)")
        }
    }

    @discardableResult
    private func appendLocked(_ records: [ProducerRecord], to partition: TopicPartition) -> Int64 {
        let first = Int64(topics[partition.topic]!.partitions[partition.partition].count)
        let appendTime = topics[partition.topic]!.config.timestampType == .logAppendTime ? clock() : nil
        // `append(contentsOf:)` grows geometrically and mutates in place through the dictionary.
        topics[partition.topic]!.partitions[partition.partition].append(
            contentsOf: records.indices.lazy.map { index in
                let record = records[index]
                return ConsumedRecord(
                    offset: first + Int64(index), key: record.key, value: record.value,
                    timestamp: appendTime ?? record.timestamp, headers: record.headers)
            })
        return first
    }

    private func hasDataLocked(_ positions: [TopicPartition: Int64]) -> Bool {
        for (partition, offset) in positions {
            guard let topic = topics[partition.topic], partition.partition >= 0,
                partition.partition < topic.partitions.count
            else { continue }
            if Int64(topic.partitions[partition.partition].count) > offset { return true }
        }
        return false
    }
}

/// The monotonic deadline `seconds` from now; negative or NaN means now, and huge values are capped
/// at about 30 years so the arithmetic cannot overflow.
func deadlineAfter(seconds: Double) -> UInt64 {
    let capped = seconds.isNaN ? 0 : min(max(seconds, 0), 1e9)
    return monotonicNanoseconds() + UInt64(capped * 1e9)
}
