import SluiceLog

/// What one task of a running query has done, for EXPLAIN and DESCRIBE EXTENDED: where it reads,
/// how far behind it is, its stream time, records in and out, open windows, and its state size.
public struct TaskStatistics: Sendable {
    public struct Input: Sendable {
        public var partition: TopicPartition
        public var position: Int64
        public var end: Int64
        public var lag: Int64 { max(0, end - position) }
    }

    /// The stage (a repartition topic, or empty for the stage writing the sink) and partition.
    public var task: String
    public var inputs: [Input]
    /// The largest record timestamp the task has read, nil before the first.
    public var streamTime: Int64?
    public var recordsIn: Int
    public var recordsOut: Int
    /// Windows still open in the task's aggregation and the earliest stream time one closes.
    public var openWindows: Int?
    public var earliestClose: Int64?
    /// Bytes of the task's last state snapshot (0 without one).
    public var stateBytes: Int
}

extension RunningQuery {
    /// One entry per task, upstream stages first.
    public func statistics(_ store: any TopicStore) -> [TaskStatistics] {
        var out: [TaskStatistics] = []
        for stage in stages {
            for task in stage {
                let inputs = task.inputs.map { input in
                    TaskStatistics.Input(
                        partition: input.partition, position: input.position,
                        end: (try? store.endOffset(input.partition)) ?? input.position)
                }
                var open: Int?
                var earliest: Int64?
                for case let aggregate as AggregateOperator in task.components {
                    if let windows = aggregate.openWindows {
                        open = (open ?? 0) + windows.count
                        if let e = windows.earliestClose { earliest = min(earliest ?? e, e) }
                    }
                }
                out.append(
                    TaskStatistics(
                        task: task.stateKey, inputs: inputs, streamTime: task.streamTime == .min ? nil : task.streamTime,
                        recordsIn: task.recordsIn, recordsOut: task.recordsOut, openWindows: open, earliestClose: earliest,
                        stateBytes: task.lastSnapshotBytes))
            }
        }
        return out
    }
}
