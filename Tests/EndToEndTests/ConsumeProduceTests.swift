import Foundation
import Testing

/// `sluice produce --timestamp` and the Kafka console-consumer behaviour of `sluice consume`: values
/// as stored, the `--print-*` fields, `--partition --offset`, `--group` and `--decode`.
@Suite struct ConsumeProduceTests {
    @Test func produceTimestampComesBackThroughPrintTimestamp() throws {
        let data = try TemporaryDirectory()
        let produced = try Sluice.run(
            ["produce", "t", "--timestamp", "1700000000123", "--data-dir", data.path], input: "one\ntwo\n")
        #expect(produced.status == 0, "\(produced.stderr)")
        let consumed = try Sluice.run(["consume", "t", "--from-beginning", "--print-timestamp", "--data-dir", data.path])
        #expect(consumed.status == 0, "\(consumed.stderr)")
        #expect(consumed.stdout == "CreateTime:1700000000123\tone\nCreateTime:1700000000123\ttwo\n")

        for bad in ["-1", "soon", "1.5"] {
            let refused = try Sluice.run(["produce", "t", "--timestamp", bad, "--data-dir", data.path], input: "x\n")
            #expect(refused.status == 2, "--timestamp \(bad)")
            #expect(refused.stderr.contains("'--timestamp' expects milliseconds since the epoch"), "\(refused.stderr)")
        }
    }

    /// Several MiB through `produce` under the default flush policy, which starts the disk write
    /// of every MiB as it goes and fsyncs each sealed segment: every line comes back, in order.
    @Test func severalMebibytesComeBackWholeAcrossSegmentRolls() throws {
        let data = try TemporaryDirectory()
        let created = try Sluice.run(
            ["topic", "create", "big", "--config", "segment.bytes=1048576", "--data-dir", data.path])
        #expect(created.status == 0, "\(created.stderr)")
        let lines = (0..<14_000).map { "\($0)|" + String(repeating: "abcdefghij", count: 25) + "\($0)" }
        let input = lines.joined(separator: "\n") + "\n"
        let produced = try Sluice.run(["produce", "big", "--data-dir", data.path], input: input)
        #expect(produced.status == 0, "\(produced.stderr)")

        let consumed = try Sluice.run(["consume", "big", "--from-beginning", "--data-dir", data.path])
        #expect(consumed.status == 0, "\(consumed.stderr)")
        #expect(consumed.stdout == input)
        let described = try Sluice.run(["topic", "describe", "big", "--data-dir", data.path])
        // 3.6 MB of records in segments of 1 MiB: at least four of them.
        let row = described.stdout.split(separator: "\n").first { $0.hasPrefix("| 0 ") }
        let cells = row.map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        #expect(cells.count == 6 && cells[2] == "14000", "\(described.stdout)")
        #expect(cells.count == 6 && (Int(cells[4]) ?? 0) >= 4, "\(described.stdout)")
    }

    @Test func defaultOutputIsEachValueAsStored() throws {
        let data = try TemporaryDirectory()
        let input = "k1|{\"v\": 1}\nk2|  spaced  \nk3|DELETE\n"
        let produced = try Sluice.run(
            ["produce", "t", "-k", "|", "--null-marker", "DELETE", "--data-dir", data.path], input: input)
        #expect(produced.status == 0, "\(produced.stderr)")

        let consumed = try Sluice.run(["consume", "t", "--from-beginning", "--data-dir", data.path])
        #expect(consumed.status == 0, "\(consumed.stderr)")
        #expect(consumed.stdout == "{\"v\": 1}\n  spaced  \nnull\n")
        #expect(consumed.stderr.isEmpty, "\(consumed.stderr)")

        // --raw is the default under its old name.
        let raw = try Sluice.run(["consume", "t", "--from-beginning", "--raw", "--data-dir", data.path])
        #expect(raw.stdout == consumed.stdout)
    }

    @Test func bytesThatAreNotUTF8AreWrittenAsStored() throws {
        let data = try TemporaryDirectory()
        let line: [UInt8] = [0x6B, 0xFF, UInt8(ascii: "|"), 0x00, 0xC3, 0x28, 0xFE, UInt8(ascii: "\n")]
        let produced = try Sluice.run(["produce", "bin", "-k", "|", "--data-dir", data.path], inputBytes: line)
        #expect(produced.status == 0, "\(produced.stderr)")
        let consumed = try Sluice.run(["consume", "bin", "--from-beginning", "--print-key", "--data-dir", data.path])
        #expect(consumed.status == 0, "\(consumed.stderr)")
        #expect([UInt8](consumed.stdoutData) == [0x6B, 0xFF, UInt8(ascii: "\t"), 0x00, 0xC3, 0x28, 0xFE, UInt8(ascii: "\n")])
    }

