#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The embedded on-disk ``TopicStore``: Kafka-format segmented logs under one data directory.
///
/// ```
/// DATA_DIR/
///   .lock                         held (flock) while a store has the directory open
///   topics/NAME/topic.json        partitions and config (TopicMetadata)
///   topics/NAME/P/<base>.log      record batches, magic 2, CRC-32C (RecordBatchHeader)
///   topics/NAME/P/<base>.index    sparse offset -> position index (OffsetIndex)
///   topics/NAME/P/<base>.timeindex  sparse timestamp -> offset index (TimeIndex)
///   offsets/commits.log           group offsets and transaction commit points (CommitJournal)
/// ```
/// A topic is created in `topics/NAME~creating` and renamed into place, and deleted by renaming it
/// to `topics/NAME~deleting` before removing it; '~' cannot occur in a topic name, and open removes
/// any such leftover.
///
/// Thread safety: every method may be called from any thread. Topic lookups take a short catalog
/// lock; each partition is a ``PartitionLog`` with its own locks (its type doc gives the order), so
/// work on different partitions does not contend. `waitForData` parks on one condition variable
/// that publishing partitions broadcast.
///
/// Durability and crash behaviour are set by ``LogStoreOptions/sync`` and described in
/// `docs/storage.md`.
public final class LogTopicStore: TopicStore, @unchecked Sendable {
    public let directory: String
    let options: LogStoreOptions
    let clock: @Sendable () -> Int64
    let notifier = DataNotifier()
    let journal: CommitJournal

    private let catalogLock = Lock()
    // Guarded by `catalogLock`.
    private var topics: [String: LogTopic] = [:]
    private var lockFile: FileDescriptor?

    final class LogTopic: Sendable {
        let name: String
        let config: TopicConfig
        let partitions: [PartitionLog]

        init(name: String, config: TopicConfig, partitions: [PartitionLog]) {
            self.name = name
            self.config = config
            self.partitions = partitions
        }
    }

    /// Opens (creating if needed) the store in `directory`, recovering every partition.
    ///
    /// - Parameters:
    ///   - clock: milliseconds since the epoch, for retention and tombstone expiry on roll.
    /// - Throws: ``TopicStoreError`` `.io` if the directory cannot be used or another store has it
    ///   open, `.corrupt` if a partition or the journal is damaged beyond a torn tail.
    public init(
        directory: String, options: LogStoreOptions = LogStoreOptions(),
        clock: @escaping @Sendable () -> Int64 = wallClockMilliseconds
    ) throws(TopicStoreError) {
        self.directory = directory
        self.options = options
        self.clock = clock
        try FileSystem.makeDirectories(directory + "/topics")
        try FileSystem.makeDirectories(directory + "/offsets")
        let lockFile = try FileDescriptor.open(directory + "/.lock", create: true)
        if flock(lockFile.descriptor, LOCK_EX | LOCK_NB) != 0 {
            throw TopicStoreError(.io, "data directory '\(directory)' is already open in another store")
        }
        self.lockFile = lockFile
        journal = try CommitJournal(directory: directory + "/offsets", durable: options.sync != .never)
        try loadTopics()
    }

    deinit { close() }

    /// Closes every partition (fsyncing active segments unless syncing is off) and releases the
    /// directory. Later calls fail with `.io`. Idempotent.
    public func close() {
        let closing = catalogLock.withLock { () -> [LogTopic] in
            let all = Array(topics.values)
            topics = [:]
            lockFile = nil
            return all
        }
        for topic in closing { for partition in topic.partitions { partition.close() } }
        journal.close()
    }

    private var topicsDirectory: String { directory + "/topics" }

    private func loadTopics() throws(TopicStoreError) {
        for name in try FileSystem.list(topicsDirectory) {
            let path = topicsDirectory + "/" + name
            if name.contains("~") {
                try FileSystem.removeTree(path)
                continue
            }
            guard FileSystem.isDirectory(path) else { continue }
            let config = try TopicMetadata.read(fromDirectory: path, topic: name).config(topic: name)
            topics[name] = try openTopic(name, config: config)
        }
        // A crash between hiding a deleted topic and journaling its deletion leaves ends behind.
        for stale in journal.knownTopics().subtracting(topics.keys) { try journal.forgetTopic(stale) }
    }

    private func openTopic(_ name: String, config: TopicConfig) throws(TopicStoreError) -> LogTopic {
        var partitions: [PartitionLog] = []
        for index in 0..<config.partitions {
            let partition = TopicPartition(name, index)
            partitions.append(
                try PartitionLog.open(
                    partition, directory: "\(topicsDirectory)/\(name)/\(index)", config: config, options: options,
                    committedEnd: journal.committedEnd(partition)))
        }
        return LogTopic(name: name, config: config, partitions: partitions)
    }

    func partitionLog(_ partition: TopicPartition) throws(TopicStoreError) -> PartitionLog {
        try catalogLock.withLock { () throws(TopicStoreError) -> PartitionLog in
            try checkOpenLocked()
            guard let topic = topics[partition.topic] else {
                throw TopicStoreError(.unknownTopic, "topic '\(partition.topic)' does not exist")
            }
            guard partition.partition >= 0, partition.partition < topic.partitions.count else {
                throw TopicStoreError(.unknownPartition, "topic '\(partition.topic)' has no partition \(partition.partition)")
            }
            return topic.partitions[partition.partition]
        }
    }

