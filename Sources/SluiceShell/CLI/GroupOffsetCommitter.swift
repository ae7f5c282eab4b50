import SluiceLog

/// Keeps a consumer group's committed offsets in step with what `sluice consume --group` printed.
///
/// The offset committed for a partition is the one after the last record printed from it (Kafka's
/// convention: the next record to read), or the partition's start point when nothing was printed,
/// so a group that starts at the end remembers that end. The command commits after it has flushed
/// the records to standard output, so a crash or a closed pipe can print a record twice (on the
/// next run) but never skip one: at-least-once, as Kafka's console consumer.
///
/// There is no group coordinator: two consumers of one group running at once read the same records
/// and the last to commit wins.
struct GroupOffsetCommitter {
    let store: any TopicStore
    let group: String
    let topic: String
    /// What the group has, per partition of `topic`, as far as this process knows.
    private var committed: [Int: Int64] = [:]

    init(store: any TopicStore, group: String, topic: String) {
        self.store = store
        self.group = group
        self.topic = topic
        for (tp, offset) in store.committedOffsets(group: group) where tp.topic == topic {
            committed[tp.partition] = offset
        }
    }

    /// Commits the positions that differ from what the group has, in one transaction; an idle
    /// `--follow` loop writes nothing.
    mutating func commit(_ positions: [Int: Int64]) throws(CommandFailure) {
        var offsets: [TopicPartition: Int64] = [:]
        for (partition, offset) in positions where committed[partition] != offset {
            offsets[TopicPartition(topic, partition)] = offset
        }
        guard !offsets.isEmpty else { return }
        do {
            try store.commit(StoreTransaction(group: group, offsets: offsets))
        } catch {
            throw CommandFailure("cannot commit the offsets of group '\(group)': \(error.message)")
        }
        for (tp, offset) in offsets { committed[tp.partition] = offset }
    }
}
