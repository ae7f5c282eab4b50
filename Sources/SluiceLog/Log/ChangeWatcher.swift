#if canImport(Glibc)
import Glibc
import Foundation

/// Wakes this process's `waitForData` callers when another process changes a partition or the
/// topic list: a thread blocked on an inotify descriptor that watches each open partition's
/// `partition.state` page (writers ring its doorbell, see ``SharedPartitionState``) and the
/// `topics/` directory (topics created or deleted elsewhere).
///
/// Started lazily by the first `waitForData`, so a process that never waits pays nothing. The
/// in-process path does not need it: local publishes broadcast the notifier directly.
final class ChangeWatcher: @unchecked Sendable {
    private let inotify: Int32
    /// The write end of a pipe whose read end the thread polls: writing a byte stops it.
    private let stopEvent: Int32
    private let thread: Thread

    /// nil if the kernel refuses an inotify instance (then waiters fall back to polling).
    init?(onChange: @escaping @Sendable () -> Void) {
        let inotify = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard inotify >= 0 else { return nil }
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            close(inotify)
            return nil
        }
        _ = fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC)
        let stopEvent = pipeEnds[0]
        let stopWriter = pipeEnds[1]
        self.inotify = inotify
        self.stopEvent = pipeEnds[1]
        thread = Thread {
            var descriptors = [
                pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
                pollfd(fd: stopEvent, events: Int16(POLLIN), revents: 0),
            ]
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: 16 << 10, alignment: 8)
            defer {
                buffer.deallocate()
                close(inotify)
                close(stopEvent)
                close(stopWriter)
            }
            while true {
                if poll(&descriptors, 2, -1) < 0 && errno != EINTR { return }
                if descriptors[1].revents != 0 { return }
                if descriptors[0].revents != 0 {
                    while read(inotify, buffer, 16 << 10) > 0 {}
                    onChange()
                }
            }
        }
        thread.name = "sluice-log-watcher"
        thread.start()
    }

    /// Watches a partition's shared page; a no-op for a file already watched.
    func watchPartition(statePath: String) {
        _ = inotify_add_watch(inotify, statePath, UInt32(IN_MODIFY | IN_ATTRIB))
    }

    /// Watches a directory for entries appearing or disappearing.
    func watchDirectory(_ path: String) {
        _ = inotify_add_watch(inotify, path, UInt32(IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ONLYDIR))
    }

    /// Ends the thread, which closes the descriptors.
    func stop() {
        var one: UInt8 = 1
        _ = write(stopEvent, &one, 1)
    }
}
#else
/// Without inotify, waiters poll the shared pages.
final class ChangeWatcher: @unchecked Sendable {
    init?(onChange: @escaping @Sendable () -> Void) { return nil }
    func watchPartition(statePath: String) {}
    func watchDirectory(_ path: String) {}
    func stop() {}
}
#endif
