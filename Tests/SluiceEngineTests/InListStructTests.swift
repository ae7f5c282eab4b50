import SluiceEngine
import SluiceSQL
import Testing

/// STRUCT(...) items of an IN list are read as the tested struct's type.
@Suite struct InListStructTests {
    @Test func structItemsMatchByExactFieldNameWithMissingFieldsNull() throws {
        let h = try EngineHarness()
        try h.run(
            """
            CREATE STREAM s (p STRUCT<X BIGINT, Y BIGINT>) WITH (KAFKA_TOPIC='s', FORMAT='JSON', PARTITIONS=1);
            INSERT INTO s (p) VALUES (STRUCT(X := 1, Y := 2));
            INSERT INTO s (p) VALUES (STRUCT(X := 3, Y := 2));
            INSERT INTO s (p) VALUES (STRUCT(X := 5, Y := CAST(NULL AS BIGINT)));
            INSERT INTO s (p) VALUES (STRUCT(X := 7, Y := 2));
            INSERT INTO s (p) VALUES (STRUCT(X := 9, Y := 9));
            CREATE STREAM hits AS SELECT * FROM s
              WHERE p IN (STRUCT(Y := 2, X := 1), STRUCT(X := 3, Y := 2, Z := 4), STRUCT(X := 5), STRUCT(X := '7', Y := 2), STRUCT(`x` := 9, Y := 9));
            """)
        // Field order does not matter; a field the type lacks (Z, or `x` in lower case) never
        // matches; a missing field is NULL and equals a NULL field; '7' converts to BIGINT.
        #expect(try h.valueTexts("HITS") == [#"{"P":{"X":1,"Y":2}}"#, #"{"P":{"X":5,"Y":null}}"#, #"{"P":{"X":7,"Y":2}}"#])
    }

    @Test func aStructItemWithAValueOfTheWrongTypeIsRejected() throws {
        let h = try EngineHarness()
        try h.run("CREATE STREAM s (p STRUCT<X BIGINT>, b BOOLEAN) WITH (KAFKA_TOPIC='s', FORMAT='JSON', PARTITIONS=1);")
        #expect(throws: SQLError.self) { try h.run("CREATE STREAM hits AS SELECT * FROM s WHERE p IN (p, STRUCT(X := b));") }
    }
}
