import SluiceTypes

/// JSON functions over STRING documents, and TO_JSON_STRING for any value.
enum JSONFunctions {
    static func parse(_ text: String) throws(FunctionError) -> JSONNode {
        guard let node = JSONNode.parse(text) else { throw FunctionError("Invalid JSON format:\(text)") }
        return node
    }

    /// `$.a.b[0]["c d"]`: the keys and indexes of a JSONPath without wildcards.
    static func pathTokens(_ path: String) throws(FunctionError) -> [String] {
        let chars = Array(path.unicodeScalars)
        var i = 0
        func invalid() -> FunctionError { FunctionError("Invalid JSON path: '\(path)'") }
        func skipWhitespace() {
            while i < chars.count, chars[i].properties.isWhitespace { i += 1 }
        }
        func tryMatch(_ c: Unicode.Scalar) -> Bool {
            skipWhitespace()
            guard i < chars.count, chars[i] == c else { return false }
            i += 1
            return true
        }
        func unquoted() throws(FunctionError) -> String {
            skipWhitespace()
            let start = i
            while i < chars.count,
                chars[i].properties.isAlphabetic || chars[i].properties.numericType == .decimal || chars[i] == "_"
                    || chars[i] == "-"
            {
                i += 1
            }
            guard i > start else { throw invalid() }
            return String(String.UnicodeScalarView(chars[start..<i]))
        }
        guard tryMatch("$") else { throw invalid() }
        var tokens: [String] = []
        while true {
            skipWhitespace()
            if i >= chars.count { return tokens }
            if tryMatch(".") {
                tokens.append(try unquoted())
            } else if tryMatch("[") {
                if tryMatch("\"") || (i > 0 && chars[i - 1] == "\"") {
                    let start = i
                    while i < chars.count, chars[i] != "\"" { i += 1 }
                    tokens.append(String(String.UnicodeScalarView(chars[start..<i])))
                    guard tryMatch("\"") else { throw invalid() }
                } else if tryMatch("'") {
                    let start = i
                    while i < chars.count, chars[i] != "'" { i += 1 }
                    tokens.append(String(String.UnicodeScalarView(chars[start..<i])))
                    guard tryMatch("'") else { throw invalid() }
                } else {
                    tokens.append(try unquoted())
                }
                guard tryMatch("]") else { throw invalid() }
            } else {
                throw invalid()
            }
        }
    }

    /// Text nodes as their text, the rest as compact JSON.
    static func textOf(_ node: JSONNode) -> String {
        if case .string(let s) = node { return s }
        return node.text
    }

    static func extract(_ call: ResolvedCall) -> ScalarBody {
        let constantTokens: Result<[String], FunctionError>?
        if case .string(let path)? = call.constants[1] {
            do throws(FunctionError) {
                constantTokens = .success(try pathTokens(path))
            } catch {
                constantTokens = .failure(error)
            }
        } else {
            constantTokens = nil
        }
        return { args, _ throws(FunctionError) in
            guard case .string(let input) = args[0], case .string(let path) = args[1] else { return .null }
            let tokens: [String]
            if let constantTokens { tokens = try constantTokens.get() } else { tokens = try pathTokens(path) }
            var node = try parse(input)
            for token in tokens {
                switch node {
                case .array(let items):
                    guard let index = Int32(token) else { return .null }
                    guard index >= 0 && Int(index) < items.count else { return .null }
                    node = items[Int(index)]
                case .object:
                    guard let next = node[token] else { return .null }
                    node = next
                default:
                    return .null
                }
            }
            return .string(textOf(node))
        }
    }

    static func isJSONString(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .string(let s) = args[0] else { return .boolean(false) }
        return .boolean(JSONNode.parse(s) != nil)
    }

