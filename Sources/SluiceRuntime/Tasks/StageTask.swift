import Foundation
import SluiceLog
import SluiceTypes

/// One input partition of a task: where it reads, how records become rows, and the operator the
/// rows enter.
final class TaskInput {
    let partition: TopicPartition
    var position: Int64
    /// Below this offset the input is replaying records processed before a restart.
    var restoreUntil: Int64
    let decode: (RecordView, Int, TaskContext) -> RuntimeRow?
    let head: Operator
    var buffered: [ConsumedRecord] = []
    var next = 0

    init(
        partition: TopicPartition, position: Int64, restoreUntil: Int64,
        decode: @escaping (RecordView, Int, TaskContext) -> RuntimeRow?, head: Operator
    ) {
        self.partition = partition
        self.position = position
        self.restoreUntil = restoreUntil
        self.decode = decode
        self.head = head
    }

    var hasBuffered: Bool { next < buffered.count }
}

/// One task: one partition number of one stage of a query, with its own operator chain and state.
/// A join's task has two inputs (the same partition of both sides).
///
/// `poll` reads a batch from each input, feeds records through the chain in timestamp order across
/// inputs (as Kafka Streams picks the input with the oldest head record), then commits the outputs
/// and the new input positions in one ``StoreTransaction`` (at-least-once on every store;
/// exactly-once where the store's commit is atomic). While an input is replaying records it had
/// processed before a restart, the outputs of those records are discarded: replay only rebuilds
/// state, and the committed positions never move back.
final class StageTask {
    let inputs: [TaskInput]
    let context: TaskContext
    let buffers: [RecordBuffer]
    let group: String?
    /// The parts of the chain that keep state, in chain-building order (see ``TaskSnapshot``).
    let components: [StatefulComponent]
    /// Where snapshots go (a persistent query's state topic) and this task's key there.
    var snapshots: (topic: String, key: [UInt8])?
    /// Names the task among its query's tasks (stage and partition), stable across restarts.
    var stateKey = ""
    /// Records processed since the last snapshot, and when it was taken.
    var sinceSnapshot = 0
    /// Records read and written (outputs, not snapshots), the task's stream time (its largest
    /// record timestamp), and the size of its last snapshot: for EXPLAIN.
    var recordsIn = 0
    var recordsOut = 0
    var streamTime: Int64 = .min
    var lastSnapshotBytes = 0
    var snapshotEveryRecords = TaskSnapshot.everyRecords
    /// The largest state (snapshot bytes) the task may keep; past it the query stops.
    var maxStateBytes: Int?
    var lastSnapshot = ContinuousClock.now

    init(
        inputs: [TaskInput], context: TaskContext, buffers: [RecordBuffer], group: String?,
        components: [StatefulComponent] = []
    ) {
        self.inputs = inputs
        self.context = context
        self.buffers = buffers
        self.group = group
        self.components = components
    }

    /// Processes up to `maxRecords` records per input; returns whether any were read.
    func poll(_ store: any TopicStore, maxRecords: Int) throws(TopicStoreError) -> Bool {
        if inputs.count == 1 { return try pollScanning(store, maxRecords: maxRecords) }
        var any = false
        for input in inputs {
            // A batch never mixes replayed records with new ones.
            let limit = input.position < input.restoreUntil ? Int(min(Int64(maxRecords), input.restoreUntil - input.position)) : maxRecords
            input.buffered = try store.read(input.partition, from: input.position, maxRecords: limit)
            input.next = 0
            if input.buffered.isEmpty {
                // The log may have been truncated by retention below our position.
                let start = try store.startOffset(input.partition)
                if start > input.position { input.position = start }
            } else {
                any = true
            }
        }
        guard any else { return false }
        // Outputs of records processed before a restart were committed then: while such a record
        // is replayed (to rebuild state) what it produces is dropped, and only what it produces.
        var appends: [(TopicPartition, [ProducerRecord])] = []
        var deadLetters: [ProducerRecord] = []
        while true {
            var chosen: TaskInput?
            for input in inputs where input.hasBuffered {
                if chosen == nil || input.buffered[input.next].timestamp < chosen!.buffered[chosen!.next].timestamp {
                    chosen = input
                }
            }
            guard let input = chosen else { break }
            let record = input.buffered[input.next]
            input.next += 1
            let replayed = record.offset < input.restoreUntil
            if replayed {
                for b in buffers { appends += b.drain() }
                deadLetters += context.deadLetters
                context.deadLetters.removeAll()
            }
            record.withView { view in process(view, from: input, replayed: replayed) }
            if context.fatal != nil { return true }  // the query stops; nothing of this batch commits
        }
        sinceSnapshot += inputs.reduce(0) { $0 + $1.buffered.count }
        try commit(store, appends: appends, deadLetters: deadLetters)
        return true
    }

