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

    /// A snapshot is stored as chunks small enough for any record size limit, then a manifest:
    /// chunk `n` of task `K` has key `K, 0, n` (4 bytes) and value `id, bytes`; the manifest has
    /// key `K` and value `id, chunk count`. All go in one transaction; a reader takes the latest
    /// manifest and the chunks carrying its id.
    static let chunkBytes = 256 * 1024

    static func records(key: [UInt8], snapshot bytes: [UInt8], timestamp: Int64) -> [ProducerRecord] {
        let id = UInt64.random(in: 1...UInt64.max)
        var records: [ProducerRecord] = []
        var index: UInt32 = 0
        var start = 0
        repeat {
            let end = min(bytes.count, start + chunkBytes)
            records.append(
                ProducerRecord(key: key + [0] + bigEndian(index), value: bigEndian(id) + bytes[start..<end], timestamp: timestamp))
            index += 1
            start = end
        } while start < bytes.count
        records.append(ProducerRecord(key: key, value: bigEndian(id) + bigEndian(index), timestamp: timestamp))
        return records
    }

    /// The latest snapshot per task key in `topic`.
    static func latest(in topic: String, store: any TopicStore) throws -> [[UInt8]: [UInt8]] {
        guard store.describeTopic(topic) != nil else { return [:] }
        let partition = TopicPartition(topic, 0)
        var offset = try store.startOffset(partition)
        let end = try store.endOffset(partition)
        var manifests: [[UInt8]: (id: UInt64, count: UInt32)] = [:]
        var chunks: [[UInt8]: (id: UInt64, bytes: ArraySlice<UInt8>)] = [:]
        while offset < end {
            let records = try store.read(partition, from: offset, maxRecords: 100)
            if records.isEmpty { break }
            for r in records {
                guard let key = r.key, let value = r.value, value.count >= 8 else { continue }
                let id = integer(value[0..<8], as: UInt64.self)
                if key.contains(0) {
                    chunks[key] = (id, value[8...])
                } else if value.count == 12 {
                    manifests[key] = (id, integer(value[8..<12], as: UInt32.self))
                }
            }
            offset = records.last!.offset + 1
        }
        var latest: [[UInt8]: [UInt8]] = [:]
        for (key, manifest) in manifests {
            var bytes: [UInt8] = []
            var complete = true
            for index in 0..<manifest.count {
                guard let chunk = chunks[key + [0] + bigEndian(index)], chunk.id == manifest.id else {
                    complete = false
                    break
                }
                bytes += chunk.bytes
            }
            if complete { latest[key] = bytes }
        }
        return latest
    }

    private static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    private static func integer<T: FixedWidthInteger>(_ bytes: ArraySlice<UInt8>, as: T.Type) -> T {
        bytes.reduce(T.zero) { ($0 << 8) | T($1) }
    }
}
