import SluiceSQL
import Testing

@Suite struct StatementParserTests {
    @Test func createStreamWithColumnsConstraintsAndProperties() throws {
        let statement = try parse(
            """
            CREATE STREAM pageviews (id STRING KEY, viewtime BIGINT, hs ARRAY<STRUCT<KEY STRING, VALUE BYTES>> HEADERS,
              h BYTES HEADER('trace'), `Page` VARCHAR)
            WITH (kafka_topic='pv', value_format='JSON', partitions=4, ratio=-1.5, wrap_single_value=TRUE);
            """)
        let expected = CreateSource(
            kind: .stream, name: Identifier("PAGEVIEWS"),
            elements: [
                TableElement(name: Identifier("ID"), type: .string, constraint: .key),
                TableElement(name: Identifier("VIEWTIME"), type: .bigint),
                TableElement(
                    name: Identifier("HS"),
                    type: .array(
                        .structure([
                            StructFieldSyntax(name: Identifier("KEY"), type: .string),
                            StructFieldSyntax(name: Identifier("VALUE"), type: .bytes),
                        ])), constraint: .headers),
                TableElement(name: Identifier("H"), type: .bytes, constraint: .header("trace")),
                TableElement(name: Identifier("Page"), type: .string),
            ],
            properties: [
                Property(name: "KAFKA_TOPIC", value: .string("pv")),
                Property(name: "VALUE_FORMAT", value: .string("JSON")),
                Property(name: "PARTITIONS", value: .integer("4")), Property(name: "RATIO", value: .decimal("-1.5")),
                Property(name: "WRAP_SINGLE_VALUE", value: .boolean(true)),
            ])
        #expect(statement == .createSource(expected))
    }

    @Test func createTableVariants() throws {
        guard
            case .createSource(let table) = try parse(
                "CREATE OR REPLACE SOURCE TABLE IF NOT EXISTS t (k INT PRIMARY KEY) WITH (kafka_topic='t');")
        else {
            Issue.record("not a create source")
            return
        }
        #expect(table.kind == .table && table.orReplace && table.isSource && table.ifNotExists)
        #expect(table.elements == [TableElement(name: Identifier("K"), type: .integer, constraint: .primaryKey)])
        guard
            case .createSource(let inferred) = try parse("CREATE STREAM s WITH (kafka_topic='s', value_format='AVRO');")
        else { return }
        #expect(inferred.elements.isEmpty && inferred.properties.count == 2)
    }

    @Test func createAsSelect() throws {
        let statement = try parse(
            "CREATE TABLE IF NOT EXISTS totals WITH (kafka_topic='totals') AS SELECT id, SUM(x) FROM s GROUP BY id EMIT CHANGES;"
        )
        guard case .createAsSelect(let create) = statement else {
            Issue.record("not CTAS: \(statement)")
            return
        }
        #expect(create.kind == .table && create.ifNotExists && !create.orReplace)
        #expect(create.properties == [Property(name: "KAFKA_TOPIC", value: .string("totals"))])
        #expect(create.query.groupBy == [col("ID")])
        guard case .createAsSelect(let stream) = try parse("create or replace stream s2 as select * from s;") else {
            return
        }
        #expect(stream.orReplace && stream.kind == .stream && stream.properties.isEmpty)
    }

