import Foundation
import Testing

@testable import SluiceLog

#if canImport(Glibc)
import Glibc
#endif

/// Disk writes started behind the active segment's end (``EarlyWriteback``): every
/// `writebackBytes`, only under the sync policies that fsync, and never in the way of what is read.
@Suite struct LogEarlyWritebackTests {
    private func records(_ count: Int, from start: Int = 0) -> [ProducerRecord] {
        (start..<start + count).map { record("k\($0)", String(repeating: "v", count: 1000) + "\($0)") }
    }

    @Test func theSystemCallStartsAWriteOrSaysWhyNot() throws {
        let directory = TemporaryDirectory()
        let file = try FileDescriptor.open(directory.file("data"), create: true)
        try file.write([UInt8](repeating: 7, count: 64 << 10), at: 0)
        #if os(Linux)
        #expect(file.startWriteback(at: 0, length: 64 << 10) == 0)
        #expect(file.startWriteback(at: 0, length: 0) == EINVAL)
        #expect(file.startWriteback(at: -1, length: 10) == EINVAL)
        #else
        #expect(file.startWriteback(at: 0, length: 64 << 10) == EOPNOTSUPP)
        #endif
    }

    @Test func startsOnceAnIntervalHasPiledUpAndCoversEveryByteOnce() throws {
        let directory = TemporaryDirectory()
        let file = try FileDescriptor.open(directory.file("data"), create: true)
        var writeback = EarlyWriteback(interval: 100_000)
        var starts: [Int64] = [0]
        var end: Int64 = 0
        for _ in 0..<35 {
            try file.write([UInt8](repeating: 1, count: 30_000), at: end)
            end += 30_000
            let before = writeback.started
            writeback.wrote(upTo: end, in: file, segmentBase: 0)
            if writeback.started != before { starts.append(writeback.started) }
        }
        // Starts at the first write end at least 100 000 bytes past the previous start: each range
        // begins where the last ended, so every byte is asked for once.
        #expect(starts == [0, 120_000, 240_000, 360_000, 480_000, 600_000, 720_000, 840_000, 960_000])
        // A new segment starts counting from its beginning.
        writeback.wrote(upTo: 50_000, in: file, segmentBase: 1000)
        #expect(writeback.segmentBase == 1000 && writeback.started == 0)
        writeback.wrote(upTo: 100_000, in: file, segmentBase: 1000)
        #expect(writeback.started == 100_000)
        // After a truncation, writes below the last start are counted again.
        writeback.forget()
        writeback.wrote(upTo: 60_000, in: file, segmentBase: 1000)
        #expect(writeback.started == 0)
        writeback.wrote(upTo: 110_000, in: file, segmentBase: 1000)
        #expect(writeback.started == 110_000)
    }

    @Test func zeroTurnsItOff() throws {
        let directory = TemporaryDirectory()
        let file = try FileDescriptor.open(directory.file("data"), create: true)
        var writeback = EarlyWriteback(interval: 0)
        try file.write([UInt8](repeating: 1, count: 1 << 20), at: 0)
        writeback.wrote(upTo: 1 << 20, in: file, segmentBase: 0)
        #expect(writeback.started == 0 && writeback.segmentBase == nil)
    }

    /// Which stores start writes: those whose policy fsyncs on commit or on an interval.
    @Test(arguments: [
        (LogStoreOptions.SyncPolicy.onCommit, true), (.interval(milliseconds: 60_000), true), (.never, false),
        (.always, false),
    ])
    func appendsStartWritesUnderThePoliciesThatSync(policy: LogStoreOptions.SyncPolicy, starts: Bool) throws {
        let directory = TemporaryDirectory()
        let options = LogStoreOptions(sync: policy, writebackBytes: 64 << 10)
        #expect(options.effectiveWritebackBytes == (starts ? 64 << 10 : 0))
        let partition = TopicPartition("t", 0)
        let store = try LogTopicStore(directory: directory.path, options: options)
        try store.createTopic("t", config: TopicConfig(segmentBytes: 64 << 20))
        for round in 0..<10 { try store.append(records(100, from: round * 100), to: partition) }
        let log = try store.partitionLog(partition)
        let size = try log.activeFile.file.size()
        if starts {
            // Started through the end of some append, at most one interval plus one append behind.
            #expect(log.writeback.started > 0 && log.writeback.started <= size)
            #expect(size - log.writeback.started < (64 << 10) + 110_000)
        } else {
            #expect(log.writeback.started == 0)
        }
        let read = try store.read(partition, from: 0, maxRecords: 2000)
        #expect(read.map(\.offset) == Array(0..<1000))
        #expect(read.last?.value == bytes(String(repeating: "v", count: 1000) + "999"))
        store.close()
    }
}
