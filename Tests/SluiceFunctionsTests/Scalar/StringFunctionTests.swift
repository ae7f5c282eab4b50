import SluiceTypes
import Testing

@testable import SluiceFunctions

struct ScalarCase: CustomTestStringConvertible, Sendable {
    var name: String
    var args: [Value]
    var expected: Value
    var types: [SQLType?]? = nil

    init(_ name: String, _ args: [Value], _ expected: Value, types: [SQLType?]? = nil) {
        self.name = name
        self.args = args
        self.expected = expected
        self.types = types
    }

    var testDescription: String { "\(name)(\(args))" }
}

@Suite struct StringFunctionTests {
    static let cases: [ScalarCase] = [
        ScalarCase("CONCAT", [.string("a"), .null, .string("c")], .string("ac"), types: [.string, .string, .string]),
        ScalarCase("concat", [.string("prefix-"), .string("s1")], .string("prefix-s1")),
        ScalarCase("CONCAT", [.bytes([1]), .bytes([2, 3])], .bytes([1, 2, 3])),
        ScalarCase("CONCAT_WS", [.string("SEP"), .string("foo"), .null, .string("baz")], .string("fooSEPbaz"),
            types: [.string, .string, .string, .string]),
        ScalarCase("CONCAT_WS", [.null, .string("foo")], .null, types: [.string, .string]),
        ScalarCase("CONCAT_WS", [.bytes([97]), .null, .null], .bytes([]), types: [.bytes, .bytes, .bytes]),
        ScalarCase("SUBSTRING", [.string("some_string"), .integer(6), .integer(3)], .string("str")),
        ScalarCase("SUBSTRING", [.string("short"), .integer(6), .integer(3)], .string("")),
        ScalarCase("SUBSTRING", [.string("some_string"), .integer(6)], .string("string")),
        ScalarCase("SUBSTRING", [.string("some string"), .integer(0), .integer(2)], .string("so")),
        ScalarCase("SUBSTRING", [.string("stream"), .integer(-3)], .string("eam")),
        ScalarCase("SUBSTRING", [.string("stream"), .integer(-10), .integer(3)], .string("str")),
        ScalarCase("SUBSTRING", [.string("stream"), .null], .null, types: [.string, nil]),
        ScalarCase("SUBSTRING", [.bytes([1, 2, 3, 4]), .integer(2), .integer(2)], .bytes([2, 3])),
        ScalarCase("SUBSTRING", [.string("a😀b"), .integer(2), .integer(2)], .string("😀")),
        ScalarCase("LEN", [.string("ABC")], .integer(3)),
        ScalarCase("LEN", [.string("😀")], .integer(2)),
        ScalarCase("LEN", [.bytes([1, 2])], .integer(2)),
        ScalarCase("LEN", [.null], .null, types: [.string]),
        ScalarCase("UCASE", [.string("MiXeD")], .string("MIXED")),
        ScalarCase("LCASE", [.string("MiXeD")], .string("mixed")),
        ScalarCase("TRIM", [.string(" \t with white space \t")], .string("with white space")),
        ScalarCase("REPLACE", [.string("anaconda"), .string("a"), .string("o")], .string("onocondo")),
        ScalarCase("REPLACE", [.string("anaconda"), .null, .string("o")], .null, types: [.string, .string, .string]),
        ScalarCase("REPLACE", [.string("ab"), .string(""), .string("-")], .string("-a-b-")),
        ScalarCase("INSTR", [.string("corporate floor"), .string("or")], .integer(2)),
        ScalarCase("INSTR", [.string("should I stay or should I go"), .string("or")], .integer(15)),
        ScalarCase("INSTR", [.string("no substring"), .string("or")], .integer(0)),
        ScalarCase("INSTR", [.string("CORPORATE FLOOR"), .string("OR"), .integer(3)], .integer(5)),
        ScalarCase("INSTR", [.string("CORPORATE FLOOR"), .string("OR"), .integer(3), .integer(2)], .integer(14)),
        ScalarCase("INSTR", [.string("CORPORATE FLOOR"), .string("OR"), .integer(-3)], .integer(5)),
        ScalarCase("INSTR", [.string("CORPORATE FLOOR"), .string("OR"), .integer(-3), .integer(2)], .integer(2)),
        ScalarCase("INSTR", [.string("corporate floor"), .string("or"), .integer(-4)], .integer(5)),
        ScalarCase("INSTR", [.string("short"), .string("or"), .integer(-4)], .integer(0)),
        ScalarCase("INSTR", [.null, .string("or")], .integer(0), types: [.string, .string]),
        ScalarCase("INITCAP", [.string("the   Quick br0wn fOx")], .string("The   Quick Br0wn Fox")),
        ScalarCase("INITCAP", [.string("some_string")], .string("Some_string")),
        ScalarCase("INITCAP", [.string("  lead")], .string("Lead")),
        ScalarCase("LPAD", [.string("Foo"), .integer(7), .string("Bar")], .string("BarBFoo")),
        ScalarCase("LPAD", [.string("Foo"), .integer(2), .string("Bar")], .string("Fo")),
        ScalarCase("LPAD", [.string(""), .integer(2), .string("Bar")], .string("Ba")),
        ScalarCase("LPAD", [.string("123"), .integer(5), .string("0")], .string("00123")),
        ScalarCase("RPAD", [.string("foo"), .integer(7), .string("Bar")], .string("fooBarB")),
        ScalarCase("RPAD", [.string("foo"), .integer(-1), .string("Bar")], .null),
        ScalarCase("RPAD", [.string("foo"), .integer(7), .string("")], .null),
        ScalarCase("RPAD", [.bytes([1]), .integer(3), .bytes([9])], .bytes([1, 9, 9])),
        ScalarCase("SPLIT", [.string("a.b.c"), .string(".")], strings(["a", "b", "c"])),
        ScalarCase("SPLIT", [.string("..a.."), .string(".")], strings(["", "", "a", "", ""])),
        ScalarCase("SPLIT", [.string(""), .string(".")], strings([""])),
        ScalarCase("SPLIT", [.string("abc"), .string("")], strings(["a", "b", "c"])),
        ScalarCase("SPLIT", [.string(""), .string("")], strings([""])),
        ScalarCase("SPLIT", [.bytes([1, 0, 2]), .bytes([0])], .array([.bytes([1]), .bytes([2])])),
        ScalarCase("SPLIT_TO_MAP", [.string("apple:=green/cherry:=red/apple:=pink"), .string("/"), .string(":=")],
            .map([MapEntry(key: .string("apple"), value: .string("pink")),
                  MapEntry(key: .string("cherry"), value: .string("red"))])),
        ScalarCase("SPLIT_TO_MAP", [.string("a=b"), .string("/"), .string("/")], .null),
        ScalarCase("CHR", [.integer(75)], .string("K")),
        ScalarCase("CHR", [.integer(99000)], .string("\u{182B8}")),
        ScalarCase("CHR", [.integer(-1)], .null),
        ScalarCase("CHR", [.string("\\u597d")], .string("好")),
        ScalarCase("CHR", [.string("\\ud820\\udeb8")], .string("\u{182B8}")),
        ScalarCase("CHR", [.string("75")], .null),
        ScalarCase("CHR", [.string("bogus")], .null),
        ScalarCase("ELT", [.integer(2), .string("a"), .string("b")], .string("b")),
        ScalarCase("ELT", [.integer(3), .string("a"), .string("b")], .null),
        ScalarCase("FIELD", [.string("b"), .string("a"), .string("b")], .integer(2)),
        ScalarCase("FIELD", [.null, .string("a")], .integer(0), types: [.string, .string]),
        ScalarCase("MASK", [.string("My Test $123")], .string("Xx-Xxxx--nnn")),
        ScalarCase("MASK", [.string("My Test $123"), .string("*"), .null, .string("1"), .null], .string("*y *est $111"),
            types: [.string, .string, .string, .string, .string]),
        ScalarCase("MASK_KEEP_LEFT", [.string("My Test $123"), .integer(4)], .string("My Txxx--nnn")),
        ScalarCase("MASK_KEEP_RIGHT", [.string("My Test $123"), .integer(4)], .string("Xx-Xxxx-$123")),
        ScalarCase("MASK_LEFT", [.string("My Test $123"), .integer(4)], .string("Xx-Xest $123")),
        ScalarCase("MASK_RIGHT", [.string("My Test $123"), .integer(4)], .string("My Test -nnn")),
        ScalarCase("MASK_LEFT", [.string("ab"), .integer(9)], .string("xx")),
    ]

