/// An arbitrary-precision decimal with the identity of Java's `BigDecimal`: an unscaled integer and
/// a scale, where `1.5` and `1.50` are different values.
///
/// ksqlDB's test framework reads every fractional number in a test file, and every fractional
/// number in a JSON record it checks, as a `BigDecimal`, and compares them with `equals`, which
/// looks at the scale too. This type reproduces exactly the operations that comparison uses.
public struct JavaDecimal: Hashable, Sendable, CustomStringConvertible {
    public var isNegative: Bool
    /// The magnitude of the unscaled value in decimal digits, no leading zeros ("0" for zero).
    public var digits: String
    public var scale: Int

    /// Parses a JSON number literal (or any `BigDecimal` string: sign, digits, optional fraction,
    /// optional exponent).
    public init?(_ text: String) {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var mantissa: [UInt8] = []
        var fractionDigits = 0
        var seenPoint = false
        var exponent = 0
        var sawDigit = false
        while let c = bytes.first {
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                mantissa.append(c)
                if seenPoint { fractionDigits += 1 }
                sawDigit = true
            } else if c == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else {
                break
            }
            bytes = bytes.dropFirst()
        }
        guard sawDigit else { return nil }
        if let c = bytes.first, c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            guard let value = Int(String(decoding: bytes, as: UTF8.self)), abs(value) < 1_000_000_000 else {
                return nil
            }
            exponent = value
            bytes = bytes[bytes.endIndex...]
        }
        guard bytes.isEmpty else { return nil }
        let trimmed = mantissa.drop { $0 == UInt8(ascii: "0") }
        digits = trimmed.isEmpty ? "0" : String(decoding: trimmed, as: UTF8.self)
        isNegative = negative && !trimmed.isEmpty
        scale = fractionDigits - exponent
    }

    public init(isNegative: Bool, digits: String, scale: Int) {
        self.isNegative = isNegative && digits != "0"
        self.digits = digits
        self.scale = scale
    }

    public var isZero: Bool { digits == "0" }

    /// The digits of the integer part (truncated toward zero), no sign; "" when it is zero.
    private var integerDigits: Substring {
        if scale <= 0 { return Substring(digits == "0" ? "" : digits + String(repeating: "0", count: -scale)) }
        if digits.count <= scale { return "" }
        return digits.dropLast(scale)
    }

    /// True when the value has no fractional part.
    public var isIntegral: Bool {
        if scale <= 0 || isZero { return true }
        if digits.count <= scale { return false }
        return digits.suffix(scale).allSatisfy { $0 == "0" }
    }

    /// The low 64 bits of the integer part, as Java's `longValue()` returns them.
    public var truncatedInt64: Int64 {
        var magnitude: UInt64 = 0
        for c in integerDigits.utf8 {
            magnitude = magnitude &* 10 &+ UInt64(c - UInt8(ascii: "0"))
        }
        let bits = isNegative ? 0 &- magnitude : magnitude
        return Int64(bitPattern: bits)
    }

    /// The low 32 bits of the integer part, as Java's `intValue()` returns them.
    public var truncatedInt32: Int32 { Int32(truncatingIfNeeded: truncatedInt64) }

    /// The value as an `Int64` when it is integral and in range (Java's `longValueExact()`).
    public var exactInt64: Int64? {
        guard isIntegral else { return nil }
        var magnitude: UInt64 = 0
        for c in integerDigits.utf8 {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(c - UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            magnitude = sum
        }
        if isNegative {
            if magnitude > UInt64(Int64.max) + 1 { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        return magnitude > UInt64(Int64.max) ? nil : Int64(magnitude)
    }

    /// The nearest `Double` (Java's `doubleValue()`).
    public var doubleValue: Double {
        Double((isNegative ? "-" : "") + digits + "e" + String(-scale)) ?? .nan
    }

    /// Plain notation when the scale allows it, as `BigDecimal.toString()` prints small exponents.
    public var description: String {
        let sign = isNegative ? "-" : ""
        if scale == 0 { return sign + digits }
        if scale < 0 { return sign + digits + "E+" + String(-scale) }
        if digits.count > scale {
            return sign + digits.dropLast(scale) + "." + digits.suffix(scale)
        }
        return sign + "0." + String(repeating: "0", count: scale - digits.count) + digits
    }
}
