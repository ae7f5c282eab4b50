#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The embedded on-disk ``TopicStore``: Kafka-format segmented logs under one data directory.
///
/// ```
/// DATA_DIR/
///   .lock                         flock'd shared by every open store; exclusive during recovery
///   topics/NAME/topic.json        partitions and config (TopicMetadata)
///   topics/NAME/P/<base>.log      record batches, magic 2, CRC-32C (RecordBatchHeader)
///   topics/NAME/P/<base>.index    sparse offset -> position index (OffsetIndex)
///   topics/NAME/P/<base>.timeindex  sparse timestamp -> offset index (TimeIndex)
///   topics/NAME/P/partition.state shared page: published extent, writer lock (SharedPartitionState)
///   topics/NAME/P/cleaner.lock    flock'd by whoever runs retention or compaction
///   topics/NAME/P/tombstone.horizons  when compaction first kept each segment's tombstones
///   offsets/commits.log           group offsets and transaction commit points (CommitJournal)
///   offsets/commits.lock          flock'd by journal writers
/// ```
///
/// Several processes may open the same directory (`sluice produce` beside a running engine). The
/// first opener (the only one that gets `.lock` exclusively) recovers everything; later ones adopt
/// what the shared pages say is published. Writers of a partition take its `flock`; readers notice
/// other processes' appends, rolls and deletions through the shared page, topics created elsewhere
/// at their first use, and wake within microseconds through `ChangeWatcher`.
/// A topic is created in `topics/NAME~creating.PID` and renamed into place, and deleted by renaming
/// it to `topics/NAME~deleting.PID` before removing it; '~' cannot occur in a topic name, and an
/// exclusive open removes any such leftover.
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
    /// Runs retention and compaction after rolls, off the appending thread.
    let maintenance: MaintenanceWorker

    private let catalogLock = Lock()
    // Guarded by `catalogLock`.
    private var topics: [String: LogTopic] = [:]
    private var lockFile: FileDescriptor?
    private var watcher: ChangeWatcher?
    private var watcherStarted = false
    private var flusher: IntervalFlusher?

    final class LogTopic: Sendable {
        let name: String
        let settings: TopicSettings
        let partitions: [PartitionLog]
        /// The topic directory's inode: a topic deleted and created again elsewhere has a new one.
        let inode: UInt64?

        init(name: String, settings: TopicSettings, partitions: [PartitionLog], inode: UInt64?) {
            self.name = name
            self.settings = settings
            self.partitions = partitions
            self.inode = inode
        }

        /// The settings now, after picking up another process's alteration.
        var config: TopicConfig { partitions[0].config }

        /// Another process deleted it (seen on a shared page: a memory load).
        /// A deleter marks partition 0 first, so one load answers for the topic.
        var isDeletedElsewhere: Bool { partitions[0].shared.isDeleted }
    }

    /// Opens (creating if needed) the store in `directory`, recovering every partition.
    ///
    /// - Parameters:
    ///   - clock: milliseconds since the epoch, for retention and tombstone expiry on roll.
    /// - Throws: ``TopicStoreError`` `.io` if the directory cannot be created or written, `.corrupt`
    ///   if a partition or the journal is damaged beyond a torn tail.
    ///
    /// Other stores, in this or other processes, may have the directory open at the same time.
    public init(
        directory: String, options: LogStoreOptions = LogStoreOptions(),
        clock: @escaping @Sendable () -> Int64 = wallClockMilliseconds
    ) throws(TopicStoreError) {
        self.directory = directory
        self.options = options
        self.clock = clock
        maintenance = MaintenanceWorker(clock: clock)
        try FileSystem.makeDirectories(directory + "/topics")
        try FileSystem.makeDirectories(directory + "/offsets")
        if access(directory, W_OK) != 0 || access(directory + "/topics", W_OK) != 0 {
            throw TopicStoreError(.io, "data directory '\(directory)' is not writable")
        }
        let lockFile = try FileDescriptor.open(directory + "/.lock", create: true)
        // Alone in the directory: recover everything, then let others in (flock converts the lock).
        let exclusive = try lockFile.tryLock(exclusive: true)
        if !exclusive { try lockFile.lock(exclusive: false) }
        self.lockFile = lockFile
        journal = try CommitJournal(directory: directory + "/offsets", durable: options.sync != .never)
        try loadTopics(exclusive: exclusive)
        if exclusive { try lockFile.lock(exclusive: false) }
        if case .interval(let milliseconds) = options.sync {
            flusher = IntervalFlusher(intervalMilliseconds: milliseconds) { [weak self] in
                guard let self else { return }
                for log in self.allPartitions() { log.syncIfDirty() }
            }
        }
    }

    deinit { close() }

    /// Closes every partition (fsyncing active segments unless syncing is off) and releases the
    /// directory. Later calls fail with `.io`. Idempotent.
    public func close() {
        let (closing, watcher, flusher) = catalogLock.withLock { () -> ([LogTopic], ChangeWatcher?, IntervalFlusher?) in
            let all = Array(topics.values)
            topics = [:]
            lockFile = nil
            defer {
                self.watcher = nil
                self.flusher = nil
            }
            return (all, self.watcher, self.flusher)
        }
        // Cleaning queued by the last appends finishes first: a short-lived process (`sluice
        // produce`) leaves retention and compaction done, as they would be had it stayed.
        maintenance.stop()
        flusher?.stop()
        watcher?.stop()
        for topic in closing { for partition in topic.partitions { partition.close() } }
        journal.close()
    }

    private var topicsDirectory: String { directory + "/topics" }

    /// Opens every topic; `exclusive` (no other process has the directory) also removes leftovers
    /// of interrupted creations and deletions, and journal ends of topics that are gone.
    private func loadTopics(exclusive: Bool) throws(TopicStoreError) {
        for name in try FileSystem.list(topicsDirectory) {
            let path = topicsDirectory + "/" + name
            if name.contains("~") {
                if exclusive { try FileSystem.removeTree(path) }
                continue
            }
            guard FileSystem.isDirectory(path) else { continue }
            let config = try TopicMetadata.read(fromDirectory: path, topic: name).config(topic: name)
            topics[name] = try openTopic(name, config: config, exclusive: exclusive)
        }
        // A crash between hiding a deleted topic and journaling its deletion leaves ends behind.
        if exclusive {
            for stale in journal.knownTopics().subtracting(topics.keys) { try journal.forgetTopic(stale) }
        }
    }

    /// Caller holds `catalogLock` (or is the initializer).
    private func openTopic(_ name: String, config: TopicConfig, exclusive: Bool = false) throws(TopicStoreError)
        -> LogTopic
    {
        let inode = FileSystem.inode(topicsDirectory + "/" + name)
        let settings = TopicSettings(topic: name, directory: topicsDirectory + "/" + name, config: config)
        var partitions: [PartitionLog] = []
        for index in 0..<config.partitions {
            let partition = TopicPartition(name, index)
            let log = try PartitionLog.open(
                partition, directory: "\(topicsDirectory)/\(name)/\(index)", settings: settings, options: options,
                journal: journal, exclusive: exclusive)
            watcher?.watchPartition(statePath: log.shared.path)
            partitions.append(log)
        }
        // An alteration between reading `topic.json` and reading the pages' generations would
        // otherwise go unnoticed: read the file again now that the generations are known.
        if partitions.contains(where: { $0.knownSettings.load(ordering: .relaxed) != 0 }) { try? settings.reload() }
        return LogTopic(name: name, settings: settings, partitions: partitions, inode: inode)
    }

    /// The catalog's topic, after dropping it if another process deleted it and picking up one
    /// another process created. Caller holds `catalogLock`.
    private func topicLocked(_ name: String) throws(TopicStoreError) -> LogTopic? {
        if let topic = topics[name] {
            if !topic.isDeletedElsewhere { return topic }
            evictLocked(name)
        }
        return try discoverLocked(name)
    }

    private func evictLocked(_ name: String) {
        guard let topic = topics.removeValue(forKey: name) else { return }
        for partition in topic.partitions { partition.close() }
    }

    /// Opens a topic that exists on disk but not (or no longer) in the catalog.
    private func discoverLocked(_ name: String) throws(TopicStoreError) -> LogTopic? {
        guard (try? TopicValidation.validate(name: name)) != nil else { return nil }
        let path = topicsDirectory + "/" + name
        guard FileSystem.exists(path + "/" + TopicMetadata.fileName) else { return nil }
        let config = try TopicMetadata.read(fromDirectory: path, topic: name).config(topic: name)
        let topic = try openTopic(name, config: config)
        topics[name] = topic
        return topic
    }

    /// Brings the catalog in line with the directory: topics created or deleted by other processes.
    private func syncCatalogLocked() {
        guard let names = try? FileSystem.list(topicsDirectory) else { return }
        let onDisk = Set(names.filter { !$0.contains("~") })
        for (name, topic) in topics
        where !onDisk.contains(name) || topic.isDeletedElsewhere
            || FileSystem.inode(topicsDirectory + "/" + name) != topic.inode
        {
            evictLocked(name)
        }
        for name in onDisk where topics[name] == nil { _ = try? discoverLocked(name) }
    }

    func partitionLog(_ partition: TopicPartition) throws(TopicStoreError) -> PartitionLog {
        try catalogLock.withLock { () throws(TopicStoreError) -> PartitionLog in
            try checkOpenLocked()
            guard let topic = try topicLocked(partition.topic) else {
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
            let exists = TopicStoreError(.topicExists, "topic '\(name)' already exists")
            if try topicLocked(name) != nil || FileSystem.exists(final) { throw exists }
            let staging = final + "~creating.\(getpid())"
            try FileSystem.removeTree(staging)
            try FileSystem.makeDirectories(staging)
            try TopicMetadata(config: config).write(toDirectory: staging, durable: options.sync != .never)
            // Another process may create the same topic at the same moment: rename refuses to
            // replace a non-empty directory, so exactly one wins.
            if systemRenameDirectory(staging, final) != 0 {
                let failure = errno
                try? FileSystem.removeTree(staging)
                if failure == ENOTEMPTY || failure == EEXIST { throw exists }
                throw TopicStoreError(.io, "cannot create topic '\(name)': \(String(cString: strerror(failure)))")
            }
            if options.sync != .never { try FileSystem.syncDirectory(topicsDirectory) }
            topics[name] = try openTopic(name, config: config)
        }
    }

    /// Deletes the topic for every process: hides its directory (new opens no longer find it),
    /// marks each partition's shared page deleted under its writer lock (a writer elsewhere
    /// finishes its append first; later ones fail with `.unknownTopic`), then removes the files.
    public func deleteTopic(_ name: String) throws(TopicStoreError) {
        // Cleaning already queued (for this topic among others) finishes first, rather than writing
        // into a directory being removed.
        maintenance.drain()
        let topic = try catalogLock.withLock { () throws(TopicStoreError) -> LogTopic in
            try checkOpenLocked()
            guard let topic = try topicLocked(name) else {
                throw TopicStoreError(.unknownTopic, "topic '\(name)' does not exist")
            }
            topics.removeValue(forKey: name)
            return topic
        }
        let hidden = topicsDirectory + "/" + name + "~deleting.\(getpid())"
        try FileSystem.removeTree(hidden)
        if systemRenameDirectory(topicsDirectory + "/" + name, hidden) != 0 {
            if errno == ENOENT {
                for partition in topic.partitions { partition.close() }
                throw TopicStoreError(.unknownTopic, "topic '\(name)' does not exist")
            }
            throw FileSystem.error("rename", topicsDirectory + "/" + name)
        }
        for partition in topic.partitions {
            partition.writeLock.withLock {
                if (try? partition.shared.lock()) != nil {
                    partition.shared.markDeleted()
                    partition.shared.unlock()
                }
            }
            partition.close()
        }
        if options.sync != .never { try FileSystem.syncDirectory(topicsDirectory) }
        try journal.forgetTopic(name)
        try FileSystem.removeTree(hidden)
    }

    /// Rewrites `topic.json`, then tells every holder: this process's partitions at once, other
    /// processes' through the shared pages (they re-read the file before their next append or
    /// cleaning). Rolling, retention and compaction follow the new settings from then on; segments
    /// already sealed stay as they are.
    public func alterTopic(_ name: String, config: TopicConfig) throws(TopicStoreError) {
        try catalogLock.withLock { () throws(TopicStoreError) in
            try checkOpenLocked()
            guard let topic = try topicLocked(name) else {
                throw TopicStoreError(.unknownTopic, "topic '\(name)' does not exist")
            }
            try TopicValidation.validate(alteration: config, of: topic.config, topic: name)
            try TopicMetadata(config: config).write(toDirectory: topic.settings.directory, durable: options.sync != .never)
            topic.settings.replace(with: config)
            for partition in topic.partitions {
                partition.shared.bumpSettings()
                partition.knownSettings.store(partition.shared.settingsGeneration, ordering: .relaxed)
            }
        }
    }

    public func describeTopic(_ name: String) -> TopicDescription? {
        catalogLock.withLock {
            guard lockFile != nil, let topic = try? topicLocked(name) else { return nil }
            return TopicDescription(name: name, config: topic.config)
        }
    }

    /// Sorted; includes topics other processes created (one directory listing per call).
    public func topicNames() -> [String] {
        catalogLock.withLock {
            if lockFile != nil { syncCatalogLocked() }
            return topics.keys.sorted()
        }
    }

    // MARK: - Records

    @discardableResult
    public func append(_ records: [ProducerRecord], to partition: TopicPartition) throws(TopicStoreError) -> Int64 {
        let log = try partitionLog(partition)
        if records.isEmpty { return try log.endOffset() }
        var encoded = try PartitionLog.EncodedAppend(
            records, fields: RecordBatchEncoder.Fields(), maxBatchBytes: options.maxBatchBytes,
            maxRecordBytes: options.maxRecordBytes, appendTime: appendTime(for: log), partition: partition)
        let (first, rolled) = try log.append(&encoded)
        notifier.notify()
        if rolled && options.maintenanceOnRoll { maintenance.schedule(log) }
        return first
    }

    /// Waits until the retention and compaction queued by rolls so far have run.
    func waitForMaintenance() { maintenance.drain() }

    /// The time that replaces the records' own on a `LogAppendTime` topic; nil on a `CreateTime` one.
    func appendTime(for log: PartitionLog) -> Int64? {
        log.refreshSettings()
        return log.settings.stampsAppendTime.load(ordering: .acquiring) ? clock() : nil
    }

    public func read(_ partition: TopicPartition, from offset: Int64, maxRecords: Int) throws(TopicStoreError)
        -> [ConsumedRecord]
    {
        try partitionLog(partition).read(from: offset, maxRecords: maxRecords)
    }

    public func scan(
        _ partition: TopicPartition, from offset: Int64, maxRecords: Int,
        _ body: (borrowing RecordView) throws(TopicStoreError) -> Void
    ) throws(TopicStoreError) -> Int64 {
        try partitionLog(partition).scan(from: offset, maxRecords: maxRecords, body)
    }

    public func endOffset(_ partition: TopicPartition) throws(TopicStoreError) -> Int64 {
        try partitionLog(partition).endOffset()
    }

    public func startOffset(_ partition: TopicPartition) throws(TopicStoreError) -> Int64 {
        try partitionLog(partition).startOffset()
    }

    /// How a partition is stored: its segments and their published bytes (what `topic describe`
    /// shows, so rolling and retention can be watched from the command line).
    public func storage(of partition: TopicPartition) throws(TopicStoreError) -> PartitionStorage {
        try partitionLog(partition).storage()
    }

    /// The first offset whose record's timestamp is at least `timestamp` (Kafka's `offsetsForTimes`),
    /// found through the time index; nil if no stored record is that late.
    public func offset(forTimestamp timestamp: Int64, in partition: TopicPartition) throws(TopicStoreError) -> Int64? {
        try partitionLog(partition).offset(forTimestamp: timestamp)
    }

    /// Waits on the store's condition variable, which local publishes broadcast and the
    /// ``ChangeWatcher`` broadcasts when another process rings a waited partition's doorbell.
    /// Partitions of unknown topics count as having no data; a topic another process creates is
    /// noticed within ``crossProcessPollSeconds``.
    public func waitForData(_ positions: [TopicPartition: Int64], timeout: Double) -> Bool {
        let deadline = deadlineAfter(seconds: timeout)
        let hasWatcher = startWatcher()
        var waited: [(PartitionLog, Int64)] = []
        var unresolved = 0
        for (partition, offset) in positions {
            if let log = try? partitionLog(partition) { waited.append((log, offset)) } else { unresolved += 1 }
        }
        for (log, _) in waited { log.shared.addWaiter() }
        defer { for (log, _) in waited { log.shared.removeWaiter() } }
        let poll = UInt64((hasWatcher ? Self.crossProcessPollSeconds : 0.002) * 1e9)
        var seen = [UInt64](repeating: 0, count: waited.count)
        while true {
            for (index, (log, offset)) in waited.enumerated() {
                if let end = log.currentEndForWaiting(), end > offset { return true }
                // Compared below: a change since this look wakes the wait. (Not the known
                // sequence: a refresh skipped because a local writer is busy must not spin.)
                seen[index] = log.shared.sequence
            }
            if unresolved > 0 {
                for (partition, offset) in positions where !waited.contains(where: { $0.0.topicPartition == partition }) {
                    if let end = (try? partitionLog(partition))?.currentEndForWaiting(), end > offset { return true }
                }
            }
            let now = monotonicNanoseconds()
            if now >= deadline { return false }
            _ = notifier.wait(until: min(deadline, now + poll)) {
                for (index, (log, offset)) in waited.enumerated() {
                    if log.shared.sequence != seen[index] { return true }
                    if let end = log.visibleEndIfOpen(), end > offset { return true }
                }
                return false
            }
        }
    }

    /// How often a waiter re-checks on its own when inotify wakes it for everything else: bounds
    /// how late it notices a topic created by another process.
    static let crossProcessPollSeconds = 0.05

    /// Starts the inotify watcher on first use; false if the platform has none.
    private func startWatcher() -> Bool {
        catalogLock.withLock {
            if !watcherStarted {
                watcherStarted = true
                let notifier = self.notifier
                watcher = ChangeWatcher { notifier.notify() }
                watcher?.watchDirectory(topicsDirectory)
                for topic in topics.values { for log in topic.partitions { watcher?.watchPartition(statePath: log.shared.path) } }
            }
            return watcher != nil
        }
    }

    /// Refuses an append holding a record over ``LogStoreOptions/maxRecordBytes``.
    func checkRecordSizes(_ records: [ProducerRecord], _ partition: TopicPartition) throws(TopicStoreError) {
        let limit = options.maxRecordBytes
        for index in records.indices {
            let size = RecordBatchEncoder.payloadSize(records[index])
            if size > limit { throw Self.recordTooLarge(index: index, size: size, limit: limit, partition: partition) }
        }
    }

    static func recordTooLarge(index: Int, size: Int, limit: Int, partition: TopicPartition) -> TopicStoreError {
        TopicStoreError(
            .recordTooLarge,
            "record \(index) for \(partition) is \(size) bytes, over the limit of \(limit) (maxRecordBytes); nothing was appended")
    }

    /// Checks that `offset` is one a reader can position at: between the start offset and the end
    /// offset, both included. `read` itself is lenient (below the start reads from the start, past
    /// the end reads nothing); a command that takes an offset from a user uses this to say why.
    public func validateOffset(_ offset: Int64, in partition: TopicPartition) throws(TopicStoreError) {
        let log = try partitionLog(partition)
        let start = try log.startOffset()
        let end = try log.endOffset()
        if offset < start || offset > end {
            throw TopicStoreError(
                .offsetOutOfRange, "offset \(offset) is out of range for \(partition): it holds offsets \(start) to \(end - 1)")
        }
    }

    public func committedOffsets(group: String) -> [TopicPartition: Int64] {
        journal.offsets(group: group)
    }

    // MARK: - Maintenance

    /// Applies time and size retention to every topic whose policy deletes (`delete`,
    /// `compact,delete`). Returns the number of segments deleted.
    @discardableResult
    public func enforceRetention(now: Int64) throws(TopicStoreError) -> Int {
        var deleted = 0
        for log in allPartitions() {
            try log.catchUp()
            deleted += try log.enforceRetention(now: now)
        }
        return deleted
    }

    /// Compacts every topic whose policy compacts (`compact`, `compact,delete`). Returns the number
    /// of records removed.
    @discardableResult
    public func compact(now: Int64) throws(TopicStoreError) -> Int {
        var removed = 0
        for log in allPartitions() {
            try log.catchUp()
            removed += try log.compact(now: now)
        }
        return removed
    }

    private func allPartitions() -> [PartitionLog] {
        catalogLock.withLock { topics.keys.sorted().flatMap { topics[$0]!.partitions } }
    }

    /// How many callers are parked in `waitForData` (tests use it to publish only once a waiter is
    /// really blocked).
    var waiterCount: Int { notifier.waiterCount }
}

#if canImport(Glibc)
/// `rename(2)` for directories, returning the raw result so callers can tell "already exists".
private func systemRenameDirectory(_ from: String, _ to: String) -> Int32 { Glibc.rename(from, to) }
#else
private func systemRenameDirectory(_ from: String, _ to: String) -> Int32 { Darwin.rename(from, to) }
#endif