    static func arrayLength(_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> Value {
        guard case .string(let s) = args[0] else { return .null }
        guard case .array(let items) = try parse(s) else { return .null }
        return .integer(Int32(items.count))
    }

    static func keys(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .string(let s) = args[0], case .object(let members)? = JSONNode.parse(s) else { return .null }
        var seen = Set<String>()
        return .array(members.compactMap { seen.insert($0.0).inserted ? .string($0.0) : nil })
    }

    static func records(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .string(let s) = args[0], case .object(let members)? = JSONNode.parse(s) else { return .null }
        var entries: [MapEntry] = []
        var positions: [Value: Int] = [:]
        for (key, value) in members {
            MapFunctions.put(&entries, &positions, .string(key), .string(textOf(value)))
        }
        return .map(entries)
    }

    static func items(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .string(let s) = args[0], case .array(let items)? = JSONNode.parse(s) else { return .null }
        return .array(items.map { .string($0.text) })
    }

    /// JSON_CONCAT: objects merge their top-level keys (later wins); otherwise everything is
    /// concatenated as arrays, non-arrays as one-element arrays. NULL if any input is NULL or not
    /// JSON.
    static func concat(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        var nodes: [JSONNode] = []
        for a in args {
            guard case .string(let s) = a, let node = JSONNode.parse(s) else { return .null }
            nodes.append(node)
        }
        if nodes.isEmpty { return .null }
        if nodes.allSatisfy({ if case .object = $0 { true } else { false } }) {
            var members: [(String, JSONNode)] = []
            for case .object(let m) in nodes {
                for (k, v) in m {
                    if let i = members.firstIndex(where: { $0.0 == k }) { members[i].1 = v } else { members.append((k, v)) }
                }
            }
            return .string(JSONNode.object(members).text)
        }
        var items: [JSONNode] = []
        for node in nodes {
            if case .array(let a) = node { items += a } else { items.append(node) }
        }
        return .string(JSONNode.array(items).text)
    }

    /// JSON_ARRAY_CONTAINS(json, value): whether a top-level array holds an element equal to the
    /// value (numbers compare by value, NULL matches a JSON null).
    static func arrayContains(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .string(let s) = args[0], case .array(let items)? = JSONNode.parse(s) else { return .boolean(false) }
        let target = args[1]
        for item in items where matches(item, target) { return .boolean(true) }
        return .boolean(false)
    }

    private static func matches(_ node: JSONNode, _ v: Value) -> Bool {
        switch (node, v) {
        case (.null, .null): return true
        case (.bool(let b), .boolean(let c)): return b == c
        case (.string(let s), .string(let t)): return s == t
        case (.number(let n), .integer(let i)): return Int64(n) == Int64(i)
        case (.number(let n), .bigint(let i)): return Int64(n) == i
        case (.number(let n), .double(let d)):
            guard n.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else { return false }
            return Double(n) == d
        case (.number(let n), .decimal(let d)):
            guard let x = DecimalMath.parse(Substring(n)) else { return false }
            return DecimalMath.compare(x, d) == 0
        default: return false
        }
    }

    // MARK: - TO_JSON_STRING

    static func toJSON(_ v: Value) -> JSONNode {
        switch v {
        case .null: return .null
        case .boolean(let b): return .bool(b)
        case .integer(let i): return .number(String(i))
        case .bigint(let i): return .number(String(i))
        case .double(let d): return d.isFinite ? .number(JavaFormat.double(d)) : .string(JavaFormat.double(d))
        case .decimal(let d): return .number(DecimalMath.plainString(d))
        case .string(let s): return .string(s)
        case .bytes(let b): return .string(ByteEncodings.base64Encode(b))
        case .date(let d): return .string(ISOTemporal.isoDate(Int64(d)))
        case .time(let t): return .string(localTimeText(Int64(t)))
        case .timestamp(let t): return .string(ISOTemporal.isoTimestamp(t))
        case .array(let items): return .array(items.map(toJSON))
        case .map(let entries): return .object(entries.map { (JavaFormat.string($0.key), toJSON($0.value)) })
        case .structure(let fields): return .object(fields.map { ($0.name, toJSON($0.value)) })
        }
    }

    /// `LocalTime.toString()`: seconds only when non-zero, then milliseconds when non-zero.
    static func localTimeText(_ millis: Int64) -> String {
        let (_, ms) = CivilTime.floorDivMod(millis, CivilTime.millisPerDay)
        let h = ms / 3_600_000, m = ms / 60_000 % 60, s = ms / 1000 % 60, f = ms % 1000
        var out = ISOTemporal.pad(h, 2) + ":" + ISOTemporal.pad(m, 2)
        if s != 0 || f != 0 { out += ":" + ISOTemporal.pad(s, 2) }
        if f != 0 { out += "." + ISOTemporal.pad(f, 3) }
        return out
    }
}

extension RegistryBuilder {
    mutating func registerJSONFunctions() {
        let category = "JSON"
        scalar("EXTRACTJSONFIELD", category, "Returns the value at a JSONPath in a JSON string, or NULL.", [
            ScalarOverload([p("input", .string), p("path", .string)], returns: .type(.string)) { c in JSONFunctions.extract(c) }
        ])
        scalar("IS_JSON_STRING", category, "Returns whether a string parses as JSON.", [
            ScalarOverload([p("json", .string)], returns: .boolean) { a, l in JSONFunctions.isJSONString(a, l) }
        ])
        scalar("JSON_ARRAY_LENGTH", category, "Returns the length of a JSON array string, or NULL.", [
            ScalarOverload([p("json", .string)], returns: .integer) { a, l throws(FunctionError) in
                try JSONFunctions.arrayLength(a, l)
            }
        ])
        scalar("JSON_KEYS", category, "Returns the top-level keys of a JSON object string.", [
            ScalarOverload([p("json", .string)], returns: .array(.string)) { a, l in JSONFunctions.keys(a, l) }
        ])
        scalar("JSON_RECORDS", category, "Returns the top-level entries of a JSON object string as a map.", [
            ScalarOverload([p("json", .string)], returns: .map(.string, .string)) { a, l in JSONFunctions.records(a, l) }
        ])
        scalar("JSON_ITEMS", category, "Returns the elements of a JSON array string as JSON strings.", [
            ScalarOverload([p("json", .string)], returns: .array(.string)) { a, l in JSONFunctions.items(a, l) }
        ])
        scalar("JSON_CONCAT", category, "Concatenates JSON strings: merges objects, else concatenates arrays.", [
            ScalarOverload([], variadic: p("json", .string), returns: .string) { a, l in JSONFunctions.concat(a, l) }
        ])
        scalar("JSON_ARRAY_CONTAINS", category, "Returns whether a JSON array string contains a value.", [
            ScalarOverload([p("json", .string), p("val", .t)], returns: .boolean) { a, l in JSONFunctions.arrayContains(a, l) }
        ])
        scalar("TO_JSON_STRING", category, "Returns the JSON text of any value.", [
            ScalarOverload([p("val", .t)], returns: .string) { a, _ in .string(JSONFunctions.toJSON(a[0]).text) }
        ])
    }
}
