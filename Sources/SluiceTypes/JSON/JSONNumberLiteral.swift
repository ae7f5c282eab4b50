/// What Jackson makes of a JSON number literal in ksqlDB's deserializer (`USE_BIG_DECIMAL_FOR_FLOATS`,
/// exact big decimals): integers become `IntNode`/`LongNode`/`BigIntegerNode` by size, anything with
/// a fraction or exponent a `DecimalNode` holding the exact `BigDecimal`. These helpers answer the
/// node's `intValue()`, `longValue()`, `doubleValue()` and `asText()` from the literal bytes.
enum JSONNumberLiteral {
    static func isIntegerLiteral(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        for c in t where c == 0x2E || c | 0x20 == 0x65 { return false }
        return true
    }

    /// Magnitude of an integer literal modulo 2^64, and whether it overflowed Int64's range.
    @inline(__always)
    static func integerParts(_ t: UnsafeBufferPointer<UInt8>) -> (negative: Bool, low: UInt64, fitsInt64: Bool) {
        var i = 0
        let negative = t[0] == 0x2D
        if negative { i = 1 }
        var value: UInt64 = 0
        var overflow = false
        while i < t.count {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(t[i] &- 0x30))
            overflow = overflow || o1 || o2
            value = a
            i += 1
        }
        let limit: UInt64 = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
        return (negative, value, !overflow && value <= limit)
    }

    /// Jackson's node class for the literal.
    static func nodeKind(_ t: UnsafeBufferPointer<UInt8>, isInteger: Bool) -> String {
        guard isInteger else { return "DecimalNode" }
        let p = integerParts(t)
        guard p.fitsInt64 else { return "BigIntegerNode" }
        let v = p.negative ? 0 &- Int64(bitPattern: p.low) : Int64(bitPattern: p.low)
        return Int32(exactly: v) != nil ? "IntNode" : "LongNode"
    }

    static func nodeKindName(_ text: String) -> String {
        var text = text
        return text.withUTF8 { nodeKind($0, isInteger: isIntegerLiteral($0)) }
    }

    /// `longValue()`: exact for integers in range, else the low 64 bits of the (truncated) integer.
    static func int64(_ t: UnsafeBufferPointer<UInt8>, isInteger: Bool) -> Int64 {
        if isInteger {
            let p = integerParts(t)
            let v = Int64(bitPattern: p.low)
            return p.negative ? 0 &- v : v
        }
        return DecimalLiteral.parse(t)?.truncatedInt64 ?? 0
    }

    /// `intValue()`: the low 32 bits of `longValue()`.
    static func int32(_ t: UnsafeBufferPointer<UInt8>, isInteger: Bool) -> Int32 {
        Int32(truncatingIfNeeded: int64(t, isInteger: isInteger))
    }

    /// `doubleValue()`: correctly rounded; never -0.0 (`BigDecimal` and `IntNode` have no negative zero).
    static func double(_ t: UnsafeBufferPointer<UInt8>) -> Double {
        var negative = false
        var body = t
        if t[0] == 0x2D {
            negative = true
            body = UnsafeBufferPointer(rebasing: t[1...])
        }
        let m = JavaNumberParsing.decimalToDouble(body) ?? .nan
        if m == 0 { return 0 }
        return negative ? -m : m
    }

    /// `asText()`: `Long.toString` for integers that fit a long, the digits for big integers, and
    /// `BigDecimal.toString()` for decimals (`1.50`, `1E+3`).
    static func appendJavaText(_ t: UnsafeBufferPointer<UInt8>, isInteger: Bool, to out: inout [UInt8]) {
        if isInteger {
            let p = integerParts(t)
            if p.fitsInt64 {
                let v = Int64(bitPattern: p.low)
                DecimalDigits.append(p.negative ? 0 &- v : v, to: &out)
            } else {
                out.append(contentsOf: t)
            }
            return
        }
        DecimalLiteral.parse(t)?.appendJavaString(to: &out)
    }

    static func javaText(_ t: UnsafeBufferPointer<UInt8>, isInteger: Bool) -> String {
        var out: [UInt8] = []
        appendJavaText(t, isInteger: isInteger, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
