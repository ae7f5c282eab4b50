/// The sparse offset index of one segment: which byte position to start scanning from to find an
/// offset, so a read seeks instead of scanning the segment from its start.
///
/// File `<base>.index`: a sequence of 8-byte entries, each `relativeOffset: UInt32` (a batch's base
/// offset minus the segment's base offset) then `position: UInt32` (the batch's byte position in the
/// `.log`), both big-endian, strictly increasing. An entry is added for the first batch of a segment
/// and then for the first batch after every `indexIntervalBytes` of log data (see ``SegmentIndexer``).
///
/// Only sealed segments have their index on disk, written whole (temporary file, then rename) when
/// the segment is sealed or compacted. The active segment's index lives in memory and is rebuilt by
/// the recovery scan at open.
struct OffsetIndex: Sendable {
    struct Entry: Hashable, Sendable {
        var relativeOffset: UInt32
        var position: UInt32
    }

    static let entrySize = 8

    private(set) var entries: [Entry] = []

    init(entries: [Entry] = []) { self.entries = entries }

    mutating func append(contentsOf newEntries: [Entry]) {
        entries.append(contentsOf: newEntries)
    }

    /// The byte position of the last indexed batch whose base offset is at most `relativeOffset`:
    /// the batch holding that offset starts there or later. 0 when no entry qualifies.
    func position(for relativeOffset: UInt32) -> Int64 {
        let count = entries.partitionPoint { $0.relativeOffset <= relativeOffset }
        return count == 0 ? 0 : Int64(entries[count - 1].position)
    }

    /// The last entry whose relative offset is at most `relativeOffset`, if any.
    func entry(for relativeOffset: UInt32) -> Entry? {
        let count = entries.partitionPoint { $0.relativeOffset <= relativeOffset }
        return count == 0 ? nil : entries[count - 1]
    }

    func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * Self.entrySize)
        for entry in entries {
            bytes.appendBigEndian(entry.relativeOffset)
            bytes.appendBigEndian(entry.position)
        }
        return bytes
    }

    /// Parses an index file, or nil when it cannot belong to a log of `logSize` bytes: a partial
    /// entry, entries out of order, a position past the end, or no entry at position 0 for a
    /// non-empty log. The caller then rebuilds the index by scanning the log.
    static func decode(_ bytes: [UInt8], logSize: Int64) -> OffsetIndex? {
        guard bytes.count % entrySize == 0 else { return nil }
        var entries: [Entry] = []
        entries.reserveCapacity(bytes.count / entrySize)
        let valid = bytes.withUnsafeBytes { raw -> Bool in
            var index = 0
            while index < raw.count {
                let entry = Entry(
                    relativeOffset: raw.loadBigEndian(at: index), position: raw.loadBigEndian(at: index + 4))
                if let last = entries.last,
                    entry.relativeOffset <= last.relativeOffset || entry.position <= last.position
                {
                    return false
                }
                if Int64(entry.position) >= logSize { return false }
                entries.append(entry)
                index += entrySize
            }
            return true
        }
        guard valid else { return nil }
        if logSize > 0 && entries.first?.position != 0 { return nil }
        return OffsetIndex(entries: entries)
    }
}
