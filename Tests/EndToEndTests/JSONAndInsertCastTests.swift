import Foundation
import Testing

/// Through the CLI: a JSON record whose replaced member cannot convert still reads (as in
/// ksqlDB), and `INSERT INTO ... SELECT` casts a numeric literal to the target's DECIMAL column.
@Suite struct JSONAndInsertCastTests {
    @Test func producedRecordsWithReplacedMembersAndImplicitDecimalCasts() throws {
        let data = try TemporaryDirectory()
        let produced = try Sluice.run(
            ["produce", "events", "--data-dir", data.path],
            input: #"{"id": 1, "t": true, "T": 5}"# + "\n" + #"{"id": 2, "T": 7}"# + "\n")
        #expect(produced.status == 0, "\(produced.stderr)")
        let script = """
            CREATE STREAM events (id INT, T TIME) WITH (KAFKA_TOPIC='events', VALUE_FORMAT='JSON');
            CREATE STREAM priced (id INT, price DECIMAL(5, 2))
              WITH (KAFKA_TOPIC='priced', VALUE_FORMAT='JSON', PARTITIONS=1);
            INSERT INTO priced SELECT id, 2 AS price FROM events;
            SELECT id, price FROM priced EMIT CHANGES LIMIT 2;
            """
        let result = try Sluice.run(["--data-dir", data.path], input: script)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        let consumed = try Sluice.run(["consume", "priced", "--from-beginning", "--raw", "--max", "2", "--data-dir", data.path])
        #expect(consumed.status == 0, "\(consumed.stderr)")
        let lines = consumed.stdout.split(separator: "\n").map(String.init)
        #expect(lines == [#"{"ID":1,"PRICE":2.00}"#, #"{"ID":2,"PRICE":2.00}"#])
    }
}
