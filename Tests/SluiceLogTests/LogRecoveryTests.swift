import Foundation
import Testing

@testable import SluiceLog

/// Opening a store after a crash: torn tails, corruption, and half-done transactions.
@Suite struct LogRecoveryTests {
    /// A store with one partition holding `count` records in batches of one, closed.
    func populated(_ count: Int, segmentBytes: Int64 = 1 << 20) throws -> TemporaryDirectory {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.createTopic("t", config: TopicConfig(segmentBytes: segmentBytes))
        for index in 0..<count { try store.append([record("k\(index)", "v\(index)")], to: TopicPartition("t", 0)) }
        store.close()
        return directory
    }

    /// Byte positions of the batches in a segment file.
    func batchPositions(_ path: String) throws -> [Int] {
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var positions: [Int] = []
        var position = 0
        while position < data.count {
            positions.append(position)
            let (_, size) = try RecordBatch.decode(Array(data[position...]))
            position += size
        }
        return positions
    }

    @Test(arguments: [1, 12, 30, 60])
    func aTornLastBatchIsTruncated(cut: Int) throws {
        let directory = try populated(10)
        let log = try segmentLogs(directory, "t")[0]
        let positions = try batchPositions(log)
        let size = try fileSize(log)
        // Cut the last batch short by `cut` bytes (or down to its first bytes).
        try truncateFile(log, to: max(positions.last! + 1, size - cut))
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        let partition = TopicPartition("t", 0)
        #expect(values(try store.read(partition, from: 0, maxRecords: 100)) == (0..<9).map { "v\($0)" })
        #expect(try fileSize(log) == positions.last!)
        #expect(try store.append([record("k", "again")], to: partition) == 9)
        #expect(values(try store.read(partition, from: 9, maxRecords: 1)) == ["again"])
    }

    @Test func aBadChecksumInTheLastBatchIsATornTail() throws {
        let directory = try populated(5)
        let log = try segmentLogs(directory, "t")[0]
        let last = try batchPositions(log).last!
        try patchFile(log, at: last + 70, with: [0xEE])
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        #expect(try store.endOffset(TopicPartition("t", 0)) == 4)
    }

    @Test func trailingZerosAfterACrashAreTruncated() throws {
        let directory = try populated(5)
        let log = try segmentLogs(directory, "t")[0]
        let size = try fileSize(log)
        try appendToFile(log, [UInt8](repeating: 0, count: 300))
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        #expect(try store.endOffset(TopicPartition("t", 0)) == 5)
        #expect(try fileSize(log) == size)
    }

