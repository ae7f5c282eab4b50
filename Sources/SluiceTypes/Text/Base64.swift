/// Standard Base64 (RFC 4648 alphabet, `=` padding), how ksqlDB writes BYTES in JSON and DELIMITED.
public enum Base64 {
    private static let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        append(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func append(_ bytes: [UInt8], to out: inout [UInt8]) {
        let a = alphabet.utf8Start
        out.reserveCapacity(out.count + (bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(a[Int(v >> 18)])
            out.append(a[Int(v >> 12 & 63)])
            out.append(a[Int(v >> 6 & 63)])
            out.append(a[Int(v & 63)])
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let v = UInt32(bytes[i]) << 16
            out.append(a[Int(v >> 18)])
            out.append(a[Int(v >> 12 & 63)])
            out.append(0x3D)
            out.append(0x3D)
        } else if rest == 2 {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out.append(a[Int(v >> 18)])
            out.append(a[Int(v >> 12 & 63)])
            out.append(a[Int(v >> 6 & 63)])
            out.append(0x3D)
        }
    }

    @inline(__always)
    private static func sextet(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x41...0x5A: UInt32(c - 0x41)
        case 0x61...0x7A: UInt32(c - 0x61 + 26)
        case 0x30...0x39: UInt32(c - 0x30 + 52)
        case 0x2B: 62
        case 0x2F: 63
        default: nil
        }
    }

    /// Decodes Base64 text.
    /// - `paddingRequired`: a final partial group must be padded with `=` (Jackson's default
    ///   variant); otherwise padding is optional (Java's `Base64.getDecoder()`).
    /// - `skipsWhitespace`: characters <= ' ' between groups are ignored (Jackson).
    /// Nil for anything else that is not Base64.
    public static func decode(_ text: UnsafeBufferPointer<UInt8>, paddingRequired: Bool, skipsWhitespace: Bool) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3)
        var i = 0
        let n = text.count
        while true {
            if skipsWhitespace { while i < n && text[i] <= 0x20 { i += 1 } }
            if i >= n { return out }
            var group: UInt32 = 0
            var count = 0
            while count < 4 && i < n, let s = sextet(text[i]) {
                group = group << 6 | s
                count += 1
                i += 1
            }
            if count == 4 {
                out.append(UInt8(group >> 16))
                out.append(UInt8(group >> 8 & 0xFF))
                out.append(UInt8(group & 0xFF))
                continue
            }
            // A short group: only valid at the end, with 2 or 3 characters, padded or not.
            guard count >= 2 else { return nil }
            var pads = 0
            while i < n && text[i] == 0x3D && pads < 4 - count {
                pads += 1
                i += 1
            }
            if pads > 0 && pads != 4 - count { return nil }
            if pads == 0 && paddingRequired { return nil }
            if skipsWhitespace { while i < n && text[i] <= 0x20 { i += 1 } }
            guard i == n else { return nil }
            group <<= UInt32(6 * (4 - count))
            out.append(UInt8(group >> 16))
            if count == 3 { out.append(UInt8(group >> 8 & 0xFF)) }
            return out
        }
    }

    public static func decode(_ text: String, paddingRequired: Bool = false, skipsWhitespace: Bool = false) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode($0, paddingRequired: paddingRequired, skipsWhitespace: skipsWhitespace) }
    }
}
