import Foundation

/// The consumer's end of a streaming result: rows are pushed by the runtime's thread and pulled by
/// the shell (or a test) with ``next(timeout:)``.
///
/// Thread-safe. The producer side calls ``push(_:)`` and ``finish(_:)``; the consumer may
/// ``cancel()`` at any time, after which the runtime stops the query at its next batch.
public final class PushQueryHandle: @unchecked Sendable {
    /// Column headers, for rendering.
    public let headers: [String]
    /// The id of the transient query behind this handle (e.g. `transient_READINGS_1`).
    public let queryID: String

    private let condition = NSCondition()
    private var pending: [[String]] = []
    private var head = 0
    private var endReason: String??
    private var cancelled = false
    private var onCancel: (@Sendable () -> Void)?

    public init(queryID: String, headers: [String]) {
        self.queryID = queryID
        self.headers = headers
    }

    /// The next row, `.waiting` if none arrived within `timeout` seconds, or `.end` once finished
    /// and drained.
    public func next(timeout: Double) -> PushEvent {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while head == pending.count && endReason == nil {
            if !condition.wait(until: deadline) { break }
        }
        if head < pending.count {
            let row = pending[head]
            head += 1
            if head > 1024 && head * 2 > pending.count {
                pending.removeFirst(head)
                head = 0
            }
            return .row(row)
        }
        if let reason = endReason { return .end(reason) }
        return .waiting
    }

    /// Stops the query; buffered rows are dropped.
    public func cancel() {
        condition.lock()
        cancelled = true
        pending.removeAll()
        head = 0
        if endReason == nil { endReason = .some("cancelled") }
        let hook = onCancel
        onCancel = nil
        condition.broadcast()
        condition.unlock()
        hook?()
    }

    public var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    // MARK: - Producer side

    /// Called once by the engine: what to run when the consumer cancels.
    package func setCancelHook(_ hook: @escaping @Sendable () -> Void) {
        condition.lock()
        onCancel = hook
        condition.unlock()
    }

    package func push(_ row: [String]) {
        condition.lock()
        if endReason == nil {
            pending.append(row)
            condition.broadcast()
        }
        condition.unlock()
    }

    package func finish(_ reason: String? = nil) {
        condition.lock()
        if endReason == nil { endReason = .some(reason) }
        condition.broadcast()
        condition.unlock()
    }
}
