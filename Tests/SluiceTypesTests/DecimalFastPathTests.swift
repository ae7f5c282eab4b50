import Testing

@testable import SluiceTypes

/// A small deterministic generator, so a failing value can be reproduced from the seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Unscaled values that probe the edges: zero, one digit, 18–19 and 38–39 digits, the ends of
/// `Int64` and `Int128`, powers of ten and values ending in zeros.
func interestingUnscaled(_ rng: inout SplitMix64, count: Int) -> [Int128] {
    var values: [Int128] = [0, 1, -1, 9, 10, -10, 99, 100, 123, 908, 23828, 21_635_824]
    values += [Int128(Int64.max), Int128(Int64.min), Int128(Int64.max) + 1, Int128(Int64.min) - 1]
    values += [Int128(UInt64.max), Int128(UInt64.max) + 1, .max, .min, .max - 1, .min + 1]
    var p: Int128 = 1
    for _ in 0...38 {
        values += [p, -p, p - 1, -(p - 1), p + 1]
        if p <= Int128.max / 10 { p *= 10 } else { break }
    }
    values += [999_999_999_999_999_999, 1_000_000_000_000_000_000, 9_999_999_999_999_999_999]
    for _ in 0..<count {
        let digits = Int.random(in: 1...39, using: &rng)
        var v: Int128 = 0
        for _ in 0..<digits {
            let (m, o) = v.multipliedReportingOverflow(by: 10)
            if o { break }
            v = m + Int128(Int.random(in: 0...9, using: &rng))
        }
        // Some values end in zeros, which a smaller scale can drop exactly.
        if Bool.random(using: &rng) {
            for _ in 0..<Int.random(in: 0...6, using: &rng) where v <= Int128.max / 10 { v *= 10 }
        }
        values.append(Bool.random(using: &rng) ? -v : v)
    }
    return values
}

/// Java's `BigDecimal.toString()` as its documentation states it, from `String` digits.
func javaReference(_ unscaled: Int128, scale: Int) -> String {
    let digits = String(unscaled.magnitude)
    let sign = unscaled < 0 ? "-" : ""
    if scale == 0 { return sign + digits }
    let adjusted = -scale + (digits.count - 1)
    if scale > 0 && adjusted >= -6 {
        if digits.count > scale {
            return sign + digits.dropLast(scale) + "." + digits.suffix(scale)
        }
        return sign + "0." + String(repeating: "0", count: scale - digits.count) + digits
    }
    let rest = digits.count > 1 ? "." + digits.dropFirst() : ""
    return sign + digits.prefix(1) + rest + "E" + (adjusted >= 0 ? "+" : "") + String(adjusted)
}

/// `BigDecimal.toPlainString()` from `String` digits.
func plainReference(_ unscaled: Int128, scale: Int) -> String {
    let digits = String(unscaled.magnitude)
    if unscaled == 0 { return scale > 0 ? "0." + String(repeating: "0", count: scale) : "0" }
    let sign = unscaled < 0 ? "-" : ""
    if scale <= 0 { return sign + digits + String(repeating: "0", count: -scale) }
    if digits.count > scale { return sign + digits.dropLast(scale) + "." + digits.suffix(scale) }
    return sign + "0." + String(repeating: "0", count: scale - digits.count) + digits
}

@Suite struct DecimalDigitsTests {
    @Test func writesLikeDescription() {
        var rng = SplitMix64(seed: 1)
        var values: [Int64] = [0, 1, -1, 9, 10, 99, 100, 101, 999, 1000, .max, .min, .max - 1, .min + 1]
        var p: Int64 = 1
        for _ in 0..<18 {
            p *= 10
            values += [p - 1, p, p + 1, -p]
        }
        for _ in 0..<2000 { values.append(Int64.random(in: .min ... .max, using: &rng) >> Int64.random(in: 0...63, using: &rng)) }
        for v in values {
            var out: [UInt8] = [0x41]
            DecimalDigits.append(v, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == "A" + String(v), "\(v)")
            #expect(DecimalDigits.count(v.magnitude) == String(v.magnitude).count, "\(v)")
            out = []
            DecimalDigits.appendUnsigned(v.magnitude, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(v.magnitude), "\(v)")
        }
    }

    @Test func writes128BitMagnitudes() {
        var rng = SplitMix64(seed: 2)
        for v in interestingUnscaled(&rng, count: 2000) {
            let m = v.magnitude
            #expect(DecimalDigits.count(m) == String(m).count, "\(v)")
            let text = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { tmp in
                let end = tmp.baseAddress! + 40
                let start = DecimalDigits.writeBackward(m, end: end)
                return String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
            }
            #expect(text == String(m), "\(v)")
        }
    }

    @Test func padsToWidth() {
        var out: [UInt8] = []
        DecimalDigits.appendPadded(7, width: 3, to: &out)
        DecimalDigits.appendPadded(12345, width: 3, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "00712345")
    }
}

