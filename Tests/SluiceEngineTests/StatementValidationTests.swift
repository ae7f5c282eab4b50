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
