import SluiceEngine
import Testing

/// INSERT INTO ... SELECT casts a numeric literal to the target's DECIMAL column when its digits
/// fit, as ksqlDB does; anything else must match the target's type exactly.
@Suite struct InsertImplicitCastTests {
    @Test func literalsTakeTheTargetColumnsDecimalType() throws {
        let h = try EngineHarness()
        try h.run(
            """
            CREATE STREAM src (ignored STRING) WITH (KAFKA_TOPIC='src', FORMAT='JSON', PARTITIONS=1);
            CREATE STREAM target (c1 DECIMAL(5, 2), c2 DECIMAL(5, 2), c3 DECIMAL(5, 2), c4 DECIMAL(5, 2))
                WITH (KAFKA_TOPIC='target', FORMAT='JSON', PARTITIONS=1);
            INSERT INTO target SELECT 1 AS c1, 2.5 AS c2, 123.45 AS c3, -1 AS c4 FROM src;
            INSERT INTO src (ignored) VALUES ('v1');
            """)
        #expect(try h.valueTexts("target") == [#"{"C1":1.00,"C2":2.50,"C3":123.45,"C4":-1.00}"#])
    }

    @Test func aLiteralThatDoesNotFitIsStillAMismatch() throws {
        let h = try EngineHarness()
        try h.run(
            """
            CREATE STREAM src (ignored STRING) WITH (KAFKA_TOPIC='src', FORMAT='JSON', PARTITIONS=1);
            CREATE STREAM target (c1 DECIMAL(5, 2)) WITH (KAFKA_TOPIC='target', FORMAT='JSON', PARTITIONS=1);
            """)
        // Four integer digits do not fit DECIMAL(5, 2), nor do three fraction digits; `1 + 1` is
        // an expression, not a literal (a negative number is a literal, as in ksqlDB's grammar).
        for literal in ["1234", "1.234", "1 + 1"] {
            #expect(throws: (any Error).self, "\(literal)") {
                try h.run("INSERT INTO target SELECT \(literal) AS c1 FROM src;")
            }
        }
    }
}
