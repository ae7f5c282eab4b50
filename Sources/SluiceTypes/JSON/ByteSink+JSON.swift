/// JSON scalars written into a `ByteSink`, byte for byte as `JSONWriter` writes them.
extension ByteSink {
    @inline(__always)
    mutating func writeJSONInt(_ value: Int64) {
        let negative = value < 0
        let magnitude = value.magnitude
        let n = DecimalDigits.count(magnitude) &+ (negative ? 1 : 0)
        let p = reserve(n)
        if negative { p.pointee = 0x2D }
        _ = DecimalDigits.writeBackward(magnitude, end: p + n)
        advance(n)
    }

    /// A DECIMAL as `BigDecimal.toString()`, formatted in place.
    mutating func writeJSONDecimal(_ value: SQLDecimal) {
        let digitRoom = SQLDecimal.digitRoom
        let textRoom = DecimalLiteral.javaStringCapacity(digitCount: digitRoom)
        let p = reserve(textRoom + digitRoom)
        // The digits go after the text's room, so laying out the text cannot overwrite them.
        let digits = value.writeDigits(in: p + textRoom)
        let n = DecimalLiteral.writeJavaString(negative: value.unscaled < 0, digits: digits, scale: value.scale, to: p)
        advance(n)
    }

    mutating func writeJSONString(_ value: String) {
        var value = value
        value.withUTF8 { writeJSONString(utf8: $0) }
    }

    /// A quoted string, escaped as `JSONWriter.writeString` escapes it. Runs of bytes that need no
    /// escape are copied eight at a time.
    mutating func writeJSONString(utf8: UnsafeBufferPointer<UInt8>) {
        let n = utf8.count
        // Room for both quotes, the string, and 8 bytes of slack for a word stored past the end;
        // an escape reserves again for what is left.
        var start = reserve(n &+ 10)
        var out = start
        out.pointee = 0x22
        out += 1
        var i = 0
        if let source = utf8.baseAddress {
            let raw = UnsafeRawPointer(source)
            while i < n {
                if i &+ 8 <= n {
                    let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    UnsafeMutableRawPointer(out).storeBytes(of: word, as: UInt64.self)
                    let mask = ByteSink.escapeMask(UInt64(littleEndian: word))
                    if mask == 0 {
                        i &+= 8
                        out += 8
                        continue
                    }
                    let k = mask.trailingZeroBitCount >> 3
                    i &+= k
                    out += k
                } else {
                    let c = source[i]
                    if c >= 0x20 && c != 0x22 && c != 0x5C {
                        out.pointee = c
                        out += 1
                        i &+= 1
                        continue
                    }
                }
                advance(out - start)
                start = reserve(6 &+ (n &- i) &+ 10)
                out = start + JSONWriter.writeEscape(source[i], to: start)
                i &+= 1
            }
        }
        out.pointee = 0x22
        out += 1
        advance(out - start)
    }

    /// The high bit of each byte of `word` (little-endian order) that JSON output must escape:
    /// `"`, `\\` or below 0x20. Bits above the first flagged byte may be spurious.
    @inline(__always)
    static func escapeMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        let hasControl = (word &- (ones &* 0x20)) & ~word
        return (hasQuote | hasBackslash | hasControl) & highs
    }
}
