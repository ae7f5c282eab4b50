/// A record header: Kafka allows repeated keys and null values.
public struct Header: Hashable, Sendable {
    public var key: String
    public var value: [UInt8]?

    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}

/// A record on its way into a partition.
public struct ProducerRecord: Hashable, Sendable {
    public var key: [UInt8]?
    /// nil is a tombstone.
    public var value: [UInt8]?
    /// Milliseconds since the epoch.
    public var timestamp: Int64
    public var headers: [Header]

    public init(key: [UInt8]?, value: [UInt8]?, timestamp: Int64, headers: [Header] = []) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.headers = headers
    }
}

/// A record read back from a partition.
public struct ConsumedRecord: Hashable, Sendable {
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var timestamp: Int64
    public var headers: [Header]

    public init(offset: Int64, key: [UInt8]?, value: [UInt8]?, timestamp: Int64, headers: [Header] = []) {
        self.offset = offset
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.headers = headers
    }
}

public struct TopicPartition: Hashable, Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: Int

    public init(_ topic: String, _ partition: Int) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)-\(partition)" }
}

/// Kafka's `cleanup.policy`: what happens to records nobody needs any more.
public enum CleanupPolicy: String, Hashable, Sendable {
    /// Whole old segments go by `retention.ms` and `retention.bytes`.
    case delete
    /// The latest record of each key stays; older ones go.
    case compact
    /// Both (`compact,delete`): what ksqlDB gives windowed tables, whose keys carry the window, so
    /// compaction keeps the last result of each window and retention drops old windows.
    case compactDelete = "compact,delete"

    var deletes: Bool { self != .compact }
    var compacts: Bool { self != .delete }
}

/// Which time a record's timestamp is: the producer's (`CreateTime`) or the moment the log stored
/// it (`LogAppendTime`, which replaces whatever the producer sent). Kafka's
/// `message.timestamp.type`.
public enum TimestampType: String, Hashable, Sendable {
    case createTime = "CreateTime"
    case logAppendTime = "LogAppendTime"
}

/// A topic's settings, named after Kafka's topic configs (`TopicConfig+Settings.swift` maps the
/// `key=value` form the CLI takes). Defaults are Kafka's, except `segmentBytes` (64 MiB, not 1 GiB:
/// an embedded log on a laptop should not hold a gigabyte in one active file).
public struct TopicConfig: Hashable, Sendable {
    public var partitions: Int
    public var cleanupPolicy: CleanupPolicy
    /// `retention.ms`; nil keeps records forever.
    public var retentionMs: Int64?
    /// `retention.bytes` per partition; nil has no limit.
    public var retentionBytes: Int64?
    /// `segment.bytes`: the active segment rolls before growing past this.
    public var segmentBytes: Int64
    /// `segment.ms`: the active segment rolls when a batch's timestamp is this much later than the
    /// segment's first batch's (Kafka's rule), so time retention can delete a quiet topic's data.
    public var segmentMs: Int64
    /// `delete.retention.ms`: how long a compacted topic keeps a tombstone; nil takes the store's
    /// default (``LogStoreOptions/tombstoneRetentionMs``, one day as in Kafka).
    public var deleteRetentionMs: Int64?
    /// `message.timestamp.type`.
    public var timestampType: TimestampType

    /// Kafka's default `segment.ms`: seven days.
    public static let defaultSegmentMs: Int64 = 604_800_000

    public init(
        partitions: Int = 1, cleanupPolicy: CleanupPolicy = .delete, retentionMs: Int64? = nil,
        retentionBytes: Int64? = nil, segmentBytes: Int64 = 64 << 20, segmentMs: Int64 = defaultSegmentMs,
        deleteRetentionMs: Int64? = nil, timestampType: TimestampType = .createTime
    ) {
        self.partitions = partitions
        self.cleanupPolicy = cleanupPolicy
        self.retentionMs = retentionMs
        self.retentionBytes = retentionBytes
        self.segmentBytes = segmentBytes
        self.segmentMs = segmentMs
        self.deleteRetentionMs = deleteRetentionMs
        self.timestampType = timestampType
    }
}

/// The segments of one partition of the on-disk log and the bytes of records they hold (indexes
/// and reserved space not counted).
public struct PartitionStorage: Hashable, Sendable {
    public var segments: Int
    public var bytes: Int64

    public init(segments: Int, bytes: Int64) {
        self.segments = segments
        self.bytes = bytes
    }
}

public struct TopicDescription: Hashable, Sendable {
    public var name: String
    public var config: TopicConfig

    public init(name: String, config: TopicConfig) {
        self.name = name
        self.config = config
    }
}

