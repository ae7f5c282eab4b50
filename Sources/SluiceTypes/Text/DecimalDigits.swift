/// Integer to ASCII digits, straight into a byte buffer.
enum DecimalDigits {
    static func append(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(0x2D) }
        appendUnsigned(value.magnitude, to: &out)
    }

    static func appendUnsigned(_ value: UInt64, to out: inout [UInt8]) {
        let n = count(value)
        let start = out.count
        out.append(contentsOf: repeatElement(0x30, count: n))
        var m = value
        var i = start + n - 1
        while m >= 10 {
            let (q, r) = m.quotientAndRemainder(dividingBy: 10)
            out[i] = 0x30 &+ UInt8(truncatingIfNeeded: r)
            m = q
            i -= 1
        }
        out[i] = 0x30 &+ UInt8(truncatingIfNeeded: m)
    }

    static func count(_ value: UInt64) -> Int {
        var n = 1
        var m = value
        while m >= 10 {
            m /= 10
            n += 1
        }
        return n
    }

    /// Appends `value` zero-padded to at least `width` digits (value must be non-negative).
    static func appendPadded(_ value: Int64, width: Int, to out: inout [UInt8]) {
        let n = count(value.magnitude)
        if n < width { out.append(contentsOf: repeatElement(0x30, count: width - n)) }
        appendUnsigned(value.magnitude, to: &out)
    }
}
