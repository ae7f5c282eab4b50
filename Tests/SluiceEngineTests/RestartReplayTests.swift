import Foundation
import SluiceEngine
import SluiceLog
import Testing

/// A restart rebuilds state by replaying input; the replay must never write or commit twice.
@Suite struct RestartReplayTests {
    func engine(_ store: MemoryTopicStore, _ directory: String) throws -> Engine {
        try Engine(store: store, configuration: EngineConfiguration(dataDirectory: directory))
    }

    func append(_ store: MemoryTopicStore, _ range: Range<Int>) throws {
        let records = range.map { i in
            ProducerRecord(key: Array("\(i % 7)".utf8), value: Array(#"{"V":\#(i)}"#.utf8), timestamp: Int64(i))
        }
        _ = try store.append(records, to: TopicPartition("input", 0))
    }

    @Test func aRestartStoppedDuringItsReplayDoesNotWriteTheReplayedOutputsAgain() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-replay-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = MemoryTopicStore()
        do {
            let first = try engine(store, directory)
            _ = try first.execute(
                """
                CREATE STREAM input (k STRING KEY, v INT) WITH (KAFKA_TOPIC='input', FORMAT='JSON', PARTITIONS=1);
                CREATE TABLE counts AS SELECT k, COUNT(*) AS n FROM input GROUP BY k;
                """)
            try append(store, 0..<2000)
            try first.runUntilIdle()
            first.close()
        }
        try append(store, 2000..<4000)
        do {
            // Replays one batch of the 2,000 records it had done, then "crashes".
            let second = try engine(store, directory)
            #expect(second.step())
            second.close()
        }
        let third = try engine(store, directory)
        defer { third.close() }
        try third.runUntilIdle()
        let written = try store.read(TopicPartition("COUNTS", 0), from: 0, maxRecords: 100_000)
        #expect(written.count == 4000)
        // The last count per key is the number of input records with that key.
        var last: [String: String] = [:]
        for r in written { last[String(decoding: r.key!, as: UTF8.self)] = String(decoding: r.value!, as: UTF8.self) }
        #expect(last["\"0\""] == #"{"N":572}"#)
    }
}

extension RestartReplayTests {
    @Test func aCleanStopSnapshotsStateSoTheNextStartDoesNotReplay() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-snap-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = MemoryTopicStore()
        do {
            let first = try engine(store, directory)
            _ = try first.execute(
                """
                CREATE STREAM input (k STRING KEY, v INT) WITH (KAFKA_TOPIC='input', FORMAT='JSON', PARTITIONS=1);
                CREATE TABLE counts AS SELECT k, COUNT(*) AS n, SUM(v) AS total, COLLECT_SET(v % 3) AS residues
                  FROM input GROUP BY k;
                """)
            try append(store, 0..<2000)
            try first.runUntilIdle()
            first.close()
        }
        #expect(store.describeTopic("_sluice-CTAS_COUNTS_1-state") != nil)
        try append(store, 2000..<2100)
        let second = try engine(store, directory)
        defer { second.close() }
        // The snapshot puts the input where the first engine stopped: nothing is read twice.
        #expect(second.inputPositions(ofQuery: "CTAS_COUNTS_1")?[TopicPartition("input", 0)] == 2000)
        guard case .table(let plan)? = try second.execute("EXPLAIN CTAS_COUNTS_1;").last else {
            Issue.record("EXPLAIN gave no table")
            return
        }
        #expect(plan.footer.contains { $0.hasPrefix("State restored       : ") && $0.contains(" bytes from snapshots in ") })
        try second.runUntilIdle()
        let written = try store.read(TopicPartition("COUNTS", 0), from: 0, maxRecords: 100_000)
        #expect(written.count == 2100)
        var last: [String: String] = [:]
        for r in written { last[String(decoding: r.key!, as: UTF8.self)] = String(decoding: r.value!, as: UTF8.self) }
        // Key 0 holds 0, 7, ..., 2093: 300 values summing to 7 * (0 + ... + 299).
        #expect(last["\"0\""] == #"{"N":300,"TOTAL":313950,"RESIDUES":[0,1,2]}"#)
    }

    @Test func aSnapshotTakenMidStreamIsReplayedFromOnlyAfterACrash() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-snap2-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = MemoryTopicStore()
        let properties = ["sluice.state.snapshot.records": "500"]
        do {
            let first = try Engine(store: store, configuration: EngineConfiguration(properties: properties, dataDirectory: directory))
            _ = try first.execute(
                """
                CREATE STREAM input (k STRING KEY, v INT) WITH (KAFKA_TOPIC='input', FORMAT='JSON', PARTITIONS=1);
                CREATE TABLE counts AS SELECT k, COUNT(*) AS n FROM input WINDOW TUMBLING (SIZE 100 MILLISECONDS) GROUP BY k;
                """)
            try append(store, 0..<1200)
            // Three batches of 500, 500 and 200: snapshots after the first two; then a "crash"
            // (no clean close, so no snapshot of the last 200).
            #expect(first.step())
            #expect(first.step())
            #expect(first.step())
        }
        let second = try Engine(store: store, configuration: EngineConfiguration(properties: properties, dataDirectory: directory))
        defer { second.close() }
        #expect(second.inputPositions(ofQuery: "CTAS_COUNTS_1")?[TopicPartition("input", 0)] == 1000)
        try second.runUntilIdle()
        let written = try store.read(TopicPartition("COUNTS", 0), from: 0, maxRecords: 100_000)
        #expect(written.count == 1200)
    }
}

extension RestartReplayTests {
    @Test func aLargeStateIsSnapshotInChunksAndComesBackWhole() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-snap3-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = MemoryTopicStore()
        let records = (0..<30_000).map { i in
            ProducerRecord(key: Array("key-\(i)".utf8), value: Array(#"{"V":\#(i)}"#.utf8), timestamp: Int64(i))
        }
        do {
            let first = try engine(store, directory)
            _ = try first.execute(
                """
                CREATE STREAM input (k STRING KEY, v INT) WITH (KAFKA_TOPIC='input', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON', PARTITIONS=1);
                CREATE TABLE sums AS SELECT k, SUM(v) AS total FROM input GROUP BY k;
                """)
            _ = try store.append(records, to: TopicPartition("input", 0))
            try first.runUntilIdle()
            first.close()
        }
        let stateRecords = try store.read(TopicPartition("_sluice-CTAS_SUMS_1-state", 0), from: 0, maxRecords: 1000)
        #expect(stateRecords.count > 2, "the snapshot should span several chunks")
        _ = try store.append([ProducerRecord(key: Array("key-7".utf8), value: Array(#"{"V":1000}"#.utf8), timestamp: 40_000)], to: TopicPartition("input", 0))
        let second = try engine(store, directory)
        defer { second.close() }
        #expect(second.inputPositions(ofQuery: "CTAS_SUMS_1")?[TopicPartition("input", 0)] == 30_000)
        try second.runUntilIdle()
        let last = try store.read(TopicPartition("SUMS", 0), from: 30_000, maxRecords: 10)
        #expect(last.map { String(decoding: $0.value!, as: UTF8.self) } == [#"{"TOTAL":1007}"#])
    }
}
