import Testing

@testable import SluiceTypes

/// The codec writes records through `ByteSink` with its own string escaper, integer and decimal
/// formatters; `JSONWriter` rendering `Value.jsonValue` is the reference it must match byte for byte.
@Suite struct JSONRowEncodingTests {
    /// Strings with every kind of byte JSON treats specially, at every offset of an 8-byte word.
    static func strings(_ rng: inout SplitMix64) -> [String] {
        let pieces = ["a", "Z", "\"", "\\", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "/", "é", "€", "𝄞", " ", "0"]
        var out = ["", "x", "Baidu", "https://www.nexmark.com/mbe/xjkx/_um/item.htm?query=1", String(repeating: "\"", count: 20)]
        for length in 0..<40 {
            for _ in 0..<6 {
                out.append((0..<length).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &rng)] }.joined())
            }
        }
        // Long enough to outgrow the stack buffer, with and without escapes.
        out.append(String(repeating: "abcdefgh", count: 300))
        out.append(String(repeating: "abc\"\\\u{1}é", count: 400))
        return out
    }

    static func reference(_ values: [Value], names: [String]) -> String {
        JSONWriter.string(.object(zip(names, values).map { JSONMember($0, $1.jsonValue) }))
    }

    @Test func stringsMatchJSONWriter() throws {
        var rng = SplitMix64(seed: 11)
        let codec = try JSONRowCodec(columns: [Column(name: "S", type: .string)], options: FormatOptions(wrapSingleValue: false), isKey: false)
        for s in Self.strings(&rng) {
            #expect(text(try codec.encode([.string(s)])) == JSONWriter.string(.string(s)), "\(Array(s.utf8))")
        }
    }

    @Test func numbersMatchJSONWriter() throws {
        var rng = SplitMix64(seed: 12)
        let columns = [
            Column(name: "I", type: .integer), Column(name: "L", type: .bigint), Column(name: "TS", type: .timestamp),
            Column(name: "D", type: .decimal(precision: 38, scale: 5)), Column(name: "X", type: .double),
        ]
        let codec = try JSONRowCodec(columns: columns, options: FormatOptions(), isKey: false)
        let decimals = interestingUnscaled(&rng, count: 300)
        for (n, unscaled) in decimals.enumerated() {
            let wide = Int64.random(in: .min ... .max, using: &rng) >> Int64.random(in: 0...63, using: &rng)
            let values: [Value] = [
                .integer(Int32(truncatingIfNeeded: wide)), .bigint(n % 7 == 0 ? .min : wide), .timestamp(wide),
                .decimal(SQLDecimal(unscaled: unscaled, scale: [0, 3, 9, -2, 38][n % 5])), .double(Double(wide) / 7),
            ]
            #expect(text(try codec.encode(values)) == Self.reference(values, names: columns.map(\.name)))
        }
    }

    @Test func everyTypeAndFramingMatchJSONWriter() throws {
        let columns = JSONRowCodecTests.allTypes
        let values = JSONRowCodecTests.allValues
        let expected = Self.reference(values, names: columns.map(\.name))
        let plain = try JSONRowCodec(columns: columns, options: FormatOptions(), isKey: false)
        #expect(text(try plain.encode(values)) == expected)
        let framed = try JSONRowCodec(columns: columns, options: FormatOptions(), isKey: false, schemaID: 0x0102_0304)
        #expect(try framed.encode(values) == [0, 1, 2, 3, 4] + Array(expected.utf8))
        let nulls = [Value](repeating: .null, count: columns.count)
        #expect(text(try plain.encode(nulls)) == Self.reference(nulls, names: columns.map(\.name)))
        let escapedName = try JSONRowCodec(columns: [Column(name: "A\"B", type: .integer)], options: FormatOptions(), isKey: false)
        #expect(text(try escapedName.encode([.integer(1)])) == #"{"A\"B":1}"#)
    }

    @Test func encodingIntoABufferAppends() throws {
        let codec = try JSONRowCodec(columns: [Column(name: "A", type: .bigint), Column(name: "B", type: .string)], options: FormatOptions(), isKey: false)
        var out = Array("x".utf8)
        try codec.encode([.bigint(-12), .string("q")], into: &out)
        try codec.encode([.null, .string(String(repeating: "y", count: 2000))], into: &out)
        #expect(text(out) == #"x{"A":-12,"B":"q"}{"A":null,"B":""# + String(repeating: "y", count: 2000) + "\"}")
        #expect(errorMessage { try codec.encode([.null], into: &out) } == "Column count mismatch on serialization. expected: 2, got: 1")
    }
}
