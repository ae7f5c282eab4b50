import Synchronization

/// Records that could not be processed: undecodable bytes, failed expressions, late records.
///
/// Keeps a count and the most recent entries (bounded) for `DESCRIBE EXTENDED` and tests; user
/// data never goes into it, only positions and reasons.
public final class ProcessingLog: Sendable {
    public struct Entry: Sendable, Hashable {
        public var queryID: String
        public var topic: String
        public var partition: Int
        public var offset: Int64
        public var message: String
    }

    private struct State {
        var entries: [Entry] = []
        var total = 0
    }

    private let state = Mutex(State())
    private let capacity: Int

    public init(capacity: Int = 1000) {
        self.capacity = capacity
    }

    func record(_ entry: Entry) {
        state.withLock {
            $0.total += 1
            $0.entries.append(entry)
            if $0.entries.count > capacity { $0.entries.removeFirst($0.entries.count - capacity) }
        }
    }

    public var total: Int { state.withLock { $0.total } }
    public var recent: [Entry] { state.withLock { $0.entries } }
}
