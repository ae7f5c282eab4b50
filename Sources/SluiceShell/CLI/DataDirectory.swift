import Foundation
import SluiceEngine
import SluiceLog
#if canImport(Glibc)
import Glibc
#endif

/// An embedded data directory opened by a `sluice` process.
///
/// Layout: the topic log's own (`DIR/topics/NAME/...`, `DIR/offsets/`, see `LogTopicStore`),
/// `DIR/commands` the engine's command log, and `DIR/sluice.lock` the lock that keeps a second
/// engine out. The topic log is shared by several processes (it coordinates its writers itself),
/// so the topic tools (`produce`, `consume`, `topic`) open a directory `.forTopics` and work beside
/// a running shell or `run`; only processes that run the engine (and so own the catalog and the
/// persistent queries) take the lock, and a second one fails with a message naming the holder.
/// The lock is an advisory `flock(2)`: it goes away with the process, even if it is killed.
public final class DataDirectory {
    public enum Use {
        /// Runs the engine: one process at a time.
        case engine
        /// Reads and writes topics only, beside whatever else has the directory open.
        case forTopics
    }

    public let path: String
    private var lockDescriptor: Int32 = -1
    public private(set) var store: LogTopicStore?

    /// `./sluice-data`, unless `SLUICE_DATA_DIR` names another.
    public static var defaultPath: String {
        if let fromEnvironment = ProcessInfo.processInfo.environment["SLUICE_DATA_DIR"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "./sluice-data"
    }

    /// Creates the directory if needed and, to run the engine, takes its lock.
    public init(path: String, use: Use = .engine) throws(CommandFailure) {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure("cannot create data directory '\(path)': \(error.localizedDescription)")
        }
        guard use == .engine else { return }
        let lockPath = path + "/sluice.lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CommandFailure("cannot open '\(lockPath)': \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var holder = ""
            if let text = try? String(contentsOfFile: lockPath, encoding: .utf8),
                let pid = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                holder = " (pid \(pid))"
            }
            close(fd)
            throw CommandFailure(
                "data directory '\(path)' is in use by another sluice process\(holder) running queries; "
                    + "stop it or pass a different --data-dir (produce, consume and topic work beside it)")
        }
        ftruncate(fd, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(fd, $0, strlen($0)) }
        lockDescriptor = fd
    }

    /// The topic store of the directory, opened on first use.
    public func openStore() throws(CommandFailure) -> LogTopicStore {
        if let store { return store }
        do {
            let opened = try LogTopicStore(directory: path)
            store = opened
            return opened
        } catch {
            throw CommandFailure("cannot open the topic log in '\(path)': \(error)")
        }
    }

    /// Opens the store and an engine over it; the engine replays its command log, restarting the
    /// persistent queries it finds.
    public func openEngine(properties: [String: String]) throws(CommandFailure) -> Engine {
        let store = try openStore()
        do {
            return try Engine(
                store: store, configuration: EngineConfiguration(properties: properties, dataDirectory: path))
        } catch {
            throw CommandFailure("cannot start the engine on '\(path)': \(error)")
        }
    }

    /// Closes the store (flushing its active segments) and releases the lock. Call it once the
    /// engine is closed.
    public func unlock() {
        store?.close()
        store = nil
        guard lockDescriptor >= 0 else { return }
        flock(lockDescriptor, LOCK_UN)
        close(lockDescriptor)
        lockDescriptor = -1
    }

    deinit { unlock() }
}

/// A command failed for a reason the user can act on: printed as `error: message`, exit status 1.
public struct CommandFailure: Error, CustomStringConvertible {
    public var message: String
    public var exitCode: Int32

    public init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String { message }
}
