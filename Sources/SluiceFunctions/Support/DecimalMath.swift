import SluiceTypes

/// Fixed-point arithmetic on ``SQLDecimal`` with Java `BigDecimal` semantics where functions need
/// them (rescaling with HALF_UP, comparison regardless of scale, `toString`).
///
/// Values are limited to 38 digits, as DECIMAL columns are; an operation whose result does not fit
/// returns nil and the caller reports a bad record.
enum DecimalMath {
    static let maxDigits = 38

    /// 10^n for 0 ≤ n ≤ 38.
    static func pow10(_ n: Int) -> Int128 {
        precondition(n >= 0 && n <= 38, "10^\(n) is out of range")
        return powersOfTen[n]
    }

    private static let powersOfTen: [Int128] = {
        var table: [Int128] = [1]
        for _ in 1...38 { table.append(table.last! * 10) }
        return table
    }()

    static let maxUnscaled: Int128 = pow10(38) - 1

    /// Digits in `unscaled`, at least 1 (as `BigDecimal.precision()`).
    static func precision(_ d: SQLDecimal) -> Int {
        digitCount(d.unscaled.magnitude)
    }

    static func digitCount(_ m: UInt128) -> Int {
        var n = 1
        var limit: UInt128 = 10
        while n < 39 && m >= limit {
            n += 1
            if n == 39 { break }
            limit *= 10
        }
        return n
    }

    /// `d` with `scale` decimal places, rounding HALF_UP when digits are dropped; nil when the
    /// result exceeds 38 digits.
    static func rescale(_ d: SQLDecimal, to scale: Int, rounding: Rounding = .halfUp) -> SQLDecimal? {
        if scale == d.scale { return d }
        if scale > d.scale {
            let shift = scale - d.scale
            guard shift <= 38 else { return d.unscaled == 0 ? SQLDecimal(unscaled: 0, scale: scale) : nil }
            let (r, o) = d.unscaled.multipliedReportingOverflow(by: pow10(shift))
            guard !o, r.magnitude <= maxUnscaled.magnitude else { return nil }
            return SQLDecimal(unscaled: r, scale: scale)
        }
        let shift = d.scale - scale
        if shift > 38 {
            // |unscaled| < 10^38 ≤ half the divisor: only directed rounding leaves a unit.
            var unit: Int128 = 0
            if d.unscaled > 0 && rounding == .ceiling { unit = 1 }
            if d.unscaled < 0 && rounding == .floor { unit = -1 }
            return SQLDecimal(unscaled: unit, scale: scale)
        }
        let divisor = pow10(shift)
        let q = d.unscaled / divisor
        let r = d.unscaled % divisor
        return SQLDecimal(unscaled: adjust(q, remainder: r, divisor: divisor, rounding: rounding), scale: scale)
    }

    enum Rounding {
        case halfUp, halfDown, halfEven, down, floor, ceiling
    }

    /// Rounds a truncated quotient given the remainder of the division.
    private static func adjust(_ q: Int128, remainder r: Int128, divisor: Int128, rounding: Rounding) -> Int128 {
        if r == 0 { return q }
        let negative = r < 0
        let twice = r.magnitude * 2
        switch rounding {
        case .down:
            return q
        case .floor:
            return negative ? q - 1 : q
        case .ceiling:
            return negative ? q : q + 1
        case .halfUp:
            if twice >= divisor.magnitude { return negative ? q - 1 : q + 1 }
            return q
        case .halfDown:
            if twice > divisor.magnitude { return negative ? q - 1 : q + 1 }
            return q
        case .halfEven:
            if twice > divisor.magnitude || (twice == divisor.magnitude && q % 2 != 0) {
                return negative ? q - 1 : q + 1
            }
            return q
        }
    }

    /// Rounds to `places` decimal places (which may be negative), keeping the scale at
    /// `max(places, 0)`, as ksqlDB's ROUND does.
    static func round(_ d: SQLDecimal, places: Int, rounding: Rounding = .halfUp) -> SQLDecimal? {
        if places >= d.scale { return d }
        if places >= 0 { return rescale(d, to: places, rounding: rounding) }
        // Round at a position left of the point, then come back to scale 0.
        let shift = d.scale - places
        guard shift <= 38 else { return SQLDecimal(unscaled: 0, scale: 0) }
        let divisor = pow10(shift)
        let q = adjust(d.unscaled / divisor, remainder: d.unscaled % divisor, divisor: divisor, rounding: rounding)
        let (r, o) = q.multipliedReportingOverflow(by: pow10(-places))
        guard !o, r.magnitude <= maxUnscaled.magnitude else { return nil }
        return SQLDecimal(unscaled: r, scale: 0)
    }

    static func compare(_ a: SQLDecimal, _ b: SQLDecimal) -> Int {
        if a.scale == b.scale { return a.unscaled < b.unscaled ? -1 : (a.unscaled > b.unscaled ? 1 : 0) }
        let scale = max(a.scale, b.scale)
        if let x = rescale(a, to: scale), let y = rescale(b, to: scale) {
            return x.unscaled < y.unscaled ? -1 : (x.unscaled > y.unscaled ? 1 : 0)
        }
        // One side overflowed at the common scale: compare the doubles (magnitudes differ greatly).
        let x = toDouble(a), y = toDouble(b)
        return x < y ? -1 : (x > y ? 1 : 0)
    }

    static func add(_ a: SQLDecimal, _ b: SQLDecimal) -> SQLDecimal? {
        let scale = max(a.scale, b.scale)
        guard let x = rescale(a, to: scale), let y = rescale(b, to: scale) else { return nil }
        let (r, o) = x.unscaled.addingReportingOverflow(y.unscaled)
        guard !o, r.magnitude <= maxUnscaled.magnitude else { return nil }
        return SQLDecimal(unscaled: r, scale: scale)
    }

