import SluiceEngine
import SluiceLog
import SluiceSQL
import Testing

/// EXPLAIN shows why a query emits what it does: its guarantee, drops by reason, and per task the
/// input position and lag, stream time, records in and out, and open windows.
@Suite struct RuntimeVisibilityTests {
    func footer(_ result: [StatementResult]) -> [String] {
        guard case .table(let t)? = result.last else { return [] }
        return t.footer
    }

    @Test func explainShowsGuaranteeDropsAndPerTaskProgress() throws {
        let h = try EngineHarness()
        try h.run(
            """
            CREATE STREAM a (k INT KEY, v INT) WITH (KAFKA_TOPIC='a', FORMAT='JSON', PARTITIONS=1);
            INSERT INTO a (k, v, ROWTIME) VALUES (1, 2, 100000);
            INSERT INTO a (k, v, ROWTIME) VALUES (1, 5, 200000);
            INSERT INTO a (k, v, ROWTIME) VALUES (1, 7, 1000);
            SET 'processing.guarantee'='exactly_once';
            CREATE TABLE t AS SELECT k, COUNT(*) AS n FROM a WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 10 SECONDS) GROUP BY k;
            """)
        let lines = footer(try h.engine.execute("EXPLAIN CTAS_T_1;"))
        #expect(lines.contains("Processing guarantee : exactly_once"))
        #expect(lines.contains("Records dropped      : late 1"))
        let task = try #require(lines.first { $0.hasPrefix("0 ") })
        // input a-0 at offset 3 with no lag, stream time 200000, 3 in, 2 out, one window open
        // (the one starting at 180000), closing at stream time 250000.
        #expect(task.split(separator: " ", omittingEmptySubsequences: true) == ["0", "a-0", "3", "0", "200000", "3", "2", "1", "250000", "0"])
        let described = footer(try h.engine.execute("DESCRIBE t EXTENDED;"))
        #expect(described.contains("Query CTAS_T_1:"))
    }

    @Test func anUnknownProcessingGuaranteeIsRejected() throws {
        let h = try EngineHarness(properties: ["processing.guarantee": "sometimes"])
        try h.run("CREATE STREAM a (v INT) WITH (KAFKA_TOPIC='a', FORMAT='JSON', PARTITIONS=1);")
        #expect(throws: SQLError.self) { try h.run("CREATE STREAM b AS SELECT * FROM a;") }
    }
}

extension RuntimeVisibilityTests {
    @Test func droppedRecordsGoToTheDeadLetterTopicWithTheirReason() throws {
        let h = try EngineHarness(properties: ["sluice.dead.letter.topic": "rejects"])
        try h.run(
            """
            CREATE STREAM a (k STRING KEY, v INT) WITH (KAFKA_TOPIC='a', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON', PARTITIONS=1);
            CREATE TABLE t AS SELECT k, COUNT(*) AS n FROM a WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 0 SECONDS) GROUP BY k;
            """)
        _ = try h.store.append(
            [
                ProducerRecord(key: Array("x".utf8), value: Array(#"{"V":1}"#.utf8), timestamp: 120_000),
                ProducerRecord(key: Array("x".utf8), value: Array(#"{"V":"not a number"}"#.utf8), timestamp: 120_001),
                ProducerRecord(key: Array("x".utf8), value: Array(#"{"V":3}"#.utf8), timestamp: 1_000),
            ], to: TopicPartition("a", 0))
        try h.engine.runUntilIdle()
        let rejects = try h.records("rejects")
        #expect(rejects.map(\.timestamp) == [120_001, 1_000])
        let reasons = rejects.map { r in String(decoding: r.headers.first { $0.key == "sluice.error" }?.value ?? [], as: UTF8.self) }
        #expect(reasons[0].hasPrefix("cannot decode value"))
        #expect(reasons[1].contains("too late"))
        #expect(rejects.first?.headers.contains { $0.key == "sluice.source" && $0.value == Array("a/0/1".utf8) } == true)
        #expect(try h.records("T").count == 1)
    }
}

/// The bounds on what a query holds in memory.
@Suite struct MemoryBoundTests {
    func load(_ h: EngineHarness, keys: Int) throws {
        let records = (0..<keys).map { i in
            ProducerRecord(key: Array("k\(i)".utf8), value: Array(#"{"V":\#(i)}"#.utf8), timestamp: Int64(i))
        }
        try h.store.createTopic("a", config: TopicConfig(partitions: 1))
        _ = try h.store.append(records, to: TopicPartition("a", 0))
    }

    static let setup = """
        CREATE STREAM a (k STRING KEY, v INT) WITH (KAFKA_TOPIC='a', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');
        CREATE TABLE t AS SELECT k, COUNT(*) AS n FROM a GROUP BY k;
        """

    @Test func aBacklogIsReadInBoundedSteps() throws {
        let h = try EngineHarness(properties: ["sluice.max.poll.records": "100"])
        try load(h, keys: 1000)
        _ = try h.engine.execute(Self.setup)
        #expect(h.engine.step())
        #expect(h.engine.inputPositions(ofQuery: "CTAS_T_1")?[TopicPartition("a", 0)] == 100)
    }

    @Test func aStateOverTheCeilingStopsTheQueryWithAClearError() throws {
        let h = try EngineHarness(properties: ["sluice.state.max.bytes": "2000", "sluice.state.snapshot.records": "100"])
        try load(h, keys: 1000)
        // Running the query to idle reports its failure.
        do {
            try h.run(Self.setup)
            Issue.record("the query should have failed")
        } catch {
            #expect("\(error)".contains("query CTAS_T_1 failed"))
        }
        guard case .table(let queries)? = try h.engine.execute("SHOW QUERIES;").last else {
            Issue.record("SHOW QUERIES gave no table")
            return
        }
        #expect(queries.rows.contains { $0.contains("ERROR") }, "\(queries.rows)")
        guard case .table(let plan)? = try h.engine.execute("EXPLAIN CTAS_T_1;").last else { return }
        #expect(plan.rows.contains { $0.joined().contains("past sluice.state.max.bytes") }, "\(plan.rows)")
        // Nothing past the last commit was consumed: the records stay in the log.
        #expect((h.engine.inputPositions(ofQuery: "CTAS_T_1")?[TopicPartition("a", 0)] ?? 0) < 1000)
    }
}

extension MemoryBoundTests {
    @Test func anUnreadableTimestampStopsTheQueryWhenAskedTo() throws {
        let h = try EngineHarness(properties: ["ksql.timestamp.throw.on.invalid": "true"])
        try h.store.createTopic("e", config: TopicConfig(partitions: 1))
        _ = try h.store.append(
            [
                ProducerRecord(key: nil, value: Array(#"{"ID":1,"TS":"2020-01-01 00:00:00Z"}"#.utf8), timestamp: 0),
                ProducerRecord(key: nil, value: Array(#"{"ID":2,"TS":"!!!"}"#.utf8), timestamp: 0),
            ], to: TopicPartition("e", 0))
        try h.run(
            "CREATE STREAM e (id BIGINT, ts STRING) WITH (KAFKA_TOPIC='e', FORMAT='JSON', TIMESTAMP='ts', TIMESTAMP_FORMAT='yyyy-MM-dd HH:mm:ssX');")
        #expect(throws: Diagnostic.self) { try h.run("CREATE STREAM out AS SELECT id FROM e;") }
        // The bad record and what follows it stay uncommitted.
        #expect((h.engine.inputPositions(ofQuery: "CSAS_OUT_1")?[TopicPartition("e", 0)] ?? 99) <= 1)
    }
}
