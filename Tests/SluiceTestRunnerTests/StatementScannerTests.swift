import Testing

@testable import SluiceTestRunner

@Suite struct StatementScannerTests {
    @Test func splitsAtTopLevelSemicolonsOnly() {
        let script = """
            CREATE STREAM A (S STRING) WITH (kafka_topic='a;b', value_format='JSON'); -- trailing; comment
            /* block; comment */ INSERT INTO A (S) VALUES ('it''s;');
            SELECT `x;y` FROM A EMIT CHANGES
            """
        let statements = StatementScanner.split(script)
        #expect(statements.count == 3)
        #expect(statements[0] == "CREATE STREAM A (S STRING) WITH (kafka_topic='a;b', value_format='JSON');")
        #expect(statements[1].hasSuffix("VALUES ('it''s;');"))
        #expect(statements[2] == "SELECT `x;y` FROM A EMIT CHANGES;")
        #expect(StatementScanner.split("  ;\n ; ").isEmpty)
    }

    @Test func findsTheTopicOfPlainCreateStatements() {
        #expect(
            StatementScanner.declaredTopic("CREATE STREAM S (ID INT KEY) WITH (KAFKA_TOPIC='t1', VALUE_FORMAT='JSON');")
                == .init(name: "t1", partitions: nil))
        #expect(
            StatementScanner.declaredTopic(
                "create or replace table T (ID INT PRIMARY KEY) with (value_format='JSON', partitions=4, kafka_topic='t2');"
            )
                == .init(name: "t2", partitions: 4))
        #expect(
            StatementScanner.declaredTopic(
                "CREATE SOURCE TABLE T (ID INT PRIMARY KEY) WITH (kafka_topic='t3', format='JSON');")?.name == "t3")
        // Persistent queries make their own sinks.
        #expect(StatementScanner.declaredTopic("CREATE STREAM S WITH (kafka_topic='sink') AS SELECT * FROM X;") == nil)
        #expect(StatementScanner.declaredTopic("CREATE TABLE T AS SELECT A, COUNT(*) FROM X GROUP BY A;") == nil)
        #expect(StatementScanner.declaredTopic("CREATE STREAM S (A INT) WITH (value_format='JSON');") == nil)
        #expect(StatementScanner.declaredTopic("INSERT INTO S VALUES (1);") == nil)
    }

    @Test func recognisesQueries() {
        #expect(StatementScanner.isQuery("SELECT * FROM S EMIT CHANGES;"))
        #expect(StatementScanner.isQuery("  select 1;"))
        #expect(StatementScanner.isQuery("PRINT 'topic';"))
        #expect(!StatementScanner.isQuery("CREATE STREAM X AS SELECT * FROM S;"))
        #expect(!StatementScanner.isQuery("INSERT INTO X SELECT * FROM S;"))
    }
}

@Suite struct CalledNamesTests {
    @Test func findsCallsButNotColumnsOrStrings() {
        let names = StatementScanner.calledNames(
            "SELECT test_udf(a), b, 'x(' , CAST(c AS INT), count (*) FROM s WHERE k IN (1);")
        #expect(names == ["TEST_UDF", "CAST", "COUNT", "IN"])
    }
}
