import SluiceTypes

/// String functions. Lengths and positions count UTF-16 code units (Java `String`); a NULL
/// argument gives NULL unless the function says otherwise.
enum StringFunctions {
    static func concat(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        var out = ""
        for a in args {
            if case .string(let s) = a { out += s }
        }
        return .string(out)
    }

    static func concatBytes(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        var out: [UInt8] = []
        for a in args {
            if case .bytes(let b) = a { out += b }
        }
        return .bytes(out)
    }

    static func concatWS(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .string(let separator) = args[0] else { return .null }
        var parts: [String] = []
        for a in args.dropFirst() {
            if case .string(let s) = a { parts.append(s) }
        }
        return .string(parts.joined(separator: separator))
    }

    static func concatWSBytes(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .bytes(let separator) = args[0] else { return .null }
        var out: [UInt8] = []
        var first = true
        for a in args.dropFirst() {
            guard case .bytes(let b) = a else { continue }
            if !first { out += separator }
            out += b
            first = false
        }
        return .bytes(out)
    }

    /// SUBSTRING's start: 1-based, negative counts from the end, clamped.
    static func startIndex(_ length: Int, _ pos: Int32) -> Int {
        let p = Int(pos)
        return p < 0 ? max(length + p, 0) : max(min(p - 1, length), 0)
    }

    static func endIndex(_ length: Int, _ start: Int, _ count: Int32) -> Int {
        max(min(start + Int(count), length), start)
    }

    static func substring(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .integer(let pos) = args[1] else { return .null }
        var lengthArg: Int32? = nil
        if args.count > 2 {
            guard case .integer(let l) = args[2] else { return .null }
            lengthArg = l
        }
        switch args[0] {
        case .string(let s):
            let n = JavaString.length(s)
            let start = startIndex(n, pos)
            let end = lengthArg.map { endIndex(n, start, $0) } ?? n
            return .string(JavaString.substring(s, start, end))
        case .bytes(let b):
            let start = startIndex(b.count, pos)
            let end = lengthArg.map { endIndex(b.count, start, $0) } ?? b.count
            return .bytes(Array(b[start..<end]))
        default:
            return .null
        }
    }

    static func len(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        switch args[0] {
        case .string(let s): .integer(Int32(clamping: JavaString.length(s)))
        case .bytes(let b): .integer(Int32(clamping: b.count))
        default: .null
        }
    }

    /// Java `String.replace(target, replacement)`: every occurrence, left to right; an empty
    /// target inserts the replacement around every character.
    static func replace(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .string(let s) = args[0], case .string(let target) = args[1],
            case .string(let replacement) = args[2]
        else { return .null }
        return .string(replaceAll(s, target, replacement))
    }

    static func replaceAll(_ s: String, _ target: String, _ replacement: String) -> String {
        if target.isEmpty {
            var out = replacement
            for u in s.unicodeScalars {
                out.unicodeScalars.append(u)
                out += replacement
            }
            return out
        }
        let parts = JavaString.split(s, on: target)
        return parts.count == 1 ? s : parts.joined(separator: replacement)
    }

    static func instr(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .string(let s) = args[0], case .string(let sub) = args[1] else { return .integer(0) }
        var position: Int32 = 1
        var occurrence: Int32 = 1
        if args.count > 2 {
            guard case .integer(let p) = args[2] else { return .integer(0) }
            position = p
        }
        if args.count > 3 {
            guard case .integer(let o) = args[3] else { return .integer(0) }
            occurrence = o
        }
        let units = Array(s.utf16)
        let n = units.count
        if Int(position.magnitude) > n { return .integer(0) }
        let reversed = position < 0
        let haystack = reversed ? JavaString.reversedUTF16(s) : units
        let needle = reversed ? JavaString.reversedUTF16(sub) : Array(sub.utf16)
        let from = Int(position.magnitude)
        // Commons-lang ordinalIndexOf on substring(text, from - 1), where a negative start counts
        // from the end; occurrences may overlap.
        let base = from - 1 < 0 ? max(n + from - 1, 0) : from - 1
        guard occurrence > 0 else { return .integer(0) }
        var found = base
        if !needle.isEmpty {
            found = base - 1
            for _ in 0..<occurrence {
                found = JavaString.indexOf(haystack, needle, from: found + 1)
                if found < 0 { return .integer(0) }
            }
        }
        let i = found - base
        let result = reversed ? n - from - i - needle.count + 2 : i + from
        return .integer(Int32(clamping: result))
    }

