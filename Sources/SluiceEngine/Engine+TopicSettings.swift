import SluiceLog
import SluicePlanner
import SluiceSQL

extension Engine {
    /// The settings ksqlDB gives a topic it creates for a stream or a table (its
    /// `TopicCreateInjector`), so that the topic keeps what the source needs and no more:
    /// - a stream's topic deletes old segments, after `RETENTION_MS` when given;
    /// - a table's is compacted: the latest row of each key stays. `RETENTION_MS` is refused there,
    ///   as ksqlDB refuses it ("Non-windowed tables do not support retention");
    /// - a windowed table's is both (`compact,delete`): its keys carry the window, so compaction keeps
    ///   each window's last result and retention drops old windows, after the larger of
    ///   `RETENTION_MS` and the window's `RETENTION`.
    ///
    /// A statement replayed from the command log was accepted when it was first run, so it is not
    /// refused now; its table just gets no retention.
    func topicConfig(
        for source: SourceDescription, partitions: Int, retentionMs: Int64?, windowRetentionMs: Int64? = nil,
        range: SourceRange? = nil
    ) throws -> TopicConfig {
        switch source.kind {
        case .stream:
            return TopicConfig(partitions: partitions, cleanupPolicy: .delete, retentionMs: retentionMs)
        case .table where source.windowing != nil:
            let retention = [retentionMs, windowRetentionMs].compactMap { $0 }.max()
            return TopicConfig(partitions: partitions, cleanupPolicy: .compactDelete, retentionMs: retention)
        case .table:
            if retentionMs != nil && !replaying {
                throw EngineErrors.semantic(
                    "table-retention",
                    "invalid property RETENTION_MS in the WITH clause: non-windowed tables do not support retention",
                    range, help: "a table's topic is compacted: it keeps the latest row of each key")
            }
            return TopicConfig(partitions: partitions, cleanupPolicy: .compact)
        }
    }

    /// ksqlDB derives a topic's cleanup policy from the source's kind and refuses one given in the
    /// WITH clause; so does Sluice, except in a statement replayed from the command log.
    func refuseCleanupPolicy(_ properties: [Property]) throws {
        guard !replaying, let given = properties.first(where: { $0.name == "CLEANUP_POLICY" }) else { return }
        throw EngineErrors.semantic(
            "cleanup-policy",
            "invalid property CLEANUP_POLICY in the WITH clause: the cleanup policy follows from the kind of source",
            given.range, help: "a stream's topic deletes old records, a table's is compacted, a windowed table's is both")
    }
}
