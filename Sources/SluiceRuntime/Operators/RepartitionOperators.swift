import SluiceLog
import SluiceTypes

/// Something at the end of a chain that holds output records until the task commits.
protocol RecordBuffer: AnyObject {
    func drain() -> [(TopicPartition, [ProducerRecord])]
}

extension SinkOperator: RecordBuffer {}

/// Writes rekeyed rows to an internal repartition topic, placed by their new key, so that the
/// next stage's tasks each see every row of their keys.
///
/// Value layout: one flag byte (0: a new row; 1: a retraction of an old row; 2: an update within
/// one group, old and new rows as two arrays), then the rows in ``BinaryValueCodec``. A delete that
/// retracts nothing is not written.
final class RepartitionSinkOperator: Operator, RecordBuffer {
    let topic: String
    let partitions: Int
    private var output: PartitionedOutput

    init(topic: String, partitions: Int) {
        self.topic = topic
        self.partitions = max(1, partitions)
        output = PartitionedOutput(topic: topic, partitions: self.partitions)
    }

    override func process(_ row: inout RuntimeRow, _ context: TaskContext) {
        let keyBytes = BinaryValueCodec.encode(row.key)
        var value: [UInt8]
        if let v = row.value, let old = row.oldValue {
            value = [2] + BinaryValueCodec.encode([.array(old), .array(v)])
        } else if let v = row.value {
            value = [0] + BinaryValueCodec.encode(v)
        } else if let old = row.oldValue {
            value = [1] + BinaryValueCodec.encode(old)
        } else {
            return
        }
        let partition = Partitioner.partition(forKey: keyBytes, partitionCount: partitions)
        output.append(ProducerRecord(key: keyBytes, value: value, timestamp: row.timestamp, headers: row.headers), to: partition)
    }

    func drain() -> [(TopicPartition, [ProducerRecord])] { output.drain() }
}

/// Reads rows back from a repartition topic (the inverse of ``RepartitionSinkOperator``).
enum RepartitionDecoder {
    static func decode(_ record: RecordView, partition: Int, _ context: TaskContext) -> RuntimeRow? {
        guard let keyBytes = record.key, let key = BinaryValueCodec.decode([UInt8](keyBytes)), let bytes = record.value,
            let flag = bytes.first, let values = BinaryValueCodec.decode([UInt8](bytes.dropFirst()))
        else {
            context.report("corrupt record in repartition topic")
            return nil
        }
        var value: [Value]? = flag == 0 ? values : nil
        var old: [Value]? = flag == 1 ? values : nil
        if flag == 2, values.count == 2, case .array(let o) = values[0], case .array(let n) = values[1] {
            old = o
            value = n
        }
        return RuntimeRow(
            key: key, value: value, oldValue: old, timestamp: record.timestamp,
            window: nil, partition: partition, offset: record.offset, headers: record.headers())
    }
}
