import SluiceTypes
import Testing

private func withBytes<T>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    Array(s.utf8).withUnsafeBufferPointer(body)
}

@Suite struct JavaNumberParsingTests {
    @Test(arguments: [
        ("0", Int32(0)), ("+5", 5), ("-17", -17), ("2147483647", Int32.max), ("-2147483648", Int32.min), ("007", 7),
    ])
    func parsesInts(input: String, expected: Int32) {
        #expect(withBytes(input, JavaNumberParsing.parseInt) == expected)
    }

    @Test(arguments: ["", "-", "+", " 1", "1 ", "2147483648", "-2147483649", "1.0", "1e3", "0x10", "١"])
    func rejectsInts(input: String) {
        #expect(withBytes(input, JavaNumberParsing.parseInt) == nil)
    }

    @Test func parsesLongs() {
        #expect(withBytes("9223372036854775807", JavaNumberParsing.parseLong) == Int64.max)
        #expect(withBytes("-9223372036854775808", JavaNumberParsing.parseLong) == Int64.min)
        #expect(withBytes("9223372036854775808", JavaNumberParsing.parseLong) == nil)
        #expect(withBytes("99999999999999999999", JavaNumberParsing.parseLong) == nil)
    }

    @Test(arguments: [
        ("1.5", 1.5), ("  1.5\t", 1.5), ("-2", -2.0), ("+.5", 0.5), ("5.", 5.0), ("1e3", 1000.0), ("1E-3", 0.001),
        ("1.5f", 1.5), ("2D", 2.0), ("0x1.8p1", 3.0), ("-Infinity", -Double.infinity), ("Infinity", Double.infinity),
        ("1e400", Double.infinity), ("1e-400", 0.0), ("123456789012345678901234567890", 1.2345678901234568e29),
        ("0.1", 0.1), ("2.2250738585072011e-308", 2.225073858507201e-308), ("9007199254740993", 9007199254740992.0),
    ])
    func parsesDoubles(input: String, expected: Double) {
        #expect(withBytes(input, JavaNumberParsing.parseDouble) == expected)
    }

    @Test(arguments: ["", " ", "abc", "1e", "e5", "++1", "1 2", ".", "1.5x", "nan", "inf", "0x1.8", "Infinityf", "1,5"])
    func rejectsDoubles(input: String) {
        #expect(withBytes(input, JavaNumberParsing.parseDouble) == nil)
    }

    @Test func parsesNaNAndBooleans() {
        #expect(withBytes("NaN", JavaNumberParsing.parseDouble)?.isNaN == true)
        #expect(withBytes("true", JavaNumberParsing.parseBoolean))
        #expect(withBytes("TrUe", JavaNumberParsing.parseBoolean))
        #expect(!withBytes("yes", JavaNumberParsing.parseBoolean))
        #expect(!withBytes("1", JavaNumberParsing.parseBoolean))
        #expect(!withBytes(" true", JavaNumberParsing.parseBoolean))
    }
}
