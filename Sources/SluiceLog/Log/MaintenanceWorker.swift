import Foundation

/// The thread that runs retention and compaction after a segment rolls, so that the appending
/// thread (usually a query's) returns as soon as its records are stored, and cleaning runs beside
/// writers and readers rather than inside one of them.
///
/// Partitions wait in arrival order, each at most once: a partition that rolls again while queued
/// is cleaned once, with the settings and segments of that moment. Started at the first roll, so a
/// store that never rolls never starts a thread. ``drain()`` waits until nothing is queued or
/// running (what a closing store, and a test, wants); ``stop()`` drains and ends the thread.
final class MaintenanceWorker: @unchecked Sendable {
    private let clock: @Sendable () -> Int64
    private let condition = ConditionLock()
    // Guarded by `condition`:
    private var queue: [PartitionLog] = []
    private var running = false
    private var started = false
    private var stopped = false

    init(clock: @escaping @Sendable () -> Int64) {
        self.clock = clock
    }

    /// Queues `log` for cleaning unless it is queued already. After ``stop()``, does nothing.
    func schedule(_ log: PartitionLog) {
        condition.withLock {
            guard !stopped, !queue.contains(where: { $0 === log }) else { return }
            queue.append(log)
            if !started {
                started = true
                let thread = Thread { [self] in work() }
                thread.name = "sluice-log-cleaner"
                thread.start()
            }
            condition.broadcast()
        }
    }

    /// Returns once every queued partition has been cleaned.
    func drain() {
        condition.withLock {
            while !queue.isEmpty || running { _ = condition.wait(until: .max) }
        }
    }

    /// Drains, then ends the thread; later schedules are ignored.
    func stop() {
        drain()
        condition.withLock {
            stopped = true
            condition.broadcast()
        }
    }

    private func work() {
        while true {
            let next = condition.withLock { () -> PartitionLog? in
                while queue.isEmpty && !stopped { _ = condition.wait(until: .max) }
                guard !queue.isEmpty else { return nil }
                running = true
                return queue.removeFirst()
            }
            guard let log = next else { return }
            log.maintainAfterRoll(now: clock())
            condition.withLock {
                running = false
                condition.broadcast()
            }
        }
    }
}
