import SluiceEngine
import SluiceLog
import SluiceSQL
import SluiceTypes
import Testing

@Suite("Walking skeleton through the engine")
struct WalkingSkeletonTests {
    static let readings = """
        CREATE STREAM readings (sensor STRING KEY, value INT)
          WITH (kafka_topic='readings', value_format='JSON', partitions=1);
        """

    static func inserts(_ values: [Int]) -> String {
        values.enumerated().map { i, v in
            "INSERT INTO readings (sensor, value, ROWTIME) VALUES ('s1', \(v), \(i * 1000));"
        }.joined(separator: "\n")
    }

    @Test func filterWritesOnlyMatchingRows() throws {
        let h = try EngineHarness()
        try h.run(Self.readings + Self.inserts([9, 2, 7]))
        try h.run("CREATE STREAM hot AS SELECT sensor, value FROM readings WHERE value > 5 EMIT CHANGES;")
        #expect(try h.valueTexts("HOT") == [#"{"VALUE":9}"#, #"{"VALUE":7}"#])
        let keys = try h.records("HOT").map { $0.key.map { String(decoding: $0, as: UTF8.self) } }
        #expect(keys == ["s1", "s1"])
    }

    @Test func tumblingWindowSumsMatchTheTour() throws {
        let h = try EngineHarness()
        try h.run(Self.readings + Self.inserts([9, 6, 8, 4, 7, 3, 8, 4, 2, 1, 3, 2]))
        try h.run(
            """
            CREATE TABLE sums AS SELECT sensor, SUM(value) AS total FROM readings
              WINDOW TUMBLING (SIZE 4 SECONDS) GROUP BY sensor EMIT CHANGES;
            """)
        let records = try h.records("SUMS")
        #expect(records.count == 12)
        // The last update of each window holds its final sum.
        var finals: [Int64: String] = [:]
        for r in records {
            let key = r.key!
            var start: Int64 = 0
            for b in key.suffix(8) { start = start << 8 | Int64(b) }
            finals[start] = String(decoding: r.value!, as: UTF8.self)
        }
        #expect(finals == [0: #"{"TOTAL":27}"#, 4000: #"{"TOTAL":22}"#, 8000: #"{"TOTAL":8}"#])
    }

    @Test func emitFinalWritesOneRowPerClosedWindow() throws {
        let h = try EngineHarness()
        try h.run(Self.readings + Self.inserts([9, 6, 8, 4, 7, 3, 8, 4, 2, 1, 3, 2]))
        try h.run(
            """
            CREATE TABLE sums AS SELECT sensor, SUM(value) AS total FROM readings
              WINDOW TUMBLING (SIZE 4 SECONDS, GRACE PERIOD 0 SECONDS) GROUP BY sensor EMIT FINAL;
            """)
        // Stream time reaches 11 s: the windows ending at 4 s and 8 s are closed, 12 s is not.
        #expect(try h.valueTexts("SUMS") == [#"{"TOTAL":27}"#, #"{"TOTAL":22}"#])
    }

    @Test func unknownColumnPointsAtTheName() throws {
        let h = try EngineHarness()
        try h.run(Self.readings)
        let script = "CREATE STREAM bad AS SELECT sensor, valeu FROM readings;"
        do {
            try h.run(script)
            Issue.record("the statement should have been rejected")
        } catch let e as SQLError {
            #expect(e.diagnostic.message.contains("unknown column 'VALEU'"))
            #expect(e.diagnostic.help == "did you mean 'VALUE'?")
            let range = try #require(e.diagnostic.range)
            let start = script.utf8.index(script.utf8.startIndex, offsetBy: range.start)
            let end = script.utf8.index(script.utf8.startIndex, offsetBy: range.end)
            #expect(String(script[start..<end]) == "valeu")
        }
    }

    @Test func showAndDescribeListTheCatalog() throws {
        let h = try EngineHarness()
        try h.run(Self.readings + "CREATE STREAM hot AS SELECT sensor, value FROM readings WHERE value > 5;")
        guard case .table(let streams) = try h.engine.execute("SHOW STREAMS;")[0] else {
            Issue.record("SHOW STREAMS should give a table")
            return
        }
        #expect(streams.rows.map { $0[0] } == ["HOT", "READINGS"])
        guard case .table(let described) = try h.engine.execute("DESCRIBE hot;")[0] else {
            Issue.record("DESCRIBE should give a table")
            return
        }
        #expect(described.rows == [["SENSOR", "VARCHAR(STRING)  (key)"], ["VALUE", "INTEGER"]])
        guard case .table(let queries) = try h.engine.execute("SHOW QUERIES;")[0] else { return }
        #expect(queries.rows.map { $0[0] } == ["CSAS_HOT_1"])
        try h.run("TERMINATE CSAS_HOT_1; DROP STREAM hot;")
        #expect(h.engine.sourceNames == ["READINGS"])
    }

    @Test func pushQueryStopsAtItsLimit() throws {
        let h = try EngineHarness()
        try h.run(Self.readings + Self.inserts([9, 6, 8, 4, 7]))
        guard case .stream(let handle) = try h.engine.execute("SELECT * FROM readings EMIT CHANGES LIMIT 3;")[0] else {
            Issue.record("a push query should stream")
            return
        }
        try h.engine.runUntilIdle()
        var rows: [[String]] = []
        loop: while true {
            switch handle.next(timeout: 0) {
            case .row(let r): rows.append(r)
            case .end, .waiting: break loop
            }
        }
        #expect(handle.headers == ["SENSOR", "VALUE"])
        #expect(rows == [["s1", "9"], ["s1", "6"], ["s1", "8"]])
    }

    @Test func groupByOnAMultiPartitionSourceRepartitions() throws {
        let h = try EngineHarness()
        try h.run(
            """
            CREATE STREAM clicks (user STRING KEY, page STRING) WITH (kafka_topic='clicks', value_format='JSON', partitions=4);
            INSERT INTO clicks (user, page) VALUES ('u1', 'home');
            INSERT INTO clicks (user, page) VALUES ('u2', 'home');
            INSERT INTO clicks (user, page) VALUES ('u3', 'cart');
            INSERT INTO clicks (user, page) VALUES ('u4', 'home');
            CREATE TABLE views AS SELECT page, COUNT(*) AS n FROM clicks GROUP BY page;
            """)
        var latest: [String: String] = [:]
        for r in try h.records("VIEWS") {
            latest[String(decoding: r.key!, as: UTF8.self)] = String(decoding: r.value!, as: UTF8.self)
        }
        #expect(latest == ["home": #"{"N":3}"#, "cart": #"{"N":1}"#])
    }
}
