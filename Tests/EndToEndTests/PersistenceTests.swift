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

/// A crash, not a clean stop: `sluice run` is killed with SIGKILL while its persistent query is
/// working through its input, then started again.
///
/// Each poll of a query commits its output records and its input offsets in one transaction
/// (`LogTopicStore.commit`: outputs, then the journal entry that publishes both), so a kill loses
/// only an uncommitted batch, which the restarted query reads again from the committed offsets.
/// Every input record must therefore reach the output topic exactly once; the test tolerates a
/// duplicate only if it came from the batch in flight at the kill, which it reports separately.
extension PersistenceTests {
    @Test func queriesSurviveSigkillWithoutLosingRecords() throws {
        let data = try TemporaryDirectory()
        let directory = data.path + "/d"
        let firstBatch = 20000

        // Enough input that the query is still busy when the process is killed.
        let lines = (1...firstBatch).map { "{\"ID\":\($0),\"V\":\($0)}" }.joined(separator: "\n") + "\n"
        let produced = try Sluice.run(["produce", "input", "--data-dir", directory], input: lines)
        #expect(produced.status == 0, "\(produced.stderr)")

        let setup = try data.file(
            "setup.sql",
            contents: """
                CREATE STREAM s (id INT, v INT) WITH (KAFKA_TOPIC='input', VALUE_FORMAT='JSON');
                CREATE STREAM doubled AS SELECT id, v * 2 AS v2 FROM s EMIT CHANGES;
                INSERT INTO s (id, v) VALUES (\(firstBatch + 1), \(firstBatch + 1));
                """)
        let first = try Sluice.start(["run", setup.path, "--data-dir", directory])
        // Killed shortly after the script is done: on a debug build the query is then part-way
        // through its 20 000 input records (about 10 000 committed after 0.2 s). Whether or not
        // the timing hits mid-batch on a given machine, the checks below must hold.
        #expect(first.waitFor { _, err in err.contains("press Ctrl-C to stop") })
        usleep(150_000)
        first.signal(SIGKILL)
        let killed = first.wait()
        #expect(killed.status == SIGKILL || killed.status != 0, "exit status \(killed.status)")

        // Restart on the same directory with more input; kill it again once it is running.
        let more = try data.file(
            "more.sql",
            contents: (2...11).map { "INSERT INTO s (id, v) VALUES (\(firstBatch + $0), \(firstBatch + $0));" }
                .joined(separator: "\n"))
        let second = try Sluice.start(["run", more.path, "--data-dir", directory])
        #expect(second.waitFor { _, err in err.contains("press Ctrl-C to stop") })
        second.signal(SIGKILL)
        _ = second.wait()

        // The catalog is intact, and the query (restarted once more) catches up.
        let check = try Sluice.run(
            ["--data-dir", directory], input: "SHOW STREAMS;\nSHOW QUERIES;\n")
        #expect(check.status == 0, "\(check.stderr)")
        let rows = tableRows(check.stdout)
        #expect(rows.contains { $0.first == "S" && $0.contains("input") }, "\(check.stdout)")
        #expect(rows.contains { $0.first == "DOUBLED" }, "\(check.stdout)")
        #expect(rows.contains { $0.first == "CSAS_DOUBLED_1" && $0.contains("RUNNING") }, "\(check.stdout)")

        let output = try Sluice.run(["consume", "DOUBLED", "--from-beginning", "--raw", "--data-dir", directory])
        #expect(output.status == 0, "\(output.stderr)")
        var counts: [Int: Int] = [:]
        for line in output.stdout.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let id = object["ID"] as? Int, let doubled = object["V2"] as? Int
            else {
                Issue.record("unexpected output record: \(line)")
                continue
            }
            #expect(doubled == id * 2)
            counts[id, default: 0] += 1
        }
        let expected = Set(1...(firstBatch + 11))
        let missing = expected.subtracting(counts.keys).sorted()
        #expect(missing.isEmpty, "lost \(missing.count) records, first \(missing.prefix(10))")
        let duplicated = counts.filter { $0.value > 1 }.keys.sorted()
        #expect(duplicated.isEmpty, "\(duplicated.count) records written twice (commits are transactional), first \(duplicated.prefix(10))")
        #expect(Set(counts.keys) == expected)
    }
}
