import Foundation
import Testing

@testable import SluiceLog

/// `scan` against `read` for every ``TopicStore``: the same records, nulls, headers, bounds, errors
/// and next offsets, through borrowed views.
@Suite struct ScanContractTests {
    @Test(arguments: StoreKind.allCases)
    func nullAndEmptyKeysAndValuesStayDistinct(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        try store.createTopic("t", config: TopicConfig())
        let partition = TopicPartition("t", 0)
        try store.append(
            [
                ProducerRecord(key: nil, value: nil, timestamp: 1), ProducerRecord(key: [], value: [], timestamp: 2),
                ProducerRecord(key: nil, value: [], timestamp: 3), ProducerRecord(key: [], value: nil, timestamp: 4),
                ProducerRecord(key: bytes("k"), value: bytes("v"), timestamp: 5),
            ], to: partition)
        var seen: [(key: Int?, value: Int?)] = []
        let next = try store.scan(partition, from: 0, maxRecords: 10) { record in
            seen.append((record.key?.count, record.value?.count))
        }
        #expect(next == 5)
        #expect(seen.map(\.key) == [nil, 0, nil, 0, 1])
        #expect(seen.map(\.value) == [nil, 0, 0, nil, 1])
        #expect(try scanned(store, partition, from: 0, max: 10) == store.read(partition, from: 0, maxRecords: 10))
    }

    @Test(arguments: StoreKind.allCases)
    func headersMaterialiseOnlyWhenAsked(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        try store.createTopic("t", config: TopicConfig())
        let partition = TopicPartition("t", 0)
        let headers = [Header(key: "trace", value: bytes("abc")), Header(key: "trace", value: nil), Header(key: "é", value: [])]
        try store.append([record("k", "v", headers: headers), record("k", "w")], to: partition)
        var counts: [Int] = []
        var materialised: [[Header]] = []
        _ = try store.scan(partition, from: 0, maxRecords: 2) { record in
            counts.append(record.headerCount)
            materialised.append(record.headers())
        }
        #expect(counts == [3, 0])
        #expect(materialised == [headers, []])
    }

    @Test(arguments: StoreKind.allCases)
    func boundsAndNextOffsetsMatchRead(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        try store.createTopic("t", config: TopicConfig())
        let partition = TopicPartition("t", 0)
        try store.append((0..<50).map { record("k\($0)", "v\($0)") }, to: partition)
        for (from, max) in [(0, 7), (45, 7), (49, 1), (-3, 2), (50, 5), (70, 5), (10, 0), (10, -1), (0, .max)] as [(Int64, Int)] {
            var offsets: [Int64] = []
            let next = try store.scan(partition, from: from, maxRecords: max) { offsets.append($0.offset) }
            let read = try store.read(partition, from: from, maxRecords: max)
            #expect(offsets == read.map(\.offset), "from \(from) max \(max)")
            #expect(next == expectedNext(from: from, max: max, read: read, start: 0, end: 50), "from \(from) max \(max)")
        }
        // Paging by the returned offset visits every record once.
        var next: Int64 = 0
        var all: [Int64] = []
        while next < 50 { next = try store.scan(partition, from: next, maxRecords: 6) { all.append($0.offset) } }
        #expect(all == Array(0..<50))
    }

