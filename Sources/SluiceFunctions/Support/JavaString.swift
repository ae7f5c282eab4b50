/// Java `String` semantics over Swift strings: lengths and positions count UTF-16 code units, as
/// every ksqlDB string function does.
enum JavaString {
    @inline(__always)
    static func length(_ s: String) -> Int { s.utf16.count }

    /// `s.substring(start, end)` in UTF-16 offsets, clamped to the string. A cut through a
    /// surrogate pair yields U+FFFD for the broken half (Swift strings hold only valid Unicode).
    static func substring(_ s: String, _ start: Int, _ end: Int) -> String {
        let u = s.utf16
        let count = u.count
        let a = max(0, min(start, count))
        let b = max(a, min(end, count))
        if a == 0 && b == count { return s }
        let i = u.index(u.startIndex, offsetBy: a)
        let j = u.index(i, offsetBy: b - a)
        if let exact = String(u[i..<j]) { return exact }
        return String(decoding: Array(u[i..<j]), as: UTF16.self)
    }

    static func substring(_ s: String, from start: Int) -> String {
        substring(s, start, Int.max)
    }

    /// `s.indexOf(target, from)` in UTF-16 offsets, or -1.
    static func indexOf(_ s: [UInt16], _ target: [UInt16], from: Int = 0) -> Int {
        let n = s.count, m = target.count
        var i = max(0, from)
        if m == 0 { return min(i, n) }
        guard m <= n else { return -1 }
        let first = target[0]
        while i <= n - m {
            if s[i] == first {
                var k = 1
                while k < m && s[i + k] == target[k] { k += 1 }
                if k == m { return i }
            }
            i += 1
        }
        return -1
    }

    /// Byte-level `indexOf` for UTF-8 or raw bytes.
    static func indexOf(_ s: [UInt8], _ target: [UInt8], from: Int = 0) -> Int {
        let n = s.count, m = target.count
        var i = max(0, from)
        if m == 0 { return min(i, n) }
        guard m <= n else { return -1 }
        while i <= n - m {
            if s[i] == target[0] {
                var k = 1
                while k < m && s[i + k] == target[k] { k += 1 }
                if k == m { return i }
            }
            i += 1
        }
        return -1
    }

    /// Java's `trim()`: drops leading and trailing characters up to U+0020.
    static func trim(_ s: String) -> String {
        let u = s.utf8
        var start = u.startIndex
        var end = u.endIndex
        while start < end && u[start] <= 0x20 { start = u.index(after: start) }
        while end > start && u[u.index(before: end)] <= 0x20 { end = u.index(before: end) }
        if start == u.startIndex && end == u.endIndex { return s }
        return String(s[start..<end])
    }

    /// Java's `\s`: space, tab, newline, vertical tab, form feed, carriage return.
    @inline(__always)
    static func isJavaWhitespace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D: true
        default: false
        }
    }

    /// Splits on a literal delimiter (Guava `Splitter.on`): empty pieces kept.
    static func split(_ s: String, on delimiter: String) -> [String] {
        let bytes = Array(s.utf8)
        let d = Array(delimiter.utf8)
        var parts: [String] = []
        var start = 0
        while true {
            let i = indexOf(bytes, d, from: start)
            if i < 0 { break }
            parts.append(String(decoding: bytes[start..<i], as: UTF8.self))
            start = i + d.count
        }
        parts.append(String(decoding: bytes[start...], as: UTF8.self))
        return parts
    }

    /// The Unicode scalars of `s` as Java sees them per code point.
    static func characters(_ s: String) -> [String] {
        s.unicodeScalars.map { String($0) }
    }

    static func reversedUTF16(_ s: String) -> [UInt16] {
        // Commons-lang reverse() reverses chars but keeps surrogate pairs in order.
        var units = Array(s.utf16)
        units.reverse()
        var i = 0
        while i < units.count - 1 {
            if UTF16.isTrailSurrogate(units[i]) && UTF16.isLeadSurrogate(units[i + 1]) {
                units.swapAt(i, i + 1)
                i += 2
            } else {
                i += 1
            }
        }
        return units
    }
}
