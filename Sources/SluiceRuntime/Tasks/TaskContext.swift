import SluiceLog

/// What operators of one task share while processing: stream time, evaluation scratch, and the
/// processing log for records that could not be handled.
final class TaskContext {
    let queryID: String
    /// The largest record timestamp this task has seen.
    var streamTime: Int64 = .min
    let eval = EvalContext()
    let log: ProcessingLog
    /// The input partition being processed (for log entries).
    var currentPartition = TopicPartition("", 0)
    var currentOffset: Int64 = 0
    private var currentInput: ObjectIdentifier?
    /// The record being processed, and whether it has already been sent to the dead-letter topic.
    var currentRecord: ConsumedRecord?
    private var currentRecordDeadLettered = false
    /// When set, records dropped for a reason (not merely a failed expression) are copied there,
    /// with the reason and their origin in headers; they commit with the task's outputs.
    var deadLetterTopic: String?
    var deadLetters: [ProducerRecord] = []
    /// `ksql.timestamp.throw.on.invalid`: a record whose timestamp cannot be read stops the query
    /// (uncommitted) instead of being skipped.
    var failOnInvalidTimestamp = false
    /// Set when a record must stop the query; the task then commits nothing of its batch.
    var fatal: String?

    init(queryID: String, log: ProcessingLog) {
        self.queryID = queryID
        self.log = log
    }

    /// Records a problem with the current record; the query goes on.
    func report(_ message: String) {
        log.record(
            ProcessingLog.Entry(
                queryID: queryID, topic: currentPartition.topic, partition: currentPartition.partition,
                offset: currentOffset, message: message))
        if deadLetterTopic != nil, !currentRecordDeadLettered, let record = currentRecord,
            ProcessingLog.Reason(message: message) != .expression
        {
            currentRecordDeadLettered = true
            var headers = record.headers
            headers.append(Header(key: "sluice.error", value: Array(message.utf8)))
            headers.append(Header(key: "sluice.query", value: Array(queryID.utf8)))
            headers.append(
                Header(key: "sluice.source", value: Array("\(currentPartition.topic)/\(currentPartition.partition)/\(record.offset)".utf8)))
            deadLetters.append(ProducerRecord(key: record.key, value: record.value, timestamp: record.timestamp, headers: headers))
        }
    }

    /// Starts processing `record` from `input` (the partition is only copied when the input
    /// changes: a `TopicPartition` holds a `String`, and copying it per record costs reference
    /// counting).
    @inline(__always)
    func begin(_ record: RecordView, from input: TaskInput) {
        if currentInput != ObjectIdentifier(input) {
            currentInput = ObjectIdentifier(input)
            currentPartition = input.partition
        }
        currentOffset = record.offset
        if deadLetterTopic != nil {
            currentRecord = ConsumedRecord(record)
            currentRecordDeadLettered = false
        }
    }

    /// Drains evaluation errors into the processing log.
    func flushEvaluationErrors() {
        if eval.errors.isEmpty { return }
        for e in eval.errors { report(e) }
        eval.errors.removeAll(keepingCapacity: true)
    }
}
