import SluiceLog
import SluiceTypes

/// One task: one input partition of one stage of a query, with its own operator chain and state.
///
/// `poll` reads a batch from the partition, pushes each record through the chain, then commits
/// the outputs and the new input position in one ``StoreTransaction`` (at-least-once on every
/// store; exactly-once where the store's commit is atomic). While `position` is below
/// `restoreUntil` the task is replaying input it already processed before a restart, to rebuild
/// its state: outputs of that replay are discarded.
final class StageTask {
    let input: TopicPartition
    private(set) var position: Int64
    let restoreUntil: Int64
    let decode: (ConsumedRecord, Int, TaskContext) -> RuntimeRow?
    let head: Operator
    let context: TaskContext
    let buffers: [RecordBuffer]
    let group: String?

    init(
        input: TopicPartition, position: Int64, restoreUntil: Int64,
        decode: @escaping (ConsumedRecord, Int, TaskContext) -> RuntimeRow?, head: Operator, context: TaskContext,
        buffers: [RecordBuffer], group: String?
    ) {
        self.input = input
        self.position = position
        self.restoreUntil = restoreUntil
        self.decode = decode
        self.head = head
        self.context = context
        self.buffers = buffers
        self.group = group
    }

    /// Processes up to `maxRecords` records; returns whether any were read.
    func poll(_ store: any TopicStore, maxRecords: Int) throws(TopicStoreError) -> Bool {
        let records = try store.read(input, from: position, maxRecords: maxRecords)
        if records.isEmpty {
            // The log may have been truncated by retention below our position.
            let start = try store.startOffset(input)
            if start > position { position = start }
            return false
        }
        context.currentPartition = input
        for record in records {
            context.currentOffset = record.offset
            if let row = decode(record, input.partition, context) {
                if row.timestamp > context.streamTime { context.streamTime = row.timestamp }
                head.process(row, context)
            }
            head.advance(context)
            position = record.offset + 1
        }
        var appends: [(TopicPartition, [ProducerRecord])] = []
        for b in buffers { appends += b.drain() }
        if position <= restoreUntil { appends.removeAll() }
        try store.commit(StoreTransaction(appends: appends, group: group, offsets: group == nil ? [:] : [input: position]))
        return true
    }

    var isRestoring: Bool { position < restoreUntil }
}
