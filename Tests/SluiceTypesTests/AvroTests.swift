import SluiceTypes
import Testing

/// A small deterministic generator (SplitMix64) for fuzz and property tests.
struct AvroProtobufRandom {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }

    /// A random value of `type`; NULL with probability 1/`nullOneIn` (0: never).
    mutating func value(_ type: SQLType, nullOneIn: Int) -> Value {
        if nullOneIn > 0 && below(nullOneIn) == 0 { return .null }
        switch type {
        case .boolean: return .boolean(below(2) == 0)
        case .integer: return .integer(Int32(truncatingIfNeeded: next() >> UInt64(below(33))))
        case .bigint: return .bigint(Int64(bitPattern: next() >> UInt64(below(65))))
        case .double: return .double(Double(Int64(bitPattern: next() >> 12)) / 1024)
        case .decimal(let p, let s):
            var bound: Int128 = 1
            for _ in 0..<p { bound *= 10 }
            let magnitude = Int128(next()) << 64 | Int128(next())
            return .decimal(SQLDecimal(unscaled: (magnitude % bound) * (below(2) == 0 ? 1 : -1), scale: s))
        case .string: return .string(String(decoding: (0..<below(6)).map { _ in UInt8(0x41 + below(26)) }, as: UTF8.self) + (below(4) == 0 ? "é😀" : ""))
        case .bytes: return .bytes(bytes(below(5)))
        case .date: return .date(Int32(below(40000)) - 10000)
        case .time: return .time(Int32(below(86_400_000)))
        case .timestamp: return .timestamp(Int64(below(1 << 40)) - (1 << 39))
        case .array(let e): return .array((0..<below(4)).map { _ in value(e, nullOneIn: nullOneIn) })
        case .map(_, let v):
            var entries: [MapEntry] = []
            for i in 0..<below(4) { entries.append(MapEntry(key: .string("k\(i)"), value: value(v, nullOneIn: nullOneIn))) }
            return .map(entries)
        case .structure(let fields):
            return .structure(fields.map { StructEntry(name: $0.name, value: value($0.type, nullOneIn: nullOneIn)) })
        }
    }
}

/// Columns of every SQL type, nested ones included, shared by the Avro and protobuf tests.
let avroProtobufColumns: [Column] = [
    Column(name: "B", type: .boolean), Column(name: "I", type: .integer), Column(name: "L", type: .bigint),
    Column(name: "D", type: .double), Column(name: "DEC", type: .decimal(precision: 6, scale: 2)),
    Column(name: "S", type: .string), Column(name: "BY", type: .bytes), Column(name: "DT", type: .date),
    Column(name: "T", type: .time), Column(name: "TS", type: .timestamp),
    Column(name: "A", type: .array(.integer)), Column(name: "M", type: .map(key: .string, value: .double)),
    Column(name: "ST", type: .structure([
        StructField(name: "X", type: .string),
        StructField(name: "Y", type: .array(.structure([StructField(name: "Z", type: .decimal(precision: 20, scale: 10))]))),
        StructField(name: "N", type: .map(key: .string, value: .structure([StructField(name: "Q", type: .timestamp)]))),
    ])),
    Column(name: "AS", type: .array(.string)), Column(name: "MM", type: .map(key: .string, value: .map(key: .string, value: .bigint))),
]

@Suite struct AvroTests {
    static let header: [UInt8] = [0, 0, 0, 0, 1]

    func codec(_ columns: [Column], wrap: Bool? = nil, key: Bool = false) throws -> AvroRowCodec {
        try AvroRowCodec(columns: columns, options: FormatOptions(wrapSingleValue: wrap), isKey: key)
    }

    // MARK: byte-exact vectors

    @Test func writesARecordOfOptionalUnions() throws {
        let c = try codec([Column(name: "A", type: .integer), Column(name: "B", type: .string)])
        // A: branch 1 (zig-zag 2), int 1 (zig-zag 2); B: branch 1, length 2 (zig-zag 4), "hi".
        #expect(try c.encode([.integer(1), .string("hi")]) == Self.header + [2, 2, 2, 4, 0x68, 0x69])
        // NULLs take branch 0 and nothing else.
        #expect(try c.encode([.null, .null]) == Self.header + [0, 0])
        #expect(try c.decode(Self.header + [2, 2, 2, 4, 0x68, 0x69]) == [.integer(1), .string("hi")])
        #expect(try c.decode(Self.header + [0, 0]) == [.null, .null])
    }

