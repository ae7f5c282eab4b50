import SluiceLog
import SluiceTypes

/// A task's state at a point in its input: the position of each input and every stateful
/// component's state. Snapshots are committed in the same transaction as the task's outputs and
/// offsets, to the query's state topic (one record per task, latest wins; the topic is compacted),
/// so a restart loads the latest one and replays only the input after it.
public enum TaskSnapshot {
    /// Snapshot at least this often, in records processed and in time.
    public static let everyRecords = 100_000
    static let everyInterval = Duration.seconds(10)

    static func encode(inputs: [TaskInput], components: [StatefulComponent]) -> [UInt8]? {
        var positions: [Value] = []
        for input in inputs {
            positions.append(
                .array([.string(input.partition.topic), .bigint(Int64(input.partition.partition)), .bigint(input.position)]))
        }
        var states: [Value] = []
        for component in components {
            var state: [Value] = []
            guard component.writeState(into: &state) else { return nil }
            states.append(.array(state))
        }
        return BinaryValueCodec.encode([.integer(1), .array(positions), .array(states)])
    }

    /// Restores `components` from `bytes` and returns the input positions the state belongs to;
    /// nil when the snapshot does not fit this task (components may then be partly overwritten,
    /// so the caller must rebuild them).
    static func restore(_ bytes: [UInt8], components: [StatefulComponent]) -> [TopicPartition: Int64]? {
        guard let top = BinaryValueCodec.decode(bytes), top.count == 3, case .integer(1) = top[0],
            case .array(let positionList) = top[1], case .array(let states) = top[2], states.count == components.count
        else { return nil }
        var positions: [TopicPartition: Int64] = [:]
        for p in positionList {
            guard case .array(let f) = p, f.count == 3, case .string(let topic) = f[0], case .bigint(let partition) = f[1],
                case .bigint(let position) = f[2]
            else { return nil }
            positions[TopicPartition(topic, Int(partition))] = position
        }
        for (component, state) in zip(components, states) {
            guard case .array(let values) = state else { return nil }
            var reader = StateReader(values)
            guard component.readState(&reader), reader.isAtEnd else { return nil }
        }
        return positions
    }

    /// The latest snapshot per task key in `topic`.
    static func latest(in topic: String, store: any TopicStore) throws -> [[UInt8]: [UInt8]] {
        guard store.describeTopic(topic) != nil else { return [:] }
        let partition = TopicPartition(topic, 0)
        var offset = try store.startOffset(partition)
        let end = try store.endOffset(partition)
        var latest: [[UInt8]: [UInt8]] = [:]
        while offset < end {
            let records = try store.read(partition, from: offset, maxRecords: 1000)
            if records.isEmpty { break }
            for r in records {
                guard let key = r.key else { continue }
                if let value = r.value { latest[key] = value } else { latest.removeValue(forKey: key) }
            }
            offset = records.last!.offset + 1
        }
        return latest
    }
}
