import Foundation

/// A topic's configuration as stored in `topics/NAME/topic.json`.
///
/// JSON because it is tiny, written once per topic (and again by `topic alter`), and worth being
/// able to read with `cat`. A `version` field lets a later format coexist with this one; fields
/// added since version 1 are optional, so files written before them still read (as the defaults).
struct TopicMetadata: Codable, Equatable {
    static let fileName = "topic.json"
    static let currentVersion = 1

    var version: Int
    var partitions: Int
    var cleanupPolicy: String
    var retentionMs: Int64?
    var retentionBytes: Int64?
    var segmentBytes: Int64
    var segmentMs: Int64?
    var deleteRetentionMs: Int64?
    var timestampType: String?

    init(config: TopicConfig) {
        version = Self.currentVersion
        partitions = config.partitions
        cleanupPolicy = config.cleanupPolicy.rawValue
        retentionMs = config.retentionMs
        retentionBytes = config.retentionBytes
        segmentBytes = config.segmentBytes
        segmentMs = config.segmentMs
        deleteRetentionMs = config.deleteRetentionMs
        timestampType = config.timestampType.rawValue
    }

    func config(topic: String) throws(TopicStoreError) -> TopicConfig {
        guard version == Self.currentVersion, let policy = CleanupPolicy(rawValue: cleanupPolicy) else {
            throw TopicStoreError(.corrupt, "topic '\(topic)': unsupported metadata version \(version) or policy '\(cleanupPolicy)'")
        }
        let type = try timestampType.map { (name) throws(TopicStoreError) -> TimestampType in
            guard let type = TimestampType(rawValue: name) else {
                throw TopicStoreError(.corrupt, "topic '\(topic)': unknown timestamp type '\(name)' in \(Self.fileName)")
            }
            return type
        }
        return TopicConfig(
            partitions: partitions, cleanupPolicy: policy, retentionMs: retentionMs, retentionBytes: retentionBytes,
            segmentBytes: segmentBytes, segmentMs: segmentMs ?? TopicConfig.defaultSegmentMs,
            deleteRetentionMs: deleteRetentionMs, timestampType: type ?? .createTime)
    }

    func write(toDirectory directory: String, durable: Bool) throws(TopicStoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do { data = try encoder.encode(self) } catch {
            throw TopicStoreError(.io, "cannot encode topic metadata: \(error)")
        }
        try FileSystem.writeAtomically(directory + "/" + Self.fileName, [UInt8](data), durable: durable)
    }

    static func read(fromDirectory directory: String, topic: String) throws(TopicStoreError) -> TopicMetadata {
        let bytes = try FileSystem.readFile(directory + "/" + fileName)
        do {
            return try JSONDecoder().decode(TopicMetadata.self, from: Data(bytes))
        } catch {
            throw TopicStoreError(.corrupt, "topic '\(topic)': unreadable \(fileName): \(error)")
        }
    }
}
