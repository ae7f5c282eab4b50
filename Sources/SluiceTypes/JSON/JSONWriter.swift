/// Writes compact JSON bytes the way Jackson writes them, since ksqlDB's output comes from Jackson:
/// no spaces, non-ASCII written as UTF-8, `/` and DEL not escaped, `"` and `\` escaped, control
/// characters as `\b \t \n \f \r` or `\u00XX` (upper-case hex).
public struct JSONWriter: Sendable {
    public var bytes: [UInt8]

    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func writeNull() { append("null") }

    public mutating func writeBool(_ value: Bool) { value ? append("true") : append("false") }

    public mutating func writeInt(_ value: Int64) { DecimalDigits.append(value, to: &bytes) }

    /// A double as Jackson writes it: Java's `Double.toString`, and non-finite values as the
    /// strings `"NaN"`, `"Infinity"`, `"-Infinity"` (Jackson's QUOTE_NON_NUMERIC_NUMBERS default).
    public mutating func writeDouble(_ value: Double) {
        if value.isFinite {
            JavaDoubleFormat.append(value, to: &bytes)
        } else {
            bytes.append(0x22)
            JavaDoubleFormat.append(value, to: &bytes)
            bytes.append(0x22)
        }
    }

    /// Writes number text as given; the caller guarantees it is a valid JSON number.
    public mutating func writeNumberText(_ text: String) { bytes.append(contentsOf: text.utf8) }

    public mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { writeString(utf8: $0) }
    }

    public mutating func writeString(utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(0x22)
        var runStart = 0
        var i = 0
        let n = utf8.count
        while i < n {
            let c = utf8[i]
            if c >= 0x20 && c != 0x22 && c != 0x5C {
                i += 1
                continue
            }
            if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
            JSONWriter.appendEscape(c, to: &bytes)
            i += 1
            runStart = i
        }
        if runStart < n { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<n])) }
        bytes.append(0x22)
    }

    public mutating func writeString(utf8 bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { writeString(utf8: $0) }
    }

    static func appendEscape(_ c: UInt8, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 6) { tmp in
            let n = writeEscape(c, to: tmp.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: tmp[0..<n]))
        }
    }

    /// Writes the escape of `c` (`"`, `\\` or a control character) at `p`, which has room for 6
    /// bytes; returns how many it wrote.
    @inline(__always)
    static func writeEscape(_ c: UInt8, to p: UnsafeMutablePointer<UInt8>) -> Int {
        p[0] = 0x5C
        switch c {
        case 0x22: p[1] = 0x22
        case 0x5C: p[1] = 0x5C
        case 0x08: p[1] = UInt8(ascii: "b")
        case 0x09: p[1] = UInt8(ascii: "t")
        case 0x0A: p[1] = UInt8(ascii: "n")
        case 0x0C: p[1] = UInt8(ascii: "f")
        case 0x0D: p[1] = UInt8(ascii: "r")
        default:
            let hex: StaticString = "0123456789ABCDEF"
            p[1] = UInt8(ascii: "u")
            p[2] = 0x30
            p[3] = 0x30
            p[4] = hex.utf8Start[Int(c >> 4)]
            p[5] = hex.utf8Start[Int(c & 0xF)]
            return 6
        }
        return 2
    }

    public mutating func beginObject() { bytes.append(0x7B) }
    public mutating func endObject() { bytes.append(0x7D) }
    public mutating func beginArray() { bytes.append(0x5B) }
    public mutating func endArray() { bytes.append(0x5D) }
    public mutating func writeComma() { bytes.append(0x2C) }

    /// Writes `"key":`.
    public mutating func writeKey(_ key: String) {
        writeString(key)
        bytes.append(0x3A)
    }

    /// Writes a whole tree.
    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: writeNull()
        case .bool(let b): writeBool(b)
        case .number(let text): writeNumberText(text)
        case .string(let s): writeString(s)
        case .array(let elements):
            beginArray()
            for (i, e) in elements.enumerated() {
                if i > 0 { writeComma() }
                write(e)
            }
            endArray()
        case .object(let members):
            beginObject()
            for (i, m) in members.enumerated() {
                if i > 0 { writeComma() }
                writeKey(m.key)
                write(m.value)
            }
            endObject()
        }
    }

    @inline(__always)
    mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Compact JSON bytes for a tree.
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var w = JSONWriter()
        w.write(value)
        return w.bytes
    }

    /// Compact JSON text for a tree.
    public static func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// Indented JSON text (two spaces, `"key" : value` as Jackson's default pretty printer writes).
    public static func prettyString(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        pretty(value, indent: 0, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func pretty(_ value: JSONValue, indent: Int, into out: inout [UInt8]) {
        func newline(_ level: Int) {
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x20, count: level * 2))
        }
        switch value {
        case .array(let elements) where !elements.isEmpty:
            out.append(0x5B)
            for (i, e) in elements.enumerated() {
                if i > 0 { out.append(0x2C) }
                newline(indent + 1)
                pretty(e, indent: indent + 1, into: &out)
            }
            newline(indent)
            out.append(0x5D)
        case .object(let members) where !members.isEmpty:
            out.append(0x7B)
            for (i, m) in members.enumerated() {
                if i > 0 { out.append(0x2C) }
                newline(indent + 1)
                var w = JSONWriter()
                w.writeString(m.key)
                out.append(contentsOf: w.bytes)
                out.append(contentsOf: " : ".utf8)
                pretty(m.value, indent: indent + 1, into: &out)
            }
            newline(indent)
            out.append(0x7D)
        default:
            var w = JSONWriter()
            w.write(value)
            out.append(contentsOf: w.bytes)
        }
    }
}
