import Foundation
import Testing

@testable import SluiceLog

/// Several stores on one data directory, as several processes would have it: each store has its
/// own descriptors, so the partitions' `flock`s exclude each other exactly as across processes, and
/// they see each other only through the files and the shared pages. The last tests use a real
/// second process.
@Suite struct LogSharingTests {
    func two(_ directory: TemporaryDirectory) throws -> (LogTopicStore, LogTopicStore) {
        (try LogTopicStore(directory: directory.path, options: testOptions()),
            try LogTopicStore(directory: directory.path, options: testOptions()))
    }

    @Test func storesShareTopicsRecordsAndRolls() throws {
        let directory = TemporaryDirectory()
        let (a, b) = try two(directory)
        try a.createTopic("t", config: TopicConfig(partitions: 2, segmentBytes: 1024))
        #expect(b.describeTopic("t")?.config.partitions == 2)
        #expect(b.topicNames() == ["t"])
        let partition = TopicPartition("t", 1)
        for index in 0..<100 { try a.append([record("k", "a\(index)")], to: partition) }
        #expect(try segmentLogs(directory, "t", 1).count > 3)
        #expect(try b.endOffset(partition) == 100)
        #expect(values(try b.read(partition, from: 95, maxRecords: 10)) == (95..<100).map { "a\($0)" })
        // b appends after a's rolls: it must continue in a's active segment, at a's end.
        #expect(try b.append([record("k", "b0"), record("k", "b1")], to: partition) == 100)
        for index in 0..<50 { try a.append([record("k", "a\(100 + index)")], to: partition) }
        let all = try b.read(partition, from: 0, maxRecords: 1000)
        #expect(all.map(\.offset) == Array(0..<152))
        #expect(values(Array(all[100..<102])) == ["b0", "b1"])
        #expect(try a.read(partition, from: 0, maxRecords: 1000) == all)
        #expect(try b.offset(forTimestamp: 1_000, in: partition) == 0)
        a.close()
        b.close()
        // A fresh open (full recovery) agrees.
        let c = try LogTopicStore(directory: directory.path, options: testOptions())
        #expect(try c.read(partition, from: 0, maxRecords: 1000) == all)
    }

    @Test func concurrentWritersInTwoStoresGetDenseOffsets() throws {
        let directory = TemporaryDirectory()
        let (a, b) = try two(directory)
        try a.createTopic("t", config: TopicConfig(segmentBytes: 4096))
        let partition = TopicPartition("t", 0)
        _ = try b.endOffset(partition)
        let group = DispatchGroup()
        for (store, name) in [(a, "a"), (b, "b")] {
            group.enter()
            onThread {
                for index in 0..<300 { _ = try? store.append([record(name, "\(name)\(index)")], to: partition) }
                group.leave()
            }
        }
        group.wait()
        let all = try a.read(partition, from: 0, maxRecords: 1000)
        #expect(all.map(\.offset) == Array(0..<600))
        for name in ["a", "b"] {
            let mine = values(all.filter { $0.key == bytes(name) })
            #expect(mine == (0..<300).map { "\(name)\($0)" })
        }
        #expect(try b.read(partition, from: 0, maxRecords: 1000) == all)
    }

