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
    ///
    /// The slots are overwritten in place (one uniqueness check per row rather than one per
    /// appended value); the row's shape only changes when an operator sees rows of another width.
    func fillEvaluationRow(_ values: [Value], into scratch: inout [Value]) {
        let count = key.count + values.count + 5
        if scratch.count != count { scratch = .nulls(count) }
        scratch.withUnsafeMutableBufferPointer { slots in
            var i = 0
            for v in key {
                slots[i] = v
                i += 1
            }
            for v in values {
                slots[i] = v
                i += 1
            }
            slots[i] = .bigint(timestamp)
            slots[i + 1] = .integer(Int32(truncatingIfNeeded: partition))
            slots[i + 2] = .bigint(offset)
            if let window {
                slots[i + 3] = .bigint(window.start)
                slots[i + 4] = .bigint(window.end)
            } else {
                slots[i + 3] = .null
                slots[i + 4] = .null
            }
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
    ///
    /// The row is `inout` so that an operator can change it in place and hand the same storage
    /// on (a projection replaces `key` and `value`, nothing is copied). The caller must not read
    /// the row after passing it: operators downstream may have changed it.
    func process(_ row: inout RuntimeRow, _ context: TaskContext) {}

    /// Called after each input record, once stream time may have moved (EMIT FINAL flushes here).
    func advance(_ context: TaskContext) {}

    /// Whether this operator (or one after it) reads `oldValue`. Table changes carry the row they
    /// replace for filters, regrouping and repartitioning; when only projections and a sink
    /// follow, producers skip computing it.
    var needsOldValues: Bool { true }
}
