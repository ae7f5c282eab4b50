import SluiceTypes
import Testing

/// Columns inferred from registered schemas, rendered `NAME TYPE, ...`.
private func inferred(
    _ type: RegisteredSchemaType, _ text: String, isKey: Bool = false, unwrapped: Bool = false,
    names: SchemaInference.FieldNames = .upperCased, fullName: String? = nil,
    references: [SchemaReferenceText] = []
) throws -> String {
    let schema = PhysicalSchema(id: 1, type: type, text: text, references: references, fullName: fullName)
    return try SchemaInference.columns(of: schema, isKey: isKey, unwrapped: unwrapped, names: names)
        .map { "\($0.name) \($0.type)" }.joined(separator: ", ")
}

@Suite("Schema inference: Avro")
struct AvroSchemaInferenceTests {
    static let cases: [(schema: String, columns: String)] = [
        (
            #"{"type":"record","name":"r","fields":[{"name":"c1","type":"boolean"},{"name":"c2","type":"int"},{"name":"c3","type":"long"},{"name":"c4","type":"double"},{"name":"c5","type":"string"}]}"#,
            "C1 BOOLEAN, C2 INTEGER, C3 BIGINT, C4 DOUBLE, C5 STRING"
        ),
        (
            #"{"type":"record","name":"r","fields":[{"name":"f","type":"float"},{"name":"b","type":["null","bytes"]},{"name":"x","type":{"type":"fixed","name":"md5","size":16}}]}"#,
            "F DOUBLE, B BYTES, X BYTES"
        ),
        (
            #"{"type":"record","name":"r","fields":[{"name":"e","type":{"type":"enum","name":"Suit","symbols":["A","B"]}},{"name":"m","type":{"type":"map","values":"long"}}]}"#,
            "E STRING, M MAP<STRING, BIGINT>"
        ),
        (
            #"{"type":"record","name":"r","fields":[{"name":"d","type":{"type":"int","logicalType":"date"}},{"name":"t","type":{"type":"int","logicalType":"time-millis"}},{"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"n","type":{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}}]}"#,
            "D DATE, T TIME, TS TIMESTAMP, N DECIMAL(4, 2)"
        ),
        (
            #"{"type":"record","name":"r","fields":[{"name":"s","type":{"type":"record","name":"inner","fields":[{"name":"a","type":["null","int"]},{"name":"z","type":"null"}]}},{"name":"l","type":{"type":"array","items":["null","string"]}}]}"#,
            "S STRUCT<`A` INTEGER>, L ARRAY<STRING>"
        ),
        (
            // Connect's map entries: an array of key/value records marked as a map.
            #"{"type":"record","name":"r","fields":[{"name":"m","type":{"type":"array","items":{"type":"record","name":"E","connect.internal.type":"MapEntry","fields":[{"name":"key","type":"int"},{"name":"value","type":"string"}]}}}]}"#,
            "M MAP<STRING, STRING>"
        ),
        (
            // A general union is Connect's union struct, one field per branch.
            #"{"type":"record","name":"r","fields":[{"name":"u","type":["null","int","string"]}]}"#,
            "U STRUCT<`INT` INTEGER, `STRING` STRING>"
        ),
    ]

    @Test(arguments: cases)
    func recordFieldsBecomeUpperCasedColumns(_ c: (schema: String, columns: String)) throws {
        #expect(try inferred(.avro, c.schema) == c.columns)
    }

    @Test func schemaIdsKeepTheFieldNamesAtEveryDepth() throws {
        let schema = #"{"type":"record","name":"r","fields":[{"name":"eventID","type":"string"},{"name":"tx","type":{"type":"record","name":"t","fields":[{"name":"num_shares","type":"int"}]}}]}"#
        #expect(try inferred(.avro, schema, names: .original) == "eventID STRING, tx STRUCT<`num_shares` INTEGER>")
        #expect(try inferred(.avro, schema) == "EVENTID STRING, TX STRUCT<`NUM_SHARES` INTEGER>")
    }

    @Test func keysAndBareValuesAreOneColumn() throws {
        #expect(try inferred(.avro, #"{"type":"boolean"}"#, isKey: true, unwrapped: true) == "ROWKEY BOOLEAN")
        #expect(
            try inferred(.avro, #"{"type":"record","name":"k","fields":[{"name":"K","type":"int"},{"name":"K2","type":"int"}]}"#, isKey: true, unwrapped: true)
                == "ROWKEY STRUCT<`K` INTEGER, `K2` INTEGER>")
        #expect(try inferred(.avro, #""int""#, unwrapped: true) == "ROWVAL INTEGER")
    }

