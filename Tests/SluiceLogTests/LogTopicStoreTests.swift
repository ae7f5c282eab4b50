import Foundation
import Testing

@testable import SluiceLog

/// The on-disk store: layout, persistence, segment rolling and index lookups.
@Suite struct LogTopicStoreTests {
    @Test func reopeningKeepsTopicsRecordsAndOffsets() throws {
        let directory = TemporaryDirectory()
        let config = TopicConfig(partitions: 2, cleanupPolicy: .compact, retentionMs: 123, segmentBytes: 500)
        do {
            let store = try LogTopicStore(directory: directory.path, options: testOptions())
            try store.createTopic("events", config: config)
            try store.append((0..<40).map { record("k\($0)", "v\($0)", at: Int64($0)) }, to: TopicPartition("events", 1))
            try store.commit(StoreTransaction(
                appends: [(TopicPartition("events", 0), [record("t", "txn")])], group: "g",
                offsets: [TopicPartition("events", 1): 40]))
            store.close()
        }
        let reopened = try LogTopicStore(directory: directory.path, options: testOptions())
        #expect(reopened.topicNames() == ["events"])
        #expect(reopened.describeTopic("events")?.config == config)
        let records = try reopened.read(TopicPartition("events", 1), from: 0, maxRecords: 100)
        #expect(values(records) == (0..<40).map { "v\($0)" })
        #expect(records.map(\.timestamp) == (0..<40).map { Int64($0) })
        #expect(values(try reopened.read(TopicPartition("events", 0), from: 0, maxRecords: 10)) == ["txn"])
        #expect(reopened.committedOffsets(group: "g") == [TopicPartition("events", 1): 40])
        #expect(try reopened.append([record("k", "next")], to: TopicPartition("events", 1)) == 40)
    }

