/// Integer to ASCII digits, straight into a byte buffer.
///
/// Every integer and decimal a record codec writes comes through here, so the digits are produced
/// without `String`: two per division from a table of "00"..."99" (half the divisions of one digit
/// at a time), right to left into a small stack buffer, then appended in one copy.
enum DecimalDigits {
    /// "00", "01", ..., "99" back to back: the two digits of `n` start at `2 * n`.
    private static let pairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    /// 10^19, the largest power of ten below 2^64: a `UInt128` is split into 19-digit pieces.
    private static let tenToThe19: UInt64 = 10_000_000_000_000_000_000

    static func append(_ value: Int64, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { tmp in
            let end = tmp.baseAddress! + 24
            var start = writeBackward(value.magnitude, end: end)
            if value < 0 {
                start -= 1
                start.pointee = 0x2D
            }
            out.append(contentsOf: UnsafeBufferPointer(start: start, count: end - start))
        }
    }

    static func appendUnsigned(_ value: UInt64, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { tmp in
            let end = tmp.baseAddress! + 24
            let start = writeBackward(value, end: end)
            out.append(contentsOf: UnsafeBufferPointer(start: start, count: end - start))
        }
    }

    /// The number of decimal digits of `value` (1 for zero).
    @inline(__always)
    static func count(_ value: UInt64) -> Int {
        var n = 1
        var m = value
        while m >= 10_000 {
            m /= 10_000
            n += 4
        }
        if m >= 100 {
            m /= 100
            n += 2
        }
        if m >= 10 { n += 1 }
        return n
    }

    /// The number of decimal digits of `value` (1 for zero).
    static func count(_ value: UInt128) -> Int {
        if let small = UInt64(exactly: value) { return count(small) }
        return count(value / UInt128(tenToThe19)) + 19
    }

    /// Writes the digits of `value` so that they end just before `end`; returns where they start.
    @inline(__always)
    static func writeBackward(_ value: UInt64, end: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let table = UnsafeRawPointer(pairs.utf8Start)
        var p = end
        var m = value
        while m >= 100 {
            let (q, r) = m.quotientAndRemainder(dividingBy: 100)
            p -= 2
            UnsafeMutableRawPointer(p).storeBytes(
                of: table.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: r) &* 2, as: UInt16.self), as: UInt16.self)
            m = q
        }
        if m >= 10 {
            p -= 2
            UnsafeMutableRawPointer(p).storeBytes(
                of: table.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: m) &* 2, as: UInt16.self), as: UInt16.self)
        } else {
            p -= 1
            p.pointee = 0x30 &+ UInt8(truncatingIfNeeded: m)
        }
        return p
    }

    /// `writeBackward` for a `UInt128` (up to 39 digits).
    static func writeBackward(_ value: UInt128, end: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var p = end
        var v = value
        while v > UInt128(UInt64.max) {
            let (high, low) = v.quotientAndRemainder(dividingBy: UInt128(tenToThe19))
            let start = writeBackward(UInt64(truncatingIfNeeded: low), end: p)
            // The lower piece keeps its leading zeros: it is exactly 19 digits.
            let pieceStart = p - 19
            var z = pieceStart
            while z < start {
                z.pointee = 0x30
                z += 1
            }
            p = pieceStart
            v = high
        }
        return writeBackward(UInt64(truncatingIfNeeded: v), end: p)
    }

    /// Appends `value` zero-padded to at least `width` digits (value must be non-negative).
    static func appendPadded(_ value: Int64, width: Int, to out: inout [UInt8]) {
        let n = count(value.magnitude)
        if n < width { out.append(contentsOf: repeatElement(0x30, count: width - n)) }
        appendUnsigned(value.magnitude, to: &out)
    }
}