    @Test func corruptionInTheMiddleOfTheLastSegmentIsReported() throws {
        let directory = try populated(10)
        let log = try segmentLogs(directory, "t")[0]
        let sizeBefore = try fileSize(log)
        let third = try batchPositions(log)[3]
        try patchFile(log, at: third + 65, with: [0xEE, 0xEE])
        #expect { try LogTopicStore(directory: directory.path, options: testOptions()) } throws: {
            ($0 as? TopicStoreError)?.code == .corrupt
        }
        // Nothing was truncated: the data after the damage is still there for a human to salvage.
        #expect(try fileSize(log) == sizeBefore)
    }

    @Test func aCorruptLengthFieldInTheMiddleIsReportedNotTreatedAsATail() throws {
        let directory = try populated(10)
        let log = try segmentLogs(directory, "t")[0]
        let second = try batchPositions(log)[2]
        // A length pointing far past the end of the file.
        try patchFile(log, at: second + 8, with: [0x7F, 0xFF, 0xFF, 0x00])
        #expect { try LogTopicStore(directory: directory.path, options: testOptions()) } throws: {
            ($0 as? TopicStoreError)?.code == .corrupt
        }
    }

    @Test func corruptionInASealedSegmentIsReportedWhenRead() throws {
        let directory = try populated(60, segmentBytes: 1024)
        let logs = try segmentLogs(directory, "t")
        #expect(logs.count > 2)
        let victim = try batchPositions(logs[0])[1]
        try patchFile(logs[0], at: victim + 64, with: [0xEE])
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        #expect { try store.read(TopicPartition("t", 0), from: 0, maxRecords: 100) } throws: {
            ($0 as? TopicStoreError)?.code == .corrupt
        }
        #expect { try store.scan(TopicPartition("t", 0), from: 0, maxRecords: 100) { _ in } } throws: {
            ($0 as? TopicStoreError)?.code == .corrupt
        }
        // Reads that start after the damage still work.
        let later = try store.read(TopicPartition("t", 0), from: 30, maxRecords: 1)
        #expect(later.map(\.offset) == [30])
    }

    @Test func anEmptySegmentLeftByACrashAfterARollIsDropped() throws {
        let directory = try populated(20, segmentBytes: 1024)
        let logs = try segmentLogs(directory, "t")
        let partitionDirectory = URL(fileURLWithPath: logs[0]).deletingLastPathComponent().path
        let store0 = try LogTopicStore(directory: directory.path, options: testOptions())
        let end = try store0.endOffset(TopicPartition("t", 0))
        store0.close()
        let stray = SegmentFile.path(partitionDirectory, end + 1000, .log)
        _ = FileManager.default.createFile(atPath: stray, contents: Data())
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        #expect(try store.endOffset(TopicPartition("t", 0)) == end)
        #expect(!FileManager.default.fileExists(atPath: stray))
    }

    @Test func aTransactionCutOffBeforeItsCommitPointIsRolledBack() throws {
        let directory = TemporaryDirectory()
        let journal = directory.file("offsets/commits.log")
        var journalSizeBeforeSecondCommit = 0
        do {
            let store = try LogTopicStore(directory: directory.path, options: testOptions())
            try store.createTopic("in", config: TopicConfig())
            try store.createTopic("out", config: TopicConfig(partitions: 2))
            try store.append([record("k", "plain")], to: TopicPartition("out", 0))
            try store.commit(StoreTransaction(
                appends: [(TopicPartition("out", 0), [record("a", "committed")]), (TopicPartition("out", 1), [record("b", "committed")])],
                group: "g", offsets: [TopicPartition("in", 0): 1]))
            journalSizeBeforeSecondCommit = try fileSize(journal)
            try store.commit(StoreTransaction(
                appends: [(TopicPartition("out", 0), [record("c", "lost"), record("d", "lost")]), (TopicPartition("out", 1), [record("e", "lost")])],
                group: "g", offsets: [TopicPartition("in", 0): 2]))
            store.close()
        }
        // Simulate a crash after the records were written but before the commit entry: drop the
        // second commit's journal entry.
        try truncateFile(journal, to: journalSizeBeforeSecondCommit)
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        #expect(values(try store.read(TopicPartition("out", 0), from: 0, maxRecords: 10)) == ["plain", "committed"])
        #expect(values(try store.read(TopicPartition("out", 1), from: 0, maxRecords: 10)) == ["committed"])
        #expect(store.committedOffsets(group: "g") == [TopicPartition("in", 0): 1])
        // The partitions continue right after the last committed records.
        #expect(try store.append([record("f", "next")], to: TopicPartition("out", 0)) == 2)
    }

    @Test func aTornJournalEntryIsDroppedAndEarlierOffsetsKept() throws {
        let directory = TemporaryDirectory()
        do {
            let store = try LogTopicStore(directory: directory.path, options: testOptions())
            try store.createTopic("in", config: TopicConfig())
            try store.commit(StoreTransaction(group: "g", offsets: [TopicPartition("in", 0): 10]))
            try store.commit(StoreTransaction(group: "g", offsets: [TopicPartition("in", 0): 20]))
            store.close()
        }
        let journal = directory.file("offsets/commits.log")
        try truncateFile(journal, to: try fileSize(journal) - 3)
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        #expect(store.committedOffsets(group: "g") == [TopicPartition("in", 0): 10])
    }

    @Test func aCorruptJournalEntryBeforeValidOnesIsReported() throws {
        let directory = TemporaryDirectory()
        do {
            let store = try LogTopicStore(directory: directory.path, options: testOptions())
            try store.createTopic("in", config: TopicConfig())
            try store.commit(StoreTransaction(group: "g", offsets: [TopicPartition("in", 0): 10]))
            try store.commit(StoreTransaction(group: "g", offsets: [TopicPartition("in", 0): 20]))
            store.close()
        }
        try patchFile(directory.file("offsets/commits.log"), at: 10, with: [0xFF])
        #expect { try LogTopicStore(directory: directory.path, options: testOptions()) } throws: {
            ($0 as? TopicStoreError)?.code == .corrupt
        }
    }

    @Test func committedOffsetsSurviveManyCommitsAndAJournalSnapshot() throws {
        let directory = TemporaryDirectory()
        do {
            let store = try LogTopicStore(directory: directory.path, options: testOptions())
            try store.createTopic("in", config: TopicConfig(partitions: 4))
            // Enough commits to pass the 1 MiB threshold at which the journal is rewritten as a snapshot.
            for round in 1...60_000 {
                try store.commit(StoreTransaction(
                    group: "group-\(round % 3)", offsets: [TopicPartition("in", round % 4): Int64(round)]))
            }
            store.close()
        }
        // Without the rewrite the journal would be about 1.7 MiB by now.
        #expect(try fileSize(directory.file("offsets/commits.log")) < 1 << 20)
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        #expect(store.committedOffsets(group: "group-0") == [
            TopicPartition("in", 0): 60_000, TopicPartition("in", 1): 59_997, TopicPartition("in", 2): 59_994,
            TopicPartition("in", 3): 59_991,
        ])
        #expect(store.committedOffsets(group: "group-1")[TopicPartition("in", 0)] == 59_992)
    }

    @Test func leftoversOfAnInterruptedTopicCreationOrDeletionAreRemoved() throws {
        let directory = TemporaryDirectory()
        do {
            let store = try LogTopicStore(directory: directory.path, options: testOptions())
            try store.createTopic("keep", config: TopicConfig())
            store.close()
        }
        try FileManager.default.createDirectory(atPath: directory.file("topics/half~creating/0"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory.file("topics/gone~deleting/0"), withIntermediateDirectories: true)
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        #expect(store.topicNames() == ["keep"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("topics")) == ["keep"])
    }
}

