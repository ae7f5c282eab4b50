/// Text encodings of bytes used by ENCODE, TO_BYTES and FROM_BYTES: hex, base64, UTF-8 and ASCII,
/// with Java's behaviour for unmappable input.
enum ByteEncodings {
    enum Encoding: String {
        case hex, utf8, ascii, base64

        init?(name: String) {
            self.init(rawValue: name.lowercased())
        }
    }

    /// Text to bytes; nil for malformed hex or base64.
    static func decode(_ text: String, _ encoding: Encoding) -> [UInt8]? {
        switch encoding {
        case .utf8: return Array(text.utf8)
        case .ascii: return text.unicodeScalars.map { $0.isASCII ? UInt8($0.value) : UInt8(ascii: "?") }
        case .hex: return hexDecode(text)
        case .base64: return base64Decode(text)
        }
    }

    /// Bytes to text. `uppercaseHex` picks the hex alphabet (FROM_BYTES prints upper case, ENCODE
    /// lower case).
    static func encode(_ bytes: [UInt8], _ encoding: Encoding, uppercaseHex: Bool = false) -> String {
        switch encoding {
        case .utf8: return String(decoding: bytes, as: UTF8.self)
        case .ascii:
            var scalars = String.UnicodeScalarView()
            for b in bytes { scalars.append(b < 0x80 ? Unicode.Scalar(b) : "\u{FFFD}") }
            return String(scalars)
        case .hex: return hexEncode(bytes, uppercase: uppercaseHex)
        case .base64: return base64Encode(bytes)
        }
    }

    static func hexEncode(_ bytes: [UInt8], uppercase: Bool = false) -> String {
        let digits: [UInt8] = Array((uppercase ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Hex digits, optionally as `0x…` or `X'…'`. An odd count of digits is malformed, except
    /// after `0x`, where ksqlDB reads the digits as a number and so supplies the leading zero
    /// (`0x578` is the bytes 05 78).
    static func hexDecode(_ text: String) -> [UInt8]? {
        var u = Array(text.utf8)
        if u.count >= 2 && u[0] == UInt8(ascii: "0") && (u[1] == UInt8(ascii: "x") || u[1] == UInt8(ascii: "X")) {
            u.removeFirst(2)
            if u.count % 2 == 1 { u.insert(UInt8(ascii: "0"), at: 0) }
        } else if u.count >= 3 && (u[0] == UInt8(ascii: "x") || u[0] == UInt8(ascii: "X")) && u[1] == UInt8(ascii: "'")
            && u[u.count - 1] == UInt8(ascii: "'")
        {
            u = Array(u[2..<(u.count - 1)])
        }
        guard u.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(u.count / 2)
        var i = 0
        while i < u.count {
            guard let hi = hexValue(u[i]), let lo = hexValue(u[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 65...70: c - 55
        case 97...102: c - 87
        default: nil
        }
    }

    private static let base64Alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let base64Values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (i, c) in base64Alphabet.enumerated() { table[Int(c)] = Int8(i) }
        return table
    }()

    static func base64Encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(base64Alphabet[Int(n >> 18 & 63)])
            out.append(base64Alphabet[Int(n >> 12 & 63)])
            out.append(base64Alphabet[Int(n >> 6 & 63)])
            out.append(base64Alphabet[Int(n & 63)])
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out.append(base64Alphabet[Int(n >> 18 & 63)])
            out.append(base64Alphabet[Int(n >> 12 & 63)])
            out.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "=")])
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out.append(base64Alphabet[Int(n >> 18 & 63)])
            out.append(base64Alphabet[Int(n >> 12 & 63)])
            out.append(base64Alphabet[Int(n >> 6 & 63)])
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Java's basic `Base64.getDecoder()`: padding optional at the end, nothing else tolerated.
    static func base64Decode(_ text: String) -> [UInt8]? {
        var u = Array(text.utf8)
        while let last = u.last, last == UInt8(ascii: "=") { u.removeLast() }
        if text.utf8.count - u.count > 2 { return nil }
        if u.count % 4 == 1 { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(u.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for c in u {
            let v = base64Values[Int(c)]
            guard v >= 0 else { return nil }
            buffer = buffer << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return out
    }
}
