/// The sparse time index of one segment: where to start scanning for the first record at or after a
/// timestamp, and the segment's largest timestamp (which time-based retention compares).
///
/// File `<base>.timeindex`: 12-byte entries, `timestamp: Int64` then `relativeOffset: UInt32`,
/// big-endian. An entry `(t, r)` promises that every record before relative offset `r` in this
/// segment has a timestamp of at most `t`; timestamps strictly increase from entry to entry. When a
/// segment is sealed a final entry records its largest timestamp against its end offset.
///
/// Timestamps are the producers' (create time) and need not be monotonic in offset order; the index
/// only bounds them, so a lookup still scans forward from the entry it finds.
struct TimeIndex: Sendable {
    struct Entry: Hashable, Sendable {
        var timestamp: Int64
        var relativeOffset: UInt32
    }

    static let entrySize = 12

    private(set) var entries: [Entry] = []

    init(entries: [Entry] = []) { self.entries = entries }

    mutating func append(contentsOf newEntries: [Entry]) {
        entries.append(contentsOf: newEntries)
    }

    /// The relative offset to start scanning from for the first record with a timestamp of at least
    /// `timestamp`: the entry with the largest timestamp below it (all records before its offset are
    /// too early), or 0.
    func startOffset(forTimestamp timestamp: Int64) -> UInt32 {
        let count = entries.partitionPoint { $0.timestamp < timestamp }
        return count == 0 ? 0 : entries[count - 1].relativeOffset
    }

    func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * Self.entrySize)
        for entry in entries {
            bytes.appendBigEndian(entry.timestamp)
            bytes.appendBigEndian(entry.relativeOffset)
        }
        return bytes
    }

    /// Parses a time index file, or nil if it is not well formed (partial entry, not increasing).
    static func decode(_ bytes: [UInt8]) -> TimeIndex? {
        guard bytes.count % entrySize == 0 else { return nil }
        var entries: [Entry] = []
        entries.reserveCapacity(bytes.count / entrySize)
        let valid = bytes.withUnsafeBytes { raw -> Bool in
            var index = 0
            while index < raw.count {
                let entry = Entry(timestamp: raw.loadBigEndian(at: index), relativeOffset: raw.loadBigEndian(at: index + 8))
                if let last = entries.last,
                    entry.timestamp <= last.timestamp || entry.relativeOffset < last.relativeOffset
                {
                    return false
                }
                entries.append(entry)
                index += entrySize
            }
            return true
        }
        return valid ? TimeIndex(entries: entries) : nil
    }
}