public struct TopicStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case topicExists
        case unknownTopic
        case unknownPartition
        case invalidConfig
        case corrupt
        case io
        /// A record larger than the store's limit (`LogStoreOptions.maxRecordBytes`).
        case recordTooLarge
        /// An offset outside the partition's stored range where one inside it is required.
        case offsetOutOfRange
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// Partitioned, append-only topics: the one storage abstraction the runtime sees.
///
/// Two implementations: ``MemoryTopicStore`` (tests, `sluice test`) and ``LogTopicStore`` (the
/// embedded on-disk log). A Kafka-backed store fits the same shape later: offsets are per partition
/// and dense from the start offset, appends are batches, and ``commit(_:)`` writes output records and
/// consumer offsets as one atomic unit (a Kafka transaction), which is what exactly-once needs.
///
/// All methods are thread-safe. One writer per partition is expected but not required.
public protocol TopicStore: AnyObject, Sendable {
    func createTopic(_ name: String, config: TopicConfig) throws(TopicStoreError)
    func deleteTopic(_ name: String) throws(TopicStoreError)
    /// Replaces the topic's settings; they apply from the next append (rolling) or cleaning
    /// (retention, compaction). The partition count cannot change (`.invalidConfig`).
    func alterTopic(_ name: String, config: TopicConfig) throws(TopicStoreError)
    func describeTopic(_ name: String) -> TopicDescription?
    /// Sorted by name.
    func topicNames() -> [String]

    /// Appends records in order; returns the offset of the first.
    @discardableResult
    func append(_ records: [ProducerRecord], to partition: TopicPartition) throws(TopicStoreError) -> Int64
    /// Up to `maxRecords` records with offset ≥ `offset`, in offset order; empty at the end.
    func read(_ partition: TopicPartition, from offset: Int64, maxRecords: Int) throws(TopicStoreError) -> [ConsumedRecord]
    /// Calls `body` for up to `maxRecords` records with offset ≥ `offset`, in offset order, each
    /// borrowed from the store's buffers: the same records `read` returns, without copying them.
    ///
    /// The view's buffers are valid only during the call to `body` (see ``RecordView``). Use it
    /// where records are consumed on the spot, such as a hot loop that decodes or forwards them;
    /// the log store then allocates one buffer per call, not per record. An error `body` throws
    /// stops the scan and is rethrown; a body that throws must say so in its type, as Swift does not
    /// infer typed throws for closures:
    ///
    /// ```swift
    /// var next: Int64 = 0
    /// next = try store.scan(partition, from: next, maxRecords: 1000) { (record) throws(TopicStoreError) in
    ///     guard let value = record.value else { return }  // a tombstone
    ///     try handle(value)  // `value` points into the store's buffer: copy what outlives the call
    /// }
    /// ```
    ///
    /// - Returns: the next offset to read: the offset after the last record visited when
    ///   `maxRecords` were visited; otherwise the end offset seen by the call (so a gap that
    ///   compaction left at the end is stepped over); `offset` clamped to the start offset when
    ///   nothing lies beyond it; `offset` unchanged when `maxRecords` is not positive.
    func scan(
        _ partition: TopicPartition, from offset: Int64, maxRecords: Int,
        _ body: (borrowing RecordView) throws(TopicStoreError) -> Void
    ) throws(TopicStoreError) -> Int64
    /// The offset the next appended record will get.
    func endOffset(_ partition: TopicPartition) throws(TopicStoreError) -> Int64
    /// The first offset still stored (after retention).
    func startOffset(_ partition: TopicPartition) throws(TopicStoreError) -> Int64
    /// Blocks until some partition in `partitions` has an end offset beyond the given offset, or the
    /// timeout (seconds) passes. Returns true if data arrived. Never spins.
    func waitForData(_ positions: [TopicPartition: Int64], timeout: Double) -> Bool

    /// Atomically appends the records and stores the consumer offsets of `group`.
    func commit(_ transaction: StoreTransaction) throws(TopicStoreError)
    /// The offsets last committed by `group` (the next offset to read per partition).
    func committedOffsets(group: String) -> [TopicPartition: Int64]
}

/// Output records and consumer offsets that become visible together.
public struct StoreTransaction: Sendable {
    public var appends: [(TopicPartition, [ProducerRecord])]
    public var group: String?
    public var offsets: [TopicPartition: Int64]

    public init(appends: [(TopicPartition, [ProducerRecord])] = [], group: String? = nil, offsets: [TopicPartition: Int64] = [:]) {
        self.appends = appends
        self.group = group
        self.offsets = offsets
    }
}