    /// INITCAP: lower-cases, then upper-cases the first character of each run of non-whitespace.
    /// Whitespace before the first word is dropped, as ksqlDB's matcher skips it.
    static func initcap(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .string(let s) = args[0] else { return .null }
        let lower = s.lowercased()
        var out = String.UnicodeScalarView()
        var atWordStart = true
        var seenWord = false
        for c in lower.unicodeScalars {
            if JavaString.isJavaWhitespace(c) {
                if seenWord { out.append(c) }
                atWordStart = true
            } else {
                if atWordStart {
                    out.append(contentsOf: String(c).uppercased().unicodeScalars)
                } else {
                    out.append(c)
                }
                atWordStart = false
                seenWord = true
            }
        }
        return .string(String(out))
    }

    /// LPAD/RPAD: pads with repetitions of `padding` up to `length` code units, or truncates.
    static func pad(_ args: [Value], left: Bool) -> Value {
        guard case .integer(let target) = args[1], target >= 0 else { return .null }
        switch (args[0], args[2]) {
        case (.string(let s), .string(let padding)):
            guard !padding.isEmpty else { return .null }
            let length = Int(target)
            let n = JavaString.length(s)
            if n >= length { return .string(JavaString.substring(s, 0, length)) }
            let need = length - n
            let padUnits = Array(padding.utf16)
            var fill: [UInt16] = []
            fill.reserveCapacity(need)
            while fill.count < need { fill.append(padUnits[fill.count % padUnits.count]) }
            let fillText = String(decoding: fill, as: UTF16.self)
            return .string(left ? fillText + s : s + fillText)
        case (.bytes(let b), .bytes(let padding)):
            guard !padding.isEmpty else { return .null }
            let length = Int(target)
            if b.count >= length { return .bytes(Array(b[0..<length])) }
            var fill: [UInt8] = []
            while fill.count < length - b.count { fill.append(padding[fill.count % padding.count]) }
            return .bytes(left ? fill + b : b + fill)
        default:
            return .null
        }
    }

    static func split(_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> Value {
        switch (args[0], args[1]) {
        case (.string(let s), .string(let delimiter)):
            if delimiter.isEmpty {
                // Java's split on an empty pattern: one element per character ("" stays [""]).
                if s.isEmpty { return .array([.string("")]) }
                let units = Array(s.utf16)
                var parts: [Value] = []
                var i = 0
                while i < units.count {
                    let pair = UTF16.isLeadSurrogate(units[i]) && i + 1 < units.count
                        && UTF16.isTrailSurrogate(units[i + 1])
                    let w = pair ? 2 : 1
                    parts.append(.string(String(decoding: units[i..<(i + w)], as: UTF16.self)))
                    i += w
                }
                return .array(parts)
            }
            return .array(JavaString.split(s, on: delimiter).map(Value.string))
        case (.bytes(let b), .bytes(let delimiter)):
            if delimiter.isEmpty {
                if b.isEmpty { return .array([.bytes([])]) }
                return .array(b.map { .bytes([$0]) })
            }
            var parts: [Value] = []
            var start = 0
            while true {
                let i = JavaString.indexOf(b, delimiter, from: start)
                if i < 0 { break }
                parts.append(.bytes(Array(b[start..<i])))
                start = i + delimiter.count
            }
            parts.append(.bytes(Array(b[start...])))
            return .array(parts)
        default:
            return .null
        }
    }

    /// SPLIT_TO_MAP: entries split on `entryDelimiter` (empty entries dropped), each split on
    /// `kvDelimiter` into key and value; entries without the delimiter are dropped; a later key
    /// wins.
    static func splitToMap(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .string(let s) = args[0], case .string(let entryDelimiter) = args[1],
            case .string(let kvDelimiter) = args[2]
        else { return .null }
        if entryDelimiter.isEmpty || kvDelimiter.isEmpty || entryDelimiter == kvDelimiter { return .null }
        var entries: [MapEntry] = []
        var positions: [String: Int] = [:]
        for entry in JavaString.split(s, on: entryDelimiter) where !entry.isEmpty {
            let kv = JavaString.split(entry, on: kvDelimiter)
            guard kv.count >= 2 else { continue }
            if let i = positions[kv[0]] {
                entries[i].value = .string(kv[1])
            } else {
                positions[kv[0]] = entries.count
                entries.append(MapEntry(key: .string(kv[0]), value: .string(kv[1])))
            }
        }
        return .map(entries)
    }

    /// CHR(INT): the character of a code point; NULL for an invalid one.
    static func chrCode(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .integer(let code) = args[0], code >= 0, let scalar = Unicode.Scalar(UInt32(code)) else {
            // Lone surrogates are valid Java code points but cannot live in a Swift string.
            if case .integer(let code) = args[0], code >= 0xD800 && code <= 0xDFFF { return .string("\u{FFFD}") }
            return .null
        }
        return .string(String(scalar))
    }

    /// CHR(STRING): a Java `\uXXXX` escape (or a surrogate pair of them).
    static func chrEscape(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .string(let text) = args[0], text.utf16.count >= 6, text.hasPrefix("\\u") else { return .null }
        var units: [UInt16] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix("\\u") {
                let hex = rest.dropFirst(2).prefix(4)
                guard hex.count == 4, let v = UInt16(hex, radix: 16) else { return .null }
                units.append(v)
                rest = rest.dropFirst(6)
            } else {
                units.append(contentsOf: String(rest.first!).utf16)
                rest = rest.dropFirst()
            }
        }
        return .string(String(decoding: units, as: UTF16.self))
    }