@Suite struct DecimalFastPathTests {
    static let scales = [0, 1, 2, 3, 5, 6, 7, 8, 12, 18, 19, 20, 37, 38, 39, 45, -1, -2, -5, -19, -40]

    @Test func javaAndPlainStringsMatchTheReference() {
        var rng = SplitMix64(seed: 3)
        for v in interestingUnscaled(&rng, count: 1500) {
            for scale in DecimalFastPathTests.scales {
                let d = SQLDecimal(unscaled: v, scale: scale)
                #expect(d.javaString == javaReference(v, scale: scale), "\(v) scale \(scale)")
                #expect(d.javaString == DecimalLiteral(d).javaString, "\(v) scale \(scale)")
                #expect(d.plainString == plainReference(v, scale: scale), "\(v) scale \(scale)")
                var out: [UInt8] = [0x5B]
                d.appendJavaString(to: &out)
                #expect(String(decoding: out, as: UTF8.self) == "[" + javaReference(v, scale: scale))
            }
        }
    }

    @Test(arguments: [
        (Int128(123), 6, "0.000123"), (123, 9, "1.23E-7"), (123, 8, "0.00000123"), (-123, 9, "-1.23E-7"),
        (1, 0, "1"), (0, 0, "0"), (0, 3, "0.000"), (0, -2, "0E+2"), (0, 7, "0E-7"), (-7, -3, "-7E+3"),
        (1_234_567_890_123_456_789, 18, "1.234567890123456789"), (Int128(Int64.min), 0, "-9223372036854775808"),
        (Int128.min, 0, "-170141183460469231731687303715884105728"), (Int128.max, 38, "1.70141183460469231731687303715884105727"),
        (100, Int(Int32.max), "1.00E-2147483645"), (5, Int(Int32.min), "5E+2147483648"),
    ])
    func javaStringEdges(unscaled: Int128, scale: Int, expected: String) {
        #expect(SQLDecimal(unscaled: unscaled, scale: scale).javaString == expected)
    }

    @Test func fittingOnTheIntegerMatchesTheDigitPath() {
        var rng = SplitMix64(seed: 4)
        let values = interestingUnscaled(&rng, count: 150)
        var checked = 0
        var fast = 0
        for v in values {
            for scale in DecimalFastPathTests.scales {
                let d = SQLDecimal(unscaled: v, scale: scale)
                for precision in [1, 2, 3, 5, 9, 10, 18, 19, 20, 30, 38] {
                    for target in [0, 1, 2, 3, precision / 2, precision - 1, precision, precision + 1, 40] {
                        let slow = try? DecimalLiteral(d).ensureFit(precision: precision, scale: target)
                        let quick = d.fittedIfExact(precision: precision, scale: target)
                        #expect(quick == slow, "\(v) scale \(scale) into (\(precision), \(target))")
                        #expect((try? d.fitted(precision: precision, scale: target)) == slow)
                        #expect(
                            d.fitsIntegerDigits(precision: precision, scale: target)
                                == (DecimalLiteral(d).integerDigitCount <= precision - target))
                        checked += 1
                        if quick != nil { fast += 1 }
                    }
                }
            }
        }
        // Both outcomes are exercised.
        #expect(fast > checked / 50 && fast < checked)
    }

    @Test func fittingErrorsAreWordedByTheDigitPath() throws {
        let big = SQLDecimal(unscaled: 123_456, scale: 2)
        let overflow = errorMessage { () throws -> SQLDecimal in try big.fitted(precision: 5, scale: 2) }
        #expect(overflow == "Numeric field overflow: A field with precision 5 and scale 2 must round to an absolute value less than 10^3. Got 1234.56")
        let rounding = errorMessage { () throws -> SQLDecimal in try big.fitted(precision: 10, scale: 1) }
        #expect(rounding == "Cannot fit decimal '1234.56' into DECIMAL(10, 1) without rounding. (Requires 6,2)")
        #expect(try big.fitted(precision: 10, scale: 4) == SQLDecimal(unscaled: 12_345_600, scale: 4))
        #expect(try SQLDecimal(unscaled: 12_300, scale: 4).fitted(precision: 3, scale: 2) == SQLDecimal(unscaled: 123, scale: 2))
        let smallest = errorMessage { () throws -> SQLDecimal in try SQLDecimal(unscaled: .min, scale: 0).fitted(precision: 38, scale: 0) }
        #expect(smallest != nil)
    }

    @Test func precisionCountsDigits() {
        var rng = SplitMix64(seed: 5)
        for v in interestingUnscaled(&rng, count: 500) {
            #expect(SQLDecimal(unscaled: v, scale: 3).precision == DecimalLiteral(SQLDecimal(unscaled: v, scale: 0)).precision)
        }
    }
}
