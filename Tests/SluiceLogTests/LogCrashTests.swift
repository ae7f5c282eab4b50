import Foundation
import Testing

@testable import SluiceLog

/// A child process appends (plain appends and transactions, across segment rolls) and is SIGKILLed
/// at random moments; after each kill every acknowledged record must be there, in order, and
/// nothing that is there may be corrupt. Real processes, because a crash of the writer is the point.
@Suite(.serialized) struct LogCrashTests {
    /// Opens the directory (full recovery: no other process has it) and checks every record.
    func verify(_ directory: String, acknowledgedEnd: Int64, round: Int) throws -> Int64 {
        let store = try LogTopicStore(directory: directory, options: LogStoreOptions(sync: .never))
        defer { store.close() }
        return try verify(store, acknowledgedEnd: acknowledgedEnd, round: round)
    }

    /// Checks every record: dense offsets, each holding its own offset, nothing acknowledged lost.
    func verify(_ store: LogTopicStore, acknowledgedEnd: Int64, round: Int) throws -> Int64 {
        let partition = TopicPartition("crash", 0)
        // Offsets first: a writer beside us may commit more after we look at the end.
        let committed = store.committedOffsets(group: "crash-group")
        let end = try store.endOffset(partition)
        #expect(end >= acknowledgedEnd, "round \(round): end \(end) lost acknowledged records up to \(acknowledgedEnd)")
        var next: Int64 = 0
        while next < end {
            let page = try store.read(partition, from: next, maxRecords: 5000)
            #expect(!page.isEmpty, "round \(round): nothing readable at \(next) below end \(end)")
            if page.isEmpty { break }
            for record in page {
                #expect(record.offset == next, "round \(round): offset gap at \(next)")
                let prefix = Array("o\(record.offset);".utf8)
                #expect(
                    record.value.map { Array($0.prefix(prefix.count)) == prefix } == true,
                    "round \(round): record at \(record.offset) holds another record's bytes")
                next = record.offset + 1
            }
        }
        // Committed offsets never point past what is stored.
        for (_, offset) in committed { #expect(offset <= end, "round \(round)") }
        return end
    }

    @Test func acknowledgedAppendsSurviveSIGKILLAtRandomMoments() throws {
        let directory = TemporaryDirectory()
        let data = directory.file("data")
        var random = SeededRandom(seed: 0x5EED)
        var acknowledgedEnd: Int64 = 0
        var kills = 0
        for round in 0..<24 {
            let child = try CrashChild(
                directory: data, arguments: [round % 2 == 0 ? "append" : "append-stalling", String(round + 1)],
                outputPrefix: directory.file("child-\(round)"))
            // Most rounds kill the child while it appends; every sixth while it opens (recovers).
            if round % 6 != 5 { child.waitForFirstAcknowledgement() }
            usleep(UInt32(random.below(30_000)))
            child.kill()
            if child.process.terminationReason == .uncaughtSignal { kills += 1 }
            #expect(child.stderr.isEmpty, "round \(round): child reported \(child.stderr)")
            let acknowledged = child.acknowledgements()
            for (first, count) in acknowledged { acknowledgedEnd = max(acknowledgedEnd, first + Int64(count)) }
            _ = try verify(data, acknowledgedEnd: acknowledgedEnd, round: round)
        }
        #expect(kills >= 20)
    }

    /// The same with this process holding the directory open throughout: after each kill, the next
    /// writer is this process, which finds the dead writer's mark on the shared page and recovers
    /// the tail under the partition lock while staying open; its reads never see a torn record.
    @Test func aLiveProcessRecoversTheTailOfAWriterKilledBesideIt() throws {
        let directory = TemporaryDirectory()
        let data = directory.file("data")
        let store = try LogTopicStore(directory: data, options: LogStoreOptions(sync: .never))
        defer { store.close() }
        try store.createTopic("crash", config: TopicConfig(segmentBytes: 64 << 10))
        let partition = TopicPartition("crash", 0)
        var random = SeededRandom(seed: 0xC0FFEE)
        var acknowledgedEnd: Int64 = 0
        for round in 0..<20 {
            let child = try CrashChild(
                directory: data, arguments: ["append-stalling", String(round + 100)], outputPrefix: directory.file("child-\(round)"))
            child.waitForFirstAcknowledgement()
            // Read while the child writes: only whole, published records may show up.
            _ = try verify(store, acknowledgedEnd: 0, round: round)
            usleep(UInt32(random.below(20_000)))
            child.kill()
            #expect(child.stderr.isEmpty, "round \(round): child reported \(child.stderr)")
            for (first, count) in child.acknowledgements() { acknowledgedEnd = max(acknowledgedEnd, first + Int64(count)) }
            // Recover first (as the next append would): whole batches the dead writer finished
            // survive, so only afterwards is the end where this process's record will land.
            try store.partitionLog(partition).catchUp()
            let first = try store.endOffset(partition)
            let appended = try store.append([ProducerRecord(key: nil, value: Array("o\(first);".utf8), timestamp: 1)], to: partition)
            #expect(appended == first)
            acknowledgedEnd = max(acknowledgedEnd, appended + 1)
            _ = try verify(store, acknowledgedEnd: acknowledgedEnd, round: round)
        }
        // The child pauses half-way through each segment write, so most kills tear a batch and
        // leave the dead writer's mark for this process to recover.
        let recoveries = try store.partitionLog(partition).tailRecoveries.load(ordering: .relaxed)
        #expect(recoveries >= 5)
        store.close()
        _ = try verify(data, acknowledgedEnd: acknowledgedEnd, round: 99)
    }
}

/// A deterministic generator (xorshift64*), so a failing run can be repeated.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed | 1 }
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 2_685_821_657_736_338_717
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
}
