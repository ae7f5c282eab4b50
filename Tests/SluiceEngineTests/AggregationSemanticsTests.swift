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
