#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The store's commit journal, `DATA_DIR/offsets/commits.log`: consumer-group offsets and the
/// outcome of every transaction, in one append-only file.
///
/// A journal entry is the commit point of a ``StoreTransaction``: the transaction's records are
/// written to their partitions first (as transactional batches), then its entry is appended here
/// (and fsynced, under ``LogStoreOptions/SyncPolicy/onCommit``). An entry names the group's new
/// offsets and, for each partition written, the partition's end offset after the transaction. At
/// open, a partition whose tail holds transactional batches at or beyond the last committed end
/// recorded here is truncated back: those batches belong to a transaction that never reached its
/// commit point (see `PartitionLog.open`).
///
/// File format (all integers big-endian, varints zigzag as in record batches):
/// ```
/// entry   = length: UInt32, crc: UInt32 (CRC-32C of payload), payload
/// payload = 1, transactionId: varlong, group: nullable string,
///              offsetCount: varint, (topic: string, partition: varlong, offset: varlong)*,
///              outputCount: varint, (topic: string, partition: varlong, endOffset: varlong)*
///         | 2, topic: string            -- the topic was deleted: forget its committed ends
/// string  = length: varint (-1 for null), UTF-8 bytes
/// ```
/// A torn last entry (crash mid-append) is truncated at open; a bad entry followed by a valid one is
/// reported as corruption. When the file has grown well past its live content it is rewritten as a
/// snapshot (temporary file, fsync, rename): one entry with every committed end, one per group.
///
/// Several processes may share the journal. Appends and snapshots happen under an `flock` on
/// `offsets/commits.lock` (not on the journal itself, which a snapshot replaces), after catching up
/// with what other processes appended. ``refresh()`` catches up: one `stat`, then it reads only the
/// new entries, or replays the whole file if a snapshot replaced it (a new inode).
///
/// Two views of the offsets are kept: `durable` (what the file says, used for snapshots) and
/// `visible` (what ``offsets(group:)`` returns), which a transaction updates only when it publishes
/// its records, so a reader never sees offsets ahead of the outputs they account for.
final class CommitJournal: @unchecked Sendable {
    enum Entry: Equatable {
        case commit(transactionId: Int64, group: String?, offsets: [TopicPartition: Int64], outputs: [TopicPartition: Int64])
        case topicDeleted(String)
    }

    static let fileName = "commits.log"
    private static let frameOverhead = 8
    private static let minimumSnapshotTrigger: Int64 = 1 << 20

    let path: String
    private let durable: Bool
    private let lock = Lock()
    // Guarded by `lock`.
    private var file: FileDescriptor?
    private var inode: UInt64 = 0
    private var lockFile: FileDescriptor?
    private var size: Int64 = 0
    private var liveSize: Int64 = 0
    private var durableGroups: [String: [TopicPartition: Int64]] = [:]
    private var visibleGroups: [String: [TopicPartition: Int64]] = [:]
    private var committedEnds: [TopicPartition: Int64] = [:]
    private var lastTransactionId: Int64 = 0

    /// Opens (creating if needed) and replays the journal in `directory`.
    init(directory: String, durable: Bool) throws(TopicStoreError) {
        path = directory + "/" + Self.fileName
        self.durable = durable
        let lockFile = try FileDescriptor.open(directory + "/commits.lock", create: true)
        self.lockFile = lockFile
        try lockFile.lock(exclusive: true)
        defer { lockFile.unlock() }
        try FileSystem.remove(path + ".tmp")
        let file = try FileDescriptor.open(path, create: true)
        self.file = file
        inode = try file.identity().inode
        try replay(file, from: 0, truncatingTornTail: true)
        visibleGroups = durableGroups
        liveSize = size
    }

    /// Catches up with entries other processes appended (or their snapshot).
    func refresh() throws(TopicStoreError) {
        try lock.withLock { () throws(TopicStoreError) in try refreshLocked() }
    }

    private func refreshLocked() throws(TopicStoreError) {
        guard file != nil else { return }
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        if UInt64(info.st_ino) != inode || Int64(info.st_size) < size {
            let reopened = try FileDescriptor.open(path)
            durableGroups = [:]
            committedEnds = [:]
            size = 0
            file = reopened
            inode = try reopened.identity().inode
            try replay(reopened, from: 0, truncatingTornTail: false)
            visibleGroups = durableGroups
            liveSize = size
        } else if Int64(info.st_size) > size {
            try replay(file!, from: size, truncatingTornTail: false, publishing: true)
        }
    }

    /// A fresh transaction id, larger than any in the journal.
    func nextTransactionId() -> Int64 {
        lock.withLock {
            lastTransactionId += 1
            return lastTransactionId
        }
    }