    @Test func insertForms() throws {
        guard case .insertInto(let target, let query) = try parse("INSERT INTO out SELECT * FROM s;") else {
            Issue.record("not insert into")
            return
        }
        #expect(target == Identifier("OUT") && query.selectItems == [.all])
        guard
            case .insertIntoWithProperties(_, let properties, _) = try parse(
                "INSERT INTO out WITH (query_id='q1') SELECT * FROM s;")
        else {
            Issue.record("not insert into with properties")
            return
        }
        #expect(properties == [Property(name: "QUERY_ID", value: .string("q1"))])
        #expect(
            try parse("INSERT INTO t (a, b) VALUES (1, 'x');")
                == .insertValues(
                    InsertValues(
                        target: Identifier("T"), columns: [Identifier("A"), Identifier("B")],
                        values: [int("1"), str("x")])))
        #expect(
            try parse("INSERT INTO t VALUES ();")
                == .insertValues(InsertValues(target: Identifier("T"), columns: [], values: [])))
    }

    @Test func dropStatements() throws {
        #expect(
            try parse("DROP STREAM IF EXISTS s DELETE TOPIC;")
                == .dropSource(kind: .stream, name: Identifier("S"), ifExists: true, deleteTopic: true))
        #expect(
            try parse("DROP TABLE t")
                == .dropSource(kind: .table, name: Identifier("T"), ifExists: false, deleteTopic: false))
        #expect(try parse("DROP TYPE IF EXISTS address;") == .dropType(name: Identifier("ADDRESS"), ifExists: true))
        #expect(try parse("DROP CONNECTOR c;") == .dropConnector(name: Identifier("C"), ifExists: false))
    }

    @Test func showAndList() throws {
        #expect(try parse("SHOW STREAMS;") == .show(.streams, extended: false))
        #expect(try parse("LIST TABLES EXTENDED;") == .show(.tables, extended: true))
        #expect(try parse("SHOW ALL TOPICS EXTENDED;") == .show(.allTopics, extended: true))
        #expect(try parse("SHOW TOPICS;") == .show(.topics, extended: false))
        #expect(try parse("SHOW QUERIES EXTENDED;") == .show(.queries, extended: true))
        #expect(try parse("SHOW PROPERTIES;") == .show(.properties, extended: false))
        #expect(try parse("SHOW FUNCTIONS;") == .show(.functions, extended: false))
        #expect(try parse("SHOW TYPES;") == .show(.types, extended: false))
        #expect(try parse("SHOW VARIABLES;") == .show(.variables, extended: false))
        #expect(try parse("SHOW CONNECTORS;") == .show(.connectors, extended: false))
        #expect(try parse("SHOW SOURCE CONNECTORS;") == .show(.sourceConnectors, extended: false))
        #expect(try parse("LIST SINK CONNECTORS;") == .show(.sinkConnectors, extended: false))
        #expect(try parse("SHOW CONNECTOR PLUGINS;") == .show(.connectorPlugins, extended: false))
    }

    @Test func describeForms() throws {
        #expect(try parse("DESCRIBE orders;") == .describe(name: Identifier("ORDERS"), listKind: nil, extended: false))
        #expect(
            try parse("DESCRIBE orders EXTENDED;")
                == .describe(name: Identifier("ORDERS"), listKind: nil, extended: true))
        #expect(try parse("DESCRIBE STREAMS EXTENDED;") == .describe(name: nil, listKind: .stream, extended: true))
        #expect(try parse("DESCRIBE TABLES;") == .describe(name: nil, listKind: .table, extended: false))
        #expect(try parse("DESCRIBE FUNCTION substring;") == .describeFunction(Identifier("SUBSTRING")))
        #expect(try parse("DESCRIBE CONNECTOR c;") == .describeConnector(Identifier("C")))
        // A source may be called FUNCTION (non-reserved); alone it is a source name.
        #expect(
            try parse("DESCRIBE function;") == .describe(name: Identifier("FUNCTION"), listKind: nil, extended: false))
    }

    @Test func explainPrintAndQueryControl() throws {
        #expect(try parse("EXPLAIN CSAS_OUT_1;") == .explainQuery("CSAS_OUT_1"))
        #expect(
            try parse("EXPLAIN SELECT * FROM s;")
                == .explainStatement(
                    .select(Query(selectItems: [.all], from: .source(name: Identifier("S"), alias: nil)))))
        #expect(
            try parse("PRINT 'my-topic' FROM BEGINNING INTERVAL 2 LIMIT 10;")
                == .printTopic(PrintTopic(topic: "my-topic", fromBeginning: true, interval: 2, limit: 10)))
        #expect(
            try parse("PRINT Orders SAMPLE 3;")
                == .printTopic(PrintTopic(topic: "Orders", fromBeginning: false, interval: 3)))
        #expect(try parse("TERMINATE CSAS_OUT_1;") == .terminate(queryID: "CSAS_OUT_1"))
        #expect(try parse("TERMINATE ALL;") == .terminate(queryID: nil))
        #expect(try parse("PAUSE q1;") == .pause(queryID: "Q1"))
        #expect(try parse("RESUME ALL;") == .resume(queryID: nil))
    }

    @Test func propertiesAndVariables() throws {
        #expect(
            try parse("SET 'auto.offset.reset' = 'earliest';")
                == .setProperty(name: "auto.offset.reset", value: "earliest"))
        #expect(try parse("UNSET 'auto.offset.reset';") == .unsetProperty(name: "auto.offset.reset"))
        #expect(try parse("ALTER SYSTEM 'ksql.x' = 'y';") == .alterSystem(name: "ksql.x", value: "y"))
        #expect(
            try parse("DEFINE topicName = '''my_topic''';") == .defineVariable(name: "topicName", value: "'my_topic'"))
        #expect(try parse("UNDEFINE topicName;") == .undefineVariable(name: "topicName"))
        #expect(try parse("RUN SCRIPT '/tmp/x.sql';") == .runScript(path: "/tmp/x.sql"))
    }

    @Test func typesAndAlter() throws {
        #expect(
            try parse("CREATE TYPE IF NOT EXISTS address AS STRUCT<street STRING, zip INT>;")
                == .createType(
                    name: Identifier("ADDRESS"),
                    type: .structure([
                        StructFieldSyntax(name: Identifier("STREET"), type: .string),
                        StructFieldSyntax(name: Identifier("ZIP"), type: .integer),
                    ]), ifNotExists: true))
        #expect(
            try parse("ALTER STREAM s ADD COLUMN a INT, ADD b address;")
                == .alterSource(
                    kind: .stream, name: Identifier("S"),
                    addColumns: [
                        TableElement(name: Identifier("A"), type: .integer),
                        TableElement(name: Identifier("B"), type: .named(Identifier("ADDRESS"))),
                    ]))
    }

    @Test func connectors() throws {
        #expect(
            try parse("CREATE SOURCE CONNECTOR IF NOT EXISTS jdbc WITH ('connector.class'='io.X', tasks_max='1');")
                == .createConnector(
                    CreateConnector(
                        kind: .source, name: Identifier("JDBC"),
                        properties: [
                            Property(name: "connector.class", value: .string("io.X")),
                            Property(name: "TASKS_MAX", value: .string("1")),
                        ], ifNotExists: true)))
        #expect(
            try parse("CREATE SINK CONNECTOR s WITH (a='b');")
                == .createConnector(
                    CreateConnector(
                        kind: .sink, name: Identifier("S"), properties: [Property(name: "A", value: .string("b"))])))
    }

    @Test func assertStatements() throws {
        #expect(
            try parse("ASSERT NOT EXISTS TOPIC 'x' WITH (partitions=1) TIMEOUT 3 SECONDS;")
                == .assert(
                    .topic(
                        name: "x", properties: [Property(name: "PARTITIONS", value: .integer("1"))], exists: false,
                        timeout: Duration(3, .seconds))))
        #expect(try parse("ASSERT TOPIC x;") == .assert(.topic(name: "x", properties: [], exists: true, timeout: nil)))
        #expect(
            try parse("ASSERT SCHEMA SUBJECT 'x-value' ID 4 TIMEOUT 1 MINUTE;")
                == .assert(.schema(subject: "x-value", id: 4, exists: true, timeout: Duration(1, .minutes))))
        #expect(
            try parse("ASSERT VALUES out (a, b) VALUES (1, 'x');")
                == .assert(
                    .values(
                        InsertValues(
                            target: Identifier("OUT"), columns: [Identifier("A"), Identifier("B")],
                            values: [int("1"), str("x")]))))
        #expect(
            try parse("ASSERT NULL VALUES out (k) KEY (1);")
                == .assert(
                    .nullValues(InsertValues(target: Identifier("OUT"), columns: [Identifier("K")], values: [int("1")]))
                ))
        #expect(
            try parse("ASSERT TABLE t (k INT PRIMARY KEY) WITH (kafka_topic='t');")
                == .assert(
                    .source(
                        CreateSource(
                            kind: .table, name: Identifier("T"),
                            elements: [TableElement(name: Identifier("K"), type: .integer, constraint: .primaryKey)],
                            properties: [Property(name: "KAFKA_TOPIC", value: .string("t"))]))))
    }

    @Test func commentsAndCaseDoNotMatter() throws {
        let plain = try parse("SELECT a FROM s EMIT CHANGES;")
        let noisy = try parse("/* lead */ select -- trailing\n A from\n/* mid */ S emit changes -- end")
        #expect(plain == noisy)
    }
}
