import Foundation
import Testing

@testable import SluiceLog

/// Topic configs beyond partitions and retention: `segment.ms`, `message.timestamp.type`,
/// `delete.retention.ms`, their Kafka `key=value` form, and altering a topic (here and from
/// another store on the same directory, as another process would).
@Suite struct TopicSettingsTests {
    private let partition = TopicPartition("t", 0)

    @Test func segmentsRollWhenARecordIsSegmentMsLaterThanTheSegmentsFirst() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.createTopic("t", config: TopicConfig(segmentMs: 1000))
        try store.append([record("k", "a", at: 10_000)], to: partition)
        try store.append([record("k", "b", at: 10_900)], to: partition)
        try store.append([record("k", "c", at: 11_000)], to: partition)  // exactly segment.ms: no roll
        #expect(try segmentLogs(directory, "t").count == 1)
        try store.append([record("k", "d", at: 11_001)], to: partition)
        let logs = try segmentLogs(directory, "t").map { URL(fileURLWithPath: $0).lastPathComponent }
        #expect(logs == ["00000000000000000000.log", "00000000000000000003.log"])
        // The new segment's age counts from its own first record; older timestamps never roll.
        try store.append([record("k", "e", at: 5)], to: partition)
        try store.append([record("k", "f", at: 12_001)], to: partition)
        #expect(try segmentLogs(directory, "t").count == 2)
        try store.append([record("k", "g", at: 12_002)], to: partition)
        #expect(try segmentLogs(directory, "t").count == 3)
        #expect(values(try store.read(partition, from: 0, maxRecords: 10)) == ["a", "b", "c", "d", "e", "f", "g"])
    }

    @Test func segmentMsLetsTimeRetentionDeleteAQuietTopicsRecords() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(
            directory: directory.path, options: testOptions(maintenanceOnRoll: true), clock: { 100_000 })
        // Without segment.ms every record would stay in the one active segment, which retention
        // never deletes.
        try store.createTopic("t", config: TopicConfig(retentionMs: 50_000, segmentMs: 10_000))
        for second in 0..<10 { try store.append([record("k", "v\(second)", at: Int64(second) * 10_000)], to: partition) }
        // Appended at "now" = 100 s: every segment whose records are older than 50 s is gone.
        try store.append([record("k", "now", at: 100_000)], to: partition)
        store.waitForMaintenance()
        let start = try store.startOffset(partition)
        #expect(start >= 4)
        #expect(values(try store.read(partition, from: 0, maxRecords: 20)).last == "now")
    }

    @Test func logAppendTimeStampsRecordsWithTheStoreClock() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions(), clock: { 777_000 })
        try store.createTopic("t", config: TopicConfig(partitions: 2, timestampType: .logAppendTime))
        try store.append([record("a", "1", at: 5), record("b", "2", at: 6)], to: partition)
        try store.commit(StoreTransaction(appends: [(TopicPartition("t", 1), [record("c", "3", at: 7)])]))
        #expect(try store.read(partition, from: 0, maxRecords: 10).map(\.timestamp) == [777_000, 777_000])
        #expect(try store.read(TopicPartition("t", 1), from: 0, maxRecords: 10).map(\.timestamp) == [777_000])
        // The batch says so, as Kafka marks it.
        let file = try Data(contentsOf: URL(fileURLWithPath: directory.file("topics/t/0/00000000000000000000.log")))
        let header = try [UInt8](file).withUnsafeBytes { raw in try RecordBatchHeader(parsing: raw) }
        #expect(header.attributes.contains(RecordBatchAttributes.logAppendTime))
        #expect(try store.offset(forTimestamp: 777_000, in: partition) == 0)
    }

    @Test func readersGiveEveryRecordOfALogAppendTimeBatchItsMaxTimestamp() throws {
        var bytes: [UInt8] = []
        let fields = RecordBatchEncoder.Fields(attributes: .logAppendTime)
        _ = try RecordBatchEncoder.encode(
            [record("a", "1", at: 5), record("b", "2", at: 9), record("c", "3", at: 7)], fields: fields,
            maxBatchBytes: 1 << 16, into: &bytes)
        let timestamps = try bytes.withUnsafeBytes { raw throws -> [Int64] in
            let header = try RecordBatchHeader(parsing: raw)
            var iterator = try RecordIterator(batch: raw, header: header)
            var seen: [Int64] = []
            while let view = try iterator.next() { seen.append(view.timestamp) }
            return seen
        }
        #expect(timestamps == [9, 9, 9])
    }

    @Test func theMemoryStoreStampsLogAppendTimeToo() throws {
        let store = MemoryTopicStore(clock: { 42 })
        try store.createTopic("t", config: TopicConfig(timestampType: .logAppendTime))
        try store.append([record("a", "1", at: 5)], to: partition)
        #expect(try store.read(partition, from: 0, maxRecords: 1).map(\.timestamp) == [42])
    }

    @Test func deleteRetentionMsOfTheTopicDecidesWhenTombstonesGo() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.createTopic(
            "t", config: TopicConfig(cleanupPolicy: .compact, segmentBytes: 200, deleteRetentionMs: 5_000))
        try store.append([record("k", "v", at: 1_000)], to: partition)
        try store.append([record("k", nil, at: 2_000)], to: partition)
        for index in 0..<20 { try store.append([record("other\(index)", "x", at: 3_000)], to: partition) }
        // First kept at 6000; under the topic's 5 s it would stay until 11000.
        try store.compact(now: 6_000)
        #expect(values(try store.read(partition, from: 0, maxRecords: 1)) == ["∅"])
        try store.alterTopic("t", config: TopicConfig(cleanupPolicy: .compact, segmentBytes: 200, deleteRetentionMs: 1_000))
        try store.compact(now: 6_500)
        #expect(values(try store.read(partition, from: 0, maxRecords: 1)) == ["∅"])
        // A second after it was first kept: gone, where the store's default would keep it a day.
        try store.compact(now: 7_000)
        let first = try store.read(partition, from: 0, maxRecords: 1)
        #expect(first.first?.key != bytes("k"))
    }

    /// `compact,delete` (what ksqlDB gives windowed tables): old segments go by time, and what
    /// stays is compacted.
    @Test func compactDeleteBothExpiresAndCompacts() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.createTopic(
            "t", config: TopicConfig(cleanupPolicy: .compactDelete, retentionMs: 1000, segmentBytes: 300))
        // Old records of keys a and b, then newer updates of key c, each key several times.
        for index in 0..<10 { try store.append([record(index % 2 == 0 ? "a" : "b", "old\(index)", at: 100)], to: partition) }
        for index in 0..<20 { try store.append([record("c", "new\(index)", at: 5000)], to: partition) }
        #expect(try store.enforceRetention(now: 5500) > 0)
        let afterRetention = try store.read(partition, from: 0, maxRecords: 100)
        // Only the segment where old and new records meet may still hold old ones.
        #expect(try store.startOffset(partition) > 0)
        #expect(afterRetention.filter { $0.timestamp == 100 }.count <= 3, "\(values(afterRetention))")
        #expect(try store.compact(now: 5500) > 0)
        let kept = values(try store.read(partition, from: 0, maxRecords: 100))
        #expect(kept.filter { $0 == "new19" }.count == 1)
        #expect(kept.filter { $0.hasPrefix("new") }.count < 20, "\(kept)")
    }

    /// Kafka's delete horizon: a tombstone stays `delete.retention.ms` after compaction first kept
    /// it, whatever its own timestamp, so a consumer that read the value can still see the delete.
    @Test func aTombstoneWaitsDeleteRetentionFromItsFirstCompactionNotFromItsTimestamp() throws {
        let directory = TemporaryDirectory()
        let config = TopicConfig(cleanupPolicy: .compact, segmentBytes: 200, deleteRetentionMs: 1_000)
        do {
            let store = try LogTopicStore(directory: directory.path, options: testOptions())
            try store.createTopic("t", config: config)
            try store.append([record("k", "v", at: 1)], to: partition)
            try store.append([record("k", nil, at: 2)], to: partition)  // an event time long past
            for index in 0..<20 { try store.append([record("other\(index)", "x", at: 3)], to: partition) }
            try store.compact(now: 10_000)
            #expect(values(try store.read(partition, from: 0, maxRecords: 1)) == ["∅"])
            store.close()
        }
        // The horizon outlives the process.
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.compact(now: 10_999)
        #expect(values(try store.read(partition, from: 0, maxRecords: 1)) == ["∅"])
        try store.compact(now: 11_000)
        #expect(try store.read(partition, from: 0, maxRecords: 1).first?.key != bytes("k"))
        #expect(TombstoneHorizons.read(from: directory.file("topics/t/0")).firstSeen.isEmpty)
    }

    @Test func alteredSettingsPersistAndApplyToRetention() throws {
        let directory = TemporaryDirectory()
        do {
            let store = try LogTopicStore(directory: directory.path, options: testOptions())
            try store.createTopic("t", config: TopicConfig(segmentBytes: 1024))
            for index in 0..<100 { try store.append([record("k", "v\(index)", at: Int64(index))], to: partition) }
            #expect(try store.enforceRetention(now: 1_000_000) == 0)
            var config = try #require(store.describeTopic("t")).config
            try config.set("retention.ms", to: "1000")
            try store.alterTopic("t", config: config)
            #expect(try store.enforceRetention(now: 1_000_000) > 0)
            store.close()
        }
        let reopened = try LogTopicStore(directory: directory.path, options: testOptions())
        #expect(reopened.describeTopic("t")?.config.retentionMs == 1000)
        #expect(reopened.describeTopic("t")?.config.segmentBytes == 1024)
    }

    @Test func anotherStoreOnTheDirectorySeesTheAlteration() throws {
        let directory = TemporaryDirectory()
        let engine = try LogTopicStore(directory: directory.path, options: testOptions(), clock: { 9_000 })
        let tool = try LogTopicStore(directory: directory.path, options: testOptions())
        try engine.createTopic("t", config: TopicConfig(segmentBytes: 1 << 20))
        try engine.append([record("k", "before", at: 1)], to: partition)
        #expect(tool.describeTopic("t")?.config.timestampType == .createTime)

        var config = try #require(tool.describeTopic("t")).config
        try config.set("message.timestamp.type", to: "LogAppendTime")
        try config.set("segment.bytes", to: "100")
        try tool.alterTopic("t", config: config)

        #expect(engine.describeTopic("t")?.config == config)
        try engine.append([record("k", "after", at: 1)], to: partition)
        try engine.append([record("k", "rolled", at: 1)], to: partition)
        #expect(try engine.read(partition, from: 0, maxRecords: 3).map(\.timestamp) == [1, 9_000, 9_000])
        #expect(try segmentLogs(directory, "t").count == 3)  // 100-byte segments hold one record each
    }

    @Test func thePartitionCountCannotBeAltered() throws {
        for kind in StoreKind.allCases {
            let (store, directory) = try kind.make()
            _ = directory
            try store.createTopic("t", config: TopicConfig(partitions: 2))
            #expect(throws: TopicStoreError.self) { try store.alterTopic("t", config: TopicConfig(partitions: 3)) }
            #expect(throws: TopicStoreError.self) { try store.alterTopic("missing", config: TopicConfig()) }
            #expect(throws: TopicStoreError.self) {
                try store.alterTopic("t", config: TopicConfig(partitions: 2, segmentMs: 0))
            }
            #expect(store.describeTopic("t")?.config == TopicConfig(partitions: 2))
        }
    }

    @Test func metadataWrittenBeforeTheNewSettingsReadsAsTheirDefaults() throws {
        let directory = TemporaryDirectory()
        let topic = directory.file("topics/old")
        try FileManager.default.createDirectory(atPath: topic, withIntermediateDirectories: true)
        let old = #"{"cleanupPolicy":"delete","partitions":1,"retentionMs":5000,"segmentBytes":4096,"version":1}"#
        try Data(old.utf8).write(to: URL(fileURLWithPath: topic + "/topic.json"))
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        #expect(store.describeTopic("old")?.config == TopicConfig(retentionMs: 5000, segmentBytes: 4096))
    }

    @Test func kafkaSettingNamesParseAndPrint() throws {
        var config = TopicConfig()
        try config.set("cleanup.policy", to: "compact")
        try config.set("retention.ms", to: "60000")
        try config.set("retention.bytes", to: "-1")
        try config.set("segment.bytes", to: "2048")
        try config.set("segment.ms", to: "3600000")
        try config.set("delete.retention.ms", to: "0")
        try config.set("message.timestamp.type", to: "logappendtime")
        #expect(
            config
                == TopicConfig(
                    cleanupPolicy: .compact, retentionMs: 60_000, segmentBytes: 2048, segmentMs: 3_600_000,
                    deleteRetentionMs: 0, timestampType: .logAppendTime))
        #expect(config.settings().map(\.key) == TopicConfig.settingKeys)
        #expect(config.settings().first { $0.key == "retention.bytes" }?.value == "-1")
        try config.set("retention.ms", to: "-1")
        #expect(config.retentionMs == nil)

        func message(_ key: String, _ value: String) -> String? {
            var copy = TopicConfig()
            do {
                try copy.set(key, to: value)
                return nil
            } catch { return error.message }
        }
        #expect(message("segment.ms", "0") == "segment.ms must be at least 1, not 0")
        #expect(message("segment.bytes", "x") == "segment.bytes needs a whole number, not 'x'")
        #expect(message("retention.ms", "-2")?.contains("-1 for no limit") == true)
        #expect(message("cleanup.policy", "sometimes") == "cleanup.policy must be delete, compact or compact,delete, not 'sometimes'")
        try config.set("cleanup.policy", to: "delete,compact")
        #expect(config.cleanupPolicy == .compactDelete)
        #expect(config.settings().first?.value == "compact,delete")
        #expect(message("compression.type", "lz4") == "topic config 'compression.type' is not supported yet")
        #expect(message("nonsense", "1")?.hasPrefix("unknown topic config 'nonsense'") == true)
        #expect(message("message.timestamp.type", "Now") != nil)
    }
}