    /// The end offset of `partition` after the last committed transaction that wrote to it.
    func committedEnd(_ partition: TopicPartition) -> Int64? {
        lock.withLock { committedEnds[partition] }
    }

    /// The group's visible offsets, after catching up with other processes.
    func offsets(group: String) -> [TopicPartition: Int64] {
        lock.withLock {
            try? refreshLocked()
            return visibleGroups[group] ?? [:]
        }
    }

    /// Appends `entry` durably: when this returns, the entry survives a crash (of the machine, too,
    /// when the journal is durable).
    func write(_ entry: Entry) throws(TopicStoreError) {
        try lock.withLock { () throws(TopicStoreError) in
            guard let lockFile else { throw TopicStoreError(.io, "store is closed") }
            try lockFile.lock(exclusive: true)
            defer { lockFile.unlock() }
            try refreshLocked()
            guard let file else { throw TopicStoreError(.io, "store is closed") }
            var bytes: [UInt8] = []
            Self.appendFrame(entry, to: &bytes)
            try file.write(bytes, at: size)
            if durable { try file.sync() }
            size += Int64(bytes.count)
            apply(entry)
            if size > max(Self.minimumSnapshotTrigger, 4 * liveSize) { try rewriteSnapshot() }
        }
    }

    /// Makes a committed group's offsets visible to ``offsets(group:)``.
    func publish(group: String, offsets: [TopicPartition: Int64]) {
        lock.withLock { visibleGroups[group, default: [:]].merge(offsets) { _, new in new } }
    }

    /// Records that `topic` was deleted and forgets its ends and offsets.
    func forgetTopic(_ topic: String) throws(TopicStoreError) {
        try write(.topicDeleted(topic))
        lock.withLock { Self.removeTopic(topic, from: &visibleGroups) }
    }

    /// Topics the journal remembers ends or offsets for.
    func knownTopics() -> Set<String> {
        lock.withLock {
            var topics = Set(committedEnds.keys.map(\.topic))
            for offsets in durableGroups.values { topics.formUnion(offsets.keys.map(\.topic)) }
            return topics
        }
    }

    func close() {
        lock.withLock {
            file = nil
            lockFile = nil
        }
    }

    // MARK: - State

    private func apply(_ entry: Entry) {
        switch entry {
        case .commit(let transactionId, let group, let offsets, let outputs):
            lastTransactionId = max(lastTransactionId, transactionId)
            if let group, !offsets.isEmpty {
                durableGroups[group, default: [:]].merge(offsets) { _, new in new }
            }
            committedEnds.merge(outputs) { old, new in max(old, new) }
        case .topicDeleted(let topic):
            committedEnds = committedEnds.filter { $0.key.topic != topic }
            Self.removeTopic(topic, from: &durableGroups)
        }
    }

    private static func removeTopic(_ topic: String, from groups: inout [String: [TopicPartition: Int64]]) {
        for (group, offsets) in groups {
            let kept = offsets.filter { $0.key.topic != topic }
            groups[group] = kept.isEmpty ? nil : kept
        }
    }

    /// Applies the entries from byte `start` on. A damaged entry with nothing valid after it is a
    /// torn tail: truncated when `truncatingTornTail` (under the file lock, at open), otherwise left
    /// for later (it may be another process's append in progress).
    private func replay(
        _ file: FileDescriptor, from start: Int64, truncatingTornTail: Bool, publishing: Bool = false
    ) throws(TopicStoreError) {
        let total = try file.size()
        let bytes = try file.read(at: start, count: Int(total - start))
        var failure: TopicStoreError?
        var validEnd = 0
        bytes.withUnsafeBytes { raw in
            var position = 0
            while position < raw.count {
                if let (entry, frameSize) = Self.decodeFrame(raw, at: position) {
                    apply(entry)
                    if publishing { publishToVisible(entry) }
                    position += frameSize
                    validEnd = position
                    continue
                }
                // Damage at `position`: a torn tail if nothing valid follows, corruption otherwise.
                for later in (position + 1)..<raw.count where Self.decodeFrame(raw, at: later) != nil {
                    failure = TopicStoreError(
                        .corrupt,
                        "commit journal '\(path)' is corrupt at byte \(start + Int64(position)) with valid entries after it")
                    return
                }
                return
            }
        }
        if let failure { throw failure }
        if truncatingTornTail && validEnd < bytes.count { try file.truncate(to: start + Int64(validEnd)) }
        size = start + Int64(validEnd)
    }

    /// Another process's entry: its offsets are visible as soon as this process reads them.
    private func publishToVisible(_ entry: Entry) {
        switch entry {
        case .commit(_, let group, let offsets, _):
            if let group, !offsets.isEmpty { visibleGroups[group, default: [:]].merge(offsets) { _, new in new } }
        case .topicDeleted(let topic):
            Self.removeTopic(topic, from: &visibleGroups)
        }
    }

