/// Kafka's `key=value` topic configs, the form `sluice topic create --config` and `topic alter`
/// take and `topic describe` prints, so a command line written for `kafka-topics` or
/// `kafka-configs` carries over.
extension TopicConfig {
    /// The keys Sluice understands, in the order `describe` lists them.
    public static let settingKeys = [
        "cleanup.policy", "retention.ms", "retention.bytes", "segment.bytes", "segment.ms", "delete.retention.ms",
        "message.timestamp.type",
    ]

    /// Kafka topic configs that exist but mean nothing here yet; naming them gives a "not supported
    /// yet" error rather than "unknown".
    static let unsupportedKafkaKeys: Set<String> = [
        "compression.type", "file.delete.delay.ms", "flush.messages", "flush.ms", "index.interval.bytes",
        "local.retention.bytes", "local.retention.ms", "max.compaction.lag.ms", "max.message.bytes",
        "message.downconversion.enable", "message.format.version", "message.timestamp.after.max.ms",
        "message.timestamp.before.max.ms", "message.timestamp.difference.max.ms", "min.cleanable.dirty.ratio",
        "min.compaction.lag.ms", "min.insync.replicas", "preallocate", "remote.storage.enable",
        "segment.index.bytes", "segment.jitter.ms", "unclean.leader.election.enable",
        "follower.replication.throttled.replicas", "leader.replication.throttled.replicas",
    ]

    /// Sets one config from its Kafka name and text value. `-1` means "no limit" for
    /// `retention.ms` and `retention.bytes`, as in Kafka.
    ///
    /// - Throws: `.invalidConfig` naming the key for an unknown or unsupported key or a bad value.
    public mutating func set(_ key: String, to value: String) throws(TopicStoreError) {
        switch key {
        case "cleanup.policy":
            switch value.lowercased() {
            case "delete": cleanupPolicy = .delete
            case "compact": cleanupPolicy = .compact
            case "compact,delete", "delete,compact": cleanupPolicy = .compactDelete
            default:
                throw TopicStoreError(
                    .invalidConfig, "cleanup.policy must be delete, compact or compact,delete, not '\(value)'")
            }
        case "retention.ms":
            retentionMs = try Self.limit(key, value)
        case "retention.bytes":
            retentionBytes = try Self.limit(key, value)
        case "segment.bytes":
            segmentBytes = try Self.number(key, value, in: 1...Int64(Int32.max))
        case "segment.ms":
            segmentMs = try Self.number(key, value, in: 1...Int64.max)
        case "delete.retention.ms":
            deleteRetentionMs = try Self.number(key, value, in: 0...Int64.max)
        case "message.timestamp.type":
            guard let type = [TimestampType.createTime, .logAppendTime].first(where: {
                $0.rawValue.lowercased() == value.lowercased()
            }) else {
                throw TopicStoreError(.invalidConfig, "message.timestamp.type must be CreateTime or LogAppendTime, not '\(value)'")
            }
            timestampType = type
        default:
            if Self.unsupportedKafkaKeys.contains(key) {
                throw TopicStoreError(.invalidConfig, "topic config '\(key)' is not supported yet")
            }
            throw TopicStoreError(
                .invalidConfig, "unknown topic config '\(key)'; known: \(Self.settingKeys.joined(separator: ", "))")
        }
    }

    /// Puts one config back to its default (what `kafka-configs --delete-config` does).
    ///
    /// - Throws: `.invalidConfig` for a key ``set(_:to:)`` would not take.
    public mutating func reset(_ key: String) throws(TopicStoreError) {
        let defaults = TopicConfig(partitions: partitions)
        switch key {
        case "cleanup.policy": cleanupPolicy = defaults.cleanupPolicy
        case "retention.ms": retentionMs = defaults.retentionMs
        case "retention.bytes": retentionBytes = defaults.retentionBytes
        case "segment.bytes": segmentBytes = defaults.segmentBytes
        case "segment.ms": segmentMs = defaults.segmentMs
        case "delete.retention.ms": deleteRetentionMs = defaults.deleteRetentionMs
        case "message.timestamp.type": timestampType = defaults.timestampType
        default:
            // The same errors as setting it.
            var scratch = self
            try scratch.set(key, to: "")
        }
    }

    /// Every setting with its value, as Kafka writes it (`-1` for no limit), in ``settingKeys`` order.
    /// `delete.retention.ms` shows `defaultTombstoneRetentionMs` when the topic leaves it to the store.
    public func settings(defaultTombstoneRetentionMs: Int64 = 86_400_000) -> [(key: String, value: String)] {
        [
            ("cleanup.policy", cleanupPolicy.rawValue),
            ("retention.ms", String(retentionMs ?? -1)),
            ("retention.bytes", String(retentionBytes ?? -1)),
            ("segment.bytes", String(segmentBytes)),
            ("segment.ms", String(segmentMs)),
            ("delete.retention.ms", String(deleteRetentionMs ?? defaultTombstoneRetentionMs)),
            ("message.timestamp.type", timestampType.rawValue),
        ]
    }

    private static func number(_ key: String, _ text: String, in range: ClosedRange<Int64>) throws(TopicStoreError) -> Int64 {
        guard let number = Int64(text) else {
            throw TopicStoreError(.invalidConfig, "\(key) needs a whole number, not '\(text)'")
        }
        guard range.contains(number) else {
            let upper = range.upperBound == .max ? "" : " and \(range.upperBound)"
            let bound = upper.isEmpty ? "at least \(range.lowerBound)" : "between \(range.lowerBound)\(upper)"
            throw TopicStoreError(.invalidConfig, "\(key) must be \(bound), not \(number)")
        }
        return number
    }

    /// A size or age limit where `-1` means none.
    private static func limit(_ key: String, _ text: String) throws(TopicStoreError) -> Int64? {
        if text == "-1" { return nil }
        guard let number = Int64(text), number >= 0 else {
            throw TopicStoreError(.invalidConfig, "\(key) needs a whole number of at least 0, or -1 for no limit, not '\(text)'")
        }
        return number
    }
}
