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

    init(topic: String, directory: String, config: TopicConfig) {
        self.topic = topic
        self.directory = directory
        self.config = Mutex(config)
    }

    var current: TopicConfig { config.withLock { $0 } }

    func replace(with new: TopicConfig) { config.withLock { $0 = new } }

    /// Replaces the settings with what `topic.json` says now.
    func reload() throws(TopicStoreError) {
        replace(with: try TopicMetadata.read(fromDirectory: directory, topic: topic).config(topic: topic))
    }
}