    private func rewriteSnapshot() throws(TopicStoreError) {
        var bytes: [UInt8] = []
        Self.appendFrame(
            .commit(transactionId: lastTransactionId, group: nil, offsets: [:], outputs: committedEnds), to: &bytes)
        for group in durableGroups.keys.sorted() {
            Self.appendFrame(
                .commit(transactionId: lastTransactionId, group: group, offsets: durableGroups[group]!, outputs: [:]),
                to: &bytes)
        }
        try FileSystem.writeAtomically(path, bytes, durable: durable)
        let reopened = try FileDescriptor.open(path)
        file = reopened
        inode = try reopened.identity().inode
        size = Int64(bytes.count)
        liveSize = size
    }

    // MARK: - Encoding

    static func appendFrame(_ entry: Entry, to bytes: inout [UInt8]) {
        var payload: [UInt8] = []
        switch entry {
        case .commit(let transactionId, let group, let offsets, let outputs):
            payload.append(1)
            Varint.append(transactionId, to: &payload)
            appendString(group, to: &payload)
            appendPositions(offsets, to: &payload)
            appendPositions(outputs, to: &payload)
        case .topicDeleted(let topic):
            payload.append(2)
            appendString(topic, to: &payload)
        }
        bytes.appendBigEndian(UInt32(payload.count))
        bytes.appendBigEndian(CRC32C.checksum(payload))
        bytes.append(contentsOf: payload)
    }

    private static func appendString(_ string: String?, to bytes: inout [UInt8]) {
        bytes.appendNullableBytes(string.map { Array($0.utf8) })
    }

    private static func appendPositions(_ positions: [TopicPartition: Int64], to bytes: inout [UInt8]) {
        Varint.append(Int64(positions.count), to: &bytes)
        for (partition, offset) in positions.sorted(by: { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }) {
            appendString(partition.topic, to: &bytes)
            Varint.append(Int64(partition.partition), to: &bytes)
            Varint.append(offset, to: &bytes)
        }
    }

    /// The entry framed at `position` and the frame's size, or nil if it is torn or corrupt.
    static func decodeFrame(_ raw: UnsafeRawBufferPointer, at position: Int) -> (Entry, Int)? {
        guard raw.count - position >= frameOverhead else { return nil }
        let length = Int(raw.loadBigEndian(at: position, as: UInt32.self))
        let crc = raw.loadBigEndian(at: position + 4, as: UInt32.self)
        guard length > 0, length <= raw.count - position - frameOverhead else { return nil }
        let payload = UnsafeRawBufferPointer(rebasing: raw[(position + frameOverhead)..<(position + frameOverhead + length)])
        guard CRC32C.checksum(payload) == crc, let entry = try? decodePayload(payload) else { return nil }
        return (entry, frameOverhead + length)
    }

    private static func decodePayload(_ payload: UnsafeRawBufferPointer) throws(FormatError) -> Entry {
        var reader = ByteReader(payload)
        let kind = try reader.readUInt8()
        let entry: Entry
        switch kind {
        case 1:
            let transactionId = try reader.readVarlong()
            let group = try readString(&reader)
            let offsets = try readPositions(&reader)
            let outputs = try readPositions(&reader)
            entry = .commit(transactionId: transactionId, group: group, offsets: offsets, outputs: outputs)
        case 2:
            guard let topic = try readString(&reader) else { throw FormatError(.malformed, "null topic") }
            entry = .topicDeleted(topic)
        default:
            throw FormatError(.malformed, "unknown journal entry kind \(kind)")
        }
        guard reader.remaining == 0 else { throw FormatError(.malformed, "trailing bytes in journal entry") }
        return entry
    }

    private static func readString(_ reader: inout ByteReader) throws(FormatError) -> String? {
        try reader.readNullableBytes().map { String(decoding: $0, as: UTF8.self) }
    }

    private static func readPositions(_ reader: inout ByteReader) throws(FormatError) -> [TopicPartition: Int64] {
        let count = try reader.readVarlong()
        guard count >= 0, count <= Int64(reader.remaining) else { throw FormatError(.malformed, "position count \(count)") }
        var positions: [TopicPartition: Int64] = [:]
        for _ in 0..<count {
            guard let topic = try readString(&reader) else { throw FormatError(.malformed, "null topic") }
            let partition = try reader.readVarlong()
            guard let index = Int(exactly: partition), index >= 0 else { throw FormatError(.malformed, "partition \(partition)") }
            positions[TopicPartition(topic, index)] = try reader.readVarlong()
        }
        return positions
    }
}
