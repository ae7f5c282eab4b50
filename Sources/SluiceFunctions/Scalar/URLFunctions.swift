import SluiceTypes

/// The parts of a URI (RFC 3986), raw (still percent-encoded), as `java.net.URI` splits them.
/// A string with characters a URI may not hold (such as spaces) is not a URI.
struct URIParts {
    var scheme: String?
    var userInfo: String?
    var host: String?
    var port: Int?
    var path: String
    var query: String?
    var fragment: String?

    init?(_ text: String) {
        let chars = Array(text.unicodeScalars)
        // Java's URI accepts unreserved, reserved and '%'-escaped characters only.
        for c in chars {
            guard c.isASCII else { continue }  // "other" (non-ASCII) characters are allowed by java.net.URI
            let v = c.value
            let ok = (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39)
                || "-._~:/?#[]@!$&'()*+,;=%".unicodeScalars.contains(c)
            if !ok { return nil }
        }
        var i = 0
        // scheme ":" — a letter then letters, digits, '+', '-', '.'.
        var j = 0
        while j < chars.count, chars[j] != ":" && chars[j] != "/" && chars[j] != "?" && chars[j] != "#" { j += 1 }
        if j < chars.count, chars[j] == ":", j > 0, chars[0].properties.isAlphabetic {
            let candidate = chars[0..<j]
            if candidate.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0) }) {
                scheme = String(String.UnicodeScalarView(candidate))
                i = j + 1
            }
        }
        if i + 1 < chars.count, chars[i] == "/", chars[i + 1] == "/" {
            i += 2
            var end = i
            while end < chars.count, chars[end] != "/" && chars[end] != "?" && chars[end] != "#" { end += 1 }
            var authority = Array(chars[i..<end])[...]
            if let at = authority.lastIndex(of: "@") {
                userInfo = String(String.UnicodeScalarView(authority[authority.startIndex..<at]))
                authority = authority[(at + 1)...]
            }
            if let colon = authority.lastIndex(of: ":"), !authority.contains("]") || colon > authority.lastIndex(of: "]")! {
                let portText = String(String.UnicodeScalarView(authority[(colon + 1)...]))
                if !portText.isEmpty {
                    guard let p = Int(portText), p >= 0 else { return nil }
                    port = p
                }
                authority = authority[authority.startIndex..<colon]
            }
            let h = String(String.UnicodeScalarView(authority))
            host = h.isEmpty ? nil : h
            i = end
        }
        var end = i
        while end < chars.count, chars[end] != "?" && chars[end] != "#" { end += 1 }
        path = String(String.UnicodeScalarView(chars[i..<end]))
        i = end
        if i < chars.count, chars[i] == "?" {
            end = i + 1
            while end < chars.count, chars[end] != "#" { end += 1 }
            query = String(String.UnicodeScalarView(chars[(i + 1)..<end]))
            i = end
        }
        if i < chars.count, chars[i] == "#" {
            fragment = String(String.UnicodeScalarView(chars[(i + 1)...]))
        }
    }

    /// Decodes `%XX` escapes as UTF-8; `plusIsSpace` for form encoding.
    static func decode(_ s: String, plusIsSpace: Bool) -> String? {
        var out: [UInt8] = []
        let u = Array(s.utf8)
        var i = 0
        while i < u.count {
            let c = u[i]
            if c == UInt8(ascii: "%") {
                guard i + 2 < u.count, let hi = ByteEncodings.hexValue(u[i + 1]), let lo = ByteEncodings.hexValue(u[i + 2]) else {
                    return nil
                }
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(plusIsSpace && c == UInt8(ascii: "+") ? 0x20 : c)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `URLEncoder.encode(s, UTF-8)`: letters, digits and `.-*_` kept, space as `+`, the rest
    /// `%XX` of UTF-8 (upper-case hex).
    static func formEncode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case 0x61...0x7A, 0x41...0x5A, 0x30...0x39, UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "_"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            case 0x20:
                out += "+"
            default:
                out += "%" + ByteEncodings.hexEncode([b], uppercase: true)
            }
        }
        return out
    }
}

enum URLFunctions {
    static func part(_ args: [Value], _ pick: (URIParts) -> String?) -> Value {
        guard case .string(let s) = args[0], let uri = URIParts(s), let part = pick(uri) else { return .null }
        return .string(part)
    }

    static func parameter(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .string(let s) = args[0], case .string(let name) = args[1], let uri = URIParts(s),
            let query = uri.query
        else { return .null }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = URIParts.decode(String(kv[0]), plusIsSpace: false), key == name else { continue }
            guard kv.count == 2 else { return .null }
            return URIParts.decode(String(kv[1]), plusIsSpace: false).map(Value.string) ?? .null
        }
        return .null
    }
}

extension RegistryBuilder {
    mutating func registerURLFunctions() {
        let category = "URL"
        scalar("URL_ENCODE_PARAM", category, "Encodes a value for use as a URL query parameter.", [
            ScalarOverload([p("input", .string)], returns: .string) { a, _ in
                guard case .string(let s) = a[0] else { return .null }
                return .string(URIParts.formEncode(s))
            }
        ])
        scalar("URL_DECODE_PARAM", category, "Decodes a URL query parameter value.", [
            ScalarOverload([p("input", .string)], returns: .string) { a, _ throws(FunctionError) in
                guard case .string(let s) = a[0] else { return .null }
                guard let decoded = URIParts.decode(s, plusIsSpace: true) else {
                    throw FunctionError("URLDecoder: illegal hex characters in escape (%) pattern in '\(s)'")
                }
                return .string(decoded)
            }
        ])
        scalar("URL_EXTRACT_FRAGMENT", category, "Returns the decoded fragment of a URL.", [
            ScalarOverload([p("input", .string)], returns: .string) { a, _ in
                URLFunctions.part(a) { $0.fragment.flatMap { URIParts.decode($0, plusIsSpace: false) } }
            }
        ])
        scalar("URL_EXTRACT_HOST", category, "Returns the host of a URL.", [
            ScalarOverload([p("input", .string)], returns: .string) { a, _ in URLFunctions.part(a) { $0.host } }
        ])
        scalar("URL_EXTRACT_PATH", category, "Returns the decoded path of a URL.", [
            ScalarOverload([p("input", .string)], returns: .string) { a, _ in
                URLFunctions.part(a) { URIParts.decode($0.path, plusIsSpace: false) }
            }
        ])
        scalar("URL_EXTRACT_QUERY", category, "Returns the decoded query string of a URL.", [
            ScalarOverload([p("input", .string)], returns: .string) { a, _ in
                URLFunctions.part(a) { $0.query.flatMap { URIParts.decode($0, plusIsSpace: false) } }
            }
        ])
        scalar("URL_EXTRACT_PROTOCOL", category, "Returns the scheme of a URL.", [
            ScalarOverload([p("input", .string)], returns: .string) { a, _ in URLFunctions.part(a) { $0.scheme } }
        ])
        scalar("URL_EXTRACT_PORT", category, "Returns the explicit port of a URL.", [
            ScalarOverload([p("input", .string)], returns: .integer) { a, _ in
                guard case .string(let s) = a[0], let uri = URIParts(s), let port = uri.port else { return .null }
                return .integer(Int32(clamping: port))
            }
        ])
        scalar("URL_EXTRACT_PARAMETER", category, "Returns the decoded value of a query parameter of a URL.", [
            ScalarOverload([p("input", .string), p("parameter", .string)], returns: .string) { a, l in
                URLFunctions.parameter(a, l)
            }
        ])
    }
}
