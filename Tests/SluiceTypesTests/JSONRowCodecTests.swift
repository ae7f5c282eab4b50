import SluiceTypes
import Testing

@Suite struct JSONRowCodecTests {
    static let allTypes: [Column] = [
        Column(name: "B", type: .boolean), Column(name: "I", type: .integer), Column(name: "L", type: .bigint),
        Column(name: "D", type: .double), Column(name: "DEC", type: .decimal(precision: 6, scale: 2)),
        Column(name: "S", type: .string), Column(name: "BY", type: .bytes), Column(name: "DT", type: .date),
        Column(name: "T", type: .time), Column(name: "TS", type: .timestamp),
        Column(name: "A", type: .array(.integer)), Column(name: "M", type: .map(key: .string, value: .double)),
        Column(name: "ST", type: .structure([StructField(name: "X", type: .string), StructField(name: "y", type: .integer)])),
    ]

    static let allValues: [Value] = [
        .boolean(true), .integer(-5), .bigint(10_827_272_222), .double(1e10), dec(1050, 2), .string("a\"é\n"),
        .bytes([0x61, 0x62, 0x63]), .date(18262), .time(1000), .timestamp(1_577_836_800_000),
        .array([.integer(1), .null]), .map([MapEntry(key: .string("k"), value: .double(0.5))]),
        .structure([StructEntry(name: "X", value: .string("x")), StructEntry(name: "y", value: .null)]),
    ]

    func codec(_ columns: [Column], wrap: Bool? = nil, key: Bool = false) throws -> any RowCodec {
        try Codecs.make(format: .json, columns: columns, options: FormatOptions(wrapSingleValue: wrap), isKey: key)
    }

    @Test func writesEveryTypeAsKsqlDBAndReadsItBack() throws {
        let c = try codec(Self.allTypes)
        let encoded = try c.encode(Self.allValues)
        #expect(text(encoded) == #"{"B":true,"I":-5,"L":10827272222,"D":1.0E10,"DEC":10.50,"S":"a\"é\n","BY":"YWJj","DT":18262,"T":1000,"TS":1577836800000,"A":[1,null],"M":{"k":0.5},"ST":{"X":"x","y":null}}"#)
        #expect(try c.decode(encoded) == Self.allValues)
        let nulls = [Value](repeating: .null, count: Self.allTypes.count)
        #expect(try c.decode(try c.encode(nulls)) == nulls)
    }

    @Test func roundTripsEachTypeUnwrapped() throws {
        for (column, value) in zip(Self.allTypes, Self.allValues) {
            let c = try codec([column], wrap: false)
            #expect(try c.decode(try c.encode([value])) == [value], "\(column.type)")
        }
        let c = try codec([Column(name: "D", type: .double)], wrap: false)
        #expect(text(try c.encode([.double(.nan)])) == "\"NaN\"")
        guard case .double(let d) = try c.decode(bytes("\"NaN\""))[0] else { Issue.record("not a double"); return }
        #expect(d.isNaN)
        #expect(text(try c.encode([.double(9876.54321)])) == "9876.54321")
    }

    @Test func readsOnlyTheColumnsAskedForMatchingNamesLikeKsqlDB() throws {
        let c = try codec([Column(name: "ID", type: .bigint), Column(name: "NAME", type: .string), Column(name: "MISSING", type: .integer)])
        let record = #"{"skip": {"deep": [1, 2, {"x": "y\u0041"}], "n": null}, "id": 120, "Name": "bob", "age": "49"}"#
        #expect(try c.decode(bytes(record)) == [.bigint(120), .string("bob"), .null])
        #expect(try c.decode(bytes(#"{"ID": 1, "id": 2}"#)) == [.bigint(1), .null, .null])
        #expect(try c.decode(bytes(#"{"N\u0041ME": "escaped key"}"#)) == [.null, .string("escaped key"), .null])
        // Skipped members are still validated.
        #expect(errorMessage { try c.decode(bytes(#"{"skip": [1, 2,], "ID": 1}"#)) }?.hasPrefix("Invalid JSON: unexpected character ']'") == true)
        #expect(errorMessage { try c.decode(bytes(#"{"skip": "\x", "ID": 1}"#)) }?.contains("invalid escape") == true)
        // Bytes after the value are ignored, as Jackson's readTree does.
        #expect(try c.decode(bytes(#"{"ID": 7} trailing"#)) == [.bigint(7), .null, .null])
    }

    @Test func manyColumnsUseTheWideFieldState() throws {
        let columns = (0..<70).map { Column(name: "C\($0)", type: .integer) }
        let c = try codec(columns)
        let values = (0..<70).map { Value.integer(Int32($0)) }
        #expect(try c.decode(try c.encode(values)) == values)
        var record = "{" + (0..<70).map { "\"c\($0)\":1" }.joined(separator: ",")
        record += "," + (0..<70).map { "\"C\($0)\":\($0)" }.joined(separator: ",") + ",\"c69\":5}"
        #expect(try c.decode(bytes(record)) == values)
    }

