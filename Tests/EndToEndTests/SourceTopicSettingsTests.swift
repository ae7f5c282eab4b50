import Foundation
import Testing

/// The topics the engine creates for streams and tables get ksqlDB's settings: streams delete by
/// `RETENTION_MS`, tables are compacted, windowed tables are both; seen with `sluice topic describe`.
@Suite struct SourceTopicSettingsTests {
    private func configs(_ topic: String, _ data: TemporaryDirectory) throws -> [String: String] {
        let described = try Sluice.run(["topic", "describe", topic, "--data-dir", data.path])
        #expect(described.status == 0, "\(described.stderr)")
        var result: [String: String] = [:]
        for line in described.stdout.split(separator: "\n") {
            let setting = line.replacingOccurrences(of: "Configs        : ", with: "").trimmingCharacters(in: .whitespaces)
            guard let equals = setting.firstIndex(of: "="), !setting.contains(" ") else { continue }
            result[String(setting[..<equals])] = String(setting[setting.index(after: equals)...])
        }
        return result
    }

    @Test func streamsTablesAndWindowedTablesGetKsqlDBsTopicSettings() throws {
        let data = try TemporaryDirectory()
        let file = try data.file(
            "q.sql",
            contents: """
                CREATE STREAM clicks (user VARCHAR KEY, page VARCHAR)
                  WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=1, RETENTION_MS=86400000);
                CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR)
                  WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
                CREATE STREAM copied AS SELECT * FROM clicks EMIT CHANGES;
                CREATE TABLE per_user AS SELECT user, COUNT(*) AS n FROM clicks GROUP BY user EMIT CHANGES;
                CREATE TABLE per_window AS SELECT user, COUNT(*) AS n FROM clicks
                  WINDOW TUMBLING (SIZE 1 MINUTE, RETENTION 2 DAYS) GROUP BY user EMIT CHANGES;
                """)
        let run = try Sluice.run(["run", file.path, "--until-idle", "--data-dir", data.path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")

        let clicks = try configs("clicks", data)
        #expect(clicks["cleanup.policy"] == "delete")
        #expect(clicks["retention.ms"] == "86400000")
        #expect(try configs("users", data)["cleanup.policy"] == "compact")
        // A stream's sink keeps its input's retention; a table's is compacted without any.
        let copied = try configs("COPIED", data)
        #expect(copied["cleanup.policy"] == "delete" && copied["retention.ms"] == "86400000")
        let perUser = try configs("PER_USER", data)
        #expect(perUser["cleanup.policy"] == "compact" && perUser["retention.ms"] == "-1")
        // A windowed table's: both, with the larger of the input's retention and the window's.
        let perWindow = try configs("PER_WINDOW", data)
        #expect(perWindow["cleanup.policy"] == "compact,delete")
        #expect(perWindow["retention.ms"] == "172800000")
    }

    @Test func retentionOnANonWindowedTableIsRefusedAsKsqlDBRefusesIt() throws {
        let data = try TemporaryDirectory()
        let result = try Sluice.run(
            ["shell", "--data-dir", data.path, "-e",
             "CREATE TABLE t (id VARCHAR PRIMARY KEY, v INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1, RETENTION_MS=1000);"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("non-windowed tables do not support retention"), "\(result.stderr)")
        let listed = try Sluice.run(["topic", "list", "--data-dir", data.path])
        #expect(listed.stdout.contains("(no topics)"))
    }

    @Test func aCleanupPolicyInTheWithClauseIsRefused() throws {
        let data = try TemporaryDirectory()
        for statement in [
            "CREATE STREAM s (v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1, CLEANUP_POLICY='compact');",
            "CREATE STREAM s2 WITH (CLEANUP_POLICY='delete') AS SELECT * FROM nowhere;",
        ] {
            let result = try Sluice.run(["shell", "--data-dir", data.path, "-e", statement])
            #expect(result.status != 0)
            #expect(result.stderr.contains("invalid property CLEANUP_POLICY"), "\(result.stderr)")
        }
    }
}