    @Test func printFlagsAddFieldsInKafkasOrder() throws {
        let data = try TemporaryDirectory()
        #expect(try Sluice.run(["topic", "create", "t", "--partitions", "2", "--data-dir", data.path]).status == 0)
        let keyed = try Sluice.run(
            ["produce", "t", "-k", "|", "--partition", "1", "--timestamp", "5", "--data-dir", data.path],
            input: "a|first\n")
        #expect(keyed.status == 0, "\(keyed.stderr)")
        let unkeyed = try Sluice.run(
            ["produce", "t", "--partition", "1", "--timestamp", "6", "--data-dir", data.path], input: "second\n")
        #expect(unkeyed.status == 0, "\(unkeyed.stderr)")

        func consume(_ flags: [String]) throws -> String {
            let result = try Sluice.run(["consume", "t", "--from-beginning", "--data-dir", data.path] + flags)
            #expect(result.status == 0, "\(flags): \(result.stderr)")
            return result.stdout
        }
        #expect(try consume(["--print-timestamp"]) == "CreateTime:5\tfirst\nCreateTime:6\tsecond\n")
        #expect(try consume(["--print-partition"]) == "Partition:1\tfirst\nPartition:1\tsecond\n")
        #expect(try consume(["--print-offset"]) == "Offset:0\tfirst\nOffset:1\tsecond\n")
        #expect(try consume(["--print-key"]) == "a\tfirst\nnull\tsecond\n")
        // Whatever the order of the flags, the fields come in Kafka's.
        #expect(
            try consume(["--print-key", "--print-offset", "--print-partition", "--print-timestamp"])
                == "CreateTime:5\tPartition:1\tOffset:0\ta\tfirst\nCreateTime:6\tPartition:1\tOffset:1\tnull\tsecond\n")
    }

    @Test func partitionAndOffsetStartThere() throws {
        let data = try TemporaryDirectory()
        #expect(try Sluice.run(["topic", "create", "T", "--partitions", "2", "--data-dir", data.path]).status == 0)
        let produced = try Sluice.run(
            ["produce", "T", "--partition", "0", "--data-dir", data.path], input: "r0\nr1\nr2\nr3\nr4\n")
        #expect(produced.status == 0, "\(produced.stderr)")

        let fromThree = try Sluice.run(
            ["consume", "T", "--partition", "0", "--offset", "3", "--print-offset", "--data-dir", data.path])
        #expect(fromThree.status == 0, "\(fromThree.stderr)")
        #expect(fromThree.stdout == "Offset:3\tr3\nOffset:4\tr4\n")
        #expect(!fromThree.stderr.contains("nothing to print"))

        // The end is a valid start: nothing yet.
        let atEnd = try Sluice.run(["consume", "T", "--partition", "0", "--offset", "5", "--data-dir", data.path])
        #expect(atEnd.status == 0, "\(atEnd.stderr)")
        #expect(atEnd.stdout.isEmpty)

        let beyond = try Sluice.run(["consume", "T", "--partition", "0", "--offset", "50", "--data-dir", data.path])
        #expect(beyond.status == 1)
        #expect(beyond.stderr.contains("offset 50 is out of range for 'T' partition 0 (records 0..<5"), "\(beyond.stderr)")
        let empty = try Sluice.run(["consume", "T", "--partition", "1", "--offset", "1", "--data-dir", data.path])
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("offset 1 is out of range for 'T' partition 1"), "\(empty.stderr)")

        let usage: [([String], String)] = [
            (["--offset", "1"], "'--offset' needs '--partition'"),
            (["--partition", "0", "--offset", "1", "--from-beginning"], "'--offset' and '--from-beginning'"),
            (["--partition", "0", "--offset", "1", "--group", "g"], "'--offset' and '--group'"),
        ]
        for (flags, message) in usage {
            let result = try Sluice.run(["consume", "T", "--data-dir", data.path] + flags)
            #expect(result.status == 2, "\(flags)")
            #expect(result.stderr.contains(message), "\(flags): \(result.stderr)")
        }
    }

    @Test func groupContinuesAcrossRunsWithoutDuplicatesOrLoss() throws {
        let data = try TemporaryDirectory()
        #expect(try Sluice.run(["topic", "create", "g", "--partitions", "3", "--data-dir", data.path]).status == 0)
        func produce(_ range: Range<Int>) throws {
            let input = range.map { "key-\($0)|value-\($0)\n" }.joined()
            let result = try Sluice.run(["produce", "g", "-k", "|", "--data-dir", data.path], input: input)
            #expect(result.status == 0, "\(result.stderr)")
        }
        func consume(_ flags: [String]) throws -> [String] {
            let result = try Sluice.run(["consume", "g", "--group", "readers", "--data-dir", data.path] + flags)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!result.stderr.contains("nothing to print"), "\(result.stderr)")
            return result.stdout.split(separator: "\n").map(String.init)
        }
        try produce(0..<10)
        let first = try consume(["--from-beginning", "--max", "4"])
        #expect(first.count == 4)
        let second = try consume(["--from-beginning"])
        #expect(second.count == 6)
        try produce(10..<15)
        let third = try consume([])
        #expect(third.count == 5)
        #expect(try consume([]).isEmpty)

        let all = first + second + third
        #expect(all.count == 15)
        #expect(Set(all) == Set((0..<15).map { "value-\($0)" }), "\(all)")
    }

    @Test func aNewGroupWithoutFromBeginningStartsAtTheEndAndRemembersIt() throws {
        let data = try TemporaryDirectory()
        #expect(try Sluice.run(["produce", "t", "--data-dir", data.path], input: "old\n").status == 0)
        let first = try Sluice.run(["consume", "t", "--group", "late", "--data-dir", data.path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.isEmpty)
        #expect(try Sluice.run(["produce", "t", "--data-dir", data.path], input: "new\n").status == 0)
        let second = try Sluice.run(["consume", "t", "--group", "late", "--from-beginning", "--data-dir", data.path])
        #expect(second.stdout == "new\n", "the group's committed end wins over --from-beginning")
    }

    @Test func groupCommitsWhatWasPrintedWhenInterrupted() throws {
        let data = try TemporaryDirectory()
        #expect(try Sluice.run(["produce", "live", "--data-dir", data.path], input: "first\n").status == 0)
        let follower = try Sluice.start(
            ["consume", "live", "--group", "watchers", "--from-beginning", "--follow", "--data-dir", data.path])
        #expect(follower.waitFor { out, _ in out == "first\n" })
        follower.signal(SIGINT)
        #expect(follower.wait().status == 0)

        #expect(try Sluice.run(["produce", "live", "--data-dir", data.path], input: "second\n").status == 0)
        let next = try Sluice.run(["consume", "live", "--group", "watchers", "--from-beginning", "--data-dir", data.path])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stdout == "second\n")
    }

    @Test func decodeKeepsThePrintDisplay() throws {
        let data = try TemporaryDirectory()
        let setup = try Sluice.run([
            "-e",
            """
            CREATE STREAM s (id STRING KEY, v INT) WITH (KAFKA_TOPIC='s', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON', PARTITIONS=1);
            INSERT INTO s (ROWTIME, id, v) VALUES (1700000000000, 'a', 7);
            """,
            "--data-dir", data.path,
        ])
        #expect(setup.status == 0, "\(setup.stderr)")
        let decoded = try Sluice.run(["consume", "s", "--from-beginning", "--decode", "--data-dir", data.path])
        #expect(decoded.status == 0, "\(decoded.stderr)")
        #expect(
            decoded.lines == [
                "Source: S (stream), key format: KAFKA, value format: JSON",
                "rowtime: 2023/11/14 22:13:20.000 Z, key: a, value: {\"V\":7}, partition: 0",
                "",
            ])

        let plain = try Sluice.run(["consume", "s", "--from-beginning", "--data-dir", data.path])
        #expect(plain.stdout == "{\"V\":7}\n")

        for flags in [["--print-key"], ["--raw"]] {
            let clash = try Sluice.run(["consume", "s", "--decode", "--data-dir", data.path] + flags)
            #expect(clash.status == 2, "\(flags)")
        }
    }

    @Test func helpDescribesTheNewOptions() throws {
        let consume = try Sluice.run(["consume", "--help"])
        for option in ["--group G", "--offset O", "--decode", "--print-timestamp", "--print-key", "--raw"] {
            #expect(consume.stdout.contains(option), "consume --help lacks \(option)")
        }
        let produce = try Sluice.run(["produce", "--help"])
        #expect(produce.stdout.contains("--timestamp MS"))
    }
}