    @Test func onDiskLayoutIsKafkaLike() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.createTopic("layout", config: TopicConfig(partitions: 2))
        try store.append([record("k", "v", at: 1_700_000_000_000)], to: TopicPartition("layout", 0))
        let partitionDirectory = directory.file("topics/layout/0")
        #expect(FileManager.default.fileExists(atPath: directory.file("topics/layout/topic.json")))
        #expect(FileManager.default.fileExists(atPath: directory.file("topics/layout/1/00000000000000000000.log")))
        let log = try Data(contentsOf: URL(fileURLWithPath: partitionDirectory + "/00000000000000000000.log"))
        // The segment is exactly one Kafka record batch.
        let (batch, size) = try RecordBatch.decode([UInt8](log))
        #expect(size == log.count)
        #expect(batch.consumedRecords.map(\.value) == [bytes("v")])
        #expect(batch.maxTimestamp == 1_700_000_000_000)
    }

    @Test func aClosedStoreRefusesWork() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.createTopic("t", config: TopicConfig())
        store.close()
        #expect(throws: TopicStoreError.self) { try store.append([record("k", "v")], to: TopicPartition("t", 0)) }
        #expect(throws: TopicStoreError.self) { try store.createTopic("u", config: TopicConfig()) }
    }

    @Test func segmentsRollAtSegmentBytesAndReadsFindOffsetsInEverySegment() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.createTopic("roll", config: TopicConfig(segmentBytes: 1024))
        let partition = TopicPartition("roll", 0)
        for index in 0..<300 {
            try store.append([record("key-\(index)", "value-\(index)", at: Int64(index))], to: partition)
        }
        let logs = try segmentLogs(directory, "roll")
        #expect(logs.count > 10)
        for log in logs.dropLast() { #expect(try fileSize(log) <= 1024) }
        // Segment names are their base offsets, and each sealed segment has its index files.
        let bases = logs.map { Int64(URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent)! }
        #expect(bases.first == 0)
        #expect(bases == bases.sorted())
        for log in logs.dropLast() {
            let stem = String(log.dropLast(4))
            #expect(FileManager.default.fileExists(atPath: stem + ".index"))
            #expect(FileManager.default.fileExists(atPath: stem + ".timeindex"))
        }
        // Every offset, including each segment's first and last, is found through the indexes.
        for offset in Int64(0)..<300 {
            let one = try store.read(partition, from: offset, maxRecords: 1)
            #expect(one.map(\.offset) == [offset])
            #expect(values(one) == ["value-\(offset)"])
        }
        // A read spanning many segments returns them in order.
        #expect(try store.read(partition, from: 3, maxRecords: 1000).map(\.offset) == Array(3..<300))
        for base in bases.dropFirst() {
            #expect(try store.read(partition, from: base, maxRecords: 1).first?.offset == base)
            #expect(try store.read(partition, from: base - 1, maxRecords: 2).map(\.offset) == [base - 1, base])
        }
    }

    @Test func rolledSegmentsSurviveReopenAndIndexesAreReused() throws {
        let directory = TemporaryDirectory()
        do {
            let store = try LogTopicStore(directory: directory.path, options: testOptions())
            try store.createTopic("roll", config: TopicConfig(segmentBytes: 2048))
            for chunk in 0..<30 {
                try store.append((0..<10).map { record("k\(chunk)-\($0)", "v\(chunk * 10 + $0)") }, to: TopicPartition("roll", 0))
            }
        }
        let logs = try segmentLogs(directory, "roll")
        let sealedIndex = String(logs[0].dropLast(4)) + ".index"
        let indexBefore = try Data(contentsOf: URL(fileURLWithPath: sealedIndex))
        #expect(indexBefore.count >= 16)
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        let all = try store.read(TopicPartition("roll", 0), from: 0, maxRecords: 1000)
        #expect(values(all) == (0..<300).map { "v\($0)" })
        #expect(try Data(contentsOf: URL(fileURLWithPath: sealedIndex)) == indexBefore)
    }

    @Test func aDamagedSealedIndexIsRebuiltFromTheLog() throws {
        let directory = TemporaryDirectory()
        do {
            let store = try LogTopicStore(directory: directory.path, options: testOptions())
            try store.createTopic("roll", config: TopicConfig(segmentBytes: 1024))
            for index in 0..<100 { try store.append([record("k\(index)", "v\(index)")], to: TopicPartition("roll", 0)) }
        }
        let logs = try segmentLogs(directory, "roll")
        let index = String(logs[1].dropLast(4)) + ".index"
        let good = try Data(contentsOf: URL(fileURLWithPath: index))
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: index))  // a torn entry
        try FileManager.default.removeItem(atPath: String(logs[2].dropLast(4)) + ".timeindex")
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        #expect(values(try store.read(TopicPartition("roll", 0), from: 0, maxRecords: 1000)) == (0..<100).map { "v\($0)" })
        #expect(try Data(contentsOf: URL(fileURLWithPath: index)) == good)
        #expect(FileManager.default.fileExists(atPath: String(logs[2].dropLast(4)) + ".timeindex"))
    }

    @Test func largeAppendsAreSplitIntoBatchesAndReadFromTheMiddle() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.createTopic("big", config: TopicConfig())
        let partition = TopicPartition("big", 0)
        try store.append((0..<1000).map { record("k\($0)", "value number \($0)") }, to: partition)
        #expect(values(try store.read(partition, from: 567, maxRecords: 3)) == ["value number 567", "value number 568", "value number 569"])
        #expect(try store.read(partition, from: 0, maxRecords: 5000).count == 1000)
    }

    @Test func theTimeIndexFindsTheFirstRecordAtOrAfterATimestamp() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.createTopic("times", config: TopicConfig(segmentBytes: 1024))
        let partition = TopicPartition("times", 0)
        // Mostly increasing timestamps with a late straggler at offset 150.
        for index in 0..<300 {
            let timestamp: Int64 = index == 150 ? 5 : 1000 + Int64(index) * 10
            try store.append([record("k", "v\(index)", at: timestamp)], to: partition)
        }
        #expect(try store.offset(forTimestamp: 0, in: partition) == 0)
        #expect(try store.offset(forTimestamp: 1000, in: partition) == 0)
        #expect(try store.offset(forTimestamp: 1001, in: partition) == 1)
        #expect(try store.offset(forTimestamp: 2000, in: partition) == 100)
        #expect(try store.offset(forTimestamp: 3990, in: partition) == 299)
        #expect(try store.offset(forTimestamp: 3991, in: partition) == nil)
    }
}