    @Test func zigZagVarints() throws {
        let i = try codec([Column(name: "V", type: .integer)], key: true)
        #expect(try i.encode([.integer(0)]) == Self.header + [0x00])
        #expect(try i.encode([.integer(-1)]) == Self.header + [0x01])
        #expect(try i.encode([.integer(-64)]) == Self.header + [0x7F])
        #expect(try i.encode([.integer(64)]) == Self.header + [0x80, 0x01])
        #expect(try i.encode([.integer(Int32.min)]) == Self.header + [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        #expect(try i.decode(Self.header + [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) == [.integer(Int32.min)])
        let l = try codec([Column(name: "V", type: .bigint)], key: true)
        #expect(try l.encode([.bigint(300)]) == Self.header + [0xD8, 0x04])
        #expect(try l.encode([.bigint(Int64.max)]) == Self.header + [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        #expect(try l.decode(Self.header + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]) == [.bigint(Int64.min)])
    }

    @Test func scalarEncodings() throws {
        func bare(_ type: SQLType, _ v: Value) throws -> [UInt8] {
            Array(try codec([Column(name: "V", type: type)], key: true).encode([v]).dropFirst(5))
        }
        #expect(try bare(.boolean, .boolean(true)) == [1])
        #expect(try bare(.double, .double(1.0)) == [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
        #expect(try bare(.string, .string("é")) == [4, 0xC3, 0xA9])
        #expect(try bare(.bytes, .bytes([9, 8, 7])) == [6, 9, 8, 7])
        // DATE 2020-01-01 = day 18262, zig-zag 36524.
        #expect(try bare(.date, .date(18262)) == [0xAC, 0x9D, 0x02])
        #expect(try bare(.time, .time(1000)) == [0xD0, 0x0F])
        #expect(try bare(.timestamp, .timestamp(-1)) == [0x01])
    }

    @Test func decimalsAreMinimalTwosComplementBytes() throws {
        let c = try codec([Column(name: "V", type: .decimal(precision: 4, scale: 2))], key: true)
        func body(_ unscaled: Int128) throws -> [UInt8] { Array(try c.encode([dec(unscaled, 2)]).dropFirst(5)) }
        #expect(try body(1234) == [4, 0x04, 0xD2])
        #expect(try body(0) == [2, 0x00])
        #expect(try body(127) == [2, 0x7F])
        #expect(try body(128) == [4, 0x00, 0x80])
        #expect(try body(-128) == [2, 0x80])
        #expect(try body(-129) == [4, 0xFF, 0x7F])
        #expect(try c.decode(Self.header + [4, 0xFF, 0x7F]) == [dec(-129, 2)])
        // A value at another scale is written at the column's scale.
        #expect(try c.encode([dec(5, 0)]) == Self.header + [4, 0x01, 0xF4])
        // Redundant sign bytes are accepted when reading.
        #expect(try c.decode(Self.header + [8, 0xFF, 0xFF, 0xFF, 0x7F]) == [dec(-129, 2)])
        #expect(errorMessage { try c.decode(Self.header + [0]) } == "Zero length BigInteger")
        // 10000 (100.00) has too many integer digits for DECIMAL(4, 2).
        #expect(errorMessage { try c.decode(Self.header + [4, 0x27, 0x10]) }?.hasPrefix("Numeric field overflow") == true)
        #expect(errorMessage { try c.encode([dec(1, 3)]) } != nil)
    }