/// Damage to the index files of sealed segments: detected, and rebuilt from the log (which the
/// CRCs protect) or, if an entry lies in a way open cannot see, reported when read.
@Suite struct LogIndexDamageTests {
    enum Damage: String, CaseIterable, CustomTestStringConvertible {
        case truncatedToAPartialEntry, emptied, deleted, positionPastTheEnd, entriesOutOfOrder, lastEntryMisaligned
        case timeIndexPartial, timeIndexNotIncreasing, timeIndexDeleted
        var testDescription: String { rawValue }
    }

    func populated() throws -> (TemporaryDirectory, [ConsumedRecord]) {
        let directory = TemporaryDirectory()
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        try store.createTopic("t", config: TopicConfig(segmentBytes: 2048))
        for index in 0..<120 { try store.append([record("k\(index)", "v\(index)", at: Int64(index))], to: TopicPartition("t", 0)) }
        let all = try store.read(TopicPartition("t", 0), from: 0, maxRecords: 1000)
        store.close()
        return (directory, all)
    }

    @Test(arguments: Damage.allCases)
    func aDamagedIndexIsRebuiltAtOpen(damage: Damage) throws {
        let (directory, all) = try populated()
        let log = try segmentLogs(directory, "t")[0]
        let index = log.replacingOccurrences(of: ".log", with: ".index")
        let timeIndex = log.replacingOccurrences(of: ".log", with: ".timeindex")
        let indexSize = try fileSize(index)
        #expect(indexSize >= 16)
        switch damage {
        case .truncatedToAPartialEntry: try truncateFile(index, to: indexSize - 3)
        case .emptied: try truncateFile(index, to: 0)
        case .deleted: try FileManager.default.removeItem(atPath: index)
        case .positionPastTheEnd: try patchFile(index, at: indexSize - 4, with: [0x7F, 0, 0, 0])
        case .entriesOutOfOrder: try patchFile(index, at: 8, with: [0, 0, 0, 0])
        case .lastEntryMisaligned: try patchFile(index, at: indexSize - 1, with: [0x01])
        case .timeIndexPartial: try truncateFile(timeIndex, to: try fileSize(timeIndex) - 5)
        case .timeIndexNotIncreasing: try patchFile(timeIndex, at: 12, with: [UInt8](repeating: 0, count: 8))
        case .timeIndexDeleted: try FileManager.default.removeItem(atPath: timeIndex)
        }
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        let partition = TopicPartition("t", 0)
        #expect(try store.read(partition, from: 0, maxRecords: 1000) == all)
        for offset in stride(from: 0, to: 120, by: 7) {
            #expect(try store.read(partition, from: Int64(offset), maxRecords: 1).first?.offset == Int64(offset))
        }
        #expect(try store.offset(forTimestamp: 50, in: partition) == 50)
        // The rebuilt files are whole again.
        #expect(try fileSize(index) % OffsetIndex.entrySize == 0)
        #expect(try fileSize(timeIndex) % TimeIndex.entrySize == 0)
    }

    @Test func aMiddleEntryPointingAtALaterBatchIsReportedNotSkipped() throws {
        let (directory, _) = try populated()
        let log = try segmentLogs(directory, "t")[0]
        let index = log.replacingOccurrences(of: ".log", with: ".index")
        let entries = [UInt8](try Data(contentsOf: URL(fileURLWithPath: index)))
        #expect(entries.count >= 24)
        // Entry 1 moves to the batch after the one it names (still increasing, still inside the
        // file): open cannot tell, but a read through it would silently skip that batch.
        func word(_ at: Int) -> Int { Int(UInt32(entries[at]) << 24 | UInt32(entries[at + 1]) << 16 | UInt32(entries[at + 2]) << 8 | UInt32(entries[at + 3])) }
        let relative = Int64(word(8))
        let positions = try LogRecoveryTests().batchPositions(log)
        let named = try #require(positions.firstIndex(of: word(12)))
        let next = positions[named + 1]
        #expect(next < word(20))
        try patchFile(index, at: 12, with: [UInt8(next >> 24 & 0xFF), UInt8(next >> 16 & 0xFF), UInt8(next >> 8 & 0xFF), UInt8(next & 0xFF)])
        let store = try LogTopicStore(directory: directory.path, options: testOptions())
        #expect { try store.read(TopicPartition("t", 0), from: relative, maxRecords: 1) } throws: {
            ($0 as? TopicStoreError)?.code == .corrupt
        }
        #expect { try store.scan(TopicPartition("t", 0), from: relative, maxRecords: 1) { _ in } } throws: {
            ($0 as? TopicStoreError)?.code == .corrupt
        }
    }
}
