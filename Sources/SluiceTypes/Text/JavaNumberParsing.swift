/// Java's text-to-number parsers (`Integer.parseInt`, `Long.parseLong`, `Double.parseDouble`,
/// `Boolean.parseBoolean`) over UTF-8 bytes, which ksqlDB uses to coerce strings in JSON and
/// DELIMITED data. Only ASCII digits are accepted (Java also takes other Unicode digits).
public enum JavaNumberParsing {
    /// `Integer.parseInt`: optional sign, one or more digits, no spaces; nil on any error.
    public static func parseInt(_ text: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard let v = parseLong(text), let i = Int32(exactly: v) else { return nil }
        return i
    }

    /// `Long.parseLong`: optional sign, one or more digits, no spaces; nil on any error.
    public static func parseLong(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        var negative = false
        guard !text.isEmpty else { return nil }
        if text[0] == 0x2D || text[0] == 0x2B {
            negative = text[0] == 0x2D
            i = 1
        }
        guard i < text.count else { return nil }
        var magnitude: UInt64 = 0
        while i < text.count {
            let d = text[i] &- 0x30
            guard d < 10 else { return nil }
            let (m1, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (m2, o2) = m1.addingReportingOverflow(UInt64(d))
            guard !o1 && !o2 else { return nil }
            magnitude = m2
            i += 1
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// `Boolean.parseBoolean`: true only for "true" in any case; everything else is false.
    public static func parseBoolean(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.count == 4 else { return false }
        return text[0] | 0x20 == 0x74 && text[1] | 0x20 == 0x72 && text[2] | 0x20 == 0x75 && text[3] | 0x20 == 0x65
    }

    /// `Double.parseDouble`: surrounding characters <= ' ' trimmed, optional sign, `NaN`,
    /// `Infinity`, decimal (`1`, `1.`, `.5`, `1e5`) or hexadecimal (`0x1.8p1`) forms, optional
    /// `f`/`F`/`d`/`D` suffix on numbers; nil on any error. Correctly rounded.
    public static func parseDouble(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        var lo = 0
        var hi = text.count
        while lo < hi && text[lo] <= 0x20 { lo += 1 }
        while hi > lo && text[hi - 1] <= 0x20 { hi -= 1 }
        guard lo < hi else { return nil }
        var negative = false
        var i = lo
        if text[i] == 0x2B || text[i] == 0x2D {
            negative = text[i] == 0x2D
            i += 1
        }
        let body = UnsafeBufferPointer(rebasing: text[i..<hi])
        if equals(body, "NaN") { return .nan }
        if equals(body, "Infinity") { return negative ? -.infinity : .infinity }
        var end = hi
        if end > i {
            let last = text[end - 1] | 0x20
            if last == UInt8(ascii: "f") || last == UInt8(ascii: "d") { end -= 1 }
        }
        let number = UnsafeBufferPointer(rebasing: text[i..<end])
        let magnitude: Double?
        if number.count > 2 && number[0] == 0x30 && number[1] | 0x20 == UInt8(ascii: "x") {
            magnitude = parseHex(number)
        } else if isJavaDecimal(number) {
            magnitude = decimalToDouble(number)
        } else {
            magnitude = nil
        }
        guard let m = magnitude else { return nil }
        return negative ? -m : m
    }

    private static func equals(_ a: UnsafeBufferPointer<UInt8>, _ b: StaticString) -> Bool {
        guard a.count == b.utf8CodeUnitCount else { return false }
        for i in 0..<a.count where a[i] != b.utf8Start[i] { return false }
        return true
    }

    /// digits [ '.' digits ] | '.' digits, then optional exponent; at least one mantissa digit.
    private static func isJavaDecimal(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        var mantissaDigits = 0
        while i < t.count && t[i] &- 0x30 < 10 { i += 1; mantissaDigits += 1 }
        if i < t.count && t[i] == 0x2E {
            i += 1
            while i < t.count && t[i] &- 0x30 < 10 { i += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return false }
        if i < t.count && t[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < t.count && (t[i] == 0x2B || t[i] == 0x2D) { i += 1 }
            var expDigits = 0
            while i < t.count && t[i] &- 0x30 < 10 { i += 1; expDigits += 1 }
            guard expDigits > 0 else { return false }
        }
        return i == t.count
    }

    /// 0x hexdigits [ '.' hexdigits ] p [+-] digits (the binary exponent is required).
    private static func parseHex(_ t: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 2
        var hexDigits = 0
        while i < t.count, JSONCursor.hexValue(t[i]) != nil { i += 1; hexDigits += 1 }
        if i < t.count && t[i] == 0x2E {
            i += 1
            while i < t.count, JSONCursor.hexValue(t[i]) != nil { i += 1; hexDigits += 1 }
        }
        guard hexDigits > 0, i < t.count, t[i] | 0x20 == UInt8(ascii: "p") else { return nil }
        i += 1
        if i < t.count && (t[i] == 0x2B || t[i] == 0x2D) { i += 1 }
        var expDigits = 0
        while i < t.count && t[i] &- 0x30 < 10 { i += 1; expDigits += 1 }
        guard expDigits > 0, i == t.count else { return nil }
        return Double(String(decoding: t, as: UTF8.self))
    }

    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// A correctly rounded double from validated decimal text without sign (`12.5e-3`, `.5`, `5.`).
    /// Uses exact arithmetic when the digits fit 2^53 and the power of ten is exact (Clinger's fast
    /// path), and the standard library's correctly rounded parser otherwise.
    static func decimalToDouble(_ t: UnsafeBufferPointer<UInt8>) -> Double? {
        var mantissa: UInt64 = 0
        var significant = 0
        var exp10 = 0
        var i = 0
        var fast = true
        while i < t.count && t[i] &- 0x30 < 10 {
            if significant < 19 {
                mantissa = mantissa &* 10 &+ UInt64(t[i] - 0x30)
                if mantissa != 0 { significant += 1 }
            } else {
                fast = false
            }
            i += 1
        }
        if i < t.count && t[i] == 0x2E {
            i += 1
            while i < t.count && t[i] &- 0x30 < 10 {
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(t[i] - 0x30)
                    if mantissa != 0 { significant += 1 }
                    exp10 -= 1
                } else {
                    fast = false
                }
                i += 1
            }
        }
        if i < t.count {
            i += 1
            var negative = false
            if t[i] == 0x2B || t[i] == 0x2D {
                negative = t[i] == 0x2D
                i += 1
            }
            var e = 0
            while i < t.count {
                if e < 100_000 { e = e * 10 + Int(t[i] - 0x30) }
                i += 1
            }
            exp10 += negative ? -e : e
        }
        if fast && mantissa <= 1 << 53 {
            if mantissa == 0 { return 0 }
            if exp10 >= 0 && exp10 <= 22 { return Double(mantissa) * exactPowersOfTen[exp10] }
            if exp10 < 0 && exp10 >= -22 { return Double(mantissa) / exactPowersOfTen[-exp10] }
        }
        return Double(String(decoding: t, as: UTF8.self))
    }
}