    /// A task with one input (all but joins) reads its records in place from the log, through
    /// ``TopicStore/scan``: no record is copied out of the batch it arrived in.
    private func pollScanning(_ store: any TopicStore, maxRecords: Int) throws(TopicStoreError) -> Bool {
        let input = inputs[0]
        let replaying = input.position < input.restoreUntil
        // A batch never mixes replayed records with new ones.
        let limit = replaying ? Int(min(Int64(maxRecords), input.restoreUntil - input.position)) : maxRecords
        var count = 0
        _ = try store.scan(input.partition, from: input.position, maxRecords: limit) { view in
            count += 1
            // After a fatal record the rest of the batch is left for the restart.
            if context.fatal == nil { process(view, from: input, replayed: replaying) }
        }
        if count == 0 {
            // The log may have been truncated by retention below our position.
            let start = try store.startOffset(input.partition)
            if start > input.position { input.position = start }
            return false
        }
        if context.fatal != nil { return true }  // the query stops; nothing of this batch commits
        sinceSnapshot += count
        try commit(store, appends: [], deadLetters: [])
        return true
    }

    /// Runs one record through the input's chain. The outputs of a replayed record are dropped
    /// (the caller drained the buffers before it).
    @inline(__always)
    private func process(_ view: RecordView, from input: TaskInput, replayed: Bool) {
        context.begin(view, from: input)
        if var row = input.decode(view, input.partition.partition, context) {
            input.head.process(&row, context)
        }
        if context.fatal != nil { return }
        input.head.advance(context)
        input.position = view.offset + 1
        streamTime = max(streamTime, view.timestamp)
        if replayed {
            for b in buffers { _ = b.drain() }
            context.deadLetters.removeAll()
        } else {
            recordsIn += 1
        }
    }

    /// Commits the buffers' records (after `appends`, drained earlier), the dead letters, a
    /// snapshot when one is due, and the inputs' positions, in one transaction.
    private func commit(
        _ store: any TopicStore, appends earlier: [(TopicPartition, [ProducerRecord])], deadLetters earlierLetters: [ProducerRecord]
    ) throws(TopicStoreError) {
        var appends = earlier
        var deadLetters = earlierLetters
        for b in buffers { appends += b.drain() }
        recordsOut += appends.reduce(0) { $0 + $1.1.count }
        deadLetters += context.deadLetters
        context.deadLetters.removeAll()
        if let topic = context.deadLetterTopic, !deadLetters.isEmpty { appends.append((TopicPartition(topic, 0), deadLetters)) }
        if sinceSnapshot >= snapshotEveryRecords || ContinuousClock.now - lastSnapshot >= TaskSnapshot.everyInterval,
            let record = try snapshotRecord()
        {
            appends.append(record)
        }
        var offsets: [TopicPartition: Int64] = [:]
        if group != nil {
            // A replay in progress must not move the committed position back: a crash now would
            // otherwise make the next start write the replayed records' outputs a second time.
            for input in inputs { offsets[input.partition] = max(input.position, input.restoreUntil) }
        }
        try store.commit(StoreTransaction(appends: appends, group: group, offsets: offsets))
    }

    /// This task's state as a record for its state topic, when it has state, is not replaying, and
    /// every component can write its state; resets the snapshot counters when it gives one.
    func snapshotRecord() throws(TopicStoreError) -> (TopicPartition, [ProducerRecord])? {
        guard let snapshots, !components.isEmpty, sinceSnapshot > 0 else { return nil }
        guard inputs.allSatisfy({ $0.position >= $0.restoreUntil }) else { return nil }
        guard let bytes = TaskSnapshot.encode(inputs: inputs, components: components) else { return nil }
        if let limit = maxStateBytes, bytes.count > limit {
            throw TopicStoreError(
                .recordTooLarge,
                "the state of task '\(stateKey)' grew to \(bytes.count) bytes, past sluice.state.max.bytes (\(limit)): the query stops; its input stays in the log, uncommitted records are processed again when it restarts with a higher limit")
        }
        sinceSnapshot = 0
        lastSnapshot = .now
        lastSnapshotBytes = bytes.count
        let records = TaskSnapshot.records(
            key: snapshots.key, snapshot: bytes, timestamp: Int64(Date().timeIntervalSince1970 * 1000))
        return (TopicPartition(snapshots.topic, 0), records)
    }

    /// Commits a snapshot now (a clean stop), so the next start resumes without replaying.
    func checkpoint(_ store: any TopicStore) throws(TopicStoreError) {
        guard let record = try snapshotRecord() else { return }
        var offsets: [TopicPartition: Int64] = [:]
        if group != nil { for input in inputs { offsets[input.partition] = max(input.position, input.restoreUntil) } }
        try store.commit(StoreTransaction(appends: [record], group: group, offsets: offsets))
    }
}
