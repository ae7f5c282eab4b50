import Foundation
import Testing

@testable import SluiceLog

/// Retention and compaction of sealed segments.
@Suite struct LogMaintenanceTests {
    @Test func timeRetentionDeletesOnlyWholeExpiredSegments() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.createTopic("t", config: TopicConfig(retentionMs: 1000, segmentBytes: 1024))
        let partition = TopicPartition("t", 0)
        for index in 0..<200 { try store.append([record("k", "v\(index)", at: Int64(index) * 100)], to: partition) }
        let before = try segmentLogs(directory, "t")
        #expect(before.count > 5)
        // Records are stamped 0...19900; at now = 15000 everything older than 14000 may go.
        let deleted = try store.enforceRetention(now: 15_000)
        #expect(deleted > 0)
        let after = try segmentLogs(directory, "t")
        #expect(after.count == before.count - deleted)
        #expect(Array(before.suffix(after.count)) == after)
        let start = try store.startOffset(partition)
        #expect(start > 0)
        #expect(String(start) == URL(fileURLWithPath: after[0]).deletingPathExtension().lastPathComponent.drop { $0 == "0" }.description)
        // Exactly the expired prefix went: the first kept segment holds offset 140 (stamped 14000,
        // the first record inside retention), so everything before it was older than the cutoff.
        let secondBase = Int64(URL(fileURLWithPath: after[1]).deletingPathExtension().lastPathComponent)!
        #expect(start <= 140)
        #expect(secondBase > 140)
        let remaining = try store.read(partition, from: 0, maxRecords: 1000)
        #expect(remaining.first?.offset == start)
        #expect(remaining.last?.offset == 199)
        // Reading below the start offset starts at the start offset.
        #expect(try store.read(partition, from: 0, maxRecords: 1).first?.offset == start)
        #expect(try store.enforceRetention(now: 15_000) == 0)
    }

    @Test func theActiveSegmentIsNeverDeleted() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.createTopic("t", config: TopicConfig(retentionMs: 0, segmentBytes: 1024))
        let partition = TopicPartition("t", 0)
        for index in 0..<50 { try store.append([record("k", "v\(index)", at: 1)], to: partition) }
        try store.enforceRetention(now: 1_000_000)
        #expect(try segmentLogs(directory, "t").count == 1)
        let remaining = try store.read(partition, from: 0, maxRecords: 100)
        #expect(remaining.last?.offset == 49)
        #expect(try store.startOffset(partition) == remaining.first?.offset)
        #expect(try store.endOffset(partition) == 50)
    }

    @Test func sizeRetentionKeepsAtLeastRetentionBytes() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.createTopic("t", config: TopicConfig(retentionBytes: 3000, segmentBytes: 1024))
        let partition = TopicPartition("t", 0)
        for index in 0..<200 { try store.append([record("k", "v\(index)")], to: partition) }
        try store.enforceRetention(now: 0)
        let sizes = try segmentLogs(directory, "t").map(fileSize)
        let total = sizes.reduce(0, +)
        #expect(total >= 3000)
        #expect(total - sizes[0] < 3000)
        #expect(try store.read(partition, from: 0, maxRecords: 1000).last?.offset == 199)
    }

    @Test func retentionRunsOnRollWhenEnabled() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(
            directory: directory.path, options: testOptions(maintenanceOnRoll: true), clock: { 1_000_000 })
        try store.createTopic("t", config: TopicConfig(retentionMs: 10, segmentBytes: 1024))
        for index in 0..<100 { try store.append([record("k", "v\(index)", at: 5)], to: TopicPartition("t", 0)) }
        store.waitForMaintenance()
        // Every sealed segment is long expired by the injected clock, so only the newest survive.
        #expect(try segmentLogs(directory, "t").count <= 2)
        #expect(try store.startOffset(TopicPartition("t", 0)) > 0)
    }

    @Test func compactionKeepsTheLatestRecordPerKeyAndPreservesOffsets() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.createTopic("table", config: TopicConfig(cleanupPolicy: .compact, segmentBytes: 1024))
        let partition = TopicPartition("table", 0)
        var latest: [String: (offset: Int64, value: String)] = [:]
        for index in 0..<300 {
            let key = "key-\(index % 10)"
            let offset = try store.append([record(key, "value-\(index)", at: 1_000_000)], to: partition)
            latest[key] = (offset, "value-\(index)")
        }
        let sizeBefore = try segmentLogs(directory, "table").map(fileSize).reduce(0, +)
        let removed = try store.compact(now: 1_000_000)
        #expect(removed > 200)
        let sizeAfter = try segmentLogs(directory, "table").map(fileSize).reduce(0, +)
        #expect(sizeAfter < sizeBefore / 2)
        let records = try store.read(partition, from: 0, maxRecords: 1000)
        // Each key's latest record is still there at its original offset...
        for (key, expected) in latest {
            let found = records.filter { $0.key == bytes(key) }.last
            #expect(found?.offset == expected.offset)
            #expect(found.map { values([$0]) } == [expected.value])
        }
        // ...offsets still ascend, and sealed segments hold no superseded records.
        #expect(records.map(\.offset) == records.map(\.offset).sorted())
        #expect(try store.endOffset(partition) == 300)
        // Reading from an offset that was compacted away starts at the next surviving record.
        let fromGap = try store.read(partition, from: 1, maxRecords: 1)
        #expect(fromGap.first.map { $0.offset > 1 } == true)
        // A scan from inside a gap visits the same records and steps past the gap.
        var scannedOffsets: [Int64] = []
        let next = try store.scan(partition, from: 1, maxRecords: 1) { scannedOffsets.append($0.offset) }
        #expect(scannedOffsets == fromGap.map(\.offset))
        #expect(next == fromGap[0].offset + 1)
        #expect(try scanned(store, partition, from: 0, max: 1000) == records)
        #expect(try store.scan(partition, from: 0, maxRecords: 1000) { _ in } == 300)
        // A second pass over already-clean segments removes nothing more.
        #expect(try store.compact(now: 1_000_000) == 0)
    }

    @Test func compactedSegmentsSurviveReopen() throws {
        let directory = TemporaryDirectory()
        var expected: [ConsumedRecord] = []
        do {
            let store = try LogTopicStore(directory: directory.path, options: testOptions())
            try store.createTopic("table", config: TopicConfig(cleanupPolicy: .compact, segmentBytes: 1024))
            for index in 0..<200 { try store.append([record("k\(index % 7)", "v\(index)", at: 50)], to: TopicPartition("table", 0)) }
            try store.compact(now: 100)
            expected = try store.read(TopicPartition("table", 0), from: 0, maxRecords: 1000)
            store.close()
        }
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        #expect(try store.read(TopicPartition("table", 0), from: 0, maxRecords: 1000) == expected)
        #expect(try store.append([record("k0", "new")], to: TopicPartition("table", 0)) == 200)
    }

    @Test func tombstonesOutliveOlderValuesThenExpire() throws {
        let directory = TemporaryDirectory()
        var options = testOptions()
        options.tombstoneRetentionMs = 1000
        let store = try LogTopicStore(directory: directory.path, options: options)
        try store.createTopic("table", config: TopicConfig(cleanupPolicy: .compact, segmentBytes: 512))
        let partition = TopicPartition("table", 0)
        try store.append([record("gone", "old", at: 100), record("stays", "s1", at: 100)], to: partition)
        try store.append([record("gone", nil, at: 200)], to: partition)
        for index in 0..<40 { try store.append([record("filler-\(index % 4)", "f\(index)", at: 300)], to: partition) }
        let keys = { () throws -> [String?] in
            try store.read(partition, from: 0, maxRecords: 1000).map { $0.key.map { String(decoding: $0, as: UTF8.self) } }
        }
        // Within the tombstone retention, the tombstone is kept and the old value is gone.
        try store.compact(now: 1000)
        var records = try store.read(partition, from: 0, maxRecords: 1000)
        #expect(records.filter { $0.key == bytes("gone") }.map(\.value) == [nil])
        #expect(try keys().contains("stays"))
        // Once the tombstone is older than the retention, it goes too.
        try store.compact(now: 5000)
        records = try store.read(partition, from: 0, maxRecords: 1000)
        #expect(records.filter { $0.key == bytes("gone") }.isEmpty)
        #expect(try keys().contains("stays"))
    }

    @Test func nullKeyRecordsAreNeverCompacted() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.createTopic("table", config: TopicConfig(cleanupPolicy: .compact, segmentBytes: 512))
        let partition = TopicPartition("table", 0)
        for index in 0..<60 { try store.append([record(index % 2 == 0 ? nil : "k", "v\(index)")], to: partition) }
        try store.compact(now: 0)
        let records = try store.read(partition, from: 0, maxRecords: 1000)
        #expect(records.filter { $0.key == nil }.count == 30)
        #expect(records.filter { $0.key == bytes("k") }.count <= 2)
    }

    @Test func compactionRunsOnRollWhenDirtyEnough() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(
            directory: directory.path, options: testOptions(maintenanceOnRoll: true), clock: { 0 })
        try store.createTopic("table", config: TopicConfig(cleanupPolicy: .compact, segmentBytes: 1024))
        let partition = TopicPartition("table", 0)
        for index in 0..<2000 { try store.append([record("k\(index % 5)", "v\(index)")], to: partition) }
        store.waitForMaintenance()
        let total = try store.read(partition, from: 0, maxRecords: 10_000).count
        #expect(total < 500)
        #expect(try store.endOffset(partition) == 2000)
    }

    @Test func anInterruptedCompactionIsFinishedOrDiscardedAtOpen() throws {
        let directory = TemporaryDirectory()
        do {
            let store = try LogTopicStore(directory: directory.path, options: testOptions())
            try store.createTopic("table", config: TopicConfig(cleanupPolicy: .compact, segmentBytes: 1024))
            for index in 0..<100 { try store.append([record("k\(index % 3)", "v\(index)")], to: TopicPartition("table", 0)) }
            store.close()
        }
        let logs = try segmentLogs(directory, "table")
        let stem = String(logs[0].dropLast(4))
        // Before the commit point: a half-written cleaned log and index; both must be discarded.
        _ = FileManager.default.createFile(atPath: stem + ".log.cleaned", contents: Data([1, 2, 3]))
        _ = FileManager.default.createFile(atPath: stem + ".index.cleaned", contents: Data([9]))
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        #expect(values(try store.read(TopicPartition("table", 0), from: 0, maxRecords: 1000)) == (0..<100).map { "v\($0)" })
        #expect(!FileManager.default.fileExists(atPath: stem + ".log.cleaned"))
        #expect(!FileManager.default.fileExists(atPath: stem + ".index.cleaned"))
    }
}
