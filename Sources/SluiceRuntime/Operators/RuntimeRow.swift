import SluiceLog
import SluicePlanner
import SluiceTypes

/// The bounds of a window a row belongs to (start inclusive, end exclusive; ms since the epoch).
struct WindowBounds: Hashable, Sendable {
    var start: Int64
    var end: Int64
}

/// One record between operators.
///
/// Streams carry `value`; tables carry changes: `value` is the new row for the key (nil deletes
/// it) and `oldValue` the row it replaces, when known (aggregations over tables need it to take
/// the old row back).
struct RuntimeRow {
    var key: [Value]
    var value: [Value]?
    var oldValue: [Value]?
    var timestamp: Int64
    var window: WindowBounds?
    var partition: Int
    var offset: Int64
    var headers: [Header]
    /// The record had no key at all (not a key whose columns are all NULL): a multi-column key
    /// read from a null key stays a null key on output, as in ksqlDB. Re-keying clears it.
    var keyIsNull = false

    /// `evaluationRow(values)` written into `scratch`, whose storage is reused from row to row
    /// (the operators keep one each, so evaluating a row allocates nothing in the steady state).
    func fillEvaluationRow(_ values: [Value], into scratch: inout [Value]) {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: key)
        scratch.append(contentsOf: values)
        scratch.append(.bigint(timestamp))
        scratch.append(.integer(Int32(truncatingIfNeeded: partition)))
        scratch.append(.bigint(offset))
        if let window {
            scratch.append(.bigint(window.start))
            scratch.append(.bigint(window.end))
        } else {
            scratch.append(.null)
            scratch.append(.null)
        }
    }

    /// The row expressions read: key, value, then ROWTIME, ROWPARTITION, ROWOFFSET, WINDOWSTART, WINDOWEND.
    func evaluationRow(_ values: [Value]) -> [Value] {
        var row = key
        row.reserveCapacity(key.count + values.count + 5)
        row.append(contentsOf: values)
        row.append(.bigint(timestamp))
        row.append(.integer(Int32(truncatingIfNeeded: partition)))
        row.append(.bigint(offset))
        if let window {
            row.append(.bigint(window.start))
            row.append(.bigint(window.end))
        } else {
            row.append(.null)
            row.append(.null)
        }
        return row
    }
}

/// A step of a task's operator chain. Each operator owns its state (never shared between tasks)
/// and pushes its output to `next`.
class Operator {
    /// Processes one row. `context` carries stream time, evaluation scratch and the processing log.
    func process(_ row: RuntimeRow, _ context: TaskContext) {}

    /// Called after each input record, once stream time may have moved (EMIT FINAL flushes here).
    func advance(_ context: TaskContext) {}
}
