import Foundation
import Testing

@testable import SluiceLog

/// Behaviour every ``TopicStore`` must share; each test runs against both implementations.
@Suite struct TopicStoreContractTests {
    @Test(arguments: StoreKind.allCases)
    func appendThenReadRoundTrips(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        try store.createTopic("orders", config: TopicConfig(partitions: 1))
        let partition = TopicPartition("orders", 0)
        let headers = [Header(key: "trace", value: bytes("abc")), Header(key: "trace", value: nil)]
        let first = try store.append(
            [record("k1", "v1", at: 10, headers: headers), record(nil, "no key", at: 5), record("k3", nil, at: 30)],
            to: partition)
        #expect(first == 0)
        let records = try store.read(partition, from: 0, maxRecords: 10)
        #expect(records.map(\.offset) == [0, 1, 2])
        #expect(records.map(\.key) == [bytes("k1"), nil, bytes("k3")])
        #expect(values(records) == ["v1", "no key", "∅"])
        #expect(records.map(\.timestamp) == [10, 5, 30])
        #expect(records[0].headers == headers)
        #expect(records[1].headers.isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func offsetsAreDenseAcrossAppends(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        try store.createTopic("t", config: TopicConfig())
        let partition = TopicPartition("t", 0)
        var firsts: [Int64] = []
        for round in 0..<20 {
            firsts.append(try store.append((0...round % 4).map { record("k", "r\(round)-\($0)") }, to: partition))
        }
        let all = try store.read(partition, from: 0, maxRecords: 1000)
        #expect(all.map(\.offset) == Array(0..<Int64(all.count)))
        #expect(try store.endOffset(partition) == Int64(all.count))
        #expect(try store.startOffset(partition) == 0)
        #expect(firsts == [0, 1, 3, 6, 10, 11, 13, 16, 20, 21, 23, 26, 30, 31, 33, 36, 40, 41, 43, 46])
    }

    @Test(arguments: StoreKind.allCases)
    func readsPageByMaxRecordsAndFromAnyOffset(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        try store.createTopic("t", config: TopicConfig())
        let partition = TopicPartition("t", 0)
        try store.append((0..<100).map { record("k\($0)", "v\($0)") }, to: partition)
        var collected: [ConsumedRecord] = []
        var next: Int64 = 0
        while true {
            let page = try store.read(partition, from: next, maxRecords: 7)
            if page.isEmpty { break }
            #expect(page.count <= 7)
            collected += page
            next = page.last!.offset + 1
        }
        #expect(values(collected) == (0..<100).map { "v\($0)" })
        #expect(values(try store.read(partition, from: 57, maxRecords: 2)) == ["v57", "v58"])
        #expect(try store.read(partition, from: 100, maxRecords: 5).isEmpty)
        #expect(try store.read(partition, from: 5, maxRecords: 0).isEmpty)
        #expect(values(try store.read(partition, from: -3, maxRecords: 1)) == ["v0"])
        #expect(try store.read(partition, from: 90, maxRecords: .max).map(\.offset) == Array(90..<100))
    }

    @Test(arguments: StoreKind.allCases)
    func partitionsAreIndependent(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        try store.createTopic("multi", config: TopicConfig(partitions: 3))
        for partition in 0..<3 {
            try store.append((0..<partition + 1).map { record("k", "p\(partition)-\($0)") }, to: TopicPartition("multi", partition))
        }
        for partition in 0..<3 {
            let records = try store.read(TopicPartition("multi", partition), from: 0, maxRecords: 10)
            #expect(values(records) == (0..<partition + 1).map { "p\(partition)-\($0)" })
            #expect(try store.endOffset(TopicPartition("multi", partition)) == Int64(partition + 1))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func topicCatalog(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        let config = TopicConfig(partitions: 2, cleanupPolicy: .compact, retentionMs: 1000, segmentBytes: 4096)
        try store.createTopic("b", config: config)
        try store.createTopic("a", config: TopicConfig())
        #expect(store.topicNames() == ["a", "b"])
        #expect(store.describeTopic("b") == TopicDescription(name: "b", config: config))
        #expect(store.describeTopic("zzz") == nil)
        #expect { try store.createTopic("a", config: TopicConfig()) } throws: {
            ($0 as? TopicStoreError)?.code == .topicExists
        }
        try store.deleteTopic("a")
        #expect(store.topicNames() == ["b"])
        #expect { try store.deleteTopic("a") } throws: { ($0 as? TopicStoreError)?.code == .unknownTopic }
        try store.createTopic("a", config: TopicConfig())
        #expect(try store.endOffset(TopicPartition("a", 0)) == 0)
    }