    @Test(arguments: cases)
    func evaluates(_ c: ScalarCase) throws {
        #expect(try call(c.name, c.args, types: c.types) == c.expected)
    }

    @Test func maskRejectsLongMaskCharacter() throws {
        #expect(throws: FunctionError.self) {
            try call("MASK", [.string("a"), .string("ab"), .null, .null, .null],
                types: [.string, .string, .string, .string, .string])
        }
    }

    @Test func maskRejectsNegativeCount() throws {
        #expect(throws: FunctionError.self) { try call("MASK_LEFT", [.string("a"), .integer(-1)]) }
    }

    @Test func stringsResolveCaseInsensitively() throws {
        let r = try resolve("SubString", [.string("x"), .integer(1)])
        #expect(r.returnType == .string)
    }
}

@Suite struct RegexFunctionTests {
    static let cases: [ScalarCase] = [
        ScalarCase("REGEXP_EXTRACT", [.string("(.*) (.*)"), .string("hello there"), .integer(2)], .string("there")),
        ScalarCase("REGEXP_EXTRACT", [.string("\\d+"), .string("abc")], .null),
        ScalarCase("REGEXP_EXTRACT", [.string("(a)"), .string("abc"), .integer(5)], .null),
        ScalarCase("REGEXP_EXTRACT_ALL", [.string("test."), .string("some_test_string_testabab")],
            strings(["test_", "testa"])),
        ScalarCase("REGEXP_EXTRACT_ALL", [.string("test."), .string("nothing")], .array([])),
        ScalarCase("REGEXP_EXTRACT_ALL", [.string("(\\w+) (\\w+)"), .string("hello there nice day"), .integer(2)],
            strings(["there", "day"])),
        ScalarCase("REGEXP_REPLACE", [.string("baababaa"), .string("(ab)+"), .string("cat")], .string("bacataa")),
        ScalarCase("REGEXP_REPLACE", [.string("baabbabaa"), .string("(ab)+"), .string("cat")], .string("bacatbcataa")),
        ScalarCase("REGEXP_REPLACE", [.string("john smith"), .string("(\\w+) (\\w+)"), .string("$2, $1")],
            .string("smith, john")),
        ScalarCase("REGEXP_REPLACE", [.string("a.b"), .string("\\."), .string("\\$")], .string("a$b")),
        ScalarCase("REGEXP_SPLIT_TO_ARRAY", [.string("aabcda"), .string("(ab|cd)")], strings(["a", "", "a"])),
        ScalarCase("REGEXP_SPLIT_TO_ARRAY", [.string("aabdcda"), .string("(ab|cd)")], strings(["a", "d", "a"])),
        ScalarCase("REGEXP_SPLIT_TO_ARRAY", [.string("zxy"), .string("(ab|cd)")], strings(["zxy"])),
        ScalarCase("REGEXP_SPLIT_TO_ARRAY", [.string("abab"), .string("ab")], strings(["", "", ""])),
        ScalarCase("REGEXP_SPLIT_TO_ARRAY", [.string("abc"), .string("")], strings(["a", "b", "c"])),
        ScalarCase("REGEXP_SPLIT_TO_ARRAY", [.null, .string("x")], .null, types: [.string, .string]),
    ]

