import SluiceEngine
import Testing

/// CAST to DECIMAL rounds half-up to the scale; only a value with too many integer digits is NULL.
@Suite struct CastTests {
    @Test func castToDecimalRoundsHalfUp() throws {
        let h = try EngineHarness()
        try h.run(
            """
            CREATE STREAM nums (d DOUBLE, s STRING) WITH (KAFKA_TOPIC='nums', FORMAT='JSON', PARTITIONS=1);
            INSERT INTO nums (d, s) VALUES (12.25, '0.99');
            INSERT INTO nums (d, s) VALUES (-0.05, '123.4');
            CREATE STREAM out AS SELECT CAST(d AS DECIMAL(3, 1)) AS a, CAST(s AS DECIMAL(2, 1)) AS b FROM nums;
            """)
        #expect(try h.valueTexts("OUT") == [#"{"A":12.3,"B":1.0}"#, #"{"A":-0.1,"B":null}"#])
    }
}
