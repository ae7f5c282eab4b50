import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Counts SIGWINCH deliveries, so the line editor can redraw for the new width.
///
/// The counter is polled rather than acted on in a handler: the editor reads the terminal in short
/// `poll(2)` slices and compares the count between keys (see ``TerminalReader``). Installed once
/// per process, on first use.
final class WindowSizeWatcher: Sendable {
    static let shared: WindowSizeWatcher = {
        let watcher = WindowSizeWatcher()
        watcher.install()
        return watcher
    }()

    private let changes = Atomic<Int>(0)
    private let queue = DispatchQueue(label: "sluice.winch")
    nonisolated(unsafe) private var source: DispatchSourceSignal?

    private init() {}

    /// Starts counting; the first use of ``shared`` does it.
    private func install() {
        // SIGWINCH is ignored by default; the dispatch source needs the default action out of the
        // way to see it, exactly as for SIGINT in SignalWatcher.
        signal(SIGWINCH, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: queue)
        source.setEventHandler { [self] in changes.add(1, ordering: .sequentiallyConsistent) }
        source.resume()
        self.source = source
    }

    var changeCount: Int { changes.load(ordering: .sequentiallyConsistent) }
}