    @Test func arraysAndMapsAreBlocks() throws {
        let a = try codec([Column(name: "A", type: .array(.integer))])
        // branch 1; a block of 2 items (zig-zag 4): [branch 1, 1], [branch 0]; end of blocks.
        #expect(try a.encode([.array([.integer(1), .null])]) == Self.header + [2, 4, 2, 2, 0, 0])
        #expect(try a.encode([.array([])]) == Self.header + [2, 0])
        #expect(try a.decode(Self.header + [2, 0]) == [.array([])])
        // Blocks with a negative count carry their size; several blocks concatenate.
        #expect(try a.decode(Self.header + [2, 1, 4, 2, 6, 2, 2, 8, 0]) == [.array([.integer(3), .integer(4)])])
        let m = try codec([Column(name: "M", type: .map(key: .string, value: .double))])
        // ksqlDB maps are arrays of {key, value} records.
        #expect(try m.encode([.map([MapEntry(key: .string("k"), value: .double(0.5))])])
            == Self.header + [2, 2, 2, 2, 0x6B, 2, 0, 0, 0, 0, 0, 0, 0xE0, 0x3F, 0])
        // A repeated key keeps the last value.
        let twice = Self.header + [2, 4, 2, 2, 0x6B, 0, 2, 2, 0x6B, 2, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0]
        #expect(try m.decode(twice) == [.map([MapEntry(key: .string("k"), value: .double(1))])])
    }

    @Test func singleKeysAndUnwrappedValuesAreBare() throws {
        let k = try codec([Column(name: "K", type: .integer)], key: true)
        #expect(k.isUnwrapped)
        #expect(try k.encode([.integer(1)]) == Self.header + [2])
        #expect(try k.encodePayload([.null]) == nil)
        let v = try codec([Column(name: "V", type: .string)], wrap: false)
        #expect(try v.encode([.string("a")]) == Self.header + [2, 0x61])
        let wrapped = try codec([Column(name: "V", type: .string)])
        #expect(!wrapped.isUnwrapped)
        #expect(try wrapped.encode([.string("a")]) == Self.header + [2, 2, 0x61])
        #expect(try wrapped.encodePayload([.null]) == Self.header + [0])
        let keys = try codec([Column(name: "K1", type: .integer), Column(name: "K2", type: .integer)], key: true)
        #expect(try keys.encode([.integer(1), .null]) == Self.header + [2, 2, 0])
        #expect(errorMessage { try codec([Column(name: "A", type: .integer), Column(name: "B", type: .integer)], wrap: false) }
            == "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas")
    }

    // MARK: schemas

    @Test func derivesKsqlDBSchemaText() throws {
        let columns = [
            Column(name: "A", type: .integer), Column(name: "M", type: .map(key: .string, value: .integer)),
            Column(name: "S", type: .structure([StructField(name: "X", type: .double)])),
            Column(name: "D", type: .decimal(precision: 4, scale: 2)), Column(name: "T", type: .timestamp),
        ]
        let expected = #"{"type":"record","name":"KsqlDataSourceSchema","namespace":"io.confluent.ksql.avro_schemas","fields":["#
            + #"{"name":"A","type":["null","int"],"default":null},"#
            + #"{"name":"M","type":["null",{"type":"array","items":{"type":"record","name":"KsqlDataSourceSchema_M","fields":["#
            + #"{"name":"key","type":["null","string"],"default":null},{"name":"value","type":["null","int"],"default":null}],"#
            + #""connect.internal.type":"MapEntry"}}],"default":null},"#
            + #"{"name":"S","type":["null",{"type":"record","name":"KsqlDataSourceSchema_S","fields":[{"name":"X","type":["null","double"],"default":null}]}],"default":null},"#
            + #"{"name":"D","type":["null",{"type":"bytes","scale":2,"precision":4,"logicalType":"decimal"}],"default":null},"#
            + #"{"name":"T","type":["null",{"type":"long","logicalType":"timestamp-millis"}],"default":null}]}"#
        #expect(try AvroRowCodec.schemaJSON(columns: columns, isKey: false, wrap: nil) == expected)
        // Single keys and unwrapped values: the bare, non-optional type.
        #expect(try AvroRowCodec.schemaJSON(columns: [Column(name: "K", type: .integer)], isKey: true, wrap: nil) == #""int""#)
        #expect(try AvroRowCodec.schemaJSON(columns: [Column(name: "V", type: .array(.boolean))], isKey: false, wrap: false)
            == #"{"type":"array","items":["null","boolean"]}"#)
        // An unwrapped map's entries are named after the root; a struct value after the map.
        #expect(try AvroRowCodec.schemaJSON(columns: [Column(name: "V", type: .map(key: .string, value: .structure([StructField(name: "F", type: .date)])))], isKey: false, wrap: false)
            == #"{"type":"array","items":{"type":"record","name":"KsqlDataSourceSchema","namespace":"io.confluent.ksql.avro_schemas","fields":[{"name":"key","type":["null","string"],"default":null},"#
            + #"{"name":"value","type":["null",{"type":"record","name":"KsqlDataSourceSchema_MapValue","fields":[{"name":"F","type":["null",{"type":"int","logicalType":"date"}],"default":null}]}],"default":null}],"connect.internal.type":"MapEntry"}}"#)
        // Other full names; dots in field names become underscores.
        let custom = try AvroRowCodec.schemaJSON(columns: [Column(name: "a.b", type: .time)], isKey: false, wrap: nil, fullName: "com.acme.Thing")
        #expect(custom == #"{"type":"record","name":"Thing","namespace":"com.acme","fields":[{"name":"a_b","type":["null",{"type":"int","logicalType":"time-millis"}],"default":null}]}"#)
    }

    @Test func rejectsWhatAvroCannotHold() {
        #expect(errorMessage { try codec([Column(name: "M", type: .map(key: .integer, value: .double))]) } == "Avro only supports MAPs with STRING keys")
        #expect(errorMessage { try codec([Column(name: "1AvroDoesNotLikeFieldsThatStartWithNumbers", type: .double)]) }
            == "Schema is not compatible with Avro: Illegal initial character: 1AvroDoesNotLikeFieldsThatStartWithNumbers")
        #expect(errorMessage { try codec([Column(name: "a-b", type: .double)]) } == "Schema is not compatible with Avro: Illegal character in: a-b")
        // A bare single column's name is not part of the schema.
        #expect(errorMessage { try codec([Column(name: "1x", type: .double)], key: true) } == nil)
        #expect(errorMessage { try codec([Column(name: "S", type: .structure([StructField(name: "ok", type: .map(key: .bigint, value: .string))]))]) }
            == "Avro only supports MAPs with STRING keys")
        #expect(errorMessage { try AvroRowCodec(columns: [Column(name: "A", type: .integer)], options: FormatOptions(), isKey: false, schemaID: 1, fullSchemaName: " ") }
            == "the schema name cannot be empty")
    }

    @Test func parsesAndPrintsSchemas() throws {
        let text = #"{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":{"type":"enum","name":"E","symbols":["X","Y"]}},"#
            + #"{"name":"b","type":["null","E"],"default":null},{"name":"c","type":{"type":"fixed","name":"F","size":2,"logicalType":"decimal","precision":4,"scale":1}},"#
            + #"{"name":"d","type":{"type":"map","values":"long"}}],"connect.name":"n.R"}"#
        let schema = try AvroSchema.parse(text)
        #expect(schema.jsonText == text)
        #expect(try AvroSchema.parse(#""int""#) == .int)
        #expect(try AvroSchema.parse(#"{"type":"int","logicalType":"date"}"#) == .date)
        #expect(try AvroSchema.parse(#"{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}"#) == .decimal(precision: 4, scale: 2))
        #expect(try AvroSchema.parse(#"["null",{"type":"long","logicalType":"timestamp-millis"}]"#) == .optional(.timestampMillis))
        let derived = try AvroSchema.ksql(columns: avroProtobufColumns, unwrapped: false)
        #expect(try AvroSchema.parse(derived.jsonText) == derived)
        #expect(errorMessage { try AvroSchema.parse(#"{"type":"record","name":"R","fields":[{"name":"r","type":"R"}]}"#) }
            == "Recursive Avro schemas are not supported: R")
        #expect(errorMessage { try AvroSchema.parse(#""Nope""#) } == "Undefined Avro type name: Nope")
        #expect(errorMessage { try AvroSchema.parse("{") }?.hasPrefix("Invalid Avro schema JSON") == true)
    }

    // MARK: round trips

    @Test func roundTripsEveryTypeWithNulls() throws {
        let c = try codec(avroProtobufColumns)
        var random = AvroProtobufRandom(state: 42)
        for _ in 0..<300 {
            let row = avroProtobufColumns.map { random.value($0.type, nullOneIn: 5) }
            #expect(try c.decode(try c.encode(row)) == row)
        }
        let nulls = [Value](repeating: .null, count: avroProtobufColumns.count)
        #expect(try c.decode(try c.encode(nulls)) == nulls)
    }

    @Test func roundTripsEachTypeUnwrapped() throws {
        var random = AvroProtobufRandom(state: 7)
        for column in avroProtobufColumns {
            let c = try codec([column], wrap: false)
            for _ in 0..<20 {
                // The top level is not optional: only nested values may be NULL.
                var v = random.value(column.type, nullOneIn: 4)
                if v.isNull { v = random.value(column.type, nullOneIn: 0) }
                #expect(try c.decode(try c.encode([v])) == [v], "\(column.type)")
            }
        }
    }

    @Test func dottedStructFieldsKeepTheirNames() throws {
        let columns = [Column(name: "S", type: .structure([StructField(name: "a.b", type: .integer)]))]
        let c = try codec(columns)
        let row: [Value] = [.structure([StructEntry(name: "a.b", value: .integer(3))])]
        #expect(try c.decode(try c.encode(row)) == row)
    }

    // MARK: other writer schemas

    func written(_ schemaText: String, _ columns: [Column], _ values: [Value], wrap: Bool? = nil, key: Bool = false) throws -> [UInt8] {
        let schema = try AvroSchema.parse(schemaText)
        return try AvroRowCodec(columns: columns, options: FormatOptions(wrapSingleValue: wrap), isKey: key, schemaID: 7, physicalSchema: schema).encode(values)
    }

    func read(_ bytes: [UInt8], _ schemaText: String, _ columns: [Column], wrap: Bool? = nil, key: Bool = false) throws -> [Value] {
        let schema = try AvroSchema.parse(schemaText)
        return try AvroRowCodec(columns: columns, options: FormatOptions(wrapSingleValue: wrap), isKey: key, schemaID: 7, physicalSchema: schema).decode(bytes)
    }

    @Test func readsOtherSchemasWithKsqlDBCoercions() throws {
        // An int written bare, read as STRING.
        let int = try written(#""int""#, [Column(name: "V", type: .integer)], [.integer(10)], wrap: false)
        #expect(int == [0, 0, 0, 0, 7, 20])
        #expect(try read(int, #""int""#, [Column(name: "FOO", type: .string)], wrap: false) == [.string("10")])
        #expect(try read(int, #""int""#, [Column(name: "FOO", type: .bigint)], wrap: false) == [.bigint(10)])
        // A plain Avro map, read with coercion of its values.
        let mapSchema = #"{"type":"map","values":["null","int"]}"#
        let map = try written(mapSchema, [Column(name: "V", type: .map(key: .string, value: .integer))],
                              [.map([MapEntry(key: .string("a"), value: .integer(1)), MapEntry(key: .string("b"), value: .null)])], wrap: false)
        #expect(try read(map, mapSchema, [Column(name: "FOO", type: .map(key: .string, value: .string))], wrap: false)
            == [.map([MapEntry(key: .string("a"), value: .string("1")), MapEntry(key: .string("b"), value: .null)])])
        // Records: fields matched by name (exact, else upper-cased), extra fields skipped.
        let recordSchema = #"{"type":"record","name":"blah","fields":[{"name":"c1","type":"boolean"},{"name":"skip","type":{"type":"array","items":"string"}},"#
            + #"{"name":"c3","type":"long"},{"name":"c4","type":"float"},{"name":"c5","type":{"type":"enum","name":"E","symbols":["A","B"]}}]}"#
        let columns = [Column(name: "C1", type: .boolean), Column(name: "C3", type: .bigint), Column(name: "C4", type: .double),
                       Column(name: "C5", type: .string), Column(name: "MISSING", type: .integer)]
        var e: [UInt8] = [0, 0, 0, 0, 7, 1, 2, 2, 0x78, 0, 0x80, 0x01]
        e += [0x92, 0xCB, 0x8F, 0x3F]  // 1.1234f, little-endian
        e += [2]
        #expect(try read(e, recordSchema, columns) == [.boolean(true), .bigint(64), .double(Double(Float(1.1234))), .string("B"), .null])
        #expect(try read(e, recordSchema, [Column(name: "C4", type: .string)]) == [.string("1.1234")])
        // Type mismatches are ksqlDB's errors.
        #expect(errorMessage { try read(e, recordSchema, [Column(name: "C1", type: .integer)]) } == "Cannot deserialize type boolean as type int32 for path: ->C1")
        #expect(errorMessage { try read(int, #""int""#, [Column(name: "V", type: .integer)]) } == "Cannot deserialize type int32 as type struct for path: ")
        #expect(errorMessage { try read(int, #""long""#, [Column(name: "V", type: .integer)], wrap: false) } == "Cannot deserialize type int64 as type int32 for path: ")
    }

    @Test func writesWithARegisteredSchema() throws {
        // A registered schema with required fields and its own names (VALUE_SCHEMA_ID).
        let schema = #"{"type":"record","name":"T","namespace":"com.acme","fields":[{"name":"eventID","type":"string"},"#
            + #"{"name":"amount","type":"int"},{"name":"extra","type":["null","long"],"default":null}]}"#
        let columns = [Column(name: "AMOUNT", type: .integer), Column(name: "eventID", type: .string)]
        let bytes = try written(schema, columns, [.integer(3), .string("e")])
        // Fields in the schema's order: "e", 3, then the unfed optional field as null.
        #expect(bytes == [0, 0, 0, 0, 7, 2, 0x65, 6, 0])
        #expect(try read(bytes, schema, columns) == [.integer(3), .string("e")])
        #expect(errorMessage { try written(schema, columns, [.null, .string("e")]) } == "Avro int cannot hold NULL")
        let missing = [Column(name: "eventID", type: .string)]
        #expect(errorMessage { try written(schema, missing, [.string("e")]) } == "Avro field amount has no value and is not nullable")
    }

    @Test func generalUnionsReadAsStructs() throws {
        let schema = #"["null","int","string"]"#
        let columns = [Column(name: "U", type: .structure([StructField(name: "INT", type: .integer), StructField(name: "STRING", type: .string)]))]
        #expect(try read([0, 0, 0, 0, 7, 4, 2, 0x61], schema, columns, wrap: false)
            == [.structure([StructEntry(name: "INT", value: .null), StructEntry(name: "STRING", value: .string("a"))])])
        #expect(try read([0, 0, 0, 0, 7, 2, 6], schema, columns, wrap: false)
            == [.structure([StructEntry(name: "INT", value: .integer(3)), StructEntry(name: "STRING", value: .null)])])
    }

    // MARK: errors and fuzzing

    @Test func badInputThrows() throws {
        let c = try codec([Column(name: "A", type: .integer), Column(name: "B", type: .string)])
        let good = try c.encode([.integer(1), .string("hi")])
        for n in 0..<good.count {
            #expect(errorMessage { try c.decode(Array(good.prefix(n))) } != nil, "prefix \(n)")
        }
        #expect(errorMessage { try c.decode([1] + good.dropFirst()) } == "Unknown magic byte!")
        #expect(errorMessage { try c.decode([]) } == "Unknown magic byte!")
        // Union branch 2 (zig-zag 4) and -1 (zig-zag 1) do not exist.
        #expect(errorMessage { try c.decode(Self.header + [4, 2, 0]) } == "Invalid union branch index 2 for a union of 2 types")
        #expect(errorMessage { try c.decode(Self.header + [1, 2, 0]) } == "Invalid union branch index -1 for a union of 2 types")
        // A negative string length; an over-long varint.
        #expect(errorMessage { try c.decode(Self.header + [0, 2, 1]) } == "Malformed data. Length is negative: -1")
        #expect(errorMessage { try c.decode(Self.header + [2, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]) } == "Invalid int encoding")
        let l = try codec([Column(name: "V", type: .bigint)], key: true)
        #expect(errorMessage { try l.decode(Self.header + [UInt8](repeating: 0xFF, count: 11)) } == "Invalid long encoding")
    }

    @Test func fuzzedInputNeverTraps() throws {
        let codecs: [AvroRowCodec] = [
            try codec(avroProtobufColumns),
            try codec([Column(name: "A", type: .array(.map(key: .string, value: .array(.decimal(precision: 30, scale: 3)))))], wrap: false),
            try codec([Column(name: "K", type: .string)], key: true),
        ]
        var random = AvroProtobufRandom(state: 2024)
        var decoded = 0
        for i in 0..<10_000 {
            let body = random.bytes(random.below(48))
            let input = (i % 10 == 0 ? random.bytes(5) : [0, 0, 0, 0, 1]) + body
            for c in codecs where (try? c.decode(input)) != nil { decoded += 1 }
        }
        // Mutations of valid records exercise deeper paths.
        let c = codecs[0]
        for _ in 0..<2_000 {
            var bytes = try c.encode(avroProtobufColumns.map { random.value($0.type, nullOneIn: 3) })
            for _ in 0..<(1 + random.below(3)) { bytes[5 + random.below(bytes.count - 5)] = UInt8(truncatingIfNeeded: random.next()) }
            if (try? c.decode(bytes)) != nil { decoded += 1 }
        }
        #expect(decoded > 0)
    }
}