    @Test func singleValuesWrappedByDefaultUnwrappedOnRequest() throws {
        let wrapped = try codec([Column(name: "FOO", type: .integer)])
        #expect(text(try wrapped.encode([.integer(10)])) == #"{"FOO":10}"#)
        #expect(try wrapped.decode(bytes(#"{"foo":10}"#)) == [.integer(10)])
        #expect(errorMessage { try wrapped.decode(bytes("10")) } == "Can't convert type. sourceType: IntNode, requiredType: STRUCT<`FOO` INTEGER>, path: $")
        let bare = try codec([Column(name: "FOO", type: .integer)], wrap: false)
        #expect(text(try bare.encode([.integer(10)])) == "10")
        #expect(text(try bare.encode([.null])) == "null")
        #expect(try bare.decode(bytes(" 10 ")) == [.integer(10)])
        let structValue = try codec([Column(name: "V", type: .structure([StructField(name: "F1", type: .string)]))], wrap: false)
        #expect(try structValue.decode(bytes(#"{"F1":"bar"}"#)) == [.structure([StructEntry(name: "F1", value: .string("bar"))])])
        #expect(text(try structValue.encode([.structure([StructEntry(name: "F1", value: .string("bar"))])])) == #"{"F1":"bar"}"#)
    }

    @Test func nullAndEmptyRecords() throws {
        let value = try codec([Column(name: "A", type: .integer), Column(name: "B", type: .integer)])
        #expect(errorMessage { try value.decode(bytes("null")) } == "JSON value is null, path: $")
        #expect(errorMessage { try value.decode([]) } == "Invalid JSON: no content to read")
        #expect(errorMessage { try value.decode(bytes("  ")) } == "Invalid JSON: no content to read")
        let bare = try codec([Column(name: "A", type: .integer)], wrap: false)
        #expect(errorMessage { try bare.decode(bytes("null")) } == "JSON value is null, path: $")
        let key = try codec([Column(name: "K", type: .string, namespace: .key)], key: true)
        #expect(try key.decode(bytes("null")) == [.null])
        let keys = try codec([Column(name: "K1", type: .string, namespace: .key), Column(name: "K2", type: .integer, namespace: .key)], key: true)
        #expect(try keys.decode(bytes("null")) == [.null, .null])
    }

    @Test func keysAreBareForOneColumnAndObjectsForSeveral() throws {
        let one = try codec([Column(name: "K", type: .string, namespace: .key)], wrap: true, key: true)
        #expect(text(try one.encode([.string("Hey")])) == "\"Hey\"")
        #expect(try one.decode(bytes("\"Hey\"")) == [.string("Hey")])
        let decimalKey = try codec([Column(name: "K", type: .decimal(precision: 6, scale: 4), namespace: .key)], key: true)
        #expect(try decimalKey.decode(bytes("12.365")) == [dec(12_365, 3)])
        #expect(text(try decimalKey.encode([dec(123_650, 4)])) == "12.3650")
        let two = try codec([Column(name: "K1", type: .string, namespace: .key), Column(name: "K2", type: .string, namespace: .key)], key: true)
        #expect(text(try two.encode([.string("foo"), .string("bar")])) == #"{"K1":"foo","K2":"bar"}"#)
        #expect(try two.decode(bytes(#"{"k2":"bar","k1":"foo"}"#)) == [.string("foo"), .string("bar")])
    }

    @Test func jsonSchemaRegistryFraming() throws {
        let c = try Codecs.make(format: .jsonSR, columns: [Column(name: "FOO", type: .integer)], options: FormatOptions(), isKey: false)
        let encoded = try c.encode([.integer(10)])
        #expect(encoded == [0, 0, 0, 0, 1] + bytes(#"{"FOO":10}"#))
        #expect(try c.decode(encoded) == [.integer(10)])
        #expect(try c.decode([0, 0, 0, 0, 42] + bytes(#"{"FOO":11}"#)) == [.integer(11)])
        #expect(errorMessage { try c.decode(bytes(#"{"FOO":10}"#)) }?.hasPrefix("Got unexpected JSON serialization format that did not start with the magic byte") == true)
        #expect(errorMessage { try c.decode([0, 0, 1]) } != nil)
        let custom = try JSONRowCodec(columns: [Column(name: "K", type: .integer)], options: FormatOptions(), isKey: true, schemaID: 0x01020304)
        #expect(try custom.encode([.integer(3)]) == [0, 1, 2, 3, 4, 0x33])
    }

    @Test func rejectsWhatJSONCannotHold() {
        #expect(errorMessage { try codec([Column(name: "M", type: .map(key: .integer, value: .double))]) } == "JSON only supports MAP types with STRING keys")
        #expect(errorMessage { try codec([Column(name: "A", type: .integer), Column(name: "B", type: .integer)], wrap: false) }
            == "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas")
        #expect(errorMessage { try codec([Column(name: "A", type: .integer)]).encode([]) } != nil)
    }

    @Test func reportsCoercionPaths() throws {
        let c = try codec([Column(name: "A", type: .array(.structure([StructField(name: "B", type: .integer)])))])
        #expect(errorMessage { try c.decode(bytes(#"{"A": [{"B": 1}, {"b": true}]}"#)) }
            == "Can't convert type. sourceType: BooleanNode, requiredType: INTEGER, path: $.A[1].B")
    }
}
