import SluiceTypes
import Testing

/// Codecs built from `FormatOptions.physicalSchema`: records laid out as a registered schema says.
@Suite("Codecs with a registered schema")
struct RegisteredSchemaCodecTests {
    static func codec(
        _ format: FormatKind, _ type: RegisteredSchemaType, _ text: String, fullName: String? = nil, id: UInt32 = 3,
        isKey: Bool = false, names: SchemaInference.FieldNames = .upperCased
    ) throws -> (any RowCodec, [Column]) {
        let physical = PhysicalSchema(id: id, type: type, text: text, fullName: fullName)
        let columns = try SchemaInference.columns(of: physical, isKey: isKey, unwrapped: false, names: names)
            .map { Column(name: $0.name, type: $0.type, namespace: isKey ? .key : .value) }
        let codec = try Codecs.make(format: format, columns: columns, options: FormatOptions(physicalSchema: physical), isKey: isKey)
        return (codec, columns)
    }

    @Test func protobufFieldsKeepTheirWireTypes() throws {
        let proto = """
            syntax = "proto3";
            message M {
              enum Suit { SPADES = 0; HEARTS = 1; CLUBS = 4; }
              float f = 1; uint64 u = 2; sint32 s = 3; Suit suit = 4; repeated sint64 many = 5;
              map<int32, string> m = 6; Inner inner = 9;
              message Inner { fixed32 x = 1; google.protobuf.FloatValue w = 2; }
            }
            """
        let (codec, columns) = try Self.codec(.protobuf, .protobuf, proto)
        #expect(columns.map(\.name) == ["F", "U", "S", "SUIT", "MANY", "M", "INNER"])
        let row: [Value] = [
            .double(1.1234), .bigint(-1), .integer(-3), .string("CLUBS"), .array([.bigint(-1), .bigint(2)]),
            .map([MapEntry(key: .string("7"), value: .string("seven"))]),
            .structure([StructEntry(name: "X", value: .bigint(5)), StructEntry(name: "W", value: .double(0.5))]),
        ]
        let bytes = try codec.encode(row)
        // Header: magic byte, id 3, message index 0; then f (field 1, fixed32) = 1.1234 as a float.
        #expect(Array(bytes.prefix(7)) == [0, 0, 0, 0, 3, 0, 0x0D])
        // sint32 -3 is zig-zag 5 under tag (3 << 3 | 0).
        #expect(zip(bytes, bytes.dropFirst()).contains { $0 == (0x18, 5) })
        let back = try codec.decode(bytes)
        #expect(back[0] == .double(Double(Float(1.1234))))
        #expect(Array(back[1...]) == Array(row[1...]))
        // Missing fields: proto3 defaults, the enum's zero symbol, empty collections, NULL messages.
        let empty = try codec.decode([0, 0, 0, 0, 3, 0])
        #expect(empty == [.double(0), .bigint(0), .integer(0), .string("SPADES"), .array([]), .map([]), .null])
    }

    @Test func aFullNameSelectsTheMessageAndItsIndex() throws {
        let proto = #"syntax = "proto3"; message A {uint32 k1 = 1;} message B {string K = 1; float v = 2;}"#
        let (codec, columns) = try Self.codec(.protobuf, .protobuf, proto, fullName: "B", isKey: true)
        #expect(columns.map(\.name) == ["K", "V"])
        let bytes = try codec.encode([.string("x"), .double(2)])
        // Message indexes [1]: count 1 and index 1, zig-zag encoded.
        #expect(Array(bytes.prefix(7)) == [0, 0, 0, 0, 3, 2, 2])
        #expect(try codec.decode(bytes) == [.string("x"), .double(2)])
    }

    @Test func schemasTheCodecDoesNotModelFallBackToTheColumnLayout() throws {
        let proto = #"syntax = "proto3"; message M { oneof o { int32 a = 1; string b = 2; } int32 c = 3; }"#
        let (codec, _) = try Self.codec(.protobuf, .protobuf, proto)
        #expect(codec is ProtobufRowCodec)
    }

    @Test func avroWritesDefaultsForFieldsNoColumnFeeds() throws {
        let schema = #"{"type":"record","name":"r","fields":[{"name":"c1","type":"int"},{"name":"c2","type":"int","default":100},{"name":"c3","type":["null","string"],"default":null}]}"#
        let physical = PhysicalSchema(id: 4, type: .avro, text: schema)
        let sinkColumns = [Column(name: "c1", type: .integer)]
        let codec = try Codecs.make(format: .avro, columns: sinkColumns, options: FormatOptions(physicalSchema: physical), isKey: false)
        let bytes = try codec.encode([.integer(4)])
        let (reader, _, _) = try AvroRowCodec.forWriterSchema(try AvroSchema.parse(schema), isKey: false, schemaID: 4)
        #expect(try reader.decode(bytes) == [.integer(4), .integer(100), .null])
        #expect(try codec.decode(bytes) == [.integer(4)])

        // A field with neither a column nor a default cannot be written.
        let strict = PhysicalSchema(id: 5, type: .avro, text: #"{"type":"record","name":"r","fields":[{"name":"c1","type":"int"},{"name":"c2","type":"double"}]}"#)
        let failing = try Codecs.make(format: .avro, columns: sinkColumns, options: FormatOptions(physicalSchema: strict), isKey: false)
        #expect(throws: RecordError.self) { try failing.encode([.integer(4)]) }
    }
}
