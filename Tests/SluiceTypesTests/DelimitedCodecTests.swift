import SluiceTypes
import Testing

@Suite struct DelimitedCodecTests {
    func codec(_ types: [SQLType], delimiter: Character = ",") throws -> any RowCodec {
        let columns = types.enumerated().map { Column(name: "C\($0.offset)", type: $0.element) }
        return try Codecs.make(format: .delimited, columns: columns, options: FormatOptions(delimiter: delimiter.asciiValue!), isKey: false)
    }

    @Test func readsFieldsWithJavaParsing() throws {
        let c = try codec([.bigint, .string, .integer])
        #expect(try c.decode(bytes("0,zero,0")) == [.bigint(0), .string("zero"), .integer(0)])
        #expect(try c.decode(bytes("1,,")) == [.bigint(1), .null, .null])
        #expect(try c.decode(bytes("\"2\",\"a,b\"\"c\",\"\"")) == [.bigint(2), .string("a,b\"c"), .null])
        #expect(try c.decode(bytes("3,\"multi\nline\",4\r\nnext,record")) == [.bigint(3), .string("multi\nline"), .integer(4)])
        #expect(try c.decode(bytes("\n\n5,x,6")) == [.bigint(5), .string("x"), .integer(6)])
        #expect(try c.decode(bytes("\"7\"  ,y ,8")) == [.bigint(7), .string("y "), .integer(8)])
        #expect(try c.decode(bytes("8,a\"b,9")) == [.bigint(8), .string("a\"b"), .integer(9)])
        let b = try codec([.boolean, .boolean, .boolean])
        #expect(try b.decode(bytes("true,\"TRUE\",yes")) == [.boolean(true), .boolean(true), .boolean(false)])
        let misc = try codec([.double, .decimal(precision: 6, scale: 4), .bytes, .date, .time, .timestamp])
        #expect(try misc.decode(bytes(" 1.5e3 ,\"12.0\",IQ==,-10,1000,1577836800000"))
            == [.double(1500), dec(120_000, 4), .bytes([0x21]), .date(-10), .time(1000), .timestamp(1_577_836_800_000)])
    }

    @Test func reportsBadRecords() throws {
        let c = try codec([.integer, .string])
        #expect(errorMessage { try c.decode(bytes("1")) } == "Column count mismatch on deserialization. expected: 2, got: 1")
        #expect(errorMessage { try c.decode(bytes("1,a,b")) } == "Column count mismatch on deserialization. expected: 2, got: 3")
        #expect(errorMessage { try c.decode([]) } == "Error deserializing delimited: No fields in record")
        #expect(errorMessage { try c.decode(bytes("x,a")) }?.hasPrefix("Error deserializing delimited: For input string: \"x\"") == true)
        #expect(errorMessage { try c.decode(bytes("1,\"open")) }?.contains("EOF reached before encapsulated token finished") == true)
        #expect(errorMessage { try c.decode(bytes("1,\"a\"b")) }?.contains("invalid char between encapsulated token and delimiter") == true)
        #expect(errorMessage { try c.decode(bytes("1,a\n2,\"open")) } != nil)  // later records are checked too
        let d = try codec([.decimal(precision: 4, scale: 2)])
        #expect(errorMessage { try d.decode(bytes("1.234")) }?.contains("without rounding") == true)
        #expect(errorMessage { try codec([.bytes]).decode(bytes("!!")) } != nil)
    }

    @Test func writesWithMinimalQuotingAsCommonsCSV() throws {
        #expect(text(try codec([.date]).encode([.date(-10)])) == "\"-10\"")
        #expect(text(try codec([.date]).encode([.date(10)])) == "10")
        #expect(text(try codec([.string, .bytes, .string]).encode([.string("!"), .bytes([0x21]), .string("!")])) == "\"!\",IQ==,\"!\"")
        #expect(text(try codec([.string, .bytes, .string]).encode([.string("#"), .bytes([0x23]), .string("#")])) == "\"#\",Iw==,\"#\"")
        let ws = try codec([.string, .string, .string, .string])
        #expect(text(try ws.encode([.string(" \t with white space \t"), .string(" \t WITH WHITE SPACE \t"), .string("with white space"), .string("\t wit")]))
            == "\" \t with white space \t\",\" \t WITH WHITE SPACE \t\",with white space,\"\t wit\"")
        let code = "\" + new java.util.function.Supplier<String>(){public String get() {return \"boom\";}}.get() + \""
        #expect(text(try codec([.string]).encode([.string(code)]))
            == "\"\"\" + new java.util.function.Supplier<String>(){public String get() {return \"\"boom\"\";}}.get() + \"\"\"")
        let mixed = try codec([.string, .string, .string, .string])
        #expect(text(try mixed.encode([.null, .string(""), .string("a,b"), .string("-x")])) == ",,\"a,b\",-x")
        #expect(text(try mixed.encode([.string(""), .null, .string("line\nbreak"), .string("é")])) == "\"\",,\"line\nbreak\",é")
        #expect(text(try codec([.string]).encode([.string("écrit")])) == "\"écrit\"")  // first field, not alphanumeric
        #expect(text(try codec([.string]).encode([.null])) == "")
        let numbers = try codec([.double, .decimal(precision: 10, scale: 9), .boolean, .bigint, .timestamp, .time, .integer])
        #expect(text(try numbers.encode([.double(1e10), dec(1, 9), .boolean(false), .bigint(-1), .timestamp(5), .time(6), .integer(-7)]))
            == "1.0E10,0.000000001,false,-1,5,6,-7")
    }

    @Test func roundTripsAndCustomDelimiters() throws {
        let types: [SQLType] = [.string, .integer, .double, .decimal(precision: 5, scale: 2), .bytes, .boolean]
        let values: [Value] = [.string("a|b \"q\""), .integer(-3), .double(0.001), dec(-1050, 2), .bytes([0xFF, 0]), .boolean(true)]
        for d: Character in [",", "|", " ", "\t", ";", "$"] {
            let c = try codec(types, delimiter: d)
            #expect(try c.decode(try c.encode(values)) == values, "delimiter \(d)")
        }
        let pipe = try codec([.bigint, .string, .integer], delimiter: "|")
        #expect(text(try pipe.encode([.bigint(0), .string("zero"), .integer(0)])) == "0|zero|0")
        let keys = try Codecs.make(format: .delimited, columns: [Column(name: "K1", type: .string, namespace: .key), Column(name: "K2", type: .string, namespace: .key)],
                                   options: FormatOptions(delimiter: UInt8(ascii: ";")), isKey: true)
        #expect(try keys.decode(bytes("foo,bar;baz")) == [.string("foo,bar"), .string("baz")])
    }

    @Test func rejectsUnsupportedTypesAndOptions() {
        #expect(errorMessage { try codec([.array(.integer)]) } == "The 'DELIMITED' format does not support type 'ARRAY', column: `C0`")
        #expect(errorMessage { try codec([.map(key: .string, value: .integer)]) }?.hasPrefix("The 'DELIMITED' format does not support type 'MAP'") == true)
        #expect(errorMessage { try codec([.structure([])]) }?.hasPrefix("The 'DELIMITED' format does not support type 'STRUCT'") == true)
        #expect(errorMessage { try Codecs.make(format: .delimited, columns: [Column(name: "A", type: .integer)], options: FormatOptions(wrapSingleValue: true), isKey: false) }
            == "Format 'DELIMITED' does not support 'WRAP_SINGLE_VALUE' set to 'true'.")
        #expect(errorMessage { try Codecs.make(format: .delimited, columns: [Column(name: "A", type: .integer)], options: FormatOptions(delimiter: 0xE2), isKey: false) }?.hasPrefix("not supported yet") == true)
    }
}
