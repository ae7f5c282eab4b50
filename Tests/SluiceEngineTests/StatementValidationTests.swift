import SluiceEngine
import SluiceSQL
import Testing

/// Statements ksqlDB refuses are refused here too, with the error under the part at fault.
@Suite struct StatementValidationTests {
    /// Runs `setup`, then `script`, which must fail: returns the message and the text it points at.
    func rejection(_ script: String, after setup: String = "") throws -> (message: String, at: String) {
        let h = try EngineHarness()
        if !setup.isEmpty { try h.run(setup) }
        do {
            try h.run(script)
        } catch let e as SQLError {
            guard let range = e.diagnostic.range else { return (e.diagnostic.message, "") }
            let bytes = Array(script.utf8)
            return (e.diagnostic.message, String(decoding: bytes[range.start..<range.end], as: UTF8.self))
        }
        Issue.record("'\(script)' should have been rejected")
        return ("", "")
    }

    static let input = "CREATE STREAM input (name STRING, id INT) WITH (KAFKA_TOPIC='input', FORMAT='JSON', PARTITIONS=1);"

    @Test func partitionByAnEmptyListIsRejected() throws {
        let r = try rejection("CREATE STREAM output AS SELECT id, name FROM input PARTITION BY ();", after: Self.input)
        #expect(r.message == "PARTITION BY requires at least one expression")
        #expect(r.at == "PARTITION BY ()")
    }

    @Test func createOrReplaceIsRefusedForASourceTableEvenWhenItIsNew() throws {
        let r = try rejection(
            "CREATE OR REPLACE SOURCE TABLE t (k INT PRIMARY KEY, v STRING) WITH (KAFKA_TOPIC='t', FORMAT='JSON', PARTITIONS=1);")
        #expect(r.message.contains("CREATE OR REPLACE is not supported on SOURCE tables"))
        #expect(r.at == "t")
    }
}

extension StatementValidationTests {
    @Test func groupByWithoutAnAggregateIsRejected() throws {
        let r = try rejection("CREATE TABLE t AS SELECT id, UCASE(name) AS u FROM input GROUP BY id;", after: Self.input)
        #expect(r.message == "GROUP BY requires aggregate functions in either the SELECT or HAVING clause")
    }
}

extension StatementValidationTests {
    @Test func aPersistentQueryOverAWindowedTableIsRejected() throws {
        let r = try rejection(
            "CREATE TABLE out AS SELECT * FROM w;",
            after: "CREATE TABLE w (k STRING PRIMARY KEY, x INT) WITH (KAFKA_TOPIC='w', FORMAT='JSON', WINDOW_TYPE='Session', PARTITIONS=1);")
        #expect(r.message.contains("persistent queries on windowed tables are not supported"))
    }
}

/// ksqlDB's `ksql.new.query.planner.enabled`: streams may drop their key; keys follow the projection.
@Suite struct NewPlannerPropertyTests {
    @Test func aStreamProjectionWithoutItsKeyIsKeyless() throws {
        let h = try EngineHarness(properties: ["ksql.new.query.planner.enabled": "true"])
        try h.run(
            """
            CREATE STREAM s (id INT KEY, name STRING) WITH (KAFKA_TOPIC='s', FORMAT='JSON', PARTITIONS=1);
            INSERT INTO s (id, name) VALUES (8, 'a');
            CREATE STREAM out AS SELECT name FROM s;
            """)
        let records = try h.records("OUT")
        #expect(records.map(\.key) == [nil])
        #expect(try h.valueTexts("OUT") == [#"{"NAME":"a"}"#])
        // Without the property the key must be selected.
        let plain = try EngineHarness()
        try plain.run("CREATE STREAM s (id INT KEY, name STRING) WITH (KAFKA_TOPIC='s', FORMAT='JSON', PARTITIONS=1);")
        #expect(throws: SQLError.self) { try plain.run("CREATE STREAM out AS SELECT name FROM s;") }
    }

    @Test func keyColumnsFollowTheProjectionOrder() throws {
        let h = try EngineHarness(properties: ["ksql.new.query.planner.enabled": "true"])
        try h.run(
            """
            CREATE STREAM s (id INT KEY, age INT KEY, name STRING) WITH (KAFKA_TOPIC='s', FORMAT='JSON', PARTITIONS=1);
            INSERT INTO s (id, age, name) VALUES (1, 20, 'a');
            CREATE STREAM out AS SELECT age, id, name FROM s;
            """)
        #expect(try h.records("OUT").map { String(decoding: $0.key!, as: UTF8.self) } == [#"{"AGE":20,"ID":1}"#])
    }
}
