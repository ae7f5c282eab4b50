import SluiceTypes

/// A compiled Java-style regular expression, matched by Unicode scalar with ASCII `\d`, `\w` and
/// `\s` as in `java.util.regex`.
///
/// `Regex` is not `Sendable`; instances here are compiled and exercised once before they are
/// shared, after which matching only reads the compiled program.
struct JavaRegex: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>
    let pattern: String

    init(_ pattern: String) throws(FunctionError) {
        do {
            regex = try Regex(pattern).matchingSemantics(.unicodeScalar).asciiOnlyDigits()
                .asciiOnlyWhitespace().asciiOnlyWordCharacters()
        } catch {
            throw FunctionError("Invalid regular expression pattern: \(pattern)")
        }
        self.pattern = pattern
        // Compile the program now, before the value is shared between threads.
        _ = "".firstMatch(of: regex)
    }

}

enum RegexFunctions {
    /// The pattern at `index`: compiled once when it is a literal, else per call. A bad literal
    /// pattern fails every record, as in ksqlDB (which compiles per record), rather than the
    /// statement.
    static func pattern(
        _ call: ResolvedCall, at index: Int
    ) throws(FunctionResolutionError) -> (@Sendable ([Value]) throws(FunctionError) -> JavaRegex?) {
        if case .string(let text)? = call.constants[index] {
            let compiled: Result<JavaRegex, FunctionError>
            do {
                compiled = .success(try JavaRegex(text))
            } catch {
                compiled = .failure(error)
            }
            return { _ throws(FunctionError) in try compiled.get() }
        }
        return { args throws(FunctionError) in
            guard case .string(let text) = args[index] else { return nil }
            return try JavaRegex(text)
        }
    }

    static func group(_ match: Regex<AnyRegexOutput>.Match, _ n: Int) -> Value {
        guard n < match.output.count, let s = match.output[n].substring else { return .null }
        return .string(String(s))
    }

    static func extract(_ call: ResolvedCall) throws(FunctionResolutionError) -> ScalarBody {
        let regex = try pattern(call, at: 0)
        return { args, _ throws(FunctionError) in
            guard let r = try regex(args), case .string(let input) = args[1] else { return .null }
            var group = 0
            if args.count > 2 {
                guard case .integer(let g) = args[2] else { return .null }
                group = Int(g)
            }
            guard let match = input.firstMatch(of: r.regex) else { return .null }
            guard group >= 0 && group < match.output.count else {
                if group < 0 { throw FunctionError("No group \(group)") }
                return .null
            }
            return RegexFunctions.group(match, group)
        }
    }

    static func extractAll(_ call: ResolvedCall) throws(FunctionResolutionError) -> ScalarBody {
        let regex = try pattern(call, at: 0)
        return { args, _ throws(FunctionError) in
            guard let r = try regex(args), case .string(let input) = args[1] else { return .null }
            var group = 0
            if args.count > 2 {
                guard case .integer(let g) = args[2] else { return .null }
                group = Int(g)
            }
            var out: [Value] = []
            for match in input.matches(of: r.regex) {
                guard group >= 0 && group < match.output.count else { throw FunctionError("No group \(group)") }
                out.append(RegexFunctions.group(match, group))
            }
            return .array(out)
        }
    }

    static func replace(_ call: ResolvedCall) throws(FunctionResolutionError) -> ScalarBody {
        let regex = try pattern(call, at: 1)
        return { args, _ throws(FunctionError) in
            guard case .string(let input) = args[0], let r = try regex(args), case .string(let replacement) = args[2]
            else { return .null }
            var out = ""
            var last = input.startIndex
            for match in input.matches(of: r.regex) {
                out += input[last..<match.range.lowerBound]
                try appendReplacement(&out, replacement, match)
                last = match.range.upperBound
            }
            out += input[last...]
            return .string(out)
        }
    }

