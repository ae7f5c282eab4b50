import SluiceTypes
import Testing

@Suite struct JSONParserTests {
    @Test func parsesAllKindsKeepingNumberTextAndMemberOrder() throws {
        let v = try parseJSON(#" { "b" : [1, 1.0, 1.00, -0.5e+3, true, false, null], "a": {"x": "y"}, "b": 2 } "#)
        guard case .object(let members) = v else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["b", "a", "b"])
        #expect(members[0].value == .array([
            .number(text: "1"), .number(text: "1.0"), .number(text: "1.00"), .number(text: "-0.5e+3"),
            .bool(true), .bool(false), .null,
        ]))
        #expect(v["b"] == .number(text: "2"))  // last duplicate wins on lookup
        #expect(v["a"]?["x"] == .string("y"))
        #expect(JSONValue.number(text: "1") != .number(text: "1.0"))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try parseJSON(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{C}\n\r\t"))
        #expect(try parseJSON(#""\u00e9\u4E2D\ud83d\ude00""#) == .string("é中😀"))
        #expect(try parseJSON(#""x\ud800y""#) == .string("x\u{FFFD}y"))  // unpaired high surrogate
        #expect(try parseJSON(#""\udc00""#) == .string("\u{FFFD}"))  // unpaired low surrogate
        #expect(try parseJSON("\"é中😀\"") == .string("é中😀"))
    }

    func failure(_ input: [UInt8], parser: JSONParser = JSONParser()) -> JSONParseError? {
        do {
            _ = try parser.parse(input)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("{\"a\":1,}", 7, "expected '\"' to start an object key"),
        ("[1 2]", 3, "expected ',' or ']'"),
        ("\"abc", 0, "unterminated string"),
        ("01", 0, "leading zeros"),
        ("nul", 0, "invalid literal"),
        ("[1,]", 3, "expected a JSON value"),
        ("{\"a\" 1}", 5, "expected ':'"),
        ("-", 1, "unexpected end of input, expected a digit"),
        ("1.", 2, "digit after the decimal point"),
        ("1e+", 3, "digit in the exponent"),
        ("\"\\x\"", 1, "invalid escape"),
        ("\"\\u12G4\"", 1, "4 hex digits"),
        ("\"a\u{1}\"", 2, "unescaped control character"),
        ("NaN", 0, "expected a JSON value"),
        ("// c\n1", 0, "expected a JSON value"),
        ("1 2", 2, "expected the end of input"),
        ("", 0, "unexpected end of input"),
        ("'a'", 0, "unexpected character '''"),
    ])
    func rejectsInvalidJSONWithOffsets(input: String, offset: Int, message: String) {
        let e = failure(bytes(input))
        #expect(e?.offset == offset, "\(input): \(String(describing: e))")
        #expect(e?.message.contains(message) == true, "\(input): \(String(describing: e))")
    }

    @Test func rejectsInvalidUTF8() {
        #expect(failure([0x22, 0xFF, 0x22])?.message.contains("invalid UTF-8 start byte") == true)
        #expect(failure([0x22, 0xC0, 0x80, 0x22]) != nil)  // overlong
        #expect(failure([0x22, 0xED, 0xA0, 0x80, 0x22]) != nil)  // UTF-16 surrogate in UTF-8
        #expect(failure([0x22, 0xE4, 0xB8, 0x22]) != nil)  // truncated
        #expect(failure([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22]) != nil)  // above U+10FFFF
    }

    @Test func limitsNesting() throws {
        let ok = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(failure(bytes(ok)) == nil)
        let deep = String(repeating: "[", count: 1001) + String(repeating: "]", count: 1001)
        #expect(failure(bytes(deep))?.message.contains("nesting deeper than 1000") == true)
        #expect(failure(bytes("[[[1]]]"), parser: JSONParser(maxDepth: 2))?.offset == 2)
    }

    @Test func trailingContentAndByteOrderMark() throws {
        #expect(try JSONParser(allowTrailingContent: true).parse(bytes("{\"a\":1} trailing")) == .object([JSONMember("a", .number(text: "1"))]))
        #expect(try JSONParser().parse([0xEF, 0xBB, 0xBF] + bytes(" 7 ")) == .number(text: "7"))
        #expect(try parseJSON(" \t\r\n[ ] ") == .array([]))
        #expect(try parseJSON("{}") == .object([]))
    }

    /// The string scanner tests eight bytes at a time; special bytes must be found at every offset.
    @Test func findsSpecialBytesAtEveryOffset() throws {
        for p in 0..<24 {
            let pad = String(repeating: "a", count: p)
            #expect(try parseJSON("\"\(pad)\"") == .string(pad))
            #expect(try parseJSON("[\"\(pad)\", \"x\"]") == .array([.string(pad), .string("x")]))
            #expect(try parseJSON("\"\(pad)\\n\(pad)\"") == .string(pad + "\n" + pad))
            #expect(try parseJSON("\"\(pad)é\u{7F}\(pad)\"") == .string(pad + "é\u{7F}" + pad))
            #expect(failure(bytes("\"\(pad)\u{1F}bbbbbbbbb\""))?.offset == 1 + p)
            #expect(failure(bytes("\"\(pad)\u{0}bbbbbbbbb\""))?.offset == 1 + p)
            #expect(failure(bytes("\"\(pad)") + [0xFF] + bytes("bbbbbbbbb\""))?.offset == 1 + p)
            #expect(failure(bytes("\"\(pad)bbbbbbbbb"))?.message == "unterminated string")
        }
    }

    @Test func accessors() throws {
        let v = try parseJSON(#"{"n": 12, "d": 1.5, "s": "x", "b": true, "a": [1]}"#)
        #expect(v["n"]?.int64Value == 12)
        #expect(v["d"]?.doubleValue == 1.5)
        #expect(v["d"]?.int64Value == nil)
        #expect(v["s"]?.stringValue == "x")
        #expect(v["b"]?.boolValue == true)
        #expect(v["a"]?[0] == .number(text: "1"))
        #expect(v["a"]?[1] == nil)
        #expect(v["missing"] == nil)
    }
}