    @Test(arguments: StoreKind.allCases)
    func unknownTopicsAndPartitionsFailAsReadFails(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        try store.createTopic("t", config: TopicConfig(partitions: 2))
        for partition in [TopicPartition("missing", 0), TopicPartition("t", 2)] {
            var readCode: TopicStoreError.Code?
            var scanCode: TopicStoreError.Code?
            do { _ = try store.read(partition, from: 0, maxRecords: 1) } catch { readCode = error.code }
            do { _ = try store.scan(partition, from: 0, maxRecords: 1) { _ in } } catch { scanCode = error.code }
            #expect(readCode != nil)
            #expect(scanCode == readCode, "\(partition)")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anErrorFromTheBodyStopsTheScan(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        try store.createTopic("t", config: TopicConfig())
        let partition = TopicPartition("t", 0)
        try store.append((0..<20).map { record("k", "v\($0)") }, to: partition)
        var visited = 0
        #expect { _ = try store.scan(partition, from: 0, maxRecords: 20) { record throws(TopicStoreError) in
            visited += 1
            if record.offset == 4 { throw TopicStoreError(.io, "stop") }
        } } throws: { ($0 as? TopicStoreError)?.message == "stop" }
        #expect(visited == 5)
    }

    @Test(arguments: StoreKind.allCases)
    func theBodyMayCallBackIntoTheStore(kind: StoreKind) throws {
        let (store, directory) = try kind.make()
        _ = directory
        try store.createTopic("in", config: TopicConfig())
        try store.createTopic("out", config: TopicConfig())
        try store.append((0..<10).map { record("k", "v\($0)") }, to: TopicPartition("in", 0))
        _ = try store.scan(TopicPartition("in", 0), from: 0, maxRecords: 10) { record throws(TopicStoreError) in
            let copy = record.consumed()
            try store.append(
                [ProducerRecord(key: copy.key, value: copy.value, timestamp: copy.timestamp)], to: TopicPartition("out", 0))
        }
        #expect(values(try store.read(TopicPartition("out", 0), from: 0, maxRecords: 20)) == (0..<10).map { "v\($0)" })
    }

    /// Committed transactions and plain appends interleaved, with nulls, empties and headers, read
    /// from random positions in random page sizes.
    @Test(arguments: StoreKind.allCases, [3, 4])
    func randomWorkloadsScanAsTheyRead(kind: StoreKind, seed: UInt64) throws {
        let (store, directory) = try kind.make()
        _ = directory
        try store.createTopic("t", config: TopicConfig(partitions: 2, segmentBytes: 2048))
        var random = SeededRandom(seed: seed)
        for _ in 0..<120 {
            let batch = (0..<1 + random.below(8)).map { _ in randomRecord(&random) }
            let partition = TopicPartition("t", random.below(2))
            if random.below(3) == 0 {
                try store.commit(StoreTransaction(appends: [(partition, batch)], group: "g", offsets: [partition: 1]))
            } else {
                try store.append(batch, to: partition)
            }
        }
        for step in 0..<300 {
            let partition = TopicPartition("t", random.below(2))
            let end = try store.endOffset(partition)
            let from = Int64(random.below(Int(end) + 6)) - 3
            let max = random.below(40)
            let read = try store.read(partition, from: from, maxRecords: max)
            var next: Int64 = 0
            let got = try scanned(store, partition, from: from, max: max, next: &next)
            #expect(got == read, "step \(step): \(partition) from \(from) max \(max)")
            #expect(next == expectedNext(from: from, max: max, read: read, start: 0, end: end), "step \(step): next offset")
        }
    }

    func randomRecord(_ random: inout SeededRandom) -> ProducerRecord {
        func someBytes(_ random: inout SeededRandom) -> [UInt8]? {
            switch random.below(5) {
            case 0: return nil
            case 1: return []
            default: return (0..<random.below(300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            }
        }
        let headers = (0..<(random.below(4) == 0 ? random.below(3) : 0)).map { index in
            Header(key: "h\(index)", value: someBytes(&random))
        }
        return ProducerRecord(
            key: someBytes(&random), value: someBytes(&random), timestamp: 1_000 + Int64(random.below(50)), headers: headers)
    }
}

/// The offset `scan` must return, given what `read` returned for the same arguments.
func expectedNext(from: Int64, max: Int, read: [ConsumedRecord], start: Int64, end: Int64) -> Int64 {
    if max <= 0 { return from }
    if read.count == max { return read.last!.offset + 1 }
    let clamped = Swift.max(from, start)
    return clamped < end ? end : clamped
}

/// What `scan` visits, copied out as `read` would return it.
func scanned(_ store: any TopicStore, _ partition: TopicPartition, from offset: Int64, max: Int) throws -> [ConsumedRecord] {
    var next: Int64 = 0
    return try scanned(store, partition, from: offset, max: max, next: &next)
}

func scanned(
    _ store: any TopicStore, _ partition: TopicPartition, from offset: Int64, max: Int, next: inout Int64
) throws -> [ConsumedRecord] {
    var records: [ConsumedRecord] = []
    next = try store.scan(partition, from: offset, maxRecords: max) { records.append($0.consumed()) }
    return records
}
