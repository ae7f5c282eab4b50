import Foundation
import Testing

/// Persistent queries survive a restart: the command log restarts them on the same data directory.
@Suite struct PersistenceTests {
    @Test func persistentQueryRunsAgainAfterRestart() throws {
        let data = try TemporaryDirectory()
        let first = try Sluice.run(
            ["--data-dir", data.path],
            input: """
                CREATE STREAM readings (sensor STRING KEY, value INT)
                  WITH (KAFKA_TOPIC='readings', VALUE_FORMAT='JSON', PARTITIONS=1);
                CREATE STREAM hot AS SELECT * FROM readings WHERE value > 5 EMIT CHANGES;
                INSERT INTO readings (sensor, value) VALUES ('before', 10);
                """)
        #expect(first.status == 0, "\(first.stderr)")

        // A new process on the same directory: the stream and the query are back, and new input
        // flows through the query without creating it again.
        let second = try Sluice.run(
            ["--data-dir", data.path],
            input: """
                SHOW QUERIES;
                INSERT INTO readings (sensor, value) VALUES ('after', 20);
                INSERT INTO readings (sensor, value) VALUES ('cold', 1);
                SELECT * FROM hot EMIT CHANGES;
                """)
        #expect(second.status == 0, "\(second.stderr)")
        let rows = tableRows(second.stdout)
        #expect(rows.contains { row in row.contains { $0.contains("HOT") } })
        let sensors = rows.compactMap { $0.first }.filter { ["before", "after", "cold"].contains($0) }
        #expect(sensors == ["before", "after"], "\(second.stdout)")
    }

    @Test func runKeepsQueriesRunningUntilSignalled() throws {
        let data = try TemporaryDirectory()
        let script = try data.file(
            "setup.sql",
            contents: """
                CREATE STREAM s (id INT KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
                CREATE STREAM doubled AS SELECT id, v * 2 AS v2 FROM s EMIT CHANGES;
                INSERT INTO s (id, v) VALUES (1, 21);
                """)
        let running = try Sluice.start(["run", "--data-dir", data.path + "/d", script.path])
        #expect(running.waitFor { _, err in err.contains("press Ctrl-C to stop") })
        running.signal(SIGTERM)
        let stopped = running.wait()
        #expect(stopped.status == 0, "\(stopped.stderr)")
        #expect(stopped.stderr.contains("stopping"))

        // Whatever the background thread had done before the stop, a run until idle finishes it.
        let check = try Sluice.run(["--data-dir", data.path + "/d"], input: "SELECT * FROM doubled EMIT CHANGES;\n")
        #expect(check.status == 0, "\(check.stderr)")
        #expect(tableRows(check.stdout).contains { $0 == ["1", "42"] }, "\(check.stdout)")
    }
}