    static func ucase(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .string(let s) = args[0] else { return .null }
        return .string(s.uppercased())
    }

    static func lcase(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .string(let s) = args[0] else { return .null }
        return .string(s.lowercased())
    }

    static func trim(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .string(let s) = args[0] else { return .null }
        return .string(JavaString.trim(s))
    }

    /// ELT(n, s1, s2, ...): the n-th string (1-based), NULL out of range.
    static func elt(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .integer(let n) = args[0], n >= 1, Int(n) < args.count else { return .null }
        return args[Int(n)]
    }

    /// FIELD(s, s1, s2, ...): the 1-based position of s among the rest, 0 when absent or NULL.
    static func field(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .string(let s) = args[0] else { return .integer(0) }
        for (i, a) in args.dropFirst().enumerated() {
            if case .string(let t) = a, t == s { return .integer(Int32(i + 1)) }
        }
        return .integer(0)
    }
}

extension RegistryBuilder {
    mutating func registerStringFunctions() {
        let category = "STRING"
        scalar("CONCAT", category, "Concatenates strings or bytes; NULL inputs count as empty.", [
            ScalarOverload([], variadic: p("inputs", .string), returns: .string) { a, l in StringFunctions.concat(a, l) },
            ScalarOverload([], variadic: p("inputs", .bytes), returns: .bytes) { a, l in StringFunctions.concatBytes(a, l) },
        ])
        scalar("CONCAT_WS", category, "Concatenates strings or bytes with a separator, skipping NULLs.", [
            ScalarOverload([p("separator", .string)], variadic: p("inputs", .string), returns: .string) { a, l in
                StringFunctions.concatWS(a, l)
            },
            ScalarOverload([p("separator", .bytes)], variadic: p("inputs", .bytes), returns: .bytes) { a, l in
                StringFunctions.concatWSBytes(a, l)
            },
        ])
        scalar("SUBSTRING", category, "Returns the part of a string or bytes from a 1-based position.", [
            ScalarOverload([p("str", .string), p("pos", .integer)], returns: .string) { a, l in StringFunctions.substring(a, l) },
            ScalarOverload([p("str", .string), p("pos", .integer), p("len", .integer)], returns: .string) { a, l in
                StringFunctions.substring(a, l)
            },
            ScalarOverload([p("bytes", .bytes), p("pos", .integer)], returns: .bytes) { a, l in StringFunctions.substring(a, l) },
            ScalarOverload([p("bytes", .bytes), p("pos", .integer), p("len", .integer)], returns: .bytes) { a, l in
                StringFunctions.substring(a, l)
            },
        ])
        scalar("LEN", category, "Returns the length of a string (UTF-16 units) or the number of bytes.", [
            ScalarOverload([p("input", .string)], returns: .integer) { a, l in StringFunctions.len(a, l) },
            ScalarOverload([p("input", .bytes)], returns: .integer) { a, l in StringFunctions.len(a, l) },
        ])
        scalar("UCASE", category, "Converts a string to upper case.", [
            ScalarOverload([p("input", .string)], returns: .string) { a, l in StringFunctions.ucase(a, l) }
        ])
        scalar("LCASE", category, "Converts a string to lower case.", [
            ScalarOverload([p("input", .string)], returns: .string) { a, l in StringFunctions.lcase(a, l) }
        ])
        scalar("TRIM", category, "Removes whitespace and control characters from both ends of a string.", [
            ScalarOverload([p("input", .string)], returns: .string) { a, l in StringFunctions.trim(a, l) }
        ])
        scalar("REPLACE", category, "Replaces every occurrence of a substring.", [
            ScalarOverload([p("str", .string), p("substring", .string), p("replacement", .string)], returns: .string) {
                a, l in StringFunctions.replace(a, l)
            }
        ])
        scalar("INSTR", category, "Returns the 1-based position of a substring, or 0.", [
            ScalarOverload([p("str", .string), p("substring", .string)], returns: .integer) { a, l in
                StringFunctions.instr(a, l)
            },
            ScalarOverload([p("str", .string), p("substring", .string), p("position", .integer)], returns: .integer) {
                a, l in StringFunctions.instr(a, l)
            },
            ScalarOverload(
                [p("str", .string), p("substring", .string), p("position", .integer), p("occurrence", .integer)],
                returns: .integer
            ) { a, l in StringFunctions.instr(a, l) },
        ])
        scalar("INITCAP", category, "Capitalizes the first letter of each word and lower-cases the rest.", [
            ScalarOverload([p("str", .string)], returns: .string) { a, l in StringFunctions.initcap(a, l) }
        ])
        scalar("LPAD", category, "Pads a string or bytes on the left to a length, or truncates it.", [
            ScalarOverload([p("input", .string), p("length", .integer), p("padding", .string)], returns: .string) { a, _ in
                StringFunctions.pad(a, left: true)
            },
            ScalarOverload([p("input", .bytes), p("length", .integer), p("padding", .bytes)], returns: .bytes) { a, _ in
                StringFunctions.pad(a, left: true)
            },
        ])
        scalar("RPAD", category, "Pads a string or bytes on the right to a length, or truncates it.", [
            ScalarOverload([p("input", .string), p("length", .integer), p("padding", .string)], returns: .string) { a, _ in
                StringFunctions.pad(a, left: false)
            },
            ScalarOverload([p("input", .bytes), p("length", .integer), p("padding", .bytes)], returns: .bytes) { a, _ in
                StringFunctions.pad(a, left: false)
            },
        ])
        scalar("SPLIT", category, "Splits a string or bytes on a literal delimiter.", [
            ScalarOverload([p("string", .string), p("delimiter", .string)], returns: .array(.string)) { a, l throws(FunctionError) in
                try StringFunctions.split(a, l)
            },
            ScalarOverload([p("bytes", .bytes), p("delimiter", .bytes)], returns: .array(.bytes)) { a, l throws(FunctionError) in
                try StringFunctions.split(a, l)
            },
        ])
        scalar("SPLIT_TO_MAP", category, "Splits a string into key-value pairs.", [
            ScalarOverload(
                [p("input", .string), p("entryDelimiter", .string), p("kvDelimiter", .string)],
                returns: .map(.string, .string)
            ) { a, l in StringFunctions.splitToMap(a, l) }
        ])
        scalar("CHR", category, "Returns the character of a code point or of a '\\uXXXX' escape.", [
            ScalarOverload([p("decimalCode", .integer)], returns: .string) { a, l in StringFunctions.chrCode(a, l) },
            ScalarOverload([p("utf16Code", .string)], returns: .string) { a, l in StringFunctions.chrEscape(a, l) },
        ])
        scalar("ELT", category, "Returns the n-th of the following strings (1-based).", [
            ScalarOverload([p("n", .integer)], variadic: p("args", .string), returns: .string) { a, l in
                StringFunctions.elt(a, l)
            }
        ])
        scalar("FIELD", category, "Returns the 1-based position of a string among the others, or 0.", [
            ScalarOverload([p("str", .string)], variadic: p("args", .string), returns: .integer) { a, l in
                StringFunctions.field(a, l)
            }
        ])
        registerMaskFunctions()
        registerRegexFunctions()
        registerEncodingFunctions()
    }
}
