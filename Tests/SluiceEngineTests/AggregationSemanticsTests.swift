import SluiceEngine
import SluiceLog
import Testing

/// GROUP BY over streams: which records count.
@Suite struct AggregationSemanticsTests {
    @Test func aStreamRecordWithoutAValueCountsInNoGroup() throws {
        let h = try EngineHarness()
        try h.run("CREATE STREAM input (name STRING) WITH (KAFKA_TOPIC='input', FORMAT='JSON', PARTITIONS=1);")
        _ = try h.store.append(
            [
                ProducerRecord(key: nil, value: nil, timestamp: 1),
                ProducerRecord(key: nil, value: Array(#"{"NAME":null}"#.utf8), timestamp: 2),
                ProducerRecord(key: nil, value: Array(#"{"NAME":"n"}"#.utf8), timestamp: 3),
            ], to: TopicPartition("input", 0))
        try h.run("CREATE TABLE output AS SELECT name IS NULL, COUNT() AS c FROM input GROUP BY (name IS NULL);")
        #expect(try h.valueTexts("OUTPUT") == [#"{"C":1}"#, #"{"C":1}"#])
        #expect(try h.records("OUTPUT").map(\.timestamp) == [2, 3])
    }
}

/// PARTITION BY on a stream record without a value: only key-only expressions can be evaluated.
@Suite struct PartitionByNullValueTests {
    @Test func expressionsOverTheValueOrRowtimeAreNullWhenThereIsNoValue() throws {
        let h = try EngineHarness()
        try h.run("CREATE STREAM input (k STRING KEY, id BIGINT, v INT) WITH (KAFKA_TOPIC='input', FORMAT='JSON', PARTITIONS=1);")
        _ = try h.store.append(
            [
                ProducerRecord(key: Array(#""a""#.utf8), value: Array(#"{"ID":22}"#.utf8), timestamp: 10),
                ProducerRecord(key: Array(#""b""#.utf8), value: nil, timestamp: 12),
            ], to: TopicPartition("input", 0))
        try h.run("CREATE STREAM output AS SELECT * FROM input PARTITION BY id, ROWTIME, k;")
        let keys = try h.records("OUTPUT").map { $0.key.map { String(decoding: $0, as: UTF8.self) } ?? "<null>" }
        #expect(keys == [#"{"ID":22,"ROWTIME":10,"K":"a"}"#, #"{"ID":null,"ROWTIME":null,"K":"b"}"#])
    }
}
