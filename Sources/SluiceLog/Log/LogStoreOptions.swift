/// Tuning and durability settings of a ``LogTopicStore``; per-topic settings live in ``TopicConfig``.
public struct LogStoreOptions: Sendable {
    /// When data reaches the disk, not just the page cache: the flush policy.
    ///
    /// Every mode survives a crash of the process: written bytes are in the kernel's page cache.
    /// The modes differ for a crash of the machine (power loss, kernel panic). In every mode,
    /// recovery checks each batch's CRC, so a torn or corrupt record is never read back: it is
    /// truncated (torn tail) or reported (damage before valid data).
    ///
    /// | policy | plain append durable after a machine crash |
    /// |---|---|
    /// | `.never`, `.onCommit` | when the OS writes it back (typically within ~30 s) |
    /// | `.interval(milliseconds: n)` | within about `n` ms |
    /// | `.always` | before `append` returns |
    public enum SyncPolicy: Sendable, Hashable {
        /// Never fsync. For tests and benchmarks; a machine crash may lose or tear recent writes and
        /// committed offsets.
        case never
        /// fsync what a ``LogTopicStore/commit(_:)`` wrote (its output partitions, then the commit
        /// journal) before it returns, and a segment when it is sealed. Plain appends are not
        /// synced on their own. Committed offsets are never ahead of durable outputs.
        case onCommit
        /// Also fsync after every plain append (every batch).
        case always
        /// Like ``onCommit``, and a background thread fsyncs every partition appended to in the
        /// last `milliseconds`: bounded loss, without making appends wait for the disk.
        case interval(milliseconds: Int)
    }

    public var sync: SyncPolicy
    /// Log bytes between two offset-index entries (Kafka's `index.interval.bytes`).
    public var indexIntervalBytes: Int
    /// An append is split into record batches of about this many bytes, which bounds how much a
    /// read that starts in the middle of a batch has to decode and skip.
    public var maxBatchBytes: Int
    /// How long a tombstone stays in a compacted topic after compaction first kept it (Kafka's
    /// `delete.retention.ms`; a topic's own setting wins), so slow readers still see the deletion.
    public var tombstoneRetentionMs: Int64
    /// Check each batch's CRC-32C when reading (recovery always checks the tail segment).
    public var verifyChecksumsOnRead: Bool
    /// Run retention, and compaction when due, after an append rolls a segment: on the store's
    /// cleaner thread, so the append returns at once (closing the store waits for it). Off, the owner calls
    /// ``LogTopicStore/enforceRetention(now:)`` and ``LogTopicStore/compact(now:)`` itself.
    public var maintenanceOnRoll: Bool
    /// Compact a topic on roll once this fraction of its sealed bytes has not been compacted yet
    /// (Kafka's `min.cleanable.dirty.ratio`).
    public var minCleanableDirtyRatio: Double
    /// The largest record accepted, in bytes of key, value and headers (Kafka's
    /// `max.message.bytes`, about 1 MiB by default). A larger one fails the append with
    /// ``TopicStoreError/Code/recordTooLarge`` and nothing of that append is stored.
    public var maxRecordBytes: Int
    /// Under `.onCommit` and `.interval`, the disk write of each active segment is started (not
    /// waited for) every this many appended bytes, so a commit's or a roll's fsync finds little
    /// left to write (see `EarlyWriteback`); 0 leaves it to the OS. Like RocksDB's
    /// `bytes_per_sync`. Ignored under `.never` (the OS decides) and `.always` (every append is
    /// fsynced).
    public var writebackBytes: Int

    public init(
        sync: SyncPolicy = .onCommit, indexIntervalBytes: Int = 4096, maxBatchBytes: Int = 64 << 10,
        tombstoneRetentionMs: Int64 = 86_400_000, verifyChecksumsOnRead: Bool = true, maintenanceOnRoll: Bool = true,
        minCleanableDirtyRatio: Double = 0.5, maxRecordBytes: Int = 1 << 20, writebackBytes: Int = 1 << 20
    ) {
        self.writebackBytes = max(0, writebackBytes)
        self.maxRecordBytes = max(1, maxRecordBytes)
        self.sync = sync
        self.indexIntervalBytes = max(1, indexIntervalBytes)
        self.maxBatchBytes = max(1, maxBatchBytes)
        self.tombstoneRetentionMs = tombstoneRetentionMs
        self.verifyChecksumsOnRead = verifyChecksumsOnRead
        self.maintenanceOnRoll = maintenanceOnRoll
        self.minCleanableDirtyRatio = minCleanableDirtyRatio
    }
}

extension LogStoreOptions {
    /// ``writebackBytes`` where the sync policy uses it, else 0.
    var effectiveWritebackBytes: Int {
        switch sync {
        case .onCommit, .interval: writebackBytes
        case .never, .always: 0
        }
    }
}

/// Wakes `waitForData` callers when any partition of a store publishes new records.
final class DataNotifier: @unchecked Sendable {
    private let condition = ConditionLock()
    private var waiters = 0  // guarded by `condition`

    /// Call after publishing, with no partition lock held.
    func notify() {
        condition.withLock {
            if waiters > 0 { condition.broadcast() }
        }
    }

    /// Blocks until `ready()` is true or the deadline passes; returns the last value of `ready()`.
    /// `ready()` runs with the notifier's lock held, so it must not call ``notify()``.
    func wait(until deadline: UInt64, ready: () -> Bool) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        waiters += 1
        defer { waiters -= 1 }
        while true {
            if ready() { return true }
            if !condition.wait(until: deadline) { return ready() }
        }
    }

    /// How many callers are blocked in ``wait(until:ready:)`` (for tests that must know a waiter
    /// is parked before they publish).
    var waiterCount: Int { condition.withLock { waiters } }
}
