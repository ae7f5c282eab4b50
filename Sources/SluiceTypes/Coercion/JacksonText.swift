/// How ksqlDB turns a JSON object or array into the text of a STRING column.
///
/// An object is written back as compact JSON through Jackson's untyped mapping: duplicate keys
/// collapse (the last value, in the first key's place), integers print as Java longs, other numbers
/// as `BigDecimal.toString()`. An array becomes Java's list text of its elements each coerced to
/// STRING: `[1, a, null, {"b":2}]`.
enum JacksonText {
    static func stringValue(of json: JSONValue) -> String {
        var out: [UInt8] = []
        switch json {
        case .array(let elements): appendListText(elements, to: &out)
        default: appendUntyped(json, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `processString` of one array element.
    private static func appendElementText(_ json: JSONValue, to out: inout [UInt8]) {
        switch json {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .string(let s): out.append(contentsOf: s.utf8)
        case .number(let text): withUTF8Bytes(text) { JSONNumberLiteral.appendJavaText($0, isInteger: JSONNumberLiteral.isIntegerLiteral($0), to: &out) }
        case .array(let elements): appendListText(elements, to: &out)
        case .object: appendUntyped(json, to: &out)
        }
    }

    private static func appendListText(_ elements: [JSONValue], to out: inout [UInt8]) {
        out.append(0x5B)
        for (i, e) in elements.enumerated() {
            if i > 0 { out.append(contentsOf: ", ".utf8) }
            appendElementText(e, to: &out)
        }
        out.append(0x5D)
    }

    /// Compact JSON as Jackson writes a value read into plain Java maps and lists.
    private static func appendUntyped(_ json: JSONValue, to out: inout [UInt8]) {
        switch json {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .string(let s):
            var w = JSONWriter(capacity: s.utf8.count + 2)
            w.writeString(s)
            out.append(contentsOf: w.bytes)
        case .number(let text):
            withUTF8Bytes(text) { JSONNumberLiteral.appendJavaText($0, isInteger: JSONNumberLiteral.isIntegerLiteral($0), to: &out) }
        case .array(let elements):
            out.append(0x5B)
            for (i, e) in elements.enumerated() {
                if i > 0 { out.append(0x2C) }
                appendUntyped(e, to: &out)
            }
            out.append(0x5D)
        case .object(let members):
            out.append(0x7B)
            for (i, m) in deduplicated(members).enumerated() {
                if i > 0 { out.append(0x2C) }
                var w = JSONWriter(capacity: m.key.utf8.count + 3)
                w.writeKey(m.key)
                out.append(contentsOf: w.bytes)
                appendUntyped(m.value, to: &out)
            }
            out.append(0x7D)
        }
    }

    /// Members with unique keys, as a Java `LinkedHashMap` holds them: the last value for a key, in
    /// the position where the key first appeared.
    static func deduplicated(_ members: [JSONMember]) -> [JSONMember] {
        var seen: [String: Int] = [:]
        var result: [JSONMember] = []
        result.reserveCapacity(members.count)
        for m in members {
            if let at = seen[m.key] {
                result[at].value = m.value
            } else {
                seen[m.key] = result.count
                result.append(m)
            }
        }
        return result
    }
}