    @Test func aTopicDeletedElsewhereIsGoneAndCanBeCreatedAgain() throws {
        let directory = TemporaryDirectory()
        let (a, b) = try two(directory)
        try a.createTopic("t", config: TopicConfig())
        try b.append([record("k", "v")], to: TopicPartition("t", 0))
        try a.deleteTopic("t")
        #expect { try b.read(TopicPartition("t", 0), from: 0, maxRecords: 1) } throws: {
            ($0 as? TopicStoreError)?.code == .unknownTopic
        }
        #expect { try b.append([record("k", "v")], to: TopicPartition("t", 0)) } throws: {
            ($0 as? TopicStoreError)?.code == .unknownTopic
        }
        #expect(b.describeTopic("t") == nil)
        try b.createTopic("t", config: TopicConfig(partitions: 3))
        #expect(a.describeTopic("t")?.config.partitions == 3)
        #expect(try a.endOffset(TopicPartition("t", 2)) == 0)
        #expect { try a.createTopic("t", config: TopicConfig()) } throws: {
            ($0 as? TopicStoreError)?.code == .topicExists
        }
    }

    @Test func committedOffsetsAndTransactionsAreVisibleToOtherStores() throws {
        let directory = TemporaryDirectory()
        let (a, b) = try two(directory)
        try a.createTopic("in", config: TopicConfig())
        try a.createTopic("out", config: TopicConfig())
        try a.commit(StoreTransaction(
            appends: [(TopicPartition("out", 0), [record("k", "x")])], group: "g", offsets: [TopicPartition("in", 0): 7]))
        #expect(b.committedOffsets(group: "g") == [TopicPartition("in", 0): 7])
        #expect(values(try b.read(TopicPartition("out", 0), from: 0, maxRecords: 5)) == ["x"])
        try b.commit(StoreTransaction(
            appends: [(TopicPartition("out", 0), [record("k", "y")])], group: "g", offsets: [TopicPartition("in", 0): 9]))
        #expect(a.committedOffsets(group: "g") == [TopicPartition("in", 0): 9])
        #expect(values(try a.read(TopicPartition("out", 0), from: 0, maxRecords: 5)) == ["x", "y"])
    }

    @Test func aWriterThatDiedMidWriteIsRecoveredByTheNextWriter() throws {
        let directory = TemporaryDirectory()
        let (a, b) = try two(directory)
        try a.createTopic("t", config: TopicConfig())
        let partition = TopicPartition("t", 0)
        try a.append([record("k", "v0"), record("k", "v1")], to: partition)
        _ = try b.endOffset(partition)
        // What a writer killed inside `append` leaves: its mark on the shared page and half a batch.
        try a.partitionLog(partition).shared.setWriting(true)
        let log = try segmentLogs(directory, "t")[0]
        try appendToFile(log, [UInt8](repeating: 0x5A, count: 90))
        #expect(try b.append([record("k", "v2")], to: partition) == 2)
        #expect(values(try a.read(partition, from: 0, maxRecords: 10)) == ["v0", "v1", "v2"])
        a.close()
        b.close()
        let reopened = try LogTopicStore(directory: directory.path, options: testOptions())
        #expect(values(try reopened.read(partition, from: 0, maxRecords: 10)) == ["v0", "v1", "v2"])
    }

    @Test func retentionInOneStoreMovesTheStartOffsetOfTheOther() throws {
        let directory = TemporaryDirectory()
        let (a, b) = try two(directory)
        try a.createTopic("t", config: TopicConfig(retentionMs: 10, segmentBytes: 1024))
        let partition = TopicPartition("t", 0)
        for index in 0..<100 { try a.append([record("k", "v\(index)", at: 5)], to: partition) }
        #expect(try b.startOffset(partition) == 0)
        #expect(try a.enforceRetention(now: 1_000_000) > 0)
        let start = try a.startOffset(partition)
        #expect(start > 0)
        #expect(try b.startOffset(partition) == start)
        #expect(try b.read(partition, from: 0, maxRecords: 1).first?.offset == start)
        #expect(try b.append([record("k", "late")], to: partition) == 100)
    }

    @Test func aWaiterInOneStoreWakesOnAnAppendInAnother() throws {
        let directory = TemporaryDirectory()
        let (a, b) = try two(directory)
        try a.createTopic("t", config: TopicConfig())
        let partition = TopicPartition("t", 0)
        let started = Date()
        onThread {
            usleep(50_000)
            _ = try? a.append([record("k", "v")], to: partition)
        }
        #expect(b.waitForData([partition: 0], timeout: 10))
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(values(try b.read(partition, from: 0, maxRecords: 1)) == ["v"])
        // A topic created elsewhere while waiting is noticed too.
        onThread {
            usleep(50_000)
            _ = try? a.createTopic("late", config: TopicConfig())
            _ = try? a.append([record("k", "v")], to: TopicPartition("late", 0))
        }
        #expect(b.waitForData([TopicPartition("late", 0): 0], timeout: 10))
    }

    // MARK: - Real processes

    @Test func anotherProcessAppendsWhileThisOneAppendsAndReads() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.createTopic("crash", config: TopicConfig(segmentBytes: 2048))
        let partition = TopicPartition("crash", 0)
        let child = try CrashChild(directory: directory.path, arguments: ["produce", "200"], outputPrefix: directory.file("child"))
        var mine: [Int64] = []
        for index in 0..<200 { mine.append(try store.append([record("t", "t\(index)")], to: partition)) }
        child.process.waitUntilExit()
        #expect(child.process.terminationStatus == 0, "child: \(child.stderr)")
        let theirs = child.acknowledgements().map(\.0)
        #expect(theirs.count == 200)
        let all = try store.read(partition, from: 0, maxRecords: 1000)
        #expect(all.map(\.offset) == Array(0..<400))
        #expect(Set(mine).isDisjoint(with: theirs))
        for offset in theirs { #expect(all[Int(offset)].value == bytes("p")) }
        #expect(values(mine.map { all[Int($0)] }) == (0..<200).map { "t\($0)" })
    }

    @Test func aWaiterWakesOnAnotherProcessesAppend() throws {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.createTopic("crash", config: TopicConfig())
        let partition = TopicPartition("crash", 0)
        let child = try CrashChild(directory: directory.path, arguments: ["produce", "1"], outputPrefix: directory.file("child"))
        #expect(store.waitForData([partition: 0], timeout: 20))
        child.process.waitUntilExit()
        #expect(values(try store.read(partition, from: 0, maxRecords: 5)) == ["p"])
    }
}
