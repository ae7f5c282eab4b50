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
        /// Per query, how many records were dropped or degraded for each reason.
        var byReason: [String: [Reason: Int]] = [:]
    }

    /// Why a record was dropped (or a value nulled): what a user needs to see when a query emits
    /// less than expected.
    public enum Reason: String, Sendable, CaseIterable {
        case undecodable = "undecodable"
        case late = "late"
        case nullKey = "null key"
        case badTimestamp = "bad timestamp"
        case expression = "expression error"
        case unwritable = "unwritable"

        init(message: String) {
            if message.hasPrefix("cannot decode") || message.hasPrefix("windowed key") {
                self = .undecodable
            } else if message.contains("too late") {
                self = .late
            } else if message.contains("NULL: record dropped") || message.contains("needs a key") || message.contains("key is NULL") {
                self = .nullKey
            } else if message.contains("timestamp") || message.contains("TIMESTAMP") {
                self = .badTimestamp
            } else if message.hasPrefix("cannot encode") || message.hasPrefix("cannot write") {
                self = .unwritable
            } else {
                self = .expression
            }
        }
    }

    private let state = Mutex(State())
    private let capacity: Int

    public init(capacity: Int = 1000) {
        self.capacity = capacity
    }

    func record(_ entry: Entry) {
        state.withLock {
            $0.total += 1
            $0.byReason[entry.queryID, default: [:]][Reason(message: entry.message), default: 0] += 1
            $0.entries.append(entry)
            if $0.entries.count > capacity { $0.entries.removeFirst($0.entries.count - capacity) }
        }
    }

    public var total: Int { state.withLock { $0.total } }
    /// Entries for one query, by reason.
    public func counts(forQuery id: String) -> [Reason: Int] { state.withLock { $0.byReason[id] ?? [:] } }
    public var recent: [Entry] { state.withLock { $0.entries } }
}
