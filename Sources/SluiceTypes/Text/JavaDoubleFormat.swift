/// Java's `Double.toString`, which ksqlDB's JSON (through Jackson), DELIMITED and text output use.
///
/// The digits are the shortest decimal that rounds back to the double, the one nearest the exact
/// value when there are several (JDK 19+ semantics, including the rule that a one-digit result may
/// give way to a nearer two-digit one, e.g. `4.9E-324`). Layout: plain with at least one
/// fraction digit for 10^-3 <= |d| < 10^7 (`100.0`, `0.001`), otherwise computerized scientific
/// notation (`1.0E7`, `1.234E-5`); `NaN`, `Infinity`, `-Infinity`, `0.0`, `-0.0`.
public enum JavaDoubleFormat {
    public static func string(_ value: Double) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        append(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func append(_ value: Double, to out: inout [UInt8]) {
        if value.isNaN {
            out.append(contentsOf: "NaN".utf8)
            return
        }
        if value.sign == .minus { out.append(0x2D) }
        let v = value.magnitude
        if v.isInfinite {
            out.append(contentsOf: "Infinity".utf8)
            return
        }
        if v == 0 {
            out.append(contentsOf: "0.0".utf8)
            return
        }
        // Integers below 10^7 print as digits plus ".0"; no digit search needed.
        if v < 1e7 && v == v.rounded(.towardZero) {
            DecimalDigits.appendUnsigned(UInt64(v), to: &out)
            out.append(contentsOf: ".0".utf8)
            return
        }
        var (digits, pointPos) = shortestDigits(v)
        if digits.count == 1 && v.exponentBitPattern == 0 {
            (digits, pointPos) = nearestTwoDigitSubnormal(v, oneDigitPointPos: pointPos)
        }
        layout(digits: digits, pointPos: pointPos, to: &out)
    }

    /// Java's layout of a positive decimal `0.d1d2...dn × 10^pointPos`.
    static func layout(digits: [UInt8], pointPos: Int, to out: inout [UInt8]) {
        let n = digits.count
        let sciExp = pointPos - 1
        if sciExp >= -3 && sciExp < 7 {
            if pointPos <= 0 {
                out.append(contentsOf: "0.".utf8)
                out.append(contentsOf: repeatElement(0x30, count: -pointPos))
                out.append(contentsOf: digits)
            } else if pointPos >= n {
                out.append(contentsOf: digits)
                out.append(contentsOf: repeatElement(0x30, count: pointPos - n))
                out.append(contentsOf: ".0".utf8)
            } else {
                out.append(contentsOf: digits[0..<pointPos])
                out.append(0x2E)
                out.append(contentsOf: digits[pointPos...])
            }
        } else {
            out.append(digits[0])
            out.append(0x2E)
            if n > 1 {
                out.append(contentsOf: digits[1...])
            } else {
                out.append(0x30)
            }
            out.append(UInt8(ascii: "E"))
            DecimalDigits.append(Int64(sciExp), to: &out)
        }
    }

    /// The shortest round-tripping digits of a positive finite double (nearest to the exact value
    /// among the shortest), as ASCII digits without leading or trailing zeros and the position of
    /// the decimal point relative to the first digit. Swift's own `description` uses exactly this
    /// digit selection, so we take its digits and only redo the layout.
    static func shortestDigits(_ v: Double) -> (digits: [UInt8], pointPos: Int) {
        var digits: [UInt8] = []
        digits.reserveCapacity(17)
        var pointPos = 0
        var exponent = 0
        var seenPoint = false
        var inExponent = false
        var expNegative = false
        for c in v.description.utf8 {
            if inExponent {
                if c == 0x2D {
                    expNegative = true
                } else if c >= 0x30 && c <= 0x39 {
                    exponent = exponent * 10 + Int(c - 0x30)
                }
                continue
            }
            switch c {
            case 0x2E: seenPoint = true
            case 0x65, 0x45: inExponent = true
            case 0x30...0x39:
                if c == 0x30 && digits.isEmpty {
                    if seenPoint { pointPos -= 1 }
                } else {
                    digits.append(c)
                    if !seenPoint { pointPos += 1 }
                }
            default: break
            }
        }
        while digits.last == 0x30 { digits.removeLast() }
        return (digits, pointPos + (expNegative ? -exponent : exponent))
    }

    /// For a subnormal whose shortest decimal has one digit, Java picks among all one- and two-digit
    /// decimals that round to it the one nearest the exact value, e.g. `4.9E-324` rather than
    /// `5.0E-324`, and `9.9E-324` rather than `1.0E-323` (two digits one decade lower). The
    /// candidates are the value rounded half-even to a multiple of 10^(e-2) when that stays below
    /// 100 units (the value is below 10^e), else to a multiple of 10^(e-1); computed exactly.
    static func nearestTwoDigitSubnormal(_ v: Double, oneDigitPointPos: Int) -> (digits: [UInt8], pointPos: Int) {
        let e = oneDigitPointPos - 1
        var q = e - 2
        var k = roundedMultiple(of: q, v)
        if k >= 100 {
            q = e - 1
            k = roundedMultiple(of: q, v)
        }
        var digits: [UInt8] = []
        DecimalDigits.appendUnsigned(k, to: &digits)
        let pointPos = digits.count + q
        while digits.last == 0x30 { digits.removeLast() }
        return (digits, pointPos)
    }

    /// `v / 10^q` rounded half-even, for a subnormal `v = m × 2^-1074` and `q < 0`.
    private static func roundedMultiple(of q: Int, _ v: Double) -> UInt64 {
        var n = BigUInt(UInt64(v.significandBitPattern))
        var remaining = -q
        while remaining > 0 {
            let step = min(remaining, 9)
            var factor: UInt32 = 1
            for _ in 0..<step { factor *= 10 }
            n.multiply(by: factor)
            remaining -= step
        }
        var k = n.shiftedRightLow64(by: 1074)
        switch n.compareLowBitsToHalf(bits: 1074) {
        case 1: k += 1
        case 0: if k % 2 == 1 { k += 1 }
        default: break
        }
        return k
    }
}

/// Just enough of an unsigned big integer for the exact subnormal digit search.
struct BigUInt {
    var limbs: [UInt32]  // little-endian

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
    }

    mutating func multiply(by factor: UInt32) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let product = UInt64(limbs[i]) * UInt64(factor) + carry
            limbs[i] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry > 0 { limbs.append(UInt32(carry)) }
    }

    func bit(_ index: Int) -> Bool {
        let limb = index / 32
        guard limb < limbs.count else { return false }
        return limbs[limb] >> UInt32(index % 32) & 1 == 1
    }

    /// The low 64 bits of `self >> shift`.
    func shiftedRightLow64(by shift: Int) -> UInt64 {
        var result: UInt64 = 0
        for i in 0..<64 where bit(shift + i) {
            result |= 1 << UInt64(i)
        }
        return result
    }

    /// Compares `self mod 2^bits` with `2^(bits-1)`: -1 below, 0 equal, 1 above.
    func compareLowBitsToHalf(bits: Int) -> Int {
        let half = bit(bits - 1)
        var lowerNonZero = false
        for i in 0..<(bits - 1) where bit(i) {
            lowerNonZero = true
            break
        }
        if !half { return -1 }
        return lowerNonZero ? 1 : 0
    }
}
