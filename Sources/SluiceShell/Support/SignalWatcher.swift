import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGINT and SIGTERM into counters the shell and `sluice run` poll, instead of letting them
/// kill the process.
///
/// The default action of both signals is replaced (`SIG_IGN`) while a watcher is installed, and a
/// dispatch source counts deliveries on a private queue. Polling code compares the counter with a
/// value it saw earlier (``interruptCount``), which lets a push query cancel on Ctrl-C without racing
/// a handler that would run arbitrary code inside a signal context. Blocking code waits with
/// ``waitForSignal(timeout:)``.
public final class SignalWatcher: Sendable {
    private let interrupts = Atomic<Int>(0)
    private let terminations = Atomic<Int>(0)
    private let wakeups = DispatchSemaphore(value: 0)
    private let queue = DispatchQueue(label: "sluice.signals")
    /// Kept alive for the life of the watcher; written once by ``install()``.
    nonisolated(unsafe) private var sources: [DispatchSourceSignal] = []

    public init() {}

    /// Starts watching SIGINT and SIGTERM.
    public func install() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            let isInterrupt = number == SIGINT
            source.setEventHandler { [self] in
                if isInterrupt {
                    interrupts.add(1, ordering: .sequentiallyConsistent)
                } else {
                    terminations.add(1, ordering: .sequentiallyConsistent)
                }
                wakeups.signal()
            }
            source.resume()
            sources.append(source)
        }
    }

    /// How many SIGINTs arrived so far.
    public var interruptCount: Int { interrupts.load(ordering: .sequentiallyConsistent) }
    /// Whether a SIGTERM arrived.
    public var terminated: Bool { terminations.load(ordering: .sequentiallyConsistent) > 0 }

    /// Blocks until a signal arrives or `timeout` seconds pass; true if a signal arrived.
    public func waitForSignal(timeout: Double) -> Bool {
        wakeups.wait(timeout: .now() + timeout) == .success
    }
}
