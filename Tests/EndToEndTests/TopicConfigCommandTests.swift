import Foundation
import Testing

/// `sluice topic create --config`, `topic alter` and the configs `topic describe` prints.
@Suite struct TopicConfigCommandTests {
    /// The segment files of partition 0, oldest first.
    private func segments(_ data: TemporaryDirectory, _ topic: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: data.path + "/topics/\(topic)/0")
            .filter { $0.hasSuffix(".log") }.sorted()
    }

    @Test func createTakesKafkaConfigsAndDescribeShowsThem() throws {
        let data = try TemporaryDirectory()
        let created = try Sluice.run([
            "topic", "create", "events", "--partitions", "2", "--config", "retention.ms=3600000",
            "--config", "segment.bytes=4096", "--config", "message.timestamp.type=LogAppendTime", "--data-dir", data.path,
        ])
        #expect(created.status == 0, "\(created.stderr)")
        let described = try Sluice.run(["topic", "describe", "events", "--data-dir", data.path])
        #expect(described.status == 0, "\(described.stderr)")
        for setting in [
            "cleanup.policy=delete", "retention.ms=3600000", "retention.bytes=-1", "segment.bytes=4096",
            "segment.ms=604800000", "delete.retention.ms=86400000", "message.timestamp.type=LogAppendTime",
        ] {
            #expect(described.stdout.contains(setting + "\n"), "\(setting) in \(described.stdout)")
        }
        #expect(described.stdout.contains("Retention      : 3600000 ms"))
    }

    @Test func alterChangesConfigsThatLaterAppendsFollow() throws {
        let data = try TemporaryDirectory()
        #expect(try Sluice.run(["topic", "create", "t", "--data-dir", data.path]).status == 0)
        let first = try Sluice.run(["produce", "t", "--data-dir", data.path], input: "one\ntwo\nthree\n")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try segments(data, "t").count == 1)

        let altered = try Sluice.run(
            ["topic", "alter", "t", "--config", "segment.bytes=100", "--config", "cleanup.policy=compact", "--data-dir", data.path])
        #expect(altered.status == 0, "\(altered.stderr)")
        #expect(altered.stdout == "Altered topic 't': cleanup.policy=compact, segment.bytes=100.\n")
        // Each `produce` below is one append of one batch, bigger than 100 bytes: each rolls.
        for round in 0..<2 {
            let more = try Sluice.run(["produce", "t", "--data-dir", data.path], input: "four \(round)\nfive\nsix\n")
            #expect(more.status == 0, "\(more.stderr)")
        }
        #expect(try segments(data, "t").count == 3)
        let described = try Sluice.run(["topic", "describe", "t", "--data-dir", data.path])
        #expect(described.stdout.contains("segment.bytes=100"))
        #expect(described.stdout.contains("Cleanup policy : compact"))

        let unchanged = try Sluice.run(["topic", "alter", "t", "--config", "segment.bytes=100", "--data-dir", data.path])
        #expect(unchanged.stdout == "Topic 't' unchanged.\n")
    }

    @Test func badConfigsAreClearErrorsAndChangeNothing() throws {
        let data = try TemporaryDirectory()
        #expect(try Sluice.run(["topic", "create", "t", "--data-dir", data.path]).status == 0)
        let cases: [([String], String)] = [
            (["topic", "alter", "t", "--config", "retention.msx=5"], "unknown topic config 'retention.msx'; did you mean 'retention.ms'?"),
            (["topic", "alter", "t", "--config", "segment.ms=0"], "segment.ms must be at least 1, not 0"),
            (["topic", "alter", "t", "--config", "compression.type=lz4"], "topic config 'compression.type' is not supported yet"),
            (["topic", "alter", "t", "--config", "retention.ms"], "--config needs KEY=VALUE, not 'retention.ms'"),
            (["topic", "alter", "t"], "'topic alter' needs at least one --config KEY=VALUE"),
            (["topic", "alter", "t", "--partitions", "3"], "option '--partitions' only applies to 'topic create'"),
            (["topic", "alter", "missing", "--config", "retention.ms=1"], "no topic named 'missing'"),
            (["topic", "describe", "t", "--config", "retention.ms=1"], "option '--config' only applies to 'topic create' and 'topic alter'"),
            (["topic", "create", "u", "--config", "cleanup.policy=sometimes"], "cleanup.policy must be delete or compact, not 'sometimes'"),
        ]
        for (arguments, message) in cases {
            let result = try Sluice.run(arguments + ["--data-dir", data.path])
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        let described = try Sluice.run(["topic", "describe", "t", "--data-dir", data.path])
        #expect(described.stdout.contains("retention.ms=-1\n"))
        #expect(described.stdout.contains("segment.ms=604800000"))
        let listed = try Sluice.run(["topic", "list", "--data-dir", data.path])
        #expect(!listed.stdout.contains("| u "))
    }
}