    /// Java's `Matcher.appendReplacement`: `$n` and `${name}` insert groups, `\` escapes.
    static func appendReplacement(
        _ out: inout String, _ replacement: String, _ match: Regex<AnyRegexOutput>.Match
    ) throws(FunctionError) {
        let chars = Array(replacement.unicodeScalars)
        var i = 0
        let groups = match.output.count - 1
        while i < chars.count {
            let c = chars[i]
            if c == "\\" {
                i += 1
                guard i < chars.count else { throw FunctionError("character to be escaped is missing") }
                out.unicodeScalars.append(chars[i])
                i += 1
            } else if c == "$" {
                i += 1
                guard i < chars.count else { throw FunctionError("Illegal group reference: group index is missing") }
                if chars[i] == "{" {
                    var name = ""
                    i += 1
                    while i < chars.count && chars[i] != "}" {
                        name.unicodeScalars.append(chars[i])
                        i += 1
                    }
                    guard i < chars.count else { throw FunctionError("named capturing group is missing trailing '}'") }
                    i += 1
                    guard let element = match.output[name] else {
                        throw FunctionError("No group with name {\(name)}")
                    }
                    if let s = element.substring { out += s }
                } else {
                    guard let first = chars[i].properties.numericType, first == .decimal,
                        let d = Int(String(chars[i]))
                    else { throw FunctionError("Illegal group reference") }
                    var n = d
                    i += 1
                    guard n <= groups else { throw FunctionError("No group \(n)") }
                    // Take more digits while the number still names a group.
                    while i < chars.count, let next = Int(String(chars[i])), n * 10 + next <= groups {
                        n = n * 10 + next
                        i += 1
                    }
                    if let s = match.output[n].substring { out += s }
                }
            } else {
                out.unicodeScalars.append(c)
                i += 1
            }
        }
    }

    static func splitToArray(_ call: ResolvedCall) throws(FunctionResolutionError) -> ScalarBody {
        let regex = try pattern(call, at: 1)
        return { args, _ throws(FunctionError) in
            guard case .string(let input) = args[0], let r = try regex(args) else { return .null }
            let matches = input.matches(of: r.regex)
            let matchesEmpty = r.pattern.isEmpty || "".wholeMatch(of: r.regex) != nil
            var parts: [Value] = []
            var last = input.startIndex
            if matchesEmpty {
                // Pattern.split: no leading empty piece for a zero-width match at the start, and
                // trailing empty pieces dropped.
                var found = false
                for m in matches {
                    if m.range.lowerBound == input.startIndex && m.range.isEmpty { continue }
                    if m.range.lowerBound == input.endIndex && m.range.isEmpty && m.range.lowerBound == last {
                        continue
                    }
                    found = true
                    parts.append(.string(String(input[last..<m.range.lowerBound])))
                    last = m.range.upperBound
                }
                if !found { return .array([.string(input)]) }
                parts.append(.string(String(input[last...])))
                while parts.count > 1, case .string(let s) = parts.last!, s.isEmpty { parts.removeLast() }
                return .array(parts)
            }
            for m in matches {
                parts.append(.string(String(input[last..<m.range.lowerBound])))
                last = m.range.upperBound
            }
            parts.append(.string(String(input[last...])))
            return .array(parts)
        }
    }
}

extension RegistryBuilder {
    mutating func registerRegexFunctions() {
        let category = "STRING"
        scalar("REGEXP_EXTRACT", category, "Returns the first match of a regular expression, or one of its groups.", [
            ScalarOverload([p("pattern", .string), p("input", .string)], returns: .type(.string),
                specialize: RegexFunctions.extract),
            ScalarOverload([p("pattern", .string), p("input", .string), p("group", .integer)], returns: .type(.string),
                specialize: RegexFunctions.extract),
        ])
        scalar("REGEXP_EXTRACT_ALL", category, "Returns every match of a regular expression, or one of its groups.", [
            ScalarOverload([p("pattern", .string), p("input", .string)], returns: .type(.array(.string)),
                specialize: RegexFunctions.extractAll),
            ScalarOverload([p("pattern", .string), p("input", .string), p("group", .integer)],
                returns: .type(.array(.string)), specialize: RegexFunctions.extractAll),
        ])
        scalar("REGEXP_REPLACE", category, "Replaces every match of a regular expression ($n names a group).", [
            ScalarOverload([p("input", .string), p("regex", .string), p("replacement", .string)], returns: .type(.string),
                specialize: RegexFunctions.replace)
        ])
        scalar("REGEXP_SPLIT_TO_ARRAY", category, "Splits a string on a regular expression.", [
            ScalarOverload([p("input", .string), p("regex", .string)], returns: .type(.array(.string)),
                specialize: RegexFunctions.splitToArray)
        ])
    }
}
