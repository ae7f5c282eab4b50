import Foundation
import Testing

/// `sluice produce`, `sluice consume` and `sluice topic` against the embedded log.
@Suite struct TopicCommandTests {
    @Test func produceThenConsumeRoundTrip() throws {
        let data = try TemporaryDirectory()
        let produced = try Sluice.run(
            ["produce", "words", "--data-dir", data.path], input: "alpha\nbeta\n\ngamma with spaces\n")
        #expect(produced.status == 0, "\(produced.stderr)")
        #expect(produced.stdout.contains("Produced 3 records to topic 'words'."))
        #expect(produced.stderr.contains("Created topic 'words'"))

        let consumed = try Sluice.run(["consume", "words", "--from-beginning", "--decode", "--data-dir", data.path])
        #expect(consumed.status == 0, "\(consumed.stderr)")
        let lines = consumed.stdout.split(separator: "\n").filter { $0.hasPrefix("rowtime: ") }
        #expect(lines.count == 3)
        #expect(lines.map { $0.contains("value: alpha,") } == [true, false, false])
        #expect(lines[2].contains("value: gamma with spaces,"))
        #expect(lines.allSatisfy { $0.contains("key: <null>") && $0.hasSuffix("partition: 0") })

        let plain = try Sluice.run(["consume", "words", "--from-beginning", "--max", "2", "--data-dir", data.path])
        #expect(plain.stdout == "alpha\nbeta\n")
    }

    @Test func keyedRecordsArePartitionedByKey() throws {
        let data = try TemporaryDirectory()
        let create = try Sluice.run(["topic", "create", "keyed", "--partitions", "4", "--data-dir", data.path])
        #expect(create.status == 0, "\(create.stderr)")
        var input = ""
        for i in 0..<40 { input += "key-\(i % 8):value-\(i)\n" }
        let produced = try Sluice.run(["produce", "keyed", "-k", ":", "--data-dir", data.path], input: input)
        #expect(produced.status == 0, "\(produced.stderr)")
        #expect(produced.stdout.contains("Produced 40 records"))

        // Each key lives in exactly one partition, and the keys are spread over several.
        var partitionsOfKey: [String: Set<String>] = [:]
        for partition in 0..<4 {
            let consumed = try Sluice.run(
                ["consume", "keyed", "--from-beginning", "--partition", "\(partition)", "--print-key", "--data-dir", data.path])
            #expect(consumed.status == 0)
            for line in consumed.stdout.split(separator: "\n") {
                guard let tab = line.firstIndex(of: "\t") else { continue }
                partitionsOfKey[String(line[..<tab]), default: []].insert("\(partition)")
            }
        }
        #expect(partitionsOfKey.count == 8)
        #expect(partitionsOfKey.values.allSatisfy { $0.count == 1 })
        #expect(Set(partitionsOfKey.values.flatMap { $0 }).count > 1)

        // --max and a fixed partition.
        let fixed = try Sluice.run(["produce", "keyed", "--partition", "3", "-k", ":", "--data-dir", data.path], input: "x:1\n")
        #expect(fixed.status == 0)
        let described = try Sluice.run(["topic", "describe", "keyed", "--data-dir", data.path])
        #expect(described.stdout.contains("Partitions     : 4"))
        let total = tableRows(described.stdout).dropFirst().compactMap { $0.count > 3 ? Int($0[3]) : nil }.reduce(0, +)
        #expect(total == 41)
    }

    @Test func produceRejectsBadInput() throws {
        let data = try TemporaryDirectory()
        let noSeparator = try Sluice.run(["produce", "t", "-k", "|", "--data-dir", data.path], input: "a|1\nno separator\nb|2\n")
        #expect(noSeparator.status == 1)
        #expect(noSeparator.stderr.contains("line 2 has no key separator '|'"))
        let wrongPartition = try Sluice.run(["produce", "t", "--partition", "7", "--data-dir", data.path], input: "x\n")
        #expect(wrongPartition.status == 1)
        #expect(wrongPartition.stderr.contains("there is no partition 7"))
    }

    @Test func topicLifecycle() throws {
        let data = try TemporaryDirectory()
        let empty = try Sluice.run(["topic", "list", "--data-dir", data.path])
        #expect(empty.status == 0)
        #expect(empty.stdout.contains("(no topics)"))

        #expect(try Sluice.run(["topic", "create", "orders", "--partitions", "3", "--data-dir", data.path]).status == 0)
        let duplicate = try Sluice.run(["topic", "create", "orders", "--data-dir", data.path])
        #expect(duplicate.status == 1)
        #expect(duplicate.stderr.hasPrefix("error: "))

        let list = try Sluice.run(["topic", "list", "--data-dir", data.path])
        #expect(tableRows(list.stdout).contains { Array($0.prefix(3)) == ["orders", "3", "0"] })

        let unknown = try Sluice.run(["topic", "describe", "order", "--data-dir", data.path])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("did you mean 'orders'?"))

        #expect(try Sluice.run(["topic", "delete", "orders", "--data-dir", data.path]).status == 0)
        let after = try Sluice.run(["topic", "list", "--data-dir", data.path])
        #expect(!tableRows(after.stdout).contains { $0.first == "orders" })

        let badAction = try Sluice.run(["topic", "lst", "--data-dir", data.path])
        #expect(badAction.status == 2)
        #expect(badAction.stderr.contains("did you mean 'list'?"))
    }

    @Test func consumeFollowPrintsNewRecordsUntilInterrupted() throws {
        let data = try TemporaryDirectory()
        #expect(try Sluice.run(["produce", "live", "--data-dir", data.path], input: "first\n").status == 0)
        let follower = try Sluice.start(["consume", "live", "--from-beginning", "--follow", "--data-dir", data.path])
        #expect(follower.waitFor { out, _ in out == "first\n" })
        follower.signal(SIGINT)
        let result = follower.wait()
        #expect(result.status == 0)
    }
}
