import SluiceTypes
import Testing

@Suite struct JSONWriterTests {
    @Test func escapesAsJacksonDoes() {
        var w = JSONWriter()
        w.writeString("a\"b\\c/d\u{7F}é中😀\n\t\r\u{8}\u{C}\u{1}\u{1F}\u{2028}")
        #expect(text(w.bytes) == "\"a\\\"b\\\\c/d\u{7F}é中😀\\n\\t\\r\\b\\f\\u0001\\u001F\u{2028}\"")
    }

    @Test func writesCompactTrees() throws {
        let v = JSONValue.object([
            JSONMember("a", .array([.number(text: "1.50"), .null, .bool(true)])),
            JSONMember("k\"", .string("v")),
            JSONMember("e", .object([])),
        ])
        #expect(JSONWriter.string(v) == #"{"a":[1.50,null,true],"k\"":"v","e":{}}"#)
        #expect(v.description == JSONWriter.string(v))
        #expect(try JSONParser.parse(JSONWriter.bytes(v)) == v)
    }

    @Test func prettyPrintsLikeJacksonDefaultPrinter() {
        let v = JSONValue.object([JSONMember("a", .array([.number(text: "1"), .number(text: "2")])), JSONMember("b", .object([]))])
        #expect(JSONWriter.prettyString(v) == "{\n  \"a\" : [\n    1,\n    2\n  ],\n  \"b\" : {}\n}")
    }

    @Test func writesNumbersTheJavaWay() {
        var w = JSONWriter()
        w.beginArray()
        w.writeInt(-42)
        w.writeComma()
        w.writeDouble(1e10)
        w.writeComma()
        w.writeDouble(.nan)
        w.writeComma()
        w.writeDouble(-.infinity)
        w.writeComma()
        w.writeInt(Int64.min)
        w.endArray()
        #expect(text(w.bytes) == #"[-42,1.0E10,"NaN","-Infinity",-9223372036854775808]"#)
        #expect(JSONValue.number(0.1) == .number(text: "0.1"))
        #expect(JSONValue.number(Double.infinity) == .string("Infinity"))
    }
}
