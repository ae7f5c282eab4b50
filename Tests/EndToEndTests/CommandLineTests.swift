import Foundation
import Testing

/// The command line itself: help, version, and how mistakes are reported.
@Suite struct CommandLineTests {
    @Test func topLevelHelpListsEveryCommand() throws {
        let result = try Sluice.run(["--help"])
        #expect(result.status == 0)
        for command in ["shell", "run", "produce", "consume", "topic", "fmt", "test"] {
            #expect(result.stdout.contains("\n  \(command) "), "help lacks '\(command)'")
        }
        #expect(result.stdout.contains("--data-dir"))
    }

    @Test(arguments: ["shell", "run", "produce", "consume", "topic", "fmt", "test"])
    func everyCommandHasHelp(command: String) throws {
        let result = try Sluice.run([command, "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.lowercased().contains("usage:"))
        #expect(result.stdout.contains("sluice \(command)") || command == "shell")
        #expect(result.stderr.isEmpty)
    }

    @Test func versionIsPrinted() throws {
        let result = try Sluice.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("sluice "))
        #expect(result.stdout.split(separator: " ").last?.first?.isNumber == true)
    }

    @Test func unknownOptionIsAUsageError() throws {
        let data = try TemporaryDirectory()
        let result = try Sluice.run(["consume", "t", "--from-begining", "--data-dir", data.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown option '--from-begining'"))
        #expect(result.stderr.contains("did you mean '--from-beginning'?"))
        #expect(result.stdout.isEmpty)
    }

    @Test func unknownCommandIsAUsageError() throws {
        let result = try Sluice.run(["prodcue", "t"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown command 'prodcue'; did you mean 'produce'?"))
    }

    @Test func missingArgumentIsAUsageError() throws {
        let data = try TemporaryDirectory()
        let produce = try Sluice.run(["produce", "--data-dir", data.path])
        #expect(produce.status == 2)
        #expect(produce.stderr.contains("missing the topic"))

        let badNumber = try Sluice.run(["consume", "t", "--max", "lots", "--data-dir", data.path])
        #expect(badNumber.status == 2)
        #expect(badNumber.stderr.contains("'--max' expects a whole number"))

        let missingValue = try Sluice.run(["run", "x.sql", "--data-dir"])
        #expect(missingValue.status == 2)
        #expect(missingValue.stderr.contains("'--data-dir' needs a value"))
    }

    @Test func missingFileFailsWithoutUsageError() throws {
        let data = try TemporaryDirectory()
        let result = try Sluice.run(["run", "--until-idle", "--data-dir", data.path, data.url.appendingPathComponent("nope.sql").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no such file"))
    }

    @Test func aSecondEngineOnTheSameDataDirectoryIsRefusedButTopicToolsWorkBesideIt() throws {
        let data = try TemporaryDirectory()
        let script = try data.file(
            "hot.sql",
            contents: """
                CREATE STREAM readings (sensor STRING KEY, v INT)
                  WITH (KAFKA_TOPIC='readings', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON', PARTITIONS=1);
                CREATE STREAM hot AS SELECT sensor, v FROM readings WHERE v > 5;
                """)
        let directory = data.path + "/d"
        let first = try Sluice.start(["run", "--data-dir", directory, script.path])
        #expect(first.waitFor { _, err in err.contains("press Ctrl-C to stop") })

        // Another engine (a shell, another run) is refused, naming the holder.
        let second = try Sluice.run(["--data-dir", directory], input: "SHOW STREAMS;\n")
        #expect(second.status == 1)
        #expect(second.stderr.contains("in use by another sluice process (pid"))

        // The topic tools are not: feed the running query from here and read what it wrote.
        let produced = try Sluice.run(
            ["produce", "readings", "-k", "|", "--data-dir", directory], input: "s1|{\"v\":9}\ns2|{\"v\":1}\ns3|{\"v\":7}\n")
        #expect(produced.status == 0, "\(produced.stderr)")
        var lines: [String] = []
        for _ in 0..<100 where lines.count < 2 {
            let consumed = try Sluice.run(["consume", "HOT", "--from-beginning", "--decode", "--data-dir", directory])
            lines = consumed.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("rowtime:") }
            if lines.count < 2 { usleep(50_000) }
        }
        #expect(lines.count == 2)
        #expect(lines.first?.contains("key: s1, value: {\"V\":9}") == true, "\(lines)")
        #expect(try Sluice.run(["topic", "list", "--data-dir", directory]).status == 0)

        first.signal(SIGINT)
        #expect(first.wait().status == 0)
        // Once the first is gone another engine opens the directory.
        let third = try Sluice.run(["--data-dir", directory], input: "SHOW STREAMS;\n")
        #expect(third.status == 0, "\(third.stderr)")
    }

    @Test func dashEAndDashFRunStatementsAndExitWithTheirStatus() throws {
        let data = try TemporaryDirectory()
        let created = try Sluice.run([
            "-e", "CREATE STREAM s (v INT) WITH (KAFKA_TOPIC='s', FORMAT='JSON', PARTITIONS=1); INSERT INTO s (v) VALUES (4);",
            "--data-dir", data.path,
        ])
        #expect(created.status == 0, "\(created.stderr)")
        let script = try data.file("q.sql", contents: "SELECT * FROM s EMIT CHANGES;\n")
        let selected = try Sluice.run(["-f", script.path, "--data-dir", data.path])
        #expect(selected.status == 0)
        #expect(tableRows(selected.stdout).contains(["4"]), "\(selected.stdout)")
        let failed = try Sluice.run(["-e", "SELECT nope FROM s;", "--data-dir", data.path])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("-e:1:8: unknown column 'NOPE'"))
    }

    @Test func explainShowsTheRuntimePictureAndPropertiesReachQueries() throws {
        let data = try TemporaryDirectory()
        let result = try Sluice.run([
            "-p", "processing.guarantee=exactly_once", "-p", "sluice.dead.letter.topic=rejects", "-e",
            """
            CREATE STREAM s (id INT KEY, v INT) WITH (KAFKA_TOPIC='s', FORMAT='JSON', PARTITIONS=1);
            INSERT INTO s (id, v) VALUES (1, 2);
            CREATE STREAM doubled AS SELECT id, v * 2 AS v2 FROM s;
            EXPLAIN CSAS_DOUBLED_1;
            """,
            "--data-dir", data.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Processing guarantee : exactly_once"), "\(result.stdout)")
        #expect(result.stdout.contains("Records dropped      : none"))
        #expect(result.stdout.contains("Tasks:"))
        // The dead-letter topic exists, ready for the records a query drops.
        let topics = try Sluice.run(["topic", "list", "--data-dir", data.path])
        #expect(topics.stdout.contains("rejects"), "\(topics.stdout)")
    }
}
