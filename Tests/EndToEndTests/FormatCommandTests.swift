import Foundation
import Testing

/// `sluice fmt`: canonical statements on stdout, one diagnostic per bad statement on stderr.
@Suite struct FormatCommandTests {
    @Test func formatsEveryStatementAndIsStable() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.file(
            "good.sql",
            contents: """
                create stream readings (sensor varchar key, value int)
                   with (kafka_topic='readings', value_format='json', partitions=1);
                -- a comment; with a semicolon
                select   sensor, value from readings where value > 5 emit changes limit 3;
                insert into readings (sensor, value) values ('a;b', 1);
                """)
        let first = try Sluice.run(["fmt", file.path])
        #expect(first.status == 0)
        #expect(first.stderr.isEmpty)
        let statements = first.stdout.components(separatedBy: ";\n").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        #expect(statements.count == 3, "\(first.stdout)")
        #expect(first.stdout.contains("CREATE STREAM"))
        #expect(first.stdout.contains("'a;b'"))
        #expect(!first.stdout.contains("a comment"))

        // Formatting the output again changes nothing.
        let again = try dir.file("formatted.sql", contents: first.stdout)
        let second = try Sluice.run(["fmt", again.path])
        #expect(second.status == 0)
        #expect(second.stdout == first.stdout)
    }

    @Test func reportsBadStatementsWithCaretAndGoesOn() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.file(
            "bad.sql",
            contents: """
                SHOW STREAMS;

                SELECT * FROM readings WHERE EMIT CHANGES;
                SHOW TABLES;
                CREATE STREAM (x INT);
                """)
        let result = try Sluice.run(["fmt", file.path])
        #expect(result.status == 1)
        // The good statements are still formatted.
        #expect(result.stdout.contains("SHOW STREAMS;"))
        #expect(result.stdout.contains("SHOW TABLES;"))
        #expect(!result.stdout.contains("SELECT"))
        // Each bad statement: one error line with file:line:column, the source line, a caret line.
        let errorLines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errorLines.count == 2, "\(result.stderr)")
        #expect(errorLines.first?.hasPrefix("error: \(file.path):3:") == true, "\(result.stderr)")
        #expect(errorLines.last?.hasPrefix("error: \(file.path):5:") == true, "\(result.stderr)")
        #expect(result.stderr.contains("3 | SELECT * FROM readings WHERE EMIT CHANGES;"))
        let caretLines = result.stderr.split(separator: "\n").filter { $0.contains("^") && $0.contains("|") }
        #expect(caretLines.count == 2)
    }

    @Test func readsStandardInputAndFailsOnMissingFiles() throws {
        let fromStdin = try Sluice.run(["fmt", "-"], input: "show   topics;")
        #expect(fromStdin.status == 0)
        #expect(fromStdin.stdout.contains("SHOW TOPICS;"))

        let missing = try Sluice.run(["fmt", "/nonexistent/x.sql"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no such file"))
    }
}