    static func subtract(_ a: SQLDecimal, _ b: SQLDecimal) -> SQLDecimal? {
        add(a, SQLDecimal(unscaled: -b.unscaled, scale: b.scale))
    }

    static func negate(_ a: SQLDecimal) -> SQLDecimal {
        SQLDecimal(unscaled: -a.unscaled, scale: a.scale)
    }

    /// Whether `d` fits DECIMAL(precision, scale) once rescaled; returns the rescaled value.
    static func fit(_ d: SQLDecimal, precision: Int, scale: Int) -> SQLDecimal? {
        guard let r = rescale(d, to: scale) else { return nil }
        guard r.unscaled == 0 || digitCount(r.unscaled.magnitude) <= precision else { return nil }
        return r
    }

    static func fromInt(_ i: Int64) -> SQLDecimal {
        SQLDecimal(unscaled: Int128(i), scale: 0)
    }

    // MARK: - Conversions

    static func toDouble(_ d: SQLDecimal) -> Double {
        // Both operands exact in a double: one IEEE division rounds correctly.
        if d.unscaled.magnitude < (1 << 53) && d.scale >= 0 && d.scale <= 22 {
            return Double(d.unscaled) / exactPowersOfTen[d.scale]
        }
        return Double(plainString(d)) ?? .nan
    }

    private static let exactPowersOfTen: [Double] = (0...22).map { n in
        var x = 1.0
        for _ in 0..<n { x *= 10 }
        return x
    }

    /// `BigDecimal.valueOf(double)`: the shortest decimal that reads back as `x`; nil for NaN,
    /// infinities and values beyond 38 digits.
    static func fromDouble(_ x: Double) -> SQLDecimal? {
        guard x.isFinite else { return nil }
        let (negative, digits, exponent) = ShortestDigits.of(x)
        // value = 0.digits × 10^exponent
        var unscaled: Int128 = 0
        for c in digits { unscaled = unscaled * 10 + Int128(c - 48) }
        var scale = digits.count - exponent
        if scale < 0 {
            guard -scale + digits.count <= 38 else { return nil }
            unscaled *= pow10(-scale)
            scale = 0
        }
        if Double.toStringNeedsDecimalPoint(digits: digits.count, exponent: exponent), scale == 0 {
            // Java's Double.toString always prints ".0", which BigDecimal keeps as scale 1.
            unscaled *= 10
            scale = 1
        }
        guard unscaled.magnitude <= maxUnscaled.magnitude, scale <= 38 else { return nil }
        return SQLDecimal(unscaled: negative ? -unscaled : unscaled, scale: scale)
    }

    /// The value without exponent: `-12.340`.
    static func plainString(_ d: SQLDecimal) -> String {
        var digits = String(d.unscaled.magnitude)
        let negative = d.unscaled < 0
        if d.scale > 0 {
            if digits.count <= d.scale {
                digits = String(repeating: "0", count: d.scale - digits.count + 1) + digits
            }
            let cut = digits.index(digits.endIndex, offsetBy: -d.scale)
            digits = String(digits[..<cut]) + "." + String(digits[cut...])
        } else if d.scale < 0 && d.unscaled != 0 {
            digits += String(repeating: "0", count: -d.scale)
        }
        return negative ? "-" + digits : digits
    }

    /// Java's `BigDecimal.toString()`: plain unless the exponent is small enough to need
    /// scientific notation.
    static func javaString(_ d: SQLDecimal) -> String {
        let coefficient = String(d.unscaled.magnitude)
        let adjusted = -d.scale + (coefficient.count - 1)
        if d.scale >= 0 && adjusted >= -6 { return plainString(d) }
        var out = d.unscaled < 0 ? "-" : ""
        out += String(coefficient.first!)
        if coefficient.count > 1 {
            out += "." + coefficient.dropFirst()
        }
        out += "E" + (adjusted >= 0 ? "+" : "") + String(adjusted)
        return out
    }

    /// Parses `[-+]digits[.digits][E[-+]digits]` as `new BigDecimal(String)` does.
    static func parse(_ text: Substring) -> SQLDecimal? {
        var unscaled: Int128 = 0
        var scale = 0
        var negative = false
        var sawDigit = false
        var afterPoint = false
        var i = text.utf8.startIndex
        let u = text.utf8
        if i < u.endIndex && (u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+")) {
            negative = u[i] == UInt8(ascii: "-")
            i = u.index(after: i)
        }
        var significant = 0
        while i < u.endIndex {
            let c = u[i]
            if c >= 48 && c <= 57 {
                sawDigit = true
                if unscaled != 0 || c != 48 { significant += 1 }
                guard significant <= 38 else { return nil }
                unscaled = unscaled * 10 + Int128(c - 48)
                if afterPoint { scale += 1 }
            } else if c == UInt8(ascii: ".") && !afterPoint {
                afterPoint = true
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                guard sawDigit, let e = Int(Substring(text.utf8[u.index(after: i)...])) else { return nil }
                scale -= e
                i = u.endIndex
                break
            } else {
                return nil
            }
            i = u.index(after: i)
        }
        guard sawDigit else { return nil }
        return SQLDecimal(unscaled: negative ? -unscaled : unscaled, scale: scale)
    }
}

extension Double {
    /// Java prints every double with a decimal point; a value whose shortest digits end before
    /// the point gets ".0".
    fileprivate static func toStringNeedsDecimalPoint(digits: Int, exponent: Int) -> Bool {
        exponent >= digits
    }
}