    @Test(arguments: StoreKind.allCases)
    func rejectsBadNamesConfigsAndPartitions(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        for name in ["", ".", "..", "has space", "slash/inside", "tilde~", String(repeating: "x", count: 250)] {
            #expect("name '\(name)'") { try store.createTopic(name, config: TopicConfig()) } throws: {
                ($0 as? TopicStoreError)?.code == .invalidConfig
            }
        }
        #expect { try store.createTopic("zero", config: TopicConfig(partitions: 0)) } throws: {
            ($0 as? TopicStoreError)?.code == .invalidConfig
        }
        try store.createTopic("ok_name-1.x", config: TopicConfig(partitions: 2))
        #expect { try store.append([record("k", "v")], to: TopicPartition("ok_name-1.x", 2)) } throws: {
            ($0 as? TopicStoreError)?.code == .unknownPartition
        }
        #expect { try store.read(TopicPartition("missing", 0), from: 0, maxRecords: 1) } throws: {
            ($0 as? TopicStoreError)?.code == .unknownTopic
        }
    }

    @Test(arguments: StoreKind.allCases)
    func commitAppendsAndStoresOffsets(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        try store.createTopic("in", config: TopicConfig(partitions: 2))
        try store.createTopic("out", config: TopicConfig(partitions: 2))
        #expect(store.committedOffsets(group: "q1").isEmpty)
        try store.commit(
            StoreTransaction(
                appends: [
                    (TopicPartition("out", 1), [record("a", "1")]), (TopicPartition("out", 0), [record("b", "2")]),
                    (TopicPartition("out", 1), [record("c", "3")]),
                ],
                group: "q1", offsets: [TopicPartition("in", 0): 5, TopicPartition("in", 1): 7]))
        #expect(values(try store.read(TopicPartition("out", 1), from: 0, maxRecords: 10)) == ["1", "3"])
        #expect(values(try store.read(TopicPartition("out", 0), from: 0, maxRecords: 10)) == ["2"])
        #expect(store.committedOffsets(group: "q1") == [TopicPartition("in", 0): 5, TopicPartition("in", 1): 7])
        // A later commit overrides only the partitions it names.
        try store.commit(StoreTransaction(group: "q1", offsets: [TopicPartition("in", 1): 9]))
        #expect(store.committedOffsets(group: "q1") == [TopicPartition("in", 0): 5, TopicPartition("in", 1): 9])
        #expect(store.committedOffsets(group: "other").isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func aFailedCommitChangesNothing(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        try store.createTopic("out", config: TopicConfig())
        #expect(throws: TopicStoreError.self) {
            try store.commit(
                StoreTransaction(
                    appends: [(TopicPartition("out", 0), [record("a", "1")]), (TopicPartition("nope", 0), [record("b", "2")])],
                    group: "g", offsets: [TopicPartition("out", 0): 1]))
        }
        #expect(try store.endOffset(TopicPartition("out", 0)) == 0)
        #expect(store.committedOffsets(group: "g").isEmpty)
        // Offsets for a partition that does not exist are refused too, with the outputs.
        #expect { try store.commit(
            StoreTransaction(
                appends: [(TopicPartition("out", 0), [record("a", "1")])], group: "g",
                offsets: [TopicPartition("out", 1): 1]))
        } throws: {
            ($0 as? TopicStoreError)?.code == .unknownPartition
        }
        #expect(try store.endOffset(TopicPartition("out", 0)) == 0)
        try store.append([record("x", "after")], to: TopicPartition("out", 0))
        #expect(values(try store.read(TopicPartition("out", 0), from: 0, maxRecords: 5)) == ["after"])
    }

    @Test(arguments: StoreKind.allCases)
    func deletingATopicForgetsItsCommittedOffsets(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        try store.createTopic("a", config: TopicConfig())
        try store.createTopic("b", config: TopicConfig())
        try store.commit(StoreTransaction(group: "g", offsets: [TopicPartition("a", 0): 3, TopicPartition("b", 0): 4]))
        try store.deleteTopic("a")
        #expect(store.committedOffsets(group: "g") == [TopicPartition("b", 0): 4])
    }

    @Test(arguments: StoreKind.allCases)
    func waitForDataReturnsAtOnceWhenDataIsThere(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        try store.createTopic("t", config: TopicConfig())
        try store.append([record("k", "v")], to: TopicPartition("t", 0))
        #expect(store.waitForData([TopicPartition("t", 0): 0], timeout: 60))
    }

    @Test(arguments: StoreKind.allCases)
    func waitForDataTimesOutWithoutData(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        try store.createTopic("t", config: TopicConfig())
        try store.append([record("k", "v")], to: TopicPartition("t", 0))
        #expect(!store.waitForData([TopicPartition("t", 0): 1, TopicPartition("unknown", 0): 0], timeout: 0.05))
        #expect(!store.waitForData([:], timeout: 0))
    }

    @Test(arguments: StoreKind.allCases)
    func waitForDataWakesWhenAnotherThreadAppends(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        try store.createTopic("t", config: TopicConfig(partitions: 2))
        let parked = ParkedWaiterProbe(store)
        onThread {
            // Append only once the waiter is blocked, so the wakeup path is what gets tested. The
            // waiter's timeout is far longer than any test run: a missed wakeup fails the test.
            parked.waitUntilParked()
            _ = try? store.append([record("k", "late")], to: TopicPartition("t", 1))
        }
        #expect(store.waitForData([TopicPartition("t", 0): 0, TopicPartition("t", 1): 0], timeout: 600))
        #expect(try store.endOffset(TopicPartition("t", 1)) == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func waitForDataWakesOnCommit(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        try store.createTopic("t", config: TopicConfig())
        let parked = ParkedWaiterProbe(store)
        onThread {
            parked.waitUntilParked()
            try? store.commit(StoreTransaction(appends: [(TopicPartition("t", 0), [record("k", "v")])]))
        }
        #expect(store.waitForData([TopicPartition("t", 0): 0], timeout: 600))
    }

    @Test func manyTinyMemoryStoresAreCheap() throws {
        // The conformance runner's pattern: a fresh store and a few topics per case.
        for index in 0..<2000 {
            let store = MemoryTopicStore()
            try store.createTopic("in-\(index)", config: TopicConfig(partitions: 4))
            try store.createTopic("out-\(index)", config: TopicConfig())
            try store.append([record("k", "v\(index)")], to: TopicPartition("in-\(index)", index % 4))
            #expect(values(try store.read(TopicPartition("in-\(index)", index % 4), from: 0, maxRecords: 10)) == ["v\(index)"])
        }
    }
}

/// Lets a test thread wait until some thread is parked in `waitForData` on `store`.
struct ParkedWaiterProbe: @unchecked Sendable {
    let store: any TopicStore

    init(_ store: any TopicStore) { self.store = store }

    func waitUntilParked() {
        while waiters() == 0 { usleep(1000) }
    }

    private func waiters() -> Int {
        if let log = store as? LogTopicStore { return log.waiterCount }
        if let memory = store as? MemoryTopicStore { return memory.waiterCount }
        return 1
    }
}