    private func checkOpenLocked() throws(TopicStoreError) {
        if lockFile == nil { throw TopicStoreError(.io, "the store for '\(directory)' is closed") }
    }

    // MARK: - Topics

    public func createTopic(_ name: String, config: TopicConfig) throws(TopicStoreError) {
        try TopicValidation.validate(name: name)
        try TopicValidation.validate(config: config, topic: name)
        try catalogLock.withLock { () throws(TopicStoreError) in
            try checkOpenLocked()
            let final = topicsDirectory + "/" + name
            if topics[name] != nil || FileSystem.exists(final) {
                throw TopicStoreError(.topicExists, "topic '\(name)' already exists")
            }
            let staging = final + "~creating"
            try FileSystem.removeTree(staging)
            try FileSystem.makeDirectories(staging)
            try TopicMetadata(config: config).write(toDirectory: staging, durable: options.sync != .never)
            try FileSystem.rename(staging, to: final)
            if options.sync != .never { try FileSystem.syncDirectory(topicsDirectory) }
            topics[name] = try openTopic(name, config: config)
        }
    }

    public func deleteTopic(_ name: String) throws(TopicStoreError) {
        let topic = try catalogLock.withLock { () throws(TopicStoreError) -> LogTopic in
            try checkOpenLocked()
            guard let topic = topics.removeValue(forKey: name) else {
                throw TopicStoreError(.unknownTopic, "topic '\(name)' does not exist")
            }
            return topic
        }
        for partition in topic.partitions { partition.close() }
        let hidden = topicsDirectory + "/" + name + "~deleting"
        try FileSystem.removeTree(hidden)
        try FileSystem.rename(topicsDirectory + "/" + name, to: hidden)
        if options.sync != .never { try FileSystem.syncDirectory(topicsDirectory) }
        try journal.forgetTopic(name)
        try FileSystem.removeTree(hidden)
    }

    public func describeTopic(_ name: String) -> TopicDescription? {
        catalogLock.withLock { topics[name].map { TopicDescription(name: name, config: $0.config) } }
    }

    public func topicNames() -> [String] {
        catalogLock.withLock { topics.keys.sorted() }
    }

    // MARK: - Records

    @discardableResult
    public func append(_ records: [ProducerRecord], to partition: TopicPartition) throws(TopicStoreError) -> Int64 {
        let log = try partitionLog(partition)
        if records.isEmpty { return try log.endOffset() }
        var encoded = PartitionLog.EncodedAppend(
            records, fields: RecordBatchEncoder.Fields(), maxBatchBytes: options.maxBatchBytes)
        let (first, rolled) = try log.append(&encoded)
        notifier.notify()
        if rolled && options.maintenanceOnRoll { log.maintainAfterRoll(now: clock()) }
        return first
    }

    public func read(_ partition: TopicPartition, from offset: Int64, maxRecords: Int) throws(TopicStoreError)
        -> [ConsumedRecord]
    {
        try partitionLog(partition).read(from: offset, maxRecords: maxRecords)
    }

    public func endOffset(_ partition: TopicPartition) throws(TopicStoreError) -> Int64 {
        try partitionLog(partition).endOffset()
    }

    public func startOffset(_ partition: TopicPartition) throws(TopicStoreError) -> Int64 {
        try partitionLog(partition).startOffset()
    }

    /// The first offset whose record's timestamp is at least `timestamp` (Kafka's `offsetsForTimes`),
    /// found through the time index; nil if no stored record is that late.
    public func offset(forTimestamp timestamp: Int64, in partition: TopicPartition) throws(TopicStoreError) -> Int64? {
        try partitionLog(partition).offset(forTimestamp: timestamp)
    }

    /// Waits on the store's condition variable; partitions of unknown topics count as having no
    /// data (a topic created while waiting is noticed at its first append).
    public func waitForData(_ positions: [TopicPartition: Int64], timeout: Double) -> Bool {
        let deadline = deadlineAfter(seconds: timeout)
        return notifier.wait(until: deadline) {
            for (partition, offset) in positions {
                if let end = (try? partitionLog(partition))?.visibleEndIfOpen(), end > offset { return true }
            }
            return false
        }
    }

    public func committedOffsets(group: String) -> [TopicPartition: Int64] {
        journal.offsets(group: group)
    }

    // MARK: - Maintenance

    /// Applies time and size retention to every topic with the delete policy. Returns the number
    /// of segments deleted.
    @discardableResult
    public func enforceRetention(now: Int64) throws(TopicStoreError) -> Int {
        var deleted = 0
        for log in allPartitions() { deleted += try log.enforceRetention(now: now) }
        return deleted
    }

    /// Compacts every topic with the compact policy. Returns the number of records removed.
    @discardableResult
    public func compact(now: Int64) throws(TopicStoreError) -> Int {
        var removed = 0
        for log in allPartitions() { removed += try log.compact(now: now) }
        return removed
    }

    private func allPartitions() -> [PartitionLog] {
        catalogLock.withLock { topics.keys.sorted().flatMap { topics[$0]!.partitions } }
    }

    /// How many callers are parked in `waitForData` (tests use it to publish only once a waiter is
    /// really blocked).
    var waiterCount: Int { notifier.waiterCount }
}
