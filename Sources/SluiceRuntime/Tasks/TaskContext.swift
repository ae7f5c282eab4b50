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
    }

    /// Drains evaluation errors into the processing log.
    func flushEvaluationErrors() {
        if eval.errors.isEmpty { return }
        for e in eval.errors { report(e) }
        eval.errors.removeAll(keepingCapacity: true)
    }
}
