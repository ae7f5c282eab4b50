import Foundation
import Testing

@testable import SluiceLog

#if canImport(Glibc)
import Glibc
#endif

/// Disk space reserved ahead of the active segment (``SpaceReservation``): never visible as file
/// size, given back when a segment is sealed, and harmless to reopening and reading.
@Suite struct LogSpaceReservationTests {
    /// Size and allocated bytes of a file.
    private func footprint(_ path: String) throws -> (size: Int64, allocated: Int64) {
        var info = stat()
        try #require(stat(path, &info) == 0, "stat \(path)")
        return (Int64(info.st_size), Int64(info.st_blocks) * 512)
    }

    /// Whether the file system under `directory` can reserve blocks without growing a file.
    private func canPreallocate(in directory: String) throws -> Bool {
        let file = try FileDescriptor.open(directory + "/probe", create: true)
        defer { unlink(directory + "/probe") }
        return file.preallocate(at: 0, length: 1 << 20) == 0
    }

    private func records(_ count: Int, from start: Int = 0) -> [ProducerRecord] {
        (start..<start + count).map { record("k\($0)", String(repeating: "v", count: 1000) + "\($0)") }
    }

    @Test func appendsReserveAheadWithoutChangingTheSegmentSize() throws {
        let directory = TemporaryDirectory()
        let reserves = try canPreallocate(in: directory.path)
        let options = LogStoreOptions(sync: .never)
        let partition = TopicPartition("t", 0)
        let segment = directory.file("topics/t/0/00000000000000000000.log")
        do {
            let store = try LogTopicStore(directory: directory.path, options: options)
            try store.createTopic("t", config: TopicConfig(segmentBytes: 64 << 20))
            for round in 0..<10 { try store.append(records(100, from: round * 100), to: partition) }
            let (size, allocated) = try footprint(segment)
            // The size is exactly the batches: a reader in another process, or recovery, trusts it.
            var scanned: [Int64] = []
            _ = try store.scan(partition, from: 0, maxRecords: 10_000) { scanned.append($0.offset) }
            #expect(scanned == Array(0..<1000))
            #expect(size > 1000 * 1000 && size < 1000 * 1100)
            if reserves {
                #expect(allocated >= size + SpaceReservation.smallestStep, "reserved \(allocated) for \(size)")
                #expect(allocated <= size + SpaceReservation.largestStep + (1 << 20))
            }
            store.close()
        }
        // Reopening recovers the tail up to the size, not into the reserved blocks.
        let reopened = try LogTopicStore(directory: directory.path, options: options)
        #expect(try reopened.endOffset(partition) == 1000)
        try reopened.append(records(10, from: 1000), to: partition)
        let tail = try reopened.read(partition, from: 995, maxRecords: 100)
        #expect(tail.map(\.offset) == Array(995..<1010))
        #expect(tail.last?.value == bytes(String(repeating: "v", count: 1000) + "1009"))
    }

    @Test func sealedSegmentsGiveBackWhatTheyDidNotUse() throws {
        let directory = TemporaryDirectory()
        let reserves = try canPreallocate(in: directory.path)
        let store = try LogTopicStore(directory: directory.path, options: LogStoreOptions(sync: .never))
        try store.createTopic("t", config: TopicConfig(segmentBytes: 256 << 10))
        let partition = TopicPartition("t", 0)
        for round in 0..<8 { try store.append(records(100, from: round * 100), to: partition) }
        let logs = try FileManager.default.contentsOfDirectory(atPath: directory.file("topics/t/0"))
            .filter { $0.hasSuffix(".log") }.sorted()
        try #require(logs.count >= 3)
        for name in logs.dropLast() {
            let (size, allocated) = try footprint(directory.file("topics/t/0/" + name))
            // Whole 4 KiB blocks for the bytes, and at most one more (file system slack).
            #expect(allocated <= (size + 4095) / 4096 * 4096 + 4096, "\(name): \(allocated) allocated for \(size)")
        }
        if reserves {
            let (size, allocated) = try footprint(directory.file("topics/t/0/" + logs.last!))
            #expect(allocated > size, "the active segment keeps its reservation")
        }
        #expect(try store.read(partition, from: 0, maxRecords: 1000).count == 800)
    }
}
