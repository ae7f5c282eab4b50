import Foundation
import Testing

@testable import SluiceLog

/// Seeded random interleavings of append, read (and scan), seek by time, retention, compaction,
/// altering the rolling settings from a second store, reopen and reads through that second store, checked against a plain in-memory model of what each partition
/// must hold. Deterministic: a failure names its seed and step.
@Suite struct LogPropertyTests {
    struct ModelRecord: Equatable {
        var offset: Int64
        var key: [UInt8]?
        var value: [UInt8]?
        var timestamp: Int64
    }

    /// What a partition must hold: records in offset order (compaction leaves gaps), and the end.
    struct Model {
        var records: [ModelRecord] = []
        var end: Int64 = 0

        func read(from offset: Int64, max: Int) -> [ModelRecord] {
            Array(records.lazy.filter { $0.offset >= offset }.prefix(max))
        }
    }

    static let retentionMs: Int64 = 400

    @Test(arguments: [1, 2, 3, 4])
    func randomOperationsMatchTheModel(seed: UInt64) throws {
        let directory = TemporaryDirectory()
        let options = LogStoreOptions(
            sync: .never, indexIntervalBytes: 96, maxBatchBytes: 200, tombstoneRetentionMs: 200, maintenanceOnRoll: false)
        var store = try LogTopicStore(directory: directory.path, options: options)
        var other = try LogTopicStore(directory: directory.path, options: options)
        try store.createTopic("del", config: TopicConfig(retentionMs: Self.retentionMs, segmentBytes: 700))
        try store.createTopic("cmp", config: TopicConfig(cleanupPolicy: .compact, segmentBytes: 700))
        let partitions = [TopicPartition("del", 0), TopicPartition("cmp", 0)]
        var models = [Model(), Model()]
        var random = SeededRandom(seed: seed)
        var now: Int64 = 10_000
        var retained = 0
        var compacted = 0
        var altered = 0

        for step in 0..<2000 {
            let where_ = "seed \(seed) step \(step)"
            now += Int64(random.below(8))
            let which = random.below(2)
            let partition = partitions[which]
            let reader = random.below(4) == 0 ? other : store
            switch random.below(100) {
            case 0..<45:
                let count = 1 + random.below(6)
                var batch: [ProducerRecord] = []
                for _ in 0..<count {
                    let key: [UInt8]? = random.below(10) == 0 ? nil : bytes("k\(random.below(12))")
                    let value: [UInt8]? = random.below(12) == 0 ? nil : bytes(String(repeating: "v", count: random.below(40)))
                    batch.append(ProducerRecord(key: key, value: value, timestamp: now - Int64(random.below(60))))
                }
                let writer = random.below(5) == 0 ? other : store
                let first = try writer.append(batch, to: partition)
                #expect(first == models[which].end, "\(where_)")
                for (index, record) in batch.enumerated() {
                    models[which].records.append(
                        ModelRecord(offset: first + Int64(index), key: record.key, value: record.value, timestamp: record.timestamp))
                }
                models[which].end += Int64(count)
            case 45..<75:
                let low = (models[which].records.first?.offset ?? models[which].end) - 3
                let from = low + Int64(random.below(Int(models[which].end - low) + 4))
                let max = 1 + random.below(30)
                let got = try reader.read(partition, from: from, maxRecords: max).map {
                    ModelRecord(offset: $0.offset, key: $0.key, value: $0.value, timestamp: $0.timestamp)
                }
                #expect(got == models[which].read(from: from, max: max), "\(where_): read \(partition) from \(from)")
                #expect(try reader.endOffset(partition) == models[which].end, "\(where_)")
                // The borrowing scan visits the same records, and its next offset steps over gaps.
                let read = try reader.read(partition, from: from, maxRecords: max)
                var next: Int64 = 0
                #expect(try scanned(reader, partition, from: from, max: max, next: &next) == read, "\(where_): scan")
                let expected = expectedNext(
                    from: from, max: max, read: read, start: try reader.startOffset(partition), end: models[which].end)
                #expect(next == expected, "\(where_): scan's next offset from \(from)")
            case 75..<87:
                let timestamp = now - Int64(random.below(300))
                let expected = models[which].records.first { $0.timestamp >= timestamp }?.offset
                #expect(try reader.offset(forTimestamp: timestamp, in: partition) == expected, "\(where_): time \(timestamp)")
            case 87..<93:
                let before = try store.startOffset(partitions[0])
                try store.enforceRetention(now: now)
                let start = try store.startOffset(partitions[0])
                #expect(start >= before)
                let cutoff = now - Self.retentionMs
                let dropped = models[0].records.filter { $0.offset < start }
                // Only whole segments whose every record is past retention go.
                #expect(dropped.allSatisfy { $0.timestamp < cutoff }, "\(where_): retention dropped a live record")
                models[0].records.removeAll { $0.offset < start }
                retained += dropped.count
                #expect(try other.startOffset(partitions[0]) == start, "\(where_)")
            case 97:
                // Rolling settings change under the writers (from the other store, as `sluice topic
                // alter` would from another process); what the partitions hold must not.
                var config = try #require(other.describeTopic(partition.topic)).config
                config.segmentBytes = [300, 700, 1500][random.below(3)]
                config.segmentMs = [50, 200, 100_000][random.below(3)]
                try other.alterTopic(partition.topic, config: config)
                #expect(store.describeTopic(partition.topic)?.config == config, "\(where_): alteration not seen")
                altered += 1
            case 93..<97:
                try store.compact(now: now)
                let kept = try store.read(partitions[1], from: 0, maxRecords: .max).map {
                    ModelRecord(offset: $0.offset, key: $0.key, value: $0.value, timestamp: $0.timestamp)
                }
                try checkCompaction(before: models[1].records, after: kept, now: now, where_: where_, options: options)
                compacted += models[1].records.count - kept.count
                models[1].records = kept
            default:
                store.close()
                other.close()
                store = try LogTopicStore(directory: directory.path, options: options)
                other = try LogTopicStore(directory: directory.path, options: options)
                for (index, partition) in partitions.enumerated() {
                    let all = try store.read(partition, from: 0, maxRecords: .max).map {
                        ModelRecord(offset: $0.offset, key: $0.key, value: $0.value, timestamp: $0.timestamp)
                    }
                    #expect(all == models[index].records, "\(where_): after reopen")
                }
            }
        }
        // The run really exercised both kinds of cleaning.
        #expect(retained > 100)
        #expect(compacted > 100)
        #expect(altered > 5)
    }

    /// Compaction keeps a subsequence in which every record that went was superseded by a later
    /// record with its key (or was an expired tombstone), and keyless and latest records stay.
    func checkCompaction(
        before: [ModelRecord], after: [ModelRecord], now: Int64, where_: String, options: LogStoreOptions
    ) throws {
        var latest: [[UInt8]: Int64] = [:]
        for record in before { if let key = record.key { latest[key] = record.offset } }
        let keptOffsets = Set(after.map(\.offset))
        #expect(after == before.filter { keptOffsets.contains($0.offset) }, "\(where_): compaction changed records")
        for record in before where !keptOffsets.contains(record.offset) {
            guard let key = record.key else {
                Issue.record("\(where_): compaction removed a keyless record at \(record.offset)")
                continue
            }
            let superseded = latest[key]! > record.offset
            let expiredTombstone = record.value == nil && record.timestamp < now - options.tombstoneRetentionMs
            #expect(superseded || expiredTombstone, "\(where_): compaction removed the latest record of a key")
        }
    }
}
