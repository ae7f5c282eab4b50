/// One segment's files: `<base>.log`, `<base>.index`, `<base>.timeindex` in the partition directory.
///
/// `<base>` is the segment's base offset as 20 zero-padded digits (as Kafka names them), so a plain
/// directory listing sorts segments in offset order. Every record in a segment has an offset at
/// least its base and below the next segment's base.
///
/// The object owns the `.log` descriptor; it is immutable and shared by the writer and readers.
/// Retention or compaction replace or drop the object; a reader still holding it keeps a valid
/// descriptor to the old inode until it lets go.
final class SegmentFile: Sendable {
    let baseOffset: Int64
    let directory: String
    let file: FileDescriptor

    init(baseOffset: Int64, directory: String, file: FileDescriptor) {
        self.baseOffset = baseOffset
        self.directory = directory
        self.file = file
    }

    var logPath: String { Self.path(directory, baseOffset, .log) }
    var indexPath: String { Self.path(directory, baseOffset, .index) }
    var timeIndexPath: String { Self.path(directory, baseOffset, .timeIndex) }

    enum Kind: String {
        case log = ".log"
        case index = ".index"
        case timeIndex = ".timeindex"
        /// Compaction output before it replaces the segment (see `PartitionLog.compact`).
        case cleanedLog = ".log.cleaned"
        case cleanedIndex = ".index.cleaned"
        case cleanedTimeIndex = ".timeindex.cleaned"
    }

    static func fileName(_ baseOffset: Int64, _ kind: Kind) -> String {
        let digits = String(baseOffset)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + kind.rawValue
    }

    static func path(_ directory: String, _ baseOffset: Int64, _ kind: Kind) -> String {
        directory + "/" + fileName(baseOffset, kind)
    }

    /// The base offset named by a segment file name, or nil if `name` is not `<20 digits><suffix>`.
    static func baseOffset(fromName name: String, kind: Kind) -> Int64? {
        guard name.hasSuffix(kind.rawValue) else { return nil }
        let stem = name.utf8.prefix(name.utf8.count - kind.rawValue.utf8.count)
        guard stem.count == 20, stem.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return Int64(String(decoding: stem, as: UTF8.self))
    }

    /// Removes the segment's files, the log first: a crash part-way leaves only index files without
    /// a log, which the next open deletes.
    func removeFiles() throws(TopicStoreError) {
        try FileSystem.remove(logPath)
        try FileSystem.remove(indexPath)
        try FileSystem.remove(timeIndexPath)
    }
}

/// What a partition knows about one segment. Lives in the partition's published state and is
/// guarded by its state lock.
struct SegmentState: Sendable {
    var file: SegmentFile
    /// Bytes readers may read: whole, committed batches only.
    var size: Int64
    /// The offset after the segment's last record; the base offset while empty.
    var nextOffset: Int64
    /// The largest record timestamp; `Int64.min` while empty.
    var maxTimestamp: Int64
    var offsetIndex: OffsetIndex
    var timeIndex: TimeIndex

    var baseOffset: Int64 { file.baseOffset }
}
