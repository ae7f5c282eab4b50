import Synchronization

/// A topic's settings as this process knows them: one instance shared by the topic's partitions,
/// so that `alterTopic` here, or a `topic.json` rewritten by another process, reaches all of them.
///
/// Another process's change is noticed through the partitions' shared pages: the alterer rewrites
/// `topic.json` first and then bumps each page's settings word, and a partition that sees a word
/// other than the one it last saw re-reads the file (``PartitionLog/refreshSettings()``). The check
/// is one shared-memory load, done where the settings are about to matter: before an append and
/// before cleaning.
final class TopicSettings: Sendable {
    let topic: String
    /// `DATA_DIR/topics/NAME`, where `topic.json` lives.
    let directory: String
    private let config: Mutex<TopicConfig>
    /// Bumped after every replacement, so that a writer can keep its own copy of what it needs
    /// per append and take the lock only when this moved (an append is a few microseconds; two
    /// lock round trips were 5% of one).
    let version = Atomic<UInt64>(0)
    /// `message.timestamp.type == LogAppendTime`, readable without the lock on every append.
    let stampsAppendTime: Atomic<Bool>

    init(topic: String, directory: String, config: TopicConfig) {
        self.topic = topic
        self.directory = directory
        self.config = Mutex(config)
        stampsAppendTime = Atomic(config.timestampType == .logAppendTime)
    }

    var current: TopicConfig { config.withLock { $0 } }

    func replace(with new: TopicConfig) {
        config.withLock { $0 = new }
        stampsAppendTime.store(new.timestampType == .logAppendTime, ordering: .releasing)
        version.add(1, ordering: .releasing)
    }

    /// Replaces the settings with what `topic.json` says now.
    func reload() throws(TopicStoreError) {
        replace(with: try TopicMetadata.read(fromDirectory: directory, topic: topic).config(topic: topic))
    }
}
