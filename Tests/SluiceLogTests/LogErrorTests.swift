import Foundation
import Testing

@testable import SluiceLog

/// Every way a caller or the machine can make the log fail ends in a clear ``TopicStoreError``,
/// never a crash, and never loses what was stored before.
@Suite(.serialized) struct LogErrorTests {
    func code(_ body: () throws -> Void) -> TopicStoreError? {
        do {
            try body()
            return nil
        } catch {
            return error as? TopicStoreError
        }
    }

    @Test(arguments: ["", ".", "..", "a/b", "white space", "ünïcode", String(repeating: "x", count: 250)])
    func invalidTopicNamesAreRefused(name: String) throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        let error = code { try store.createTopic(name, config: TopicConfig()) }
        #expect(error?.code == .invalidConfig)
        #expect(error?.message.contains("topic name") == true)
        #expect(store.topicNames().isEmpty)
    }

    @Test func missingTopicsAndPartitionsAreNamed() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.createTopic("t", config: TopicConfig(partitions: 2))
        let partition = code { _ = try store.read(TopicPartition("t", 2), from: 0, maxRecords: 1) }
        #expect(partition?.code == .unknownPartition)
        #expect(partition?.message == "topic 't' has no partition 2")
        #expect(code { try store.append([record("k", "v")], to: TopicPartition("t", -1)) }?.code == .unknownPartition)
        #expect(code { _ = try store.endOffset(TopicPartition("nope", 0)) }?.message == "topic 'nope' does not exist")
        #expect(code { _ = try store.read(TopicPartition("../t", 0), from: 0, maxRecords: 1) }?.code == .unknownTopic)
    }

    @Test func offsetsOutsideThePartitionAreOutOfRange() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.createTopic("t", config: TopicConfig())
        let partition = TopicPartition("t", 0)
        try store.append([record("k", "a"), record("k", "b")], to: partition)
        try store.validateOffset(0, in: partition)
        try store.validateOffset(2, in: partition)
        let error = code { try store.validateOffset(3, in: partition) }
        #expect(error?.code == .offsetOutOfRange)
        #expect(error?.message == "offset 3 is out of range for t-0: it holds offsets 0 to 1")
        #expect(code { try store.validateOffset(-1, in: partition) }?.code == .offsetOutOfRange)
    }

    @Test func aRecordOverTheSizeLimitFailsTheWholeAppend() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(
            directory: directory.path, options: LogStoreOptions(sync: .never, maxRecordBytes: 1000))
        try store.createTopic("t", config: TopicConfig())
        let partition = TopicPartition("t", 0)
        let big = ProducerRecord(key: nil, value: [UInt8](repeating: 1, count: 1001), timestamp: 1)
        let error = code { try store.append([record("k", "small"), big], to: partition) }
        #expect(error?.code == .recordTooLarge)
        #expect(error?.message.contains("1001 bytes, over the limit of 1000") == true)
        #expect(try store.endOffset(partition) == 0)
        let withHeaders = ProducerRecord(
            key: nil, value: [UInt8](repeating: 1, count: 900), timestamp: 1,
            headers: [Header(key: "h", value: [UInt8](repeating: 2, count: 200))])
        #expect(code { try store.append([withHeaders], to: partition) }?.code == .recordTooLarge)
        #expect(code { try store.commit(StoreTransaction(appends: [(partition, [big])])) }?.code == .recordTooLarge)
        // The default is Kafka's: about 1 MiB.
        #expect(LogStoreOptions().maxRecordBytes == 1 << 20)
    }

    @Test func aFullDiskFailsTheAppendAndKeepsEverythingStoredBefore() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.createTopic("diskfull", config: TopicConfig(segmentBytes: 1024))
        let partition = TopicPartition("diskfull", 0)
        for index in 0..<20 { try store.append([record("k", "v\(index)")], to: partition) }
        WriteFaults.failWrites(toPathsContaining: "/diskfull/", errno: ENOSPC)
        let error = code { try store.append((0..<30).map { record("k", "lost\($0)") }, to: partition) }
        let failedCommit = code {
            try store.commit(StoreTransaction(appends: [(partition, [record("k", "lost")])], group: "g", offsets: [partition: 1]))
        }
        WriteFaults.reset()
        #expect(error?.code == .io)
        #expect(error?.message.hasPrefix("disk full: cannot write") == true)
        #expect(failedCommit?.code == .io)
        #expect(store.committedOffsets(group: "g").isEmpty)
        #expect(values(try store.read(partition, from: 0, maxRecords: 100)) == (0..<20).map { "v\($0)" })
        // Space is back: appending continues right after the last stored record.
        #expect(try store.append([record("k", "after")], to: partition) == 20)
        store.close()
        let reopened = try LogTopicStore(directory: directory.path, options: testOptions())
        #expect(values(try reopened.read(partition, from: 0, maxRecords: 100)) == (0..<20).map { "v\($0)" } + ["after"])
    }

    @Test func aDataDirectoryThatIsNotWritableIsReported() throws {
        // root writes anywhere, so only an unprivileged run can observe this.
        guard getuid() != 0 else { return }
        let directory = TemporaryDirectory()
        let data = directory.file("data")
        _ = try LogTopicStore(directory: data, options: testOptions())
        chmod(data, 0o555)
        defer { chmod(data, 0o755) }
        let error = code { _ = try LogTopicStore(directory: data, options: testOptions()) }
        #expect(error?.code == .io)
        #expect(error?.message.contains("not writable") == true)
        chmod(directory.path, 0o555)
        defer { chmod(directory.path, 0o755) }
        #expect(code { _ = try LogTopicStore(directory: directory.file("fresh"), options: testOptions()) }?.code == .io)
    }
}
