/// A record key in compaction's map from key to latest offset.
///
/// `[UInt8]`'s own hashing feeds the hasher one byte at a time; compaction hashes every key of the
/// partition twice per run (collecting, then rewriting), and that per-byte feeding was most of its
/// time. This hashes the bytes in one call.
struct CompactionKey: Hashable {
    let bytes: [UInt8]

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = Array(bytes.bindMemory(to: UInt8.self))
    }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    static func == (lhs: CompactionKey, rhs: CompactionKey) -> Bool { lhs.bytes == rhs.bytes }
}
