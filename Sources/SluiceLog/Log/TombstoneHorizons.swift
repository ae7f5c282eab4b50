/// When compaction first kept each sealed segment's tombstones: `topics/NAME/P/tombstone.horizons`,
/// one `BASE_OFFSET FIRST_SEEN_MS` line per segment that holds a tombstone compaction kept.
///
/// Kafka keeps a tombstone for `delete.retention.ms` after the cleaner first processes it (its
/// "delete horizon"), not after the tombstone's own timestamp: a tombstone with an old event time
/// must still reach a consumer that had read the value it deletes and is catching up. Kafka stores
/// the horizon in the rewritten batch; Sluice keeps it beside the segments, so batches keep their
/// timestamps exactly as written.
///
/// The file is advisory: missing or unreadable, every tombstone just starts its wait again, which
/// only keeps it longer. Read and written by whoever holds the partition's cleaner lock.
struct TombstoneHorizons: Equatable {
    static let fileName = "tombstone.horizons"

    /// Segment base offset → when compaction first kept a tombstone in it (store clock, ms).
    var firstSeen: [Int64: Int64] = [:]

    static func read(from directory: String) -> TombstoneHorizons {
        guard let bytes = try? FileSystem.readFile(directory + "/" + fileName) else { return TombstoneHorizons() }
        var horizons = TombstoneHorizons()
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2, let base = Int64(fields[0]), let time = Int64(fields[1]) else { continue }
            horizons.firstSeen[base] = time
        }
        return horizons
    }

    func write(to directory: String, durable: Bool) throws(TopicStoreError) {
        let text = firstSeen.keys.sorted().map { "\($0) \(firstSeen[$0]!)\n" }.joined()
        try FileSystem.writeAtomically(directory + "/" + Self.fileName, Array(text.utf8), durable: durable)
    }
}
