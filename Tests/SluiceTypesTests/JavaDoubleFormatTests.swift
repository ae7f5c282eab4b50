import SluiceTypes
import Testing

@Suite struct JavaDoubleFormatTests {
    /// Outputs of `Double.toString` on JDK 19+ (shortest-unique digits, Raffaello Giulietti's spec).
    static let vectors: [(Double, String)] = [
        (1.0, "1.0"), (0.1, "0.1"), (100.0, "100.0"), (-1.5, "-1.5"), (0.5, "0.5"),
        (1e7, "1.0E7"), (9_999_999.0, "9999999.0"), (12_345_678.0, "1.2345678E7"), (1_234_567.0, "1234567.0"),
        (0.001, "0.001"), (0.0001, "1.0E-4"), (1e-5, "1.0E-5"), (0.00123, "0.00123"), (0.002, "0.002"),
        (123.456, "123.456"), (12345.678, "12345.678"), (1234.589, "1234.589"), (9876.54321, "9876.54321"),
        (1e10, "1.0E10"), (1e21, "1.0E21"), (1e22, "1.0E22"), (1e23, "1.0E23"), (2e23, "2.0E23"),
        (123_456_789.0, "1.23456789E8"), (123_456_789_012.0, "1.23456789012E11"), (1e-7, "1.0E-7"),
        (1.0 / 3.0, "0.3333333333333333"), (2.0 / 3.0, "0.6666666666666666"), (0.1 + 0.2, "0.30000000000000004"),
        (Double(Int64.max), "9.223372036854776E18"), (4.35, "4.35"), (100.5, "100.5"), (76.54, "76.54"),
        (Double.greatestFiniteMagnitude, "1.7976931348623157E308"),
        (Double.leastNormalMagnitude, "2.2250738585072014E-308"),
        (Double.leastNonzeroMagnitude, "4.9E-324"),
        (2 * Double.leastNonzeroMagnitude, "9.9E-324"),
        (3 * Double.leastNonzeroMagnitude, "1.5E-323"),
        (0.0, "0.0"), (-0.0, "-0.0"),
        (Double.infinity, "Infinity"), (-Double.infinity, "-Infinity"),
    ]

    @Test(arguments: vectors)
    func formatsLikeJava(value: Double, expected: String) {
        #expect(JavaDoubleFormat.string(value) == expected)
    }

    @Test func nanAndRoundTrip() {
        #expect(JavaDoubleFormat.string(.nan) == "NaN")
        // Every printed value parses back to the same double.
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20_000 {
            x ^= x << 13
            x ^= x >> 7
            x ^= x << 17
            let d = Double(bitPattern: x)
            guard d.isFinite else { continue }
            let s = JavaDoubleFormat.string(d)
            #expect(Double(s) == d, "\(d) printed as \(s)")
        }
    }
}
