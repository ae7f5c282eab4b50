import SluiceTypes
import Testing

@testable import SluiceFunctions

@Suite struct JSONFunctionTests {
    static let doc = #"{"log": {"cloud": "gcp836Csd", "app": "ksProcessor", "instance": 4, "ratio": 1.23450, "big": 1e2}, "array": [1, 2, 3], "a b": {"c": null}}"#

    static let cases: [ScalarCase] = [
        ScalarCase("EXTRACTJSONFIELD", [.string(doc), .string("$.log.cloud")], .string("gcp836Csd")),
        ScalarCase("EXTRACTJSONFIELD", [.string(doc), .string("$.log.instance")], .string("4")),
        ScalarCase("EXTRACTJSONFIELD", [.string(doc), .string("$.log.ratio")], .string("1.23450")),
        ScalarCase("EXTRACTJSONFIELD", [.string(doc), .string("$.log.big")], .string("1E+2")),
        ScalarCase("EXTRACTJSONFIELD", [.string(doc), .string("$.array[0]")], .string("1")),
        ScalarCase("EXTRACTJSONFIELD", [.string(doc), .string("$.array[-1]")], .null),
        ScalarCase("EXTRACTJSONFIELD", [.string(doc), .string("$.array[5]")], .null),
        ScalarCase("EXTRACTJSONFIELD", [.string(doc), .string("$.array")], .string("[1,2,3]")),
        ScalarCase("EXTRACTJSONFIELD", [.string(doc), .string("$[\"a b\"].c")], .string("null")),
        ScalarCase("EXTRACTJSONFIELD", [.string(doc), .string("$.missing")], .null),
        ScalarCase("EXTRACTJSONFIELD", [.string(doc), .string("$.log")],
            .string(#"{"cloud":"gcp836Csd","app":"ksProcessor","instance":4,"ratio":1.23450,"big":1E+2}"#)),
        ScalarCase("IS_JSON_STRING", [.string("[1, 2, 3]")], .boolean(true)),
        ScalarCase("IS_JSON_STRING", [.string("\"abc\"")], .boolean(true)),
        ScalarCase("IS_JSON_STRING", [.string("null")], .boolean(true)),
        ScalarCase("IS_JSON_STRING", [.string("")], .boolean(false)),
        ScalarCase("IS_JSON_STRING", [.string("abc")], .boolean(false)),
        ScalarCase("IS_JSON_STRING", [.string("[1,]")], .boolean(false)),
        ScalarCase("IS_JSON_STRING", [.null], .boolean(false), types: [.string]),
        ScalarCase("JSON_ARRAY_LENGTH", [.string("[1, [1, [2]], 3]")], .integer(3)),
        ScalarCase("JSON_ARRAY_LENGTH", [.string("{}")], .null),
        ScalarCase("JSON_KEYS", [.string(#"{"a": "abc", "b": { "c": "a" }, "d": 1}"#)], strings(["a", "b", "d"])),
        ScalarCase("JSON_KEYS", [.string("[]")], .null),
        ScalarCase("JSON_RECORDS", [.string(#"{"White": "Seven", "b": {"c": "a"}, "d": 1}"#)],
            .map([MapEntry(key: .string("White"), value: .string("Seven")),
                  MapEntry(key: .string("b"), value: .string(#"{"c":"a"}"#)),
                  MapEntry(key: .string("d"), value: .string("1"))])),
        ScalarCase("JSON_ITEMS", [.string(#"[{"type": "A", "ts": "2022-01-27"}, 2]"#)],
            strings([#"{"type":"A","ts":"2022-01-27"}"#, "2"])),
        ScalarCase("JSON_CONCAT", [.string(#"{"a": {"5": 6}}"#), .string(#"{"a": {"3": 4}}"#)], .string(#"{"a":{"3":4}}"#)),
        ScalarCase("JSON_CONCAT", [.string("[1, [2]]"), .string("[[[3]], [[[4]]]]")], .string("[1,[2],[[3]],[[[4]]]]")),
        ScalarCase("JSON_CONCAT", [.string("null"), .string("null")], .string("[null,null]")),
        ScalarCase("JSON_CONCAT", [.string("[1, 2]"), .string(#"{"a": 1}"#), .string("4")], .string(#"[1,2,{"a":1},4]"#)),
        ScalarCase("JSON_CONCAT", [.string("abc"), .string("[1]")], .null),
        ScalarCase("JSON_ARRAY_CONTAINS", [.string(#"["Pink", null]"#), .string("Pink")], .boolean(true)),
        ScalarCase("JSON_ARRAY_CONTAINS", [.string("[1, 2, 3]"), .integer(3)], .boolean(true)),
        ScalarCase("JSON_ARRAY_CONTAINS", [.string("[1.5]"), .double(1.5)], .boolean(true)),
        ScalarCase("JSON_ARRAY_CONTAINS", [.string("{}"), .integer(3)], .boolean(false)),
        ScalarCase("TO_JSON_STRING", [.integer(1)], .string("1")),
        ScalarCase("TO_JSON_STRING", [.null], .string("null"), types: [.integer]),
        ScalarCase("TO_JSON_STRING", [.string("a\"b")], .string(#""a\"b""#)),
        ScalarCase("TO_JSON_STRING", [.double(15.3)], .string("15.3")),
        ScalarCase("TO_JSON_STRING", [.bytes([0x21])], .string(#""IQ==""#)),
        ScalarCase("TO_JSON_STRING", [.date(1000)], .string(#""1972-09-27""#)),
        ScalarCase("TO_JSON_STRING", [.time(48_300_000)], .string(#""13:25""#)),
        ScalarCase("TO_JSON_STRING", [.timestamp(60_220_000_000)], .string(#""1971-11-28T23:46:40.000""#)),
        ScalarCase("TO_JSON_STRING", [.structure([StructEntry(name: "ID", value: .integer(1)), StructEntry(name: "NAME", value: .string("Alice"))])],
            .string(#"{"ID":1,"NAME":"Alice"}"#)),
        ScalarCase("TO_JSON_STRING", [.map([MapEntry(key: .string("id"), value: ints([1, 2, 3]))])], .string(#"{"id":[1,2,3]}"#)),
    ]

    @Test(arguments: cases)
    func evaluates(_ c: ScalarCase) throws {
        #expect(try call(c.name, c.args, types: c.types) == c.expected)
    }

    @Test func invalidDocumentsAndPathsFailTheRecord() {
        #expect(throws: FunctionError.self) { try call("EXTRACTJSONFIELD", [.string("{"), .string("$.a")]) }
        #expect(throws: FunctionError.self) { try call("EXTRACTJSONFIELD", [.string("{}"), .string("a.b")]) }
        #expect(throws: FunctionError.self) { try call("JSON_ARRAY_LENGTH", [.string("abc")]) }
    }

    @Test(arguments: ["{\"a\":\"\\u00e9\\ud83d\\ude00\"}", "[1e-3, -0, 0.5E+2]", "{\"k\":{\"k\":[true,false,null]}}"])
    func parsesValidJSON(_ text: String) {
        #expect(JSONNode.parse(text) != nil)
    }

    @Test func decodesEscapes() {
        #expect(JSONNode.parse("\"\\u00e9\\ud83d\\ude00\\n\"") == .string("é😀\n"))
    }
}

@Suite struct URLFunctionTests {
    static let cases: [ScalarCase] = [
        ScalarCase("URL_ENCODE_PARAM", [.string("?foo $bar")], .string("%3Ffoo+%24bar")),
        ScalarCase("URL_ENCODE_PARAM", [.string("hello&world")], .string("hello%26world")),
        ScalarCase("URL_DECODE_PARAM", [.string("%3Ffoo+%24bar")], .string("?foo $bar")),
        ScalarCase("URL_DECODE_PARAM", [.string("url%20encoded")], .string("url encoded")),
        ScalarCase("URL_EXTRACT_FRAGMENT", [.string("http://www.test.com/?query#fragment")], .string("fragment")),
        ScalarCase("URL_EXTRACT_FRAGMENT", [.string("http://test.com#frag%20space")], .string("frag space")),
        ScalarCase("URL_EXTRACT_FRAGMENT", [.string("http://www.nofragment.com")], .null),
        ScalarCase("URL_EXTRACT_HOST", [.string("http://test@confluent.io:8080")], .string("confluent.io")),
        ScalarCase("URL_EXTRACT_HOST", [.string("http://bad host.com")], .null),
        ScalarCase("URL_EXTRACT_PARAMETER", [.string("http://www.test.com/?one=a&two=b&three"), .string("two")], .string("b")),
        ScalarCase("URL_EXTRACT_PARAMETER", [.string("http://test.com?a%20b=c%20d"), .string("a b")], .string("c d")),
        ScalarCase("URL_EXTRACT_PARAMETER", [.string("http://www.test.com/?one=a&two=b&three"), .string("three")], .null),
        ScalarCase("URL_EXTRACT_PATH", [.string("http://www.test.com?query#fragment")], .string("")),
        ScalarCase("URL_EXTRACT_PATH", [.string("http://test@confluent.io:8080/nested/path?query&jobs")], .string("/nested/path")),
        ScalarCase("URL_EXTRACT_PORT", [.string("http://test@confluent.io")], .null),
        ScalarCase("URL_EXTRACT_PORT", [.string("http://test@confluent.io:8080/nested/path?query&jobs")], .integer(8080)),
        ScalarCase("URL_EXTRACT_PROTOCOL", [.string("https://test@confluent.io:8080/nested")], .string("https")),
        ScalarCase("URL_EXTRACT_PROTOCOL", [.string("www.confluent.io")], .null),
        ScalarCase("URL_EXTRACT_QUERY", [.string("http://test.com?a=foo%20bar&b=baz")], .string("a=foo bar&b=baz")),
        ScalarCase("URL_EXTRACT_QUERY", [.string("http://test@confluent.io:8080/path")], .null),
    ]

    @Test(arguments: cases)
    func evaluates(_ c: ScalarCase) throws {
        #expect(try call(c.name, c.args, types: c.types) == c.expected)
    }
}
