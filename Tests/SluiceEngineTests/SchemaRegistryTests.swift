import SluiceEngine
import SluiceLog
import SluiceSQL
import SluiceTypes
import Testing

@Suite("Schema registry")
struct SchemaRegistryTests {
    @Test func idsCountUpAndVersionsAccumulatePerSubject() throws {
        let r = SchemaRegistry()
        let a = try r.register(subject: "t-value", schemaType: .avro, schema: #""int""#)
        let b = try r.register(subject: "t-value", schemaType: .avro, schema: #""string""#)
        #expect((a, b) == (1, 2))
        #expect(r.versions(subject: "t-value").map(\.version) == [1, 2])
        #expect(r.latest(subject: "t-value")?.schema.id == 2)
        #expect(r.latest(subject: "t-value")?.schema.text == #""string""#)
        #expect(r.schema(id: 1)?.text == #""int""#)
        #expect(r.latest(subject: "other-value") == nil)
        #expect(r.schema(id: 3) == nil)
    }

    @Test func reRegisteringReturnsTheSameIdWithoutANewVersion() throws {
        let r = SchemaRegistry()
        let first = try r.register(subject: "t-value", schemaType: .avro, schema: #"{"type": "int"}"#)
        // The same schema written differently is the same schema.
        let again = try r.register(subject: "t-value", schemaType: .avro, schema: #""int""#)
        #expect(first == again)
        #expect(r.versions(subject: "t-value").count == 1)
    }

    @Test func theSameSchemaUnderAnotherSubjectSharesItsId() throws {
        let r = SchemaRegistry()
        let proto = #"syntax = "proto3"; message K { string K = 1; }"#
        let a = try r.register(subject: "a-key", schemaType: .protobuf, schema: proto)
        let b = try r.register(subject: "b-key", schemaType: .protobuf, schema: proto.replacing(" ", with: "  "))
        let c = try r.register(subject: "b-value", schemaType: .json, schema: #"{"type":"string"}"#)
        #expect(a == b)
        #expect(c == a + 1)
        #expect(r.allSubjects == ["a-key", "b-key", "b-value"])
    }

    @Test func explicitIdsAreKeptAndDoNotMoveTheCounter() throws {
        let r = SchemaRegistry()
        #expect(try r.register(subject: "t-key", schemaType: .avro, schema: #""long""#, id: 101) == 101)
        #expect(try r.register(subject: "u-value", schemaType: .avro, schema: #""int""#) == 1)
        // Asking again without an id finds the explicit one.
        #expect(try r.register(subject: "t-key", schemaType: .avro, schema: #""long""#) == 101)
        #expect(throws: SchemaRegistry.RegistrationError.self) {
            try r.register(subject: "v-value", schemaType: .avro, schema: #""string""#, id: 101)
        }
    }

    @Test func subjectNames() {
        #expect(SchemaRegistry.subject(topic: "orders", isKey: true) == "orders-key")
        #expect(SchemaRegistry.subject(topic: "orders", isKey: false) == "orders-value")
    }
}

@Suite("Schema inference from the registry")
struct SchemaInferenceEngineTests {
    static let readingsValue = """
        {"type": "record", "name": "Reading", "fields": [
          {"name": "sensor_id", "type": "string"},
          {"name": "value", "type": "int"},
          {"name": "reading", "type": ["null", "double"]}
        ]}
        """

    /// The columns of the source declared over `topic`, as `NAME TYPE` (keys marked).
    static func columns(_ engine: Engine, _ topic: String) -> [String] {
        guard let f = engine.topicFormat(forTopic: topic) else { return [] }
        return f.keyColumns.map { "\($0.name) \($0.type) KEY" } + f.valueColumns.map { "\($0.name) \($0.type)" }
    }

    /// Writes one record to partition 0 with a registered Avro schema, as a producer using the
    /// registry would.
    static func produce(_ h: EngineHarness, topic: String, key: [UInt8]?, value: JSONValue, schemaID: Int) throws {
        let schema = try #require(h.engine.schemaRegistry.schema(id: schemaID))
        let (codec, columns, _) = try AvroRowCodec.forWriterSchema(
            try AvroSchema.parse(schema.text), isKey: false, schemaID: UInt32(schemaID))
        let bytes = try codec.encode(try JSONCoercion.row(value, columns: columns))
        try h.store.append([ProducerRecord(key: key, value: bytes, timestamp: 0)], to: TopicPartition(topic, 0))
    }

    @Test func aStreamWithoutColumnsTakesThemFromTheLatestValueSchema() throws {
        let h = try EngineHarness()
        let id = try h.engine.schemaRegistry.register(subject: "readings-value", schemaType: .avro, schema: Self.readingsValue)
        try h.run("CREATE STREAM readings WITH (kafka_topic='readings', value_format='AVRO', partitions=1);")
        #expect(Self.columns(h.engine, "readings") == ["SENSOR_ID STRING", "VALUE INTEGER", "READING DOUBLE"])

        try Self.produce(h, topic: "readings", key: nil, value: .object([
            JSONMember("sensor_id", .string("s1")), JSONMember("value", .number(Int64(21))), JSONMember("reading", .number(1.5)),
        ]), schemaID: id)
        try Self.produce(h, topic: "readings", key: nil, value: .object([
            JSONMember("sensor_id", .string("s2")), JSONMember("value", .number(Int64(4))), JSONMember("reading", .null),
        ]), schemaID: id)
        try h.run("CREATE STREAM doubled AS SELECT sensor_id, value * 2 AS twice FROM readings WHERE reading IS NOT NULL;")

        let sink = try #require(h.engine.topicFormat(forTopic: "DOUBLED"))
        let codec = try Codecs.make(format: .avro, columns: sink.valueColumns, options: sink.valueOptions, isKey: false)
        let rows = try h.records("DOUBLED").map { try codec.decode(try #require($0.value)) }
        #expect(rows == [[.string("s1"), .integer(42)]])
        // The sink registered the schema it writes.
        let registered = try #require(h.engine.schemaRegistry.latest(subject: "DOUBLED-value"))
        #expect(registered.schema.text.contains("\"TWICE\""))
    }

    @Test func schemaIdsKeepFieldNamesAndKeysBecomeRowkey() throws {
        let h = try EngineHarness()
        try h.engine.schemaRegistry.register(subject: "t-key", schemaType: .avro, schema: #""long""#, id: 7)
        try h.engine.schemaRegistry.register(subject: "t-value", schemaType: .avro, schema: Self.readingsValue, id: 8)
        try h.run(
            "CREATE TABLE t WITH (kafka_topic='t', format='AVRO', key_schema_id=7, value_schema_id=8, partitions=1);")
        #expect(Self.columns(h.engine, "t") == ["ROWKEY BIGINT KEY", "sensor_id STRING", "value INTEGER", "reading DOUBLE"])
        let format = try #require(h.engine.topicFormat(forTopic: "t"))
        #expect(format.valueOptions.physicalSchema?.id == 8)
        #expect(format.keyOptions.physicalSchema?.id == 7)
    }

    @Test func jsonSchemaAndProtobufSchemasAreInferredToo() throws {
        let h = try EngineHarness()
        try h.engine.schemaRegistry.register(
            subject: "j-value", schemaType: .json,
            schema: #"{"type":"object","properties":{"id":{"type":"integer"},"tags":{"type":"array","items":{"type":"string"}}}}"#)
        try h.engine.schemaRegistry.register(
            subject: "p-value", schemaType: .protobuf,
            schema: #"syntax = "proto3"; message Order { uint32 qty = 1; repeated string notes = 2; }"#)
        try h.run(
            """
            CREATE STREAM j WITH (kafka_topic='j', value_format='JSON_SR', partitions=1);
            CREATE STREAM p WITH (kafka_topic='p', value_format='PROTOBUF', partitions=1);
            """)
        #expect(Self.columns(h.engine, "j") == ["ID BIGINT", "TAGS ARRAY<STRING>"])
        #expect(Self.columns(h.engine, "p") == ["QTY BIGINT", "NOTES ARRAY<STRING>"])
    }

    @Test func statementsTheRegistryCannotServeAreRejected() throws {
        let h = try EngineHarness()
        try h.engine.schemaRegistry.register(subject: "v-value", schemaType: .avro, schema: Self.readingsValue)
        func rejects(_ sql: String, _ fragment: String) {
            do {
                try h.run(sql)
                Issue.record("accepted: \(sql)")
            } catch let error as SQLError {
                #expect(error.diagnostic.message.contains(fragment), "\(error.diagnostic.message)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        rejects("CREATE STREAM a WITH (kafka_topic='none', value_format='AVRO', partitions=1);", "does not exist in the Schema Registry")
        rejects("CREATE STREAM b WITH (kafka_topic='v', value_format='PROTOBUF', partitions=1);", "not in the expected format")
        rejects("CREATE STREAM c (x INT) WITH (kafka_topic='v', value_format='AVRO', value_schema_id=1, partitions=1);", "cannot both exist")
        rejects("CREATE STREAM d WITH (kafka_topic='v', value_format='KAFKA', value_schema_id=1, partitions=1);", "should support schema inference")
        rejects("CREATE TABLE e WITH (kafka_topic='v', value_format='AVRO', partitions=1);", "PRIMARY KEY")
    }

    @Test func aSinkWithAValueSchemaIdWritesWithThatSchema() throws {
        let h = try EngineHarness()
        let target = #"{"type":"record","name":"Out","fields":[{"name":"c1","type":"int"},{"name":"note","type":["null","string"]}]}"#
        let id = try h.engine.schemaRegistry.register(subject: "OUT-value", schemaType: .avro, schema: target, id: 40)
        try h.run(
            """
            CREATE STREAM src (id INT KEY, `c1` INT) WITH (kafka_topic='src', value_format='AVRO', partitions=1);
            CREATE STREAM out WITH (value_schema_id=40) AS SELECT * FROM src;
            INSERT INTO src (id, `c1`) VALUES (1, 5);
            """)
        try h.engine.runUntilIdle()
        let record = try #require(try h.records("OUT").first?.value)
        #expect(Array(record[1...4]) == [0, 0, 0, UInt8(id)])
        let (codec, _, _) = try AvroRowCodec.forWriterSchema(try AvroSchema.parse(target), isKey: false, schemaID: 40)
        #expect(try codec.decode(record) == [.integer(5), .null])

        // Columns that do not line up with the registered schema are refused.
        try h.engine.schemaRegistry.register(
            subject: "BAD-value", schemaType: .avro,
            schema: #"{"type":"record","name":"B","fields":[{"name":"c2","type":"double"},{"name":"c1","type":"int"}]}"#, id: 41)
        #expect(throws: SQLError.self) {
            try h.run("CREATE STREAM bad WITH (value_schema_id=41) AS SELECT * FROM src;")
        }
    }
}
