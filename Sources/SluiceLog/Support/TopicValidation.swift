/// Rules both stores apply to topic names and configs, so a topic that works in tests also works
/// on disk and, later, on a Kafka cluster.
enum TopicValidation {
    /// Kafka's limit; also keeps a partition directory path well under `PATH_MAX`.
    static let maxNameLength = 249

    /// Kafka's legal topic names: ASCII letters, digits, '.', '_' and '-', not "." or "..". The
    /// on-disk log relies on this: a name is a safe directory name, and '~' (used for directories
    /// being created or deleted) can never be part of one.
    static func validate(name: String) throws(TopicStoreError) {
        let bytes = name.utf8
        guard !bytes.isEmpty, bytes.count <= maxNameLength, name != ".", name != ".." else {
            throw TopicStoreError(.invalidConfig, "invalid topic name '\(name)'")
        }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                continue
            default:
                throw TopicStoreError(
                    .invalidConfig,
                    "invalid topic name '\(name)': only ASCII letters, digits, '.', '_' and '-' are allowed")
            }
        }
    }

    static func validate(config: TopicConfig, topic: String) throws(TopicStoreError) {
        if config.partitions < 1 || config.partitions > 100_000 {
            throw TopicStoreError(.invalidConfig, "topic '\(topic)': partitions must be between 1 and 100000")
        }
        if config.segmentBytes < 1 || config.segmentBytes > Int64(Int32.max) {
            throw TopicStoreError(.invalidConfig, "topic '\(topic)': segment bytes must be between 1 and \(Int32.max)")
        }
        if let ms = config.retentionMs, ms < 0 {
            throw TopicStoreError(.invalidConfig, "topic '\(topic)': retention ms must not be negative")
        }
        if let bytes = config.retentionBytes, bytes < 0 {
            throw TopicStoreError(.invalidConfig, "topic '\(topic)': retention bytes must not be negative")
        }
        if config.segmentMs < 1 {
            throw TopicStoreError(.invalidConfig, "topic '\(topic)': segment.ms must be at least 1")
        }
        if let ms = config.deleteRetentionMs, ms < 0 {
            throw TopicStoreError(.invalidConfig, "topic '\(topic)': delete.retention.ms must not be negative")
        }
    }

    /// What both stores check before `alterTopic`: valid settings, and the same partition count.
    static func validate(alteration config: TopicConfig, of current: TopicConfig, topic: String) throws(TopicStoreError) {
        try validate(config: config, topic: topic)
        if config.partitions != current.partitions {
            throw TopicStoreError(
                .invalidConfig,
                "changing the partition count of topic '\(topic)' (\(current.partitions)) is not supported yet")
        }
    }
}
