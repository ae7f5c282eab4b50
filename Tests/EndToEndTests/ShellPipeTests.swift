import Foundation
import Testing

/// The shell reading a script from a pipe: results only, statements run to completion in order,
/// push queries end once caught up, errors reported and skipped.
@Suite struct ShellPipeTests {
    static let script = """
        CREATE STREAM readings (sensor STRING KEY, value INT)
          WITH (KAFKA_TOPIC='readings', VALUE_FORMAT='JSON', PARTITIONS=1);
        INSERT INTO readings (sensor, value) VALUES ('s1', 9);
        INSERT INTO readings (sensor, value) VALUES ('s2', 3); INSERT INTO readings (sensor, value) VALUES ('s3', 12);
        -- a comment with a ; in it
        CREATE STREAM hot AS
          SELECT * FROM readings
          WHERE value > 5
          EMIT CHANGES;
        SELECT * FROM hot EMIT CHANGES LIMIT 2;
        SHOW STREAMS;
        DESCRIBE hot;
        SHOW TOPICS;
        SHOW QUERIES;
        """

    @Test func runsAScriptFromAPipe() throws {
        let data = try TemporaryDirectory()
        let result = try Sluice.run(["--data-dir", data.path], input: Self.script)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty)
        // No prompt or banner on a pipe.
        #expect(!result.stdout.contains("sluice>"))

        let rows = tableRows(result.stdout)
        // The push query: a header, then the two hot readings in order.
        let header = try #require(rows.firstIndex { $0.contains("SENSOR") && $0.contains("VALUE") })
        #expect(Array(rows[header + 1].prefix(2)) == ["s1", "9"])
        #expect(Array(rows[header + 2].prefix(2)) == ["s3", "12"])
        // SHOW STREAMS lists both streams with their topics.
        #expect(rows.contains { $0.first == "HOT" })
        #expect(rows.contains { $0.first == "READINGS" && $0.contains("readings") })
        // DESCRIBE shows the columns.
        #expect(rows.contains { $0.first == "SENSOR" && $0.joined().contains("STRING") })
        #expect(rows.contains { $0.first == "VALUE" && $0.joined().contains("INT") })
        // SHOW TOPICS and SHOW QUERIES.
        #expect(rows.contains { $0.first == "readings" })
        #expect(rows.contains { row in row.contains { $0.contains("HOT") } && row.joined().uppercased().contains("RUNNING") })
    }

    @Test func pushQueryWithoutLimitEndsOnceCaughtUp() throws {
        let data = try TemporaryDirectory()
        let result = try Sluice.run(
            ["--data-dir", data.path],
            input: """
                CREATE STREAM s (id INT KEY, name STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
                INSERT INTO s (id, name) VALUES (1, 'one');
                INSERT INTO s (id, name) VALUES (2, 'two');
                SELECT name FROM s EMIT CHANGES;
                SHOW STREAMS;
                """)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let rows = tableRows(result.stdout)
        let header = try #require(rows.firstIndex(of: ["NAME"]))
        #expect(rows[header + 1] == ["one"])
        #expect(rows[header + 2] == ["two"])
        // The statement after the push query still ran.
        #expect(rows.contains { $0.first == "S" })
    }

    @Test func errorsAreReportedAndTheShellGoesOn() throws {
        let data = try TemporaryDirectory()
        let result = try Sluice.run(
            ["--data-dir", data.path],
            input: """
                CREATE STREAM s (id INT KEY, name STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
                SELECT nmae FROM s EMIT CHANGES;
                SELEKT * FROM s;
                SHOW STREAMS;
                """)
        // Failed statements make the exit status 1 on a pipe.
        #expect(result.status == 1)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors.count == 2, "\(result.stderr)")
        #expect(result.stderr.contains("nmae"))
        #expect(result.stderr.contains("^"))
        // The last statement ran.
        #expect(tableRows(result.stdout).contains { $0.first == "S" })
    }

    @Test func dropAndTerminate() throws {
        let data = try TemporaryDirectory()
        let setup = try Sluice.run(
            ["--data-dir", data.path],
            input: """
                CREATE STREAM s (id INT KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
                CREATE STREAM big AS SELECT * FROM s WHERE v > 10 EMIT CHANGES;
                SHOW QUERIES;
                """)
        #expect(setup.status == 0, "stderr: \(setup.stderr)")
        // The query id is whatever SHOW QUERIES lists for BIG.
        let queryRow = try #require(tableRows(setup.stdout).first { row in row.contains { $0.contains("BIG") } && row.first != "Query ID" })
        let queryID = try #require(queryRow.first)

        let teardown = try Sluice.run(
            ["--data-dir", data.path],
            input: """
                TERMINATE \(queryID);
                SHOW QUERIES;
                DROP STREAM big;
                DROP STREAM big;
                SHOW STREAMS;
                """)
        // The second DROP fails: BIG is gone.
        #expect(teardown.status == 1)
        let errors = teardown.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors.count == 1, "\(teardown.stderr)")
        #expect(errors.first?.contains("BIG") == true)
        let rows = tableRows(teardown.stdout)
        #expect(!rows.contains { $0.first == queryID })
        #expect(!rows.contains { $0.first == "BIG" })
        #expect(rows.contains { $0.first == "S" })
    }

    @Test func printShowsTheRecordsOfATopic() throws {
        let data = try TemporaryDirectory()
        let result = try Sluice.run(
            ["--data-dir", data.path],
            input: """
                CREATE STREAM s (id STRING KEY, v INT) WITH (KAFKA_TOPIC='events', VALUE_FORMAT='JSON', PARTITIONS=1);
                INSERT INTO s (id, v) VALUES ('k1', 1);
                INSERT INTO s (id, v) VALUES ('k2', 2);
                PRINT 'events' FROM BEGINNING LIMIT 2;
                """)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.contains { $0.contains("k1") && $0.contains("\"V\":1") })
        #expect(lines.contains { $0.contains("k2") && $0.contains("\"V\":2") })
    }

    @Test func shellCommandsAndUnfinishedLastStatement() throws {
        let data = try TemporaryDirectory()
        let help = try Sluice.run(["--data-dir", data.path], input: "help\nSHOW STREAMS;\nexit\nSHOW TOPICS;\n")
        #expect(help.status == 0)
        #expect(help.stdout.contains("Statements end with ';'"))
        // 'exit' stops before SHOW TOPICS; SHOW STREAMS ran.
        #expect(tableRows(help.stdout).contains { $0.contains("Stream Name") || $0.contains("Name") })
        #expect(!tableRows(help.stdout).contains { $0.contains("Kafka Topic") && $0.contains("Partitions") })

        // A last statement without ';' still runs when the input ends.
        let unfinished = try Sluice.run(["--data-dir", data.path], input: "SHOW STREAMS")
        #expect(unfinished.status == 0)
        #expect(!tableRows(unfinished.stdout).isEmpty)
    }
}
