import Foundation
import Testing

@testable import SluiceLog

/// The flush policies of ``LogStoreOptions/SyncPolicy``.
@Suite struct LogFlushPolicyTests {
    @Test func theIntervalPolicySyncsAppendedPartitionsInTheBackground() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: LogStoreOptions(sync: .interval(milliseconds: 10)))
        try store.createTopic("t", config: TopicConfig())
        let partition = TopicPartition("t", 0)
        try store.append([record("k", "v")], to: partition)
        let log = try store.partitionLog(partition)
        let deadline = Date().addingTimeInterval(10)
        while log.unsynced.load(ordering: .relaxed) && Date() < deadline { usleep(2000) }
        let stillUnsynced = log.unsynced.load(ordering: .relaxed)
        #expect(!stillUnsynced)
        store.close()
        let reopened = try LogTopicStore(directory: directory.path, options: LogStoreOptions(sync: .interval(milliseconds: 10)))
        #expect(values(try reopened.read(partition, from: 0, maxRecords: 5)) == ["v"])
    }

    @Test(arguments: [LogStoreOptions.SyncPolicy.never, .onCommit, .always, .interval(milliseconds: 5)])
    func everyPolicyRecoversATornTailTheSameWay(policy: LogStoreOptions.SyncPolicy) throws {
        let directory = TemporaryDirectory()
        do {
            let store = try LogTopicStore(directory: directory.path, options: LogStoreOptions(sync: policy))
            try store.createTopic("t", config: TopicConfig())
            for index in 0..<5 { try store.append([record("k", "v\(index)")], to: TopicPartition("t", 0)) }
            store.close()
        }
        let log = try segmentLogs(directory, "t")[0]
        try truncateFile(log, to: try fileSize(log) - 7)
        let store = try LogTopicStore(directory: directory.path, options: LogStoreOptions(sync: policy))
        #expect(values(try store.read(TopicPartition("t", 0), from: 0, maxRecords: 10)) == (0..<4).map { "v\($0)" })
    }
}