    @Test(arguments: cases)
    func evaluates(_ c: ScalarCase) throws {
        #expect(try call(c.name, c.args, types: c.types) == c.expected)
        // The same through the per-record (non-literal pattern) path.
        let r = try resolve(c.name, c.args, types: c.types, constants: false)
        #expect(try r.invoke(c.args, []) == c.expected)
    }

    @Test func badLiteralPatternFailsEveryRecord() throws {
        let r = try resolve("REGEXP_EXTRACT", [.string("("), .string("x")])
        #expect(throws: FunctionError.self) { try r.invoke([.string("("), .string("x")], []) }
    }

    @Test func badColumnPatternFailsTheRecord() throws {
        let r = try resolve("REGEXP_EXTRACT", [.string("("), .string("x")], constants: false)
        #expect(throws: FunctionError.self) { try r.invoke([.string("("), .string("x")], []) }
    }
}

@Suite struct EncodingFunctionTests {
    static let cases: [ScalarCase] = [
        ScalarCase("ENCODE", [.string("4578616d706C6521"), .string("hex"), .string("ascii")], .string("Example!")),
        ScalarCase("ENCODE", [.string("ce95cebbcebbceacceb4ceb1"), .string("hex"), .string("utf8")], .string("Ελλάδα")),
        ScalarCase("ENCODE", [.string("c39c6265726d656e736368"), .string("hex"), .string("ascii")],
            .string("\u{FFFD}\u{FFFD}bermensch")),
        ScalarCase("ENCODE", [.string("0x4578616d706C6521"), .string("hex"), .string("base64")], .string("RXhhbXBsZSE=")),
        ScalarCase("ENCODE", [.string("X'4578616d706C6521'"), .string("hex"), .string("utf8")], .string("Example!")),
        ScalarCase("ENCODE", [.string("0x"), .string("hex"), .string("utf8")], .string("")),
        ScalarCase("ENCODE", [.string("Ελλάδα"), .string("ascii"), .string("hex")], .string("3f3f3f3f3f3f")),
        ScalarCase("ENCODE", [.string("zpXOu867zqzOtM6x"), .string("base64"), .string("utf8")], .string("Ελλάδα")),
        ScalarCase("ENCODE", [.string("Example!"), .string("ascii"), .string("base64")], .string("RXhhbXBsZSE=")),
        ScalarCase("ENCODE", [.null, .string("hex"), .string("utf8")], .null, types: [.string, .string, .string]),
        ScalarCase("TO_BYTES", [.string("1aB2"), .string("hex")], .bytes([0x1a, 0xb2])),
        ScalarCase("FROM_BYTES", [.bytes([0x1a, 0xb2]), .string("hex")], .string("1AB2")),
        ScalarCase("FROM_BYTES", [.bytes([0x21]), .string("base64")], .string("IQ==")),
        ScalarCase("TO_BYTES", [.string("IQ=="), .string("base64")], .bytes([0x21])),
        ScalarCase("INT_FROM_BYTES", [.bytes([0, 0, 7, 0xE5])], .integer(2021)),
        ScalarCase("INT_FROM_BYTES", [.bytes([0xE5, 7, 0, 0]), .string("LITTLE_ENDIAN")], .integer(2021)),
        ScalarCase("BIGINT_FROM_BYTES", [.bytes([0, 0, 0, 1, 0x2A, 0x05, 0xF2, 0])], .bigint(5_000_000_000)),
        ScalarCase("DOUBLE_FROM_BYTES", [.bytes([0x40, 0x80, 0xA6, 0xFD, 0x9B, 0xC9, 0xF5, 0x82])], .double(532.8738323)),
        ScalarCase("MD5", [.string("")], .string("d41d8cd98f00b204e9800998ecf8427e")),
        ScalarCase("UUID", [.bytes(Array(0..<16))], .string("00010203-0405-0607-0809-0a0b0c0d0e0f")),
    ]

    @Test(arguments: cases)
    func evaluates(_ c: ScalarCase) throws {
        #expect(try call(c.name, c.args, types: c.types) == c.expected)
    }

    @Test func md5OfKnownText() throws {
        #expect(try call("MD5", [.string("The quick brown fox jumps over the lazy dog")])
            == .string("9e107d9d372bb6826bd81d3542a419d6"))
    }

    @Test func badEncodingsFailTheRecord() {
        #expect(throws: FunctionError.self) { try call("TO_BYTES", [.string("abc"), .string("hex")]) }
        #expect(throws: FunctionError.self) { try call("ENCODE", [.string("a"), .string("null"), .string("utf8")]) }
        #expect(throws: FunctionError.self) { try call("INT_FROM_BYTES", [.bytes([1, 2])]) }
    }

    @Test func randomUUIDIsVersion4() throws {
        guard case .string(let u) = try call("UUID", []) else { Issue.record("not a string"); return }
        let chars = Array(u)
        #expect(chars.count == 36)
        #expect(chars[14] == "4")
        #expect(try call("UUID", []) != .string(u))
    }
}
