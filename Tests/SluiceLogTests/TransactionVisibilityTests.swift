import Foundation
import Synchronization
import Testing

@testable import SluiceLog

/// Concurrency: transactions are seen whole, readers see consistent prefixes.
@Suite struct TransactionVisibilityTests {
    /// One thread commits transactions that each add one record to two partitions and advance a
    /// group offset; another thread samples, in this order, the committed offset, the end of
    /// partition B, then the end of partition A. With atomic commits the samples can only grow
    /// along that order: offset <= end(B) <= end(A). Any torn commit is caught as a violation.
    @Test(arguments: StoreKind.allCases)
    func commitsAreVisibleAtomically(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        try store.createTopic("in", config: TopicConfig())
        try store.createTopic("a", config: TopicConfig())
        try store.createTopic("b", config: TopicConfig())
        let commits = 2000
        let finished = Atomic<Bool>(false)
        let violations = Mutex<[String]>([])
        let observer = Thread {
            while !finished.load(ordering: .acquiring) {
                let offset = store.committedOffsets(group: "g")[TopicPartition("in", 0)] ?? 0
                let endB = (try? store.endOffset(TopicPartition("b", 0))) ?? -1
                let endA = (try? store.endOffset(TopicPartition("a", 0))) ?? -1
                if !(offset <= endB && endB <= endA) {
                    violations.withLock { $0.append("offset \(offset), end b \(endB), end a \(endA)") }
                }
            }
        }
        observer.start()
        for index in 1...commits {
            try store.commit(StoreTransaction(
                appends: [(TopicPartition("a", 0), [record("k", "a\(index)")]), (TopicPartition("b", 0), [record("k", "b\(index)")])],
                group: "g", offsets: [TopicPartition("in", 0): Int64(index)]))
        }
        finished.store(true, ordering: .releasing)
        while !observer.isFinished { usleep(1000) }
        #expect(violations.withLock { $0 } == [])
        #expect(try store.endOffset(TopicPartition("a", 0)) == Int64(commits))
    }

    /// Readers racing a writer always see a gap-free prefix of what was appended.
    @Test(arguments: StoreKind.allCases)
    func concurrentReadersSeeConsistentPrefixes(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        try store.createTopic("t", config: TopicConfig(segmentBytes: 4096))
        let partition = TopicPartition("t", 0)
        let total = 3000
        let problems = Mutex<[String]>([])
        let done = Atomic<Int>(0)
        for reader in 0..<3 {
            onThread {
                var next: Int64 = 0
                while next < Int64(total) {
                    guard store.waitForData([partition: next], timeout: 600) else { break }
                    do {
                        let page = try store.read(partition, from: next, maxRecords: 97)
                        for (index, record) in page.enumerated() {
                            let expected = next + Int64(index)
                            if record.offset != expected || record.value != bytes("v\(expected)") {
                                problems.withLock { $0.append("reader \(reader): offset \(record.offset) at \(expected)") }
                                return
                            }
                        }
                        next += Int64(page.count)
                    } catch {
                        problems.withLock { $0.append("reader \(reader): \(error)") }
                        return
                    }
                }
                done.add(1, ordering: .releasing)
            }
        }
        var appended = 0
        while appended < total {
            let count = min(1 + appended % 13, total - appended)
            try store.append((appended..<appended + count).map { record("k", "v\($0)") }, to: partition)
            appended += count
        }
        while done.load(ordering: .acquiring) < 3 && problems.withLock({ $0.isEmpty }) { usleep(1000) }
        #expect(problems.withLock { $0 } == [])
    }
}
