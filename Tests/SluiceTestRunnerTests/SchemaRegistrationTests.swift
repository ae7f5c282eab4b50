import SluiceEngine
import SluiceLog
import SluiceTypes
import Testing

@testable import SluiceTestRunner

@Suite struct SchemaRegistrationTests {
    static func load(_ test: String) throws -> ConformanceCase {
        let cases = QTTFileLoader.load(text: #"{"tests": ["# + test + "]}", file: "sr.json")
        let loaded = try #require(cases.first)
        #expect(loaded.loadError == nil, "\(loaded.loadError ?? "")")
        return loaded
    }

    @Test func topicSchemasAreReadWithTheirFormatsIdsAndReferences() throws {
        let c = try Self.load(
            #"""
            {"name": "t", "statements": ["X;"], "expectedException": {},
             "topics": [
               {"name": "a", "keySchema": "int", "valueSchema": {"type": "object"}, "valueFormat": "JSON", "valueSchemaId": 12},
               {"name": "b", "format": "PROTOBUF", "schema": "syntax = \"proto3\"; message M { int32 x = 1; }",
                "valueSchemaReferences": [{"name": "e.proto", "format": "PROTOBUF", "schema": "message E {}"}]},
               {"name": "c"}
             ]}
            """#)
        #expect(c.topics[0].keySchema == TopicSchema(type: .avro, text: #""int""#))
        #expect(c.topics[0].valueSchema == TopicSchema(type: .json, text: #"{"type":"object"}"#, id: 12))
        #expect(c.topics[1].keySchema == nil)
        #expect(c.topics[1].valueSchema?.type == .protobuf)
        #expect(c.topics[1].valueSchema?.references == [SchemaReferenceText(name: "e.proto", schema: "message E {}")])
        #expect(!c.topics[2].hasRegisteredSchema)
    }

    @Test func aSchemaInAFormatWithoutARegistryIsAnInvalidTest() {
        let cases = QTTFileLoader.load(
            text: #"{"tests": [{"name": "t", "statements": ["X;"], "expectedException": {}, "topics": [{"name": "a", "valueSchema": "int", "valueFormat": "KAFKA"}]}]}"#,
            file: "f")
        #expect(cases.first?.loadError?.contains("no schema registry") == true)
    }

    @Test func javaHashMapIterationOrder() {
        // String.hashCode: "input" lands in bucket 1, "OUTPUT" in bucket 5 of 16.
        #expect(JavaHashMapOrder.hashCode("OUTPUT") == Int32(bitPattern: 2_342_784_257))
        #expect(JavaHashMapOrder.order(["OUTPUT", "input"]) == ["input", "OUTPUT"])
        // Same bucket: insertion order.
        #expect(JavaHashMapOrder.order(["source2", "source"]) == ["source2", "source"])
        // "p" is bucket 0 of 16 but bucket 16 of 32, once more than 12 keys force a resize.
        #expect(JavaHashMapOrder.order(["a", "p"]) == ["p", "a"])
        let thirteen = (UInt8(ascii: "a")...UInt8(ascii: "l")).map { String(UnicodeScalar($0)) } + ["p"]
        #expect(JavaHashMapOrder.order(thirteen).last == "p")
    }

    @Test func idsFollowKsqlDBsRegistrationOrder() throws {
        // The test's OUTPUT schema and the schema INPUT's columns declare: ksqlDB registers
        // "input" first (its HashMap order), so OUTPUT's schema gets id 2; given ids stay.
        let c = try Self.load(
            #"""
            {"name": "t", "statements": [
               "CREATE STREAM INPUT (`id` INT KEY, `c1` INT) WITH (kafka_topic='input', value_format='avro', partitions=1);",
               "CREATE STREAM OUTPUT WITH (value_schema_id=2) as SELECT * FROM input;"],
             "topics": [
               {"name": "OUTPUT", "valueSchema": {"name": "blah", "type": "record", "fields": [{"name": "c1", "type": "int"}]}, "valueFormat": "AVRO"},
               {"name": "keyed", "keySchema": {"type": "long"}, "keySchemaId": 77}
             ],
             "inputs": [{"topic": "input", "key": 42, "value": {"c1": 4}}],
             "outputs": [{"topic": "OUTPUT", "key": 42, "value": {"c1": 4}}]}
            """#)
        let engine = try SluiceCaseEngine(properties: [:], store: MemoryTopicStore())
        #expect(SchemaRegistration.register(c, engine: engine) == nil)
        let registry = try #require(engine.schemaRegistry)
        #expect(registry.latest(subject: "input-value")?.schema.id == 1)
        #expect(registry.latest(subject: "OUTPUT-value")?.schema.id == 2)
        #expect(registry.latest(subject: "keyed-key")?.schema.id == 77)
        #expect(registry.latest(subject: "input-key") == nil)
    }

    @Test func casesThatRegisterSchemasNeedAnEngineWithARegistry() throws {
        let c = try Self.load(
            #"""
            {"name": "t", "statements": ["CREATE STREAM OUTPUT AS SELECT * FROM INPUT;"],
             "topics": [{"name": "input", "valueSchema": {"type": "int"}}],
             "inputs": [{"topic": "input", "value": 1}], "outputs": [{"topic": "OUTPUT", "value": 1}]}
            """#)
        let without = CaseRunner.run(c, in: ScriptedEngine.environment())
        #expect(without.status == .unsupported)
        #expect(without.reason.contains("needs a schema registry"))
        let with = CaseRunner.run(c, in: ScriptedEngine.environment { $0.registry = SchemaRegistry() })
        #expect(with.status != .unsupported)
    }

    static let inference = #"""
        {"name": "inference",
         "statements": [
           "CREATE STREAM INPUT WITH (kafka_topic='input', format='AVRO');",
           "CREATE STREAM OUTPUT AS SELECT ROWKEY, c2 * 10 AS C FROM INPUT WHERE c1;"],
         "topics": [{"name": "input", "keySchema": "string", "keyFormat": "AVRO",
                     "valueSchema": {"type": "record", "name": "v", "fields": [{"name": "c1", "type": "boolean"}, {"name": "c2", "type": "int"}]},
                     "valueFormat": "AVRO"}],
         "inputs": [{"topic": "input", "key": "a", "value": {"c1": true, "c2": 1}},
                    {"topic": "input", "key": "b", "value": {"c1": false, "c2": 2}},
                    {"topic": "input", "key": "c", "value": {"c1": true, "c2": 3}}],
         "outputs": [{"topic": "OUTPUT", "key": "a", "value": {"C": 10}}, {"topic": "OUTPUT", "key": "c", "value": {"C": VALUE}}],
         "post": {"sources": [{"name": "INPUT", "type": "stream", "schema": "ROWKEY STRING KEY, C1 BOOLEAN, C2 INT"}]}}
        """#

    @Test func anInferenceCaseRunsOnTheRealEngine() throws {
        let passing = try Self.load(Self.inference.replacing("VALUE", with: "30"))
        let result = CaseRunner.run(passing, in: SluiceCaseEngine.environment)
        #expect(result.status == .pass, "\(result.reason)")
        let wrong = try Self.load(Self.inference.replacing("VALUE", with: "31"))
        #expect(CaseRunner.run(wrong, in: SluiceCaseEngine.environment).status == .fail)
    }

    @Test func recordsWrittenWithARegisteredSchemaAreReadWithIt() throws {
        // The sink writes with the schema VALUE_SCHEMA_ID names; the runner reads it back by the
        // id in the record, so the schema's field names (and its extra nullable field) show.
        let c = try Self.load(
            #"""
            {"name": "t", "statements": [
               "CREATE STREAM INPUT (K STRING KEY, `a` INT) WITH (kafka_topic='input', value_format='AVRO');",
               "CREATE STREAM OUTPUT WITH (value_schema_id=5) AS SELECT * FROM INPUT;"],
             "topics": [{"name": "OUTPUT", "valueSchemaId": 5, "valueFormat": "AVRO",
                         "valueSchema": {"type": "record", "name": "o", "fields": [{"name": "a", "type": "int"}, {"name": "b", "type": ["null", "string"]}]}}],
             "inputs": [{"topic": "input", "key": "k", "value": {"a": 7}}],
             "outputs": [{"topic": "OUTPUT", "key": "k", "value": {"a": 7, "b": null}}]}
            """#)
        let result = CaseRunner.run(c, in: SluiceCaseEngine.environment)
        #expect(result.status == .pass, "\(result.reason)")
    }
}
