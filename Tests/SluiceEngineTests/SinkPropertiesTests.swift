import SluiceEngine
import SluiceLog
import SluiceSQL
import Testing

/// What a query's WITH clause and the session's properties do to the records it writes.
@Suite struct SinkPropertiesTests {
    static let events =
        "CREATE STREAM events (k STRING KEY, id BIGINT, seen STRING) WITH (KAFKA_TOPIC='events', FORMAT='JSON', PARTITIONS=1);"

    func insert(_ h: EngineHarness, _ rows: [(Int, String)]) throws {
        for (id, seen) in rows { try h.run("INSERT INTO events (k, id, seen) VALUES ('a', \(id), '\(seen)');") }
    }

    @Test func aTextTimestampColumnIsReadWithTheSinksFormatAndUnreadableRowsAreSkipped() throws {
        let h = try EngineHarness()
        try h.run(Self.events)
        try insert(h, [(1, "2018-05-11T21:58:33Z"), (2, "not a time"), (3, "2019-05-11T21:58:33Z")])
        try h.run(
            "CREATE STREAM out WITH (TIMESTAMP='seen', TIMESTAMP_FORMAT='yyyy-MM-dd''T''HH:mm:ssX') AS SELECT k, id, seen FROM events;")
        #expect(try h.records("OUT").map(\.timestamp) == [1_526_075_913_000, 1_557_611_913_000])
        #expect(h.engine.processingLog.total == 1)
    }

    @Test func rowsWhoseTimestampColumnIsNegativeAreSkipped() throws {
        let h = try EngineHarness()
        try h.run(Self.events)
        try insert(h, [(1, ""), (-2, ""), (3, "")])
        try h.run("CREATE STREAM out WITH (TIMESTAMP='ts') AS SELECT k, id AS ts, id FROM events;")
        #expect(try h.records("OUT").map(\.timestamp) == [1, 3])
    }

    @Test func aTimestampColumnOfAnotherTypeIsRejected() throws {
        let h = try EngineHarness()
        try h.run(Self.events)
        #expect(throws: SQLError.self) {
            try h.run("CREATE STREAM out WITH (TIMESTAMP='n') AS SELECT k, CAST(id AS INT) AS n FROM events;")
        }
        #expect(throws: SQLError.self) {
            try h.run("CREATE STREAM out2 WITH (TIMESTAMP='seen') AS SELECT k, seen FROM events;")
        }
    }

    @Test func theOutputTopicPrefixNamesDefaultSinkTopics() throws {
        let h = try EngineHarness(properties: ["ksql.output.topic.name.prefix": "team-"])
        try h.run(Self.events)
        try insert(h, [(1, "")])
        try h.run("CREATE STREAM copied AS SELECT * FROM events;")
        try h.run("CREATE STREAM named WITH (KAFKA_TOPIC='chosen') AS SELECT * FROM events;")
        #expect(try h.records("team-COPIED").count == 1)
        #expect(try h.records("chosen").count == 1)
    }
}

extension SinkPropertiesTests {
    @Test func aRecordWithoutAKeyKeepsANullKeyThroughAMultiColumnKeyedQuery() throws {
        let h = try EngineHarness()
        try h.run("CREATE STREAM s (k1 STRING KEY, k2 STRING KEY, v INT) WITH (KAFKA_TOPIC='s', FORMAT='JSON', PARTITIONS=1);")
        _ = try h.store.append(
            [
                ProducerRecord(key: Array(#"{"K1":"a","K2":"b"}"#.utf8), value: Array(#"{"V":1}"#.utf8), timestamp: 1),
                ProducerRecord(key: nil, value: Array(#"{"V":2}"#.utf8), timestamp: 2),
                ProducerRecord(key: Array(#"{"K1":null,"K2":null}"#.utf8), value: Array(#"{"V":3}"#.utf8), timestamp: 3),
            ], to: TopicPartition("s", 0))
        try h.run("CREATE STREAM out AS SELECT * FROM s;")
        let keys = try h.records("OUT").map { $0.key.map { String(decoding: $0, as: UTF8.self) } ?? "<null>" }
        // A missing key stays missing; a key whose columns are NULL is still a key.
        #expect(keys == [#"{"K1":"a","K2":"b"}"#, "<null>", #"{"K1":null,"K2":null}"#])
    }
}
