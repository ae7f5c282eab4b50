import SluiceLog

/// A sink's records, buffered per output partition until the task commits them.
///
/// Partitions are a small dense range, so an array indexed by partition replaces a dictionary:
/// no hashing per record.
struct PartitionedOutput {
    let topic: String
    private var records: [[ProducerRecord]]
    private(set) var isEmpty = true

    init(topic: String, partitions: Int) {
        self.topic = topic
        records = Array(repeating: [], count: max(1, partitions))
    }

    @inline(__always)
    mutating func append(_ record: ProducerRecord, to partition: Int) {
        records[partition].append(record)
        isEmpty = false
    }

    /// Takes the buffered records, in partition order.
    mutating func drain() -> [(TopicPartition, [ProducerRecord])] {
        if isEmpty { return [] }
        var out: [(TopicPartition, [ProducerRecord])] = []
        for p in records.indices where !records[p].isEmpty {
            out.append((TopicPartition(topic, p), records[p]))
            records[p] = []
        }
        isEmpty = true
        return out
    }
}
