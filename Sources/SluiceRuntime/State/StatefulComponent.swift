import SluiceTypes

/// Something in a task that keeps state in memory (an aggregation, a join, a table source's last
/// rows). A task snapshot holds each component's state, so a restart can resume from the snapshot
/// instead of replaying the input from its start.
///
/// State is written as values (nested with `.array`), then stored in the binary row form.
protocol StatefulComponent: AnyObject {
    /// Appends the state to `out`; false when some part of it cannot be written (the task then
    /// takes no snapshot and restarts by replay).
    func writeState(into out: inout [Value]) -> Bool
    /// Replaces the state with one written by `writeState`; false when it cannot be read.
    func readState(_ reader: inout StateReader) -> Bool
}

/// Walks the values of a snapshot.
struct StateReader {
    let values: [Value]
    var index = 0

    init(_ values: [Value]) { self.values = values }

    mutating func next() -> Value? {
        guard index < values.count else { return nil }
        defer { index += 1 }
        return values[index]
    }

    mutating func int64() -> Int64? {
        guard case .bigint(let v)? = next() else { return nil }
        return v
    }

    mutating func array() -> [Value]? {
        guard case .array(let v)? = next() else { return nil }
        return v
    }

    /// A nested reader over the next value, which must be an array.
    mutating func nested() -> StateReader? { array().map(StateReader.init) }

    var isAtEnd: Bool { index >= values.count }
}
