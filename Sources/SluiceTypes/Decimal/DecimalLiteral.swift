/// A decimal number of any size parsed from text: `digits × 10^-scale`, as Java's `BigDecimal`
/// holds it (scale may be negative, e.g. `1E+3` is digits "1", scale -3).
///
/// Used where ksqlDB builds a `BigDecimal` from text (JSON numbers, decimal strings, DELIMITED
/// fields) before fitting it to a column's precision and scale, so literals longer than 38 digits
/// still fit when their extra digits are zeros.
struct DecimalLiteral: Hashable, Sendable {
    var negative: Bool
    /// ASCII digits without leading zeros; empty for zero.
    var digits: [UInt8]
    var scale: Int

    var isZero: Bool { digits.isEmpty }

    /// `BigDecimal.precision()`: the number of digits, 1 for zero.
    var precision: Int { max(digits.count, 1) }

    /// `new BigDecimal(String)`: optional sign, digits with at most one '.', at least one digit,
    /// optional exponent. No spaces. Nil on any error.
    static func parse(_ t: UnsafeBufferPointer<UInt8>) -> DecimalLiteral? {
        var i = 0
        var negative = false
        if i < t.count && (t[i] == 0x2B || t[i] == 0x2D) {
            negative = t[i] == 0x2D
            i += 1
        }
        var digits: [UInt8] = []
        digits.reserveCapacity(t.count)
        var mantissaDigits = 0
        var fractionDigits = 0
        var seenPoint = false
        while i < t.count {
            let c = t[i]
            if c &- 0x30 < 10 {
                mantissaDigits += 1
                if seenPoint { fractionDigits += 1 }
                if !(c == 0x30 && digits.isEmpty) { digits.append(c) }
            } else if c == 0x2E && !seenPoint {
                seenPoint = true
            } else {
                break
            }
            i += 1
        }
        guard mantissaDigits > 0 else { return nil }
        var exponent = 0
        if i < t.count {
            guard t[i] | 0x20 == UInt8(ascii: "e") else { return nil }
            i += 1
            var expNegative = false
            if i < t.count && (t[i] == 0x2B || t[i] == 0x2D) {
                expNegative = t[i] == 0x2D
                i += 1
            }
            var expDigits = 0
            while i < t.count, t[i] &- 0x30 < 10 {
                exponent = exponent * 10 + Int(t[i] - 0x30)
                guard exponent <= Int(Int32.max) else { return nil }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0, i == t.count else { return nil }
            if expNegative { exponent = -exponent }
        }
        let scale = fractionDigits - exponent
        guard scale >= Int(Int32.min) && scale <= Int(Int32.max) else { return nil }
        return DecimalLiteral(negative: negative && !digits.isEmpty, digits: digits, scale: scale)
    }

    static func parse(_ text: String) -> DecimalLiteral? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    init(negative: Bool, digits: [UInt8], scale: Int) {
        self.negative = negative
        self.digits = digits
        self.scale = scale
    }

    init(_ decimal: SQLDecimal) {
        negative = decimal.unscaled < 0
        digits = []
        if decimal.unscaled != 0 { digits = Array(String(decimal.unscaled.magnitude).utf8) }
        scale = decimal.scale
    }

    /// `BigDecimal.toString()`: plain when the scale is non-negative and the adjusted exponent is at
    /// least -6, otherwise scientific (`1E-7`, `1.0E+3`).
    var javaString: String {
        var out: [UInt8] = []
        appendJavaString(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func appendJavaString(to out: inout [UInt8]) {
        digits.withUnsafeBufferPointer { d in
            DecimalLiteral.appendJavaString(negative: negative, digits: d, scale: scale, to: &out)
        }
    }

    /// `BigDecimal.toPlainString()`: never scientific.
    var plainString: String {
        var out: [UInt8] = []
        appendPlainString(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func appendPlainString(to out: inout [UInt8]) {
        digits.withUnsafeBufferPointer { d in
            DecimalLiteral.appendPlainString(negative: negative, digits: d, scale: scale, to: &out)
        }
    }

    // MARK: - Layout

    // These take the digits as a buffer so that `SQLDecimal` can lay out digits it formatted on
    // the stack, with no array of its own.

    /// Room for the `javaString` of a value with `digitCount` digits: sign, point, `E+`, and
    /// 21 bytes in which the exponent (up to 20 characters) is formatted.
    static func javaStringCapacity(digitCount: Int) -> Int { max(digitCount, 1) + 28 }

    /// `javaString` of `digits × 10^-scale` (`digits`: no leading zeros, empty for zero), written at
    /// `out`, which has room for `javaStringCapacity`. Returns the number of bytes written.
    static func writeJavaString(
        negative: Bool, digits: UnsafeBufferPointer<UInt8>, scale: Int, to out: UnsafeMutablePointer<UInt8>
    ) -> Int {
        if digits.isEmpty {
            // Zero's coefficient is "0".
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1) { zero in
                zero[0] = 0x30
                return writeJavaString(negative: negative, coefficient: UnsafeBufferPointer(zero), scale: scale, to: out)
            }
        }
        return writeJavaString(negative: negative, coefficient: digits, scale: scale, to: out)
    }

    private static func writeJavaString(
        negative: Bool, coefficient: UnsafeBufferPointer<UInt8>, scale: Int, to out: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var p = out
        @inline(__always) func put(_ byte: UInt8) {
            p.pointee = byte
            p += 1
        }
        @inline(__always) func put(_ bytes: UnsafeBufferPointer<UInt8>) {
            p.update(from: bytes.baseAddress!, count: bytes.count)
            p += bytes.count
        }
        let n = coefficient.count
        if negative { put(0x2D) }
        if scale == 0 {
            put(coefficient)
            return p - out
        }
        let adjusted = -scale + (n - 1)
        if scale > 0 && adjusted >= -6 {
            if n > scale {
                put(UnsafeBufferPointer(rebasing: coefficient[0..<(n - scale)]))
                put(0x2E)
                put(UnsafeBufferPointer(rebasing: coefficient[(n - scale)...]))
            } else {
                put(0x30)
                put(0x2E)
                for _ in 0..<(scale - n) { put(0x30) }
                put(coefficient)
            }
            return p - out
        }
        put(coefficient[0])
        if n > 1 {
            put(0x2E)
            put(UnsafeBufferPointer(rebasing: coefficient[1...]))
        }
        put(UInt8(ascii: "E"))
        if adjusted >= 0 { put(0x2B) }
        let exponentEnd = p + 21
        var start = DecimalDigits.writeBackward(UInt64(adjusted.magnitude), end: exponentEnd)
        if adjusted < 0 {
            start -= 1
            start.pointee = 0x2D
        }
        let length = exponentEnd - start
        p.update(from: start, count: length)
        return p + length - out
    }

    static func appendJavaString(negative: Bool, digits: UnsafeBufferPointer<UInt8>, scale: Int, to out: inout [UInt8]) {
        let capacity = javaStringCapacity(digitCount: digits.count)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { tmp in
            let n = writeJavaString(negative: negative, digits: digits, scale: scale, to: tmp.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: tmp[0..<n]))
        }
    }

    /// `plainString` of `digits × 10^-scale` (`digits`: no leading zeros, empty for zero).
    static func appendPlainString(negative: Bool, digits: UnsafeBufferPointer<UInt8>, scale: Int, to out: inout [UInt8]) {
        if digits.isEmpty {
            out.append(0x30)
            if scale > 0 {
                out.append(0x2E)
                out.append(contentsOf: repeatElement(0x30, count: scale))
            }
            return
        }
        if negative { out.append(0x2D) }
        let n = digits.count
        if scale <= 0 {
            out.append(contentsOf: digits)
            out.append(contentsOf: repeatElement(0x30, count: -scale))
        } else if n > scale {
            out.append(contentsOf: digits[0..<(n - scale)])
            out.append(0x2E)
            out.append(contentsOf: digits[(n - scale)...])
        } else {
            out.append(0x30)
            out.append(0x2E)
            out.append(contentsOf: repeatElement(0x30, count: scale - n))
            out.append(contentsOf: digits)
        }
    }

    /// The digits of the integer part (truncated toward zero), as the low 64 bits of its magnitude.
    /// Java's `BigDecimal.longValue()`/`intValue()` keep the low bits the same way.
    var truncatedMagnitudeLow64: UInt64 {
        let integerDigits = digits.count - scale
        guard integerDigits > 0 else { return 0 }
        var value: UInt64 = 0
        for i in 0..<min(integerDigits, digits.count) {
            value = value &* 10 &+ UInt64(digits[i] - 0x30)
        }
        if integerDigits > digits.count {
            // 10^k ≡ 0 (mod 2^64) once k >= 64.
            let zeros = integerDigits - digits.count
            if zeros >= 64 { return 0 }
            for _ in 0..<zeros { value = value &* 10 }
        }
        return value
    }

    /// Two's-complement low 64 bits of the value truncated toward zero (`BigDecimal.longValue()`).
    var truncatedInt64: Int64 {
        let m = Int64(bitPattern: truncatedMagnitudeLow64)
        return negative ? 0 &- m : m
    }

    /// The number of digits left of the decimal point (0 for |value| < 1).
    var integerDigitCount: Int { digits.isEmpty ? 0 : max(digits.count - scale, 0) }

    /// ksqlDB's `DecimalUtil.ensureFit`: rejects values whose magnitude is at least
    /// 10^(precision - scale), then sets the scale exactly (no rounding allowed).
    func ensureFit(precision: Int, scale targetScale: Int) throws(RecordError) -> SQLDecimal {
        if integerDigitCount > precision - targetScale {
            throw RecordError(
                "Numeric field overflow: A field with precision \(precision) and scale \(targetScale) "
                    + "must round to an absolute value less than 10^\(precision - targetScale). Got \(plainString)")
        }
        guard let unscaled = rescaledUnscaled(to: targetScale, roundHalfUp: false) else {
            throw RecordError(
                "Cannot fit decimal '\(plainString)' into DECIMAL(\(precision), \(targetScale)) without rounding. "
                    + "(Requires \(self.precision),\(scale))")
        }
        return SQLDecimal(unscaled: unscaled, scale: targetScale)
    }

    /// The unscaled value at `targetScale`: exact, or rounded half-up when `roundHalfUp`. Nil when
    /// exactness is required and digits would be lost, or the result does not fit `Int128`.
    func rescaledUnscaled(to targetScale: Int, roundHalfUp: Bool) -> Int128? {
        if digits.isEmpty { return 0 }
        var kept = digits[...]
        var roundUp = false
        var extraZeros = 0
        if targetScale >= scale {
            extraZeros = targetScale - scale
        } else {
            let drop = scale - targetScale
            let keep = digits.count - drop
            let dropped = keep > 0 ? digits[keep...] : digits[...]
            let droppedNonZero = dropped.contains { $0 != 0x30 }
            if droppedNonZero && !roundHalfUp { return nil }
            if roundHalfUp && keep >= 0 && keep < digits.count {
                roundUp = digits[keep] >= 0x35
            }
            kept = keep > 0 ? digits[0..<keep] : []
        }
        guard kept.count + extraZeros <= 39 else { return nil }
        var magnitude: UInt128 = 0
        for d in kept {
            let (m, o) = magnitude.multipliedReportingOverflow(by: 10)
            guard !o else { return nil }
            magnitude = m + UInt128(d - 0x30)
        }
        for _ in 0..<extraZeros {
            let (m, o) = magnitude.multipliedReportingOverflow(by: 10)
            guard !o else { return nil }
            magnitude = m
        }
        if roundUp { magnitude += 1 }
        guard magnitude <= UInt128(Int128.max) else { return nil }
        return negative ? -Int128(magnitude) : Int128(magnitude)
    }
}