    @Test func aBareValueMustBeUnwrapped() {
        #expect(errorMessage { try inferred(.avro, #""int""#) } == "KSQL stream/table schema must be structured")
        #expect(errorMessage { try inferred(.avro, #""null""#, unwrapped: true) }?.hasPrefix("Unsupported type at root") == true)
    }

    @Test func aCodecForTheWriterSchemaRoundTrips() throws {
        let schema = try AvroSchema.parse(#"{"type":"record","name":"r","fields":[{"name":"c1","type":"int"},{"name":"c2","type":"int","default":1}]}"#)
        let (codec, columns, unwrapped) = try AvroRowCodec.forWriterSchema(schema, isKey: false, schemaID: 9)
        #expect(columns.map(\.name) == ["c1", "c2"])
        #expect(!unwrapped)
        let bytes = try codec.encode([.integer(4), .integer(100)])
        #expect(Array(bytes.prefix(5)) == [0, 0, 0, 0, 9])
        #expect(try codec.decode(bytes) == [.integer(4), .integer(100)])
    }
}

@Suite("Schema inference: JSON Schema")
struct JSONSchemaInferenceTests {
    static let cases: [(schema: String, columns: String)] = [
        (#"{"type":"object","properties":{"c1":{"type":"integer"}}}"#, "C1 BIGINT"),
        (
            #"{"type":"object","properties":{"B":{"connect.index":1,"type":"string"},"A":{"connect.index":0,"oneOf":[{"type":"null"},{"type":"integer","connect.type":"int32"}]}}}"#,
            "A INTEGER, B STRING"
        ),
        (
            #"{"type":"object","properties":{"n":{"type":"number"},"b":{"type":"boolean"},"x":{"type":"string","connect.type":"bytes"},"d":{"type":"number","title":"org.apache.kafka.connect.data.Decimal","connect.type":"bytes","connect.parameters":{"scale":"2","connect.decimal.precision":"4"}}}}"#,
            "N DOUBLE, B BOOLEAN, X BYTES, D DECIMAL(4, 2)"
        ),
        (
            #"{"type":"object","properties":{"l":{"type":"array","items":{"type":"string"}},"m":{"type":"object","additionalProperties":{"type":"integer"}},"s":{"type":"object","properties":{"f":{"type":["null","string"]}}}}}"#,
            "L ARRAY<STRING>, M MAP<STRING, BIGINT>, S STRUCT<`F` STRING>"
        ),
        (
            ##"{"type":"object","properties":{"ts":{"type":"integer","title":"org.apache.kafka.connect.data.Timestamp","connect.type":"int64"},"r":{"$ref":"#/definitions/R"}},"definitions":{"R":{"type":"object","properties":{"x":{"type":"integer","connect.type":"int16"}}}}}"##,
            "TS TIMESTAMP, R STRUCT<`X` INTEGER>"
        ),
    ]

    @Test(arguments: cases)
    func objectPropertiesBecomeColumns(_ c: (schema: String, columns: String)) throws {
        #expect(try inferred(.json, c.schema) == c.columns)
    }

    @Test func keys() throws {
        #expect(try inferred(.json, #"{"oneOf":[{"type":"null"},{"type":"integer","connect.type":"int32"}]}"#, isKey: true, unwrapped: true) == "ROWKEY INTEGER")
        #expect(try inferred(.json, #"{"type":"string"}"#, isKey: true, unwrapped: true) == "ROWKEY STRING")
    }
}

@Suite("Schema inference: protobuf")
struct ProtobufSchemaInferenceTests {
    static let cases: [(schema: String, columns: String)] = [
        (#"syntax = "proto3"; message M {bool c1 = 1; int32 c2 = 2; int64 c3 = 3; double c4 = 4; string c5 = 5; bytes c6 = 6;}"#,
         "C1 BOOLEAN, C2 INTEGER, C3 BIGINT, C4 DOUBLE, C5 STRING, C6 BYTES"),
        (#"syntax = "proto3"; message M {float c1 = 1; uint32 c2 = 2; uint64 c3 = 3; sint32 c4 = 4; sint64 c5 = 5; fixed32 c6 = 6;}"#,
         "C1 DOUBLE, C2 BIGINT, C3 BIGINT, C4 INTEGER, C5 BIGINT, C6 BIGINT"),
        (#"syntax = "proto3"; import 'google/protobuf/wrappers.proto'; message M {google.protobuf.BoolValue c1 = 1; google.protobuf.Int32Value c2 = 2; google.protobuf.StringValue c3 = 3;}"#,
         "C1 BOOLEAN, C2 INTEGER, C3 STRING"),
        (#"syntax = "proto3"; import "confluent/type/decimal.proto"; message M {confluent.type.Decimal c6 = 6 [(confluent.field_meta) = { params: [{ value: "4", key: "precision" }, { value: "2", key: "scale" }]}];}"#,
         "C6 DECIMAL(4, 2)"),
        (#"syntax = "proto3"; message M { enum Suit {SPADES = 0; HEARTS = 1;} Suit c1 = 1; }"#, "C1 STRING"),
        (
            """
            syntax = "proto3";
            package acme.orders; // comments are fine
            import "google/protobuf/timestamp.proto";
            message Order {
              message Line { string sku = 1; /* block */ int32 qty = 2; }
              repeated Line lines = 1;
              map<string, double> prices = 2;
              google.protobuf.Timestamp at = 3;
              oneof pay { string card = 4; string iban = 5; }
              reserved 9;
            }
            """,
            "LINES ARRAY<STRUCT<`SKU` STRING, `QTY` INTEGER>>, PRICES MAP<STRING, DOUBLE>, AT TIMESTAMP, PAY_0 STRUCT<`CARD` STRING, `IBAN` STRING>"
        ),
    ]

    @Test(arguments: cases)
    func messageFieldsBecomeColumns(_ c: (schema: String, columns: String)) throws {
        #expect(try inferred(.protobuf, c.schema) == c.columns)
    }

    @Test func aFullNamePicksTheMessage() throws {
        let schema = #"syntax = "proto3"; message ProtobufKey1 {uint32 k1 = 1;} message ProtobufKey2 {string K = 1;}"#
        #expect(try inferred(.protobuf, schema, fullName: "ProtobufKey2") == "K STRING")
        #expect(try inferred(.protobuf, schema) == "K1 BIGINT")
        #expect(errorMessage { try inferred(.protobuf, schema, fullName: "Nope") }?.contains("not found") == true)
        let definitions = try SchemaInference.definedNames(PhysicalSchema(id: 1, type: .protobuf, text: schema))
        #expect(definitions == ["ProtobufKey1", "ProtobufKey2"])
    }

    @Test func importsResolveThroughReferences() throws {
        let main = "syntax = \"proto3\";\nimport \"event.proto\";\nmessage Logistics {\n Event event = 1;\n}"
        let event = SchemaReferenceText(name: "event.proto", schema: "syntax = \"proto3\";\nmessage Event {\n int64 timestamp = 1;\n}")
        #expect(try inferred(.protobuf, main, names: .original, references: [event]) == "event STRUCT<`timestamp` BIGINT>")
        // Without the reference the field's type is unknown and left out.
        #expect(errorMessage { try inferred(.protobuf, main) }?.contains("does not include any columns") == true)
    }

    @Test func malformedProtoIsAnError() {
        #expect(errorMessage { try inferred(.protobuf, "message M { int32 = 1; }") } != nil)
        #expect(errorMessage { try inferred(.protobuf, "message M { string s = 1;") } != nil)
    }
}

@Suite("Registered schema text")
struct CanonicalSchemaTextTests {
    @Test func equivalentSpellingsCompareEqual() {
        #expect(SchemaInference.canonicalText(#""int""#, type: .avro) == SchemaInference.canonicalText(#"{ "type" : "int" }"#, type: .avro))
        #expect(SchemaInference.canonicalText(#"{"a": 1}"#, type: .json) == SchemaInference.canonicalText("{ \"a\" :1 }", type: .json))
        #expect(SchemaInference.canonicalText("message  M {\n int32 a = 1; }", type: .protobuf) == "message M { int32 a = 1; }")
        #expect(SchemaInference.canonicalText(#""int""#, type: .avro) != SchemaInference.canonicalText(#""long""#, type: .avro))
    }
}
