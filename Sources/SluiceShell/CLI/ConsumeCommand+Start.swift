import SluiceLog

extension ConsumeCommand {
    /// Where a partition starts when nothing more precise says: Kafka's `auto.offset.reset`.
    enum Reset {
        /// The first stored record (`--from-beginning`).
        case beginning
        /// The end: only records appended from now on (the default).
        case end
    }

    /// Where `consume` starts reading, from its options.
    enum StartPoint {
        /// Every partition at its beginning or its end.
        case reset(Reset)
        /// `--partition P --offset O`: the one partition read, at `O`.
        case offset(Int64)
        /// `--group G`: each partition at `G`'s committed offset; where `G` has none, or one outside
        /// the partition's stored range (removed by retention, say), at `otherwise`, as Kafka does.
        case group(String, otherwise: Reset)
    }

    /// The first offset to read in each of `partitions` of `topic`.
    ///
    /// - Throws: ``CommandFailure`` when `--offset` lies outside the partition's stored range
    ///   (its end is allowed: reading starts with the next record appended).
    static func startOffsets(
        _ start: StartPoint, store: any TopicStore, topic: String, partitions: [Int], notes: TextOutput
    ) throws(CommandFailure) -> [Int: Int64] {
        var committed: [Int: Int64] = [:]
        if case .group(let group, _) = start {
            for (tp, offset) in store.committedOffsets(group: group) where tp.topic == topic {
                committed[tp.partition] = offset
            }
        }
        var result: [Int: Int64] = [:]
        for partition in partitions {
            let tp = TopicPartition(topic, partition)
            let first: Int64
            let end: Int64
            do {
                first = try store.startOffset(tp)
                end = try store.endOffset(tp)
            } catch {
                throw CommandFailure("cannot read '\(tp)': \(error.message)")
            }
            func reset(_ to: Reset) -> Int64 { to == .beginning ? first : end }
            switch start {
            case .reset(let to):
                result[partition] = reset(to)
            case .offset(let offset):
                guard first <= offset && offset <= end else {
                    throw CommandFailure(outOfRange(offset, topic: topic, partition: partition, first: first, end: end))
                }
                result[partition] = offset
            case .group(let group, let otherwise):
                if let offset = committed[partition] {
                    if first <= offset && offset <= end {
                        result[partition] = offset
                        continue
                    }
                    notes.line(
                        "note: group '\(group)' is at offset \(offset) of '\(topic)' partition \(partition), which holds "
                            + "records \(first)..<\(end); starting at its \(otherwise == .beginning ? "beginning" : "end")")
                }
                result[partition] = reset(otherwise)
            }
        }
        notes.flush()
        return result
    }

    static func outOfRange(_ offset: Int64, topic: String, partition: Int, first: Int64, end: Int64) -> String {
        let prefix = "offset \(offset) is out of range for '\(topic)' partition \(partition)"
        if first == end { return "\(prefix) (no records; its end is offset \(end))" }
        return "\(prefix) (records \(first)..<\(end); start anywhere from \(first) to \(end))"
    }
}
