import Foundation

/// The thread behind ``LogStoreOptions/SyncPolicy/interval(milliseconds:)``: every interval it
/// fsyncs the partitions appended to since the last round, so a machine crash loses at most about
/// one interval of acknowledged plain appends, and appends themselves never wait for the disk.
final class IntervalFlusher: @unchecked Sendable {
    private let condition = ConditionLock()
    private var stopped = false  // guarded by `condition`

    init(intervalMilliseconds: Int, flush: @escaping @Sendable () -> Void) {
        let interval = UInt64(max(1, intervalMilliseconds)) * 1_000_000
        let thread = Thread { [condition] in
            var deadline = monotonicNanoseconds() + interval
            while true {
                let stop = condition.withLock { () -> Bool in
                    while !self.stopped && condition.wait(until: deadline) {}
                    return self.stopped
                }
                flush()
                if stop { return }
                deadline = monotonicNanoseconds() + interval
            }
        }
        thread.name = "sluice-log-flusher"
        thread.start()
    }

    /// Runs a last flush and ends the thread.
    func stop() {
        condition.withLock {
            stopped = true
            condition.broadcast()
        }
    }
}
