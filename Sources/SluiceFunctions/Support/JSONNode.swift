/// A parsed JSON document as the JSON functions see it (a Jackson tree with exact decimals):
/// numbers keep their text, objects keep member order, and serialization is compact like
/// `JsonNode.toString()`.
indirect enum JSONNode: Equatable {
    case null
    case bool(Bool)
    /// The number as written (normalized when serialized).
    case number(String)
    case string(String)
    case array([JSONNode])
    case object([(String, JSONNode)])

    static func == (a: JSONNode, b: JSONNode) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    subscript(key: String) -> JSONNode? {
        guard case .object(let members) = self else { return nil }
        // Jackson keeps the last of duplicate keys.
        return members.last { $0.0 == key }?.1
    }

    // MARK: - Parsing

    struct SyntaxError: Error {}

    /// Parses one JSON value, with nothing but whitespace after it.
    static func parse(_ text: String) -> JSONNode? {
        var bytes = Array(text.utf8)
        bytes.append(0)
        var p = Parser(bytes: bytes, end: bytes.count - 1)
        do {
            p.skipWhitespace()
            let value = try p.value(depth: 0)
            p.skipWhitespace()
            guard p.i == p.end else { return nil }
            return value
        } catch {
            return nil
        }
    }

    private struct Parser {
        let bytes: [UInt8]
        let end: Int
        var i = 0

        mutating func skipWhitespace() {
            while i < end, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func expect(_ literal: String) throws(SyntaxError) {
            for c in literal.utf8 {
                guard i < end, bytes[i] == c else { throw SyntaxError() }
                i += 1
            }
        }

        mutating func value(depth: Int) throws(SyntaxError) -> JSONNode {
            guard depth < 1000, i < end else { throw SyntaxError() }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var members: [(String, JSONNode)] = []
                skipWhitespace()
                if i < end && bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    return .object(members)
                }
                while true {
                    skipWhitespace()
                    guard i < end, bytes[i] == UInt8(ascii: "\"") else { throw SyntaxError() }
                    let key = try string()
                    skipWhitespace()
                    try expect(":")
                    skipWhitespace()
                    members.append((key, try value(depth: depth + 1)))
                    skipWhitespace()
                    guard i < end else { throw SyntaxError() }
                    if bytes[i] == UInt8(ascii: ",") {
                        i += 1
                    } else if bytes[i] == UInt8(ascii: "}") {
                        i += 1
                        return .object(members)
                    } else {
                        throw SyntaxError()
                    }
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [JSONNode] = []
                skipWhitespace()
                if i < end && bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    return .array(items)
                }
                while true {
                    skipWhitespace()
                    items.append(try value(depth: depth + 1))
                    skipWhitespace()
                    guard i < end else { throw SyntaxError() }
                    if bytes[i] == UInt8(ascii: ",") {
                        i += 1
                    } else if bytes[i] == UInt8(ascii: "]") {
                        i += 1
                        return .array(items)
                    } else {
                        throw SyntaxError()
                    }
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"):
                try expect("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try expect("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try expect("null")
                return .null
            default:
                return .number(try number())
            }
        }

        mutating func number() throws(SyntaxError) -> String {
            let start = i
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < end, bytes[i] >= 48, bytes[i] <= 57 else { throw SyntaxError() }
            if bytes[i] == 48 {
                i += 1
                // No leading zeros.
                if i < end, bytes[i] >= 48, bytes[i] <= 57 { throw SyntaxError() }
            } else {
                while i < end, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
            }
            if i < end, bytes[i] == UInt8(ascii: ".") {
                i += 1
                guard i < end, bytes[i] >= 48, bytes[i] <= 57 else { throw SyntaxError() }
                while i < end, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
            }
            if i < end, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard i < end, bytes[i] >= 48, bytes[i] <= 57 else { throw SyntaxError() }
                while i < end, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
            }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        mutating func string() throws(SyntaxError) -> String {
            i += 1
            var out: [UInt8] = []
            while true {
                guard i < end else { throw SyntaxError() }
                let c = bytes[i]
                if c == UInt8(ascii: "\"") {
                    i += 1
                    return String(decoding: out, as: UTF8.self)
                }
                guard c >= 0x20 else { throw SyntaxError() }
                if c != UInt8(ascii: "\\") {
                    out.append(c)
                    i += 1
                    continue
                }
                i += 1
                guard i < end else { throw SyntaxError() }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var unit = try hex4()
                    var scalar: Unicode.Scalar?
                    if UTF16.isLeadSurrogate(UInt16(unit)), i + 1 < end, bytes[i] == UInt8(ascii: "\\"),
                        bytes[i + 1] == UInt8(ascii: "u")
                    {
                        let save = i
                        i += 2
                        let low = try hex4()
                        if UTF16.isTrailSurrogate(UInt16(low)) {
                            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            i = save
                        }
                    }
                    scalar = Unicode.Scalar(unit)
                    out.append(contentsOf: String(scalar ?? "\u{FFFD}").utf8)
                default:
                    throw SyntaxError()
                }
            }
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            var v: UInt32 = 0
            for _ in 0..<4 {
                guard i < end, let d = ByteEncodings.hexValue(bytes[i]) else { throw SyntaxError() }
                v = v << 4 | UInt32(d)
                i += 1
            }
            return v
        }
    }

    // MARK: - Serialization

    /// Compact text, as Jackson's `JsonNode.toString()`.
    var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += Self.normalizedNumber(n)
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let items):
            out += "["
            for (k, item) in items.enumerated() {
                if k > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (k, (key, value)) in members.enumerated() {
                if k > 0 { out += "," }
                Self.writeString(key, into: &out)
                out += ":"
                value.write(into: &out)
            }
            out += "}"
        }
    }

    /// Integers as Java prints them (no sign on zero); decimals as `BigDecimal.toString()`.
    static func normalizedNumber(_ n: String) -> String {
        if !n.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            if let v = Int64(n) { return String(v) }
            return n.hasPrefix("-0") && n.count == 2 ? "0" : n
        }
        if n.contains(where: { $0 == "e" || $0 == "E" }), let d = DecimalMath.parse(Substring(n)) {
            return DecimalMath.javaString(d)
        }
        return n
    }

    /// A JSON string literal with Jackson's escaping: `"` and `\`, short forms for the usual
    /// control characters, `\u00XX` for the others.
    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 {
                    out += "\\u00" + ByteEncodings.hexEncode([UInt8(u.value)], uppercase: true)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}
