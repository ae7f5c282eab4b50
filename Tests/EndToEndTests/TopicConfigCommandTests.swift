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
        // Partition, start, end, records, segments, bytes: what describe shows of the rolling.
        let row = try #require(tableRows(described.stdout).dropFirst().first)
        #expect(Array(row.prefix(5)) == ["0", "0", "9", "9", "3"])
        let bytesOnDisk = try segments(data, "t").map { name in
            try FileManager.default.attributesOfItem(atPath: data.path + "/topics/t/0/" + name)[.size] as! Int
        }.reduce(0, +)
        #expect(row.count == 6 && Int(row[5]) == bytesOnDisk)
        #expect(described.stdout.contains("Cleanup policy : compact"))

        let unchanged = try Sluice.run(["topic", "alter", "t", "--config", "segment.bytes=100", "--data-dir", data.path])
        #expect(unchanged.stdout == "Topic 't' unchanged.\n")

        let reset = try Sluice.run(
            ["topic", "alter", "t", "--delete-config", "segment.bytes", "--delete-config", "cleanup.policy", "--data-dir", data.path])
        #expect(reset.stdout == "Altered topic 't': cleanup.policy=delete, segment.bytes=67108864.\n", "\(reset.stderr)")
    }

    @Test func aLogAppendTimeTopicStampsRecordsWithTheTimeTheyAreStored() throws {
        let data = try TemporaryDirectory()
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        for (topic, type) in [("created", "CreateTime"), ("appended", "LogAppendTime")] {
            let create = try Sluice.run(
                ["topic", "create", topic, "--config", "message.timestamp.type=\(type)", "--data-dir", data.path])
            #expect(create.status == 0, "\(create.stderr)")
            let produced = try Sluice.run(["produce", topic, "--timestamp", "5", "--data-dir", data.path], input: "v\n")
            #expect(produced.status == 0, "\(produced.stderr)")
        }
        let after = Int64(Date().timeIntervalSince1970 * 1000)
        // As kafka-console-consumer labels them.
        func timestamp(_ topic: String, _ label: String) throws -> Int64? {
            let consumed = try Sluice.run(
                ["consume", topic, "--from-beginning", "--print-timestamp", "--data-dir", data.path])
            guard let field = consumed.stdout.split(separator: "\t").first, field.hasPrefix(label + ":") else { return nil }
            return Int64(field.dropFirst(label.count + 1))
        }
        #expect(try timestamp("created", "CreateTime") == 5)
        let stored = try #require(try timestamp("appended", "LogAppendTime"))
        #expect(stored >= before && stored <= after)
    }

    /// Retention switched on by `alter` deletes old segments at the next roll; a group whose offset
    /// went with them starts again where `consume` says.
    @Test func retentionSetByAlterRemovesRecordsAGroupHadNotReached() throws {
        let data = try TemporaryDirectory()
        func run(_ arguments: [String], input: String? = nil) throws -> String {
            let result = try Sluice.run(arguments + ["--data-dir", data.path], input: input)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return result.stdout + result.stderr
        }
        _ = try run(["topic", "create", "t", "--config", "segment.bytes=100"])
        // Stamped at 5 ms after the epoch: long past any retention.
        _ = try run(["produce", "t", "--timestamp", "5"], input: "a\nb\n")
        #expect(try run(["consume", "t", "--group", "g", "--from-beginning", "--max", "1"]).hasPrefix("a\n"))
        _ = try run(["produce", "t", "--timestamp", "5"], input: "c\n")
        _ = try run(["topic", "alter", "t", "--config", "retention.ms=60000"])
        // This append rolls a segment, and retention runs after the roll.
        _ = try run(["produce", "t", "--timestamp", "5"], input: "d\n")
        #expect(try segments(data, "t") == ["00000000000000000003.log"])
        let resumed = try run(["consume", "t", "--group", "g", "--from-beginning"])
        #expect(resumed.contains("note: group 'g' is at offset 1 of 't' partition 0, which holds records 3..<4"))
        #expect(resumed.hasPrefix("d\n"))
    }

    /// `topic alter` from another process reaches an engine that is writing the topic: its next
    /// appends roll at the new size and carry the time they were stored.
    @Test func aRunningEngineFollowsAnAlterationOfItsOutputTopic() throws {
        let data = try TemporaryDirectory()
        let queries = try data.file(
            "q.sql",
            contents: """
                CREATE STREAM readings (sensor VARCHAR KEY, value INT)
                  WITH (KAFKA_TOPIC='readings', VALUE_FORMAT='JSON', PARTITIONS=1);
                CREATE STREAM hot AS SELECT sensor, value FROM readings WHERE value > 5 EMIT CHANGES;
                """)
        let engine = try Sluice.start(["run", queries.path, "--data-dir", data.path])
        defer {
            engine.signal(SIGINT)
            _ = engine.wait()
        }
        #expect(engine.waitFor { _, err in err.contains("queries are running") })
        func produce(_ line: String) throws {
            let result = try Sluice.run(
                ["produce", "readings", "-k", "|", "--timestamp", "5", "--data-dir", data.path], input: line + "\n")
            #expect(result.status == 0, "\(result.stderr)")
        }
        func outputs() throws -> [Substring] {
            let result = try Sluice.run(
                ["consume", "HOT", "--from-beginning", "--print-timestamp", "--print-key", "--data-dir", data.path])
            return result.stdout.split(separator: "\n")
        }
        try produce(#"s1|{"value":9}"#)
        #expect(waitUntil { try outputs().count == 1 })
        #expect(try outputs() == ["CreateTime:5\ts1\t{\"VALUE\":9}"])

        let altered = try Sluice.run([
            "topic", "alter", "HOT", "--config", "segment.bytes=100", "--config", "message.timestamp.type=LogAppendTime",
            "--data-dir", data.path,
        ])
        #expect(altered.status == 0, "\(altered.stderr)")
        try produce(#"s2|{"value":8}"#)
        try produce(#"s3|{"value":7}"#)
        #expect(waitUntil { try outputs().count == 3 })
        let lines = try outputs()
        #expect(lines.count == 3)
        for line in lines.dropFirst() {
            let time = line.split(separator: "\t").first ?? ""
            #expect(time.hasPrefix("LogAppendTime:") && Int64(time.dropFirst("LogAppendTime:".count))! > 5, "\(line)")
        }
        // One record per 100-byte segment from the alteration on.
        #expect(try segments(data, "HOT").count == 3)
    }

    /// Polls `condition` for up to 20 seconds.
    private func waitUntil(_ condition: () throws -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if (try? condition()) == true { return true }
            usleep(100_000)
        }
        return false
    }

    /// A tombstone with an old event time survives the compaction that removes the value it
    /// deletes: it waits `delete.retention.ms` from that compaction, as in Kafka.
    @Test func compactionKeepsAnOldTombstoneForConsumersThatAreBehind() throws {
        let data = try TemporaryDirectory()
        func run(_ arguments: [String], input: String? = nil) throws -> String {
            let result = try Sluice.run(arguments + ["--data-dir", data.path], input: input)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return result.stdout
        }
        _ = try run(["topic", "create", "t", "--config", "cleanup.policy=compact", "--config", "segment.bytes=100"])
        let produce = ["produce", "t", "-k", "|", "--null-marker", "NULL", "--timestamp", "5"]
        _ = try run(produce, input: "k|old value\n")
        _ = try run(produce, input: "k|NULL\n")
        // Each of these rolls a segment; compaction runs after the rolls.
        for index in 0..<6 { _ = try run(produce, input: "other\(index)|x\n") }
        let consumed = try run(["consume", "t", "--from-beginning", "--print-key"])
        #expect(!consumed.contains("old value"), "\(consumed)")
        #expect(consumed.hasPrefix("k\tnull\n"), "\(consumed)")
    }

    @Test func badConfigsAreClearErrorsAndChangeNothing() throws {
        let data = try TemporaryDirectory()
        #expect(try Sluice.run(["topic", "create", "t", "--data-dir", data.path]).status == 0)
        let cases: [([String], String)] = [
            (["topic", "alter", "t", "--config", "retention.msx=5"], "unknown topic config 'retention.msx'; did you mean 'retention.ms'?"),
            (["topic", "alter", "t", "--config", "segment.ms=0"], "segment.ms must be at least 1, not 0"),
            (["topic", "alter", "t", "--config", "compression.type=lz4"], "topic config 'compression.type' is not supported yet"),
            (["topic", "alter", "t", "--config", "retention.ms"], "--config needs KEY=VALUE, not 'retention.ms'"),
            (["topic", "alter", "t"], "'topic alter' needs at least one --config KEY=VALUE or --delete-config KEY"),
            (["topic", "alter", "t", "--delete-config", "retention.msx"], "unknown topic config 'retention.msx'"),
            (["topic", "create", "u", "--delete-config", "retention.ms"], "option '--delete-config' only applies to 'topic alter'"),
            (["topic", "alter", "t", "--partitions", "3"], "option '--partitions' only applies to 'topic create'"),
            (["topic", "alter", "missing", "--config", "retention.ms=1"], "no topic named 'missing'"),
            (["topic", "describe", "t", "--config", "retention.ms=1"], "option '--config' only applies to 'topic create' and 'topic alter'"),
            (["topic", "create", "u", "--config", "cleanup.policy=sometimes"], "cleanup.policy must be delete, compact or compact,delete, not 'sometimes'"),
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
