/// A position in a JSON byte buffer, with the RFC 8259 token scanners shared by the tree parser
/// and the column-pruning record decoder.
///
/// The buffer must outlive the cursor (callers scope it with `withUnsafeBufferPointer`). Every
/// scanner validates what it passes over, so skipping a value is as strict as parsing it.
struct JSONCursor {
    let buf: UnsafeBufferPointer<UInt8>
    var pos: Int
    let maxDepth: Int
    var depth: Int = 0

    init(_ buf: UnsafeBufferPointer<UInt8>, start: Int = 0, maxDepth: Int = JSONParser.defaultMaxDepth) {
        self.buf = buf
        self.pos = start
        self.maxDepth = maxDepth
    }

    var count: Int { buf.count }
    var atEnd: Bool { pos >= buf.count }

    /// The byte at the cursor, or 0 at the end (0 never starts a JSON token).
    @inline(__always)
    func peek() -> UInt8 { pos < buf.count ? buf[pos] : 0 }

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < buf.count {
            let c = buf[pos]
            // Most bytes after a token are punctuation or the next token, all above space.
            if c > 0x20 { return }
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 {
                pos += 1
            } else {
                return
            }
        }
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(message, offset: offset ?? pos)
    }

    /// An error for an unexpected byte (or the end of input) where `expected` should be.
    func unexpected(_ expected: String) -> JSONParseError {
        if atEnd { return error("unexpected end of input, expected \(expected)") }
        return error("unexpected \(JSONCursor.describe(buf[pos])), expected \(expected)")
    }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "character '\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8, _ what: String) throws(JSONParseError) {
        guard pos < buf.count, buf[pos] == byte else { throw unexpected(what) }
        pos += 1
    }

    // MARK: nesting

    @inline(__always)
    mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        if depth > maxDepth { throw error("nesting deeper than \(maxDepth) levels") }
    }

    @inline(__always)
    mutating func leaveContainer() { depth -= 1 }

    // MARK: literals

    /// Consumes `true`, `false` or `null` at the cursor.
    mutating func scanLiteral() throws(JSONParseError) -> JSONValue {
        let start = pos
        switch peek() {
        case UInt8(ascii: "t"):
            if matches("rue") { pos += 4; return .bool(true) }
        case UInt8(ascii: "f"):
            if matches("alse") { pos += 5; return .bool(false) }
        case UInt8(ascii: "n"):
            if matches("ull") { pos += 4; return .null }
        default: break
        }
        throw error("invalid literal", at: start)
    }

    /// Whether the bytes after the cursor's byte spell `rest`.
    @inline(__always)
    private func matches(_ rest: StaticString) -> Bool {
        let n = rest.utf8CodeUnitCount
        guard pos + 1 + n <= buf.count else { return false }
        let p = rest.utf8Start
        for i in 0..<n where buf[pos + 1 + i] != p[i] { return false }
        return true
    }

    // MARK: numbers

    /// Scans an RFC 8259 number at the cursor. `isInteger` is false when it has a fraction or an
    /// exponent (Jackson then reads it as a `BigDecimal`).
    mutating func scanNumber() throws(JSONParseError) -> (start: Int, end: Int, isInteger: Bool) {
        let start = pos
        let n = buf.count
        var p = pos
        var isInteger = true
        @inline(__always) func at(_ i: Int) -> UInt8 { i < n ? buf[i] : 0 }
        if at(p) == UInt8(ascii: "-") { p += 1 }
        let first = at(p)
        if first == UInt8(ascii: "0") {
            p += 1
            if isDigit(at(p)) { throw error("leading zeros are not allowed in numbers", at: start) }
        } else if isDigit(first) {
            p += 1
            while isDigit(at(p)) { p += 1 }
        } else {
            pos = p
            throw unexpected("a digit")
        }
        if at(p) == UInt8(ascii: ".") {
            isInteger = false
            p += 1
            guard isDigit(at(p)) else {
                pos = p
                throw unexpected("a digit after the decimal point")
            }
            while isDigit(at(p)) { p += 1 }
        }
        let e = at(p)
        if e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            isInteger = false
            p += 1
            let s = at(p)
            if s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { p += 1 }
            guard isDigit(at(p)) else {
                pos = p
                throw unexpected("a digit in the exponent")
            }
            while isDigit(at(p)) { p += 1 }
        }
        pos = p
        return (start, p, isInteger)
    }

    @inline(__always)
    func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }

    // MARK: strings

    /// Scans a string at the cursor (which must be on its opening quote), validating escapes and
    /// UTF-8. Returns the range of the content between the quotes.
    mutating func scanString() throws(JSONParseError) -> (start: Int, end: Int, hasEscapes: Bool) {
        let start = pos + 1
        var p = start
        var hasEscapes = false
        let n = buf.count
        let base = UnsafeRawPointer(buf.baseAddress!)
        while true {
            // Eight bytes at a time up to the first quote, backslash, control or non-ASCII byte.
            while p + 8 <= n {
                let mask = JSONCursor.attentionMask(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt64.self)))
                if mask != 0 {
                    p += mask.trailingZeroBitCount >> 3
                    break
                }
                p += 8
            }
            guard p < n else { break }
            let c = buf[p]
            if c == 0x22 {
                pos = p + 1
                return (start, p, hasEscapes)
            }
            if c == 0x5C {
                hasEscapes = true
                pos = p
                try scanEscape()
                p = pos
            } else if c < 0x20 {
                pos = p
                throw error("unescaped control character \(JSONCursor.describe(c)) in string")
            } else if c < 0x80 {
                p += 1
            } else {
                pos = p
                try scanUTF8Sequence()
                p = pos
            }
        }
        pos = p
        throw error("unterminated string", at: start - 1)
    }

    /// The high bit of each byte of `word` (little-endian order) that is `"`, `\\`, below 0x20
    /// or above 0x7F, and of no other byte: the bytes are tested apart, with no carry between them.
    @inline(__always)
    static func attentionMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // Each byte without its high bit; adding 0x7F (or 0x60) to such a byte cannot carry out.
        let low7 = word & ~highs
        let notQuote = (low7 ^ (ones &* 0x22)) &+ ones &* 0x7F
        let notBackslash = (low7 ^ (ones &* 0x5C)) &+ ones &* 0x7F
        let notControl = low7 &+ ones &* 0x60
        return ~(notQuote & notBackslash & notControl & ~word) & highs
    }

    /// Passes over the string at the cursor (on its opening quote), validating it as `scanString`
    /// does. Plain ASCII without escapes goes eight bytes at a time (byte by byte at the end of
    /// the buffer); anything else is left to `scanString`, from the start.
    @inline(__always)
    mutating func skipString() throws(JSONParseError) {
        let n = buf.count
        let base = UnsafeRawPointer(buf.baseAddress!)
        var p = pos + 1
        while p + 8 <= n {
            let mask = JSONCursor.attentionMask(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt64.self)))
            if mask != 0 {
                p += mask.trailingZeroBitCount >> 3
                if base.load(fromByteOffset: p, as: UInt8.self) == 0x22 {
                    pos = p + 1
                    return
                }
                break
            }
            p += 8
        }
        // The last few bytes of the buffer, one at a time.
        while p < n {
            let c = base.load(fromByteOffset: p, as: UInt8.self)
            if c == 0x22 {
                pos = p + 1
                return
            }
            if c == 0x5C || c < 0x20 || c >= 0x80 { break }
            p += 1
        }
        _ = try scanString()
    }

    private mutating func scanEscape() throws(JSONParseError) {
        let at = pos
        pos += 1
        guard pos < buf.count else { throw error("unterminated string") }
        switch buf[pos] {
        case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
            pos += 1
        case 0x75:
            pos += 1
            for _ in 0..<4 {
                guard pos < buf.count, JSONCursor.hexValue(buf[pos]) != nil else {
                    throw error("invalid \\u escape: expected 4 hex digits", at: at)
                }
                pos += 1
            }
        default:
            throw error("invalid escape \\\(Character(Unicode.Scalar(buf[pos])))", at: at)
        }
    }

    private mutating func scanUTF8Sequence() throws(JSONParseError) {
        let at = pos
        let c = buf[pos]
        var need: Int
        var lo: UInt8 = 0x80
        var hi: UInt8 = 0xBF
        switch c {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: need = 2
        case 0xED: need = 2; hi = 0x9F
        case 0xF0: need = 3; lo = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; hi = 0x8F
        default: throw error("invalid UTF-8 start byte \(JSONCursor.describe(c))")
        }
        pos += 1
        while need > 0 {
            guard pos < buf.count else { throw error("truncated UTF-8 sequence", at: at) }
            let b = buf[pos]
            guard b >= lo && b <= hi else { throw error("invalid UTF-8 continuation byte", at: pos) }
            lo = 0x80
            hi = 0xBF
            pos += 1
            need -= 1
        }
    }

    static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: UInt32(c - 0x30)
        case 0x41...0x46: UInt32(c - 0x41 + 10)
        case 0x61...0x66: UInt32(c - 0x61 + 10)
        default: nil
        }
    }

    /// Appends the unescaped UTF-8 content of a scanned string to `out`. Unpaired surrogate
    /// escapes become U+FFFD.
    func appendUnescaped(start: Int, end: Int, to out: inout [UInt8]) {
        var i = start
        while i < end {
            let c = buf[i]
            if c != 0x5C {
                out.append(c)
                i += 1
                continue
            }
            let e = buf[i + 1]
            i += 2
            switch e {
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var scalar = hex4(at: i)
                i += 4
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    if i + 6 <= end && buf[i] == 0x5C && buf[i + 1] == 0x75 {
                        let low = hex4(at: i + 2)
                        if low >= 0xDC00 && low <= 0xDFFF {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        } else {
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                    scalar = 0xFFFD
                }
                JSONCursor.appendUTF8(scalar, to: &out)
            default: out.append(e)  // \" \\ \/
            }
        }
    }

    private func hex4(at i: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 { v = v << 4 | (JSONCursor.hexValue(buf[i + k]) ?? 0) }
        return v
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case ..<0x80:
            out.append(UInt8(scalar))
        case ..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// The content of a scanned string as a Swift string.
    func string(start: Int, end: Int, hasEscapes: Bool) -> String {
        if !hasEscapes {
            return String(decoding: UnsafeBufferPointer(rebasing: buf[start..<end]), as: UTF8.self)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(end - start)
        appendUnescaped(start: start, end: end, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    func text(start: Int, end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buf[start..<end]), as: UTF8.self)
    }

    // MARK: whole values

    /// Builds the tree of the value at the cursor.
    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        switch peek() {
        case 0x7B: return try parseObject()
        case 0x5B: return try parseArray()
        case 0x22:
            let s = try scanString()
            return .string(string(start: s.start, end: s.end, hasEscapes: s.hasEscapes))
        case 0x2D, 0x30...0x39:
            let n = try scanNumber()
            return .number(text: text(start: n.start, end: n.end))
        case 0x74, 0x66, 0x6E:
            return try scanLiteral()
        default:
            throw unexpected("a JSON value")
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        pos += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if peek() == 0x7D {
            pos += 1
            leaveContainer()
            return .object(members)
        }
        while true {
            guard peek() == 0x22 else { throw unexpected("'\"' to start an object key") }
            let k = try scanString()
            let key = string(start: k.start, end: k.end, hasEscapes: k.hasEscapes)
            skipWhitespace()
            try expect(0x3A, "':' after an object key")
            skipWhitespace()
            members.append(JSONMember(key, try parseValue()))
            skipWhitespace()
            if peek() == 0x2C {
                pos += 1
                skipWhitespace()
            } else if peek() == 0x7D {
                pos += 1
                leaveContainer()
                return .object(members)
            } else {
                throw unexpected("',' or '}' in an object")
            }
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        pos += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == 0x5D {
            pos += 1
            leaveContainer()
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            if peek() == 0x2C {
                pos += 1
                skipWhitespace()
            } else if peek() == 0x5D {
                pos += 1
                leaveContainer()
                return .array(elements)
            } else {
                throw unexpected("',' or ']' in an array")
            }
        }
    }

    /// Passes over the value at the cursor, validating it, without building anything.
    mutating func skipValue() throws(JSONParseError) {
        switch peek() {
        case 0x22: _ = try scanString()
        case 0x2D, 0x30...0x39: _ = try scanNumber()
        case 0x74, 0x66, 0x6E: _ = try scanLiteral()
        case 0x7B:
            try enterContainer()
            pos += 1
            skipWhitespace()
            if peek() == 0x7D {
                pos += 1
                leaveContainer()
                return
            }
            while true {
                guard peek() == 0x22 else { throw unexpected("'\"' to start an object key") }
                _ = try scanString()
                skipWhitespace()
                try expect(0x3A, "':' after an object key")
                skipWhitespace()
                try skipValue()
                skipWhitespace()
                if peek() == 0x2C {
                    pos += 1
                    skipWhitespace()
                } else if peek() == 0x7D {
                    pos += 1
                    leaveContainer()
                    return
                } else {
                    throw unexpected("',' or '}' in an object")
                }
            }
        case 0x5B:
            try enterContainer()
            pos += 1
            skipWhitespace()
            if peek() == 0x5D {
                pos += 1
                leaveContainer()
                return
            }
            while true {
                try skipValue()
                skipWhitespace()
                if peek() == 0x2C {
                    pos += 1
                    skipWhitespace()
                } else if peek() == 0x5D {
                    pos += 1
                    leaveContainer()
                    return
                } else {
                    throw unexpected("',' or ']' in an array")
                }
            }
        default:
            throw unexpected("a JSON value")
        }
    }

    /// Skips a UTF-8 byte order mark at the cursor (Jackson ignores one at the start).
    mutating func skipByteOrderMark() {
        if pos + 3 <= buf.count && buf[pos] == 0xEF && buf[pos + 1] == 0xBB && buf[pos + 2] == 0xBF {
            pos += 3
        }
    }
}
