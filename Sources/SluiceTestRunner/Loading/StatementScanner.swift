/// A light reading of ksqlDB statements, enough for the runner's own needs: splitting a script
/// into statements, finding the topics `CREATE STREAM` / `CREATE TABLE` statements name (the test
/// framework creates them before running, as ksqlDB's does), and telling queries from the rest.
///
/// This is deliberately not the SQL front end: the runner must keep working on statements the
/// engine's parser rejects, since rejecting them may be exactly what a test expects.
public enum StatementScanner {
    /// A token of the light lexer.
    enum Token: Equatable {
        case word(String)  // upper-cased identifier or keyword
        case quotedIdentifier(String)
        case string(String)
        case number(String)
        case symbol(Character)
    }

    /// Splits a script at top-level semicolons (outside strings, quoted identifiers and comments).
    /// Each statement keeps its text without the `;`; blank statements are dropped.
    public static func split(_ script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var chars = Array(script)[...]
        while let c = chars.first {
            switch c {
            case "'", "`", "\"":
                current.append(contentsOf: takeQuoted(&chars, quote: c))
            case "-" where chars.dropFirst().first == "-":
                while let d = chars.first, d != "\n" { chars = chars.dropFirst() }
            case "/" where chars.dropFirst().first == "*":
                chars = chars.dropFirst(2)
                while !chars.isEmpty && !(chars.first == "*" && chars.dropFirst().first == "/") {
                    chars = chars.dropFirst()
                }
                chars = chars.dropFirst(2)
                current.append(" ")
            case ";":
                chars = chars.dropFirst()
                appendStatement(current, to: &statements)
                current = ""
            default:
                current.append(c)
                chars = chars.dropFirst()
            }
        }
        appendStatement(current, to: &statements)
        return statements
    }

    private static func appendStatement(_ text: String, to statements: inout [String]) {
        let trimmed = text.trimmingWhitespace()
        if !trimmed.isEmpty { statements.append(trimmed + ";") }
    }

    private static func takeQuoted(_ chars: inout ArraySlice<Character>, quote: Character) -> String {
        var out = String(quote)
        chars = chars.dropFirst()
        while let c = chars.first {
            out.append(c)
            chars = chars.dropFirst()
            if c == quote {
                // A doubled quote is an escaped quote inside the literal.
                if chars.first == quote {
                    out.append(quote)
                    chars = chars.dropFirst()
                } else {
                    break
                }
            }
        }
        return out
    }

    static func tokens(_ statement: String) -> [Token] {
        var result: [Token] = []
        var chars = Array(statement)[...]
        while let c = chars.first {
            if c.isWhitespace {
                chars = chars.dropFirst()
            } else if c == "-" && chars.dropFirst().first == "-" {
                while let d = chars.first, d != "\n" { chars = chars.dropFirst() }
            } else if c == "/" && chars.dropFirst().first == "*" {
                chars = chars.dropFirst(2)
                while !chars.isEmpty && !(chars.first == "*" && chars.dropFirst().first == "/") {
                    chars = chars.dropFirst()
                }
                chars = chars.dropFirst(2)
            } else if c == "'" || c == "`" || c == "\"" {
                let quoted = takeQuoted(&chars, quote: c)
                var inner = String(quoted.dropFirst())
                if inner.last == c { inner.removeLast() }
                inner = inner.replacing(String([c, c]), with: String(c))
                result.append(c == "'" ? .string(inner) : .quotedIdentifier(inner))
            } else if c.isLetter || c == "_" {
                var word = ""
                while let d = chars.first, d.isLetter || d.isNumber || d == "_" || d == "$" || d == "@" {
                    word.append(d)
                    chars = chars.dropFirst()
                }
                result.append(.word(word.uppercased()))
            } else if c.isNumber {
                var number = ""
                while let d = chars.first, d.isNumber || d == "." {
                    number.append(d)
                    chars = chars.dropFirst()
                }
                result.append(.number(number))
            } else {
                result.append(.symbol(c))
                chars = chars.dropFirst()
            }
        }
        return result
    }

    /// What a `CREATE STREAM` / `CREATE TABLE` statement (not `... AS SELECT`) says about its topic.
    public struct DeclaredTopic: Hashable, Sendable {
        public var name: String
        /// `PARTITIONS` from the `WITH` clause, when given.
        public var partitions: Int?
    }

    /// The topic a plain `CREATE [OR REPLACE] [SOURCE] STREAM|TABLE` statement declares, if any.
    public static func declaredTopic(_ statement: String) -> DeclaredTopic? {
        let tokens = tokens(statement)
        var index = 0
        func word(at i: Int) -> String? {
            guard i < tokens.count, case .word(let w) = tokens[i] else { return nil }
            return w
        }
        guard word(at: index) == "CREATE" else { return nil }
        index += 1
        if word(at: index) == "OR" && word(at: index + 1) == "REPLACE" { index += 2 }
        if word(at: index) == "SOURCE" { index += 1 }
        guard word(at: index) == "STREAM" || word(at: index) == "TABLE" else { return nil }
        // `AS SELECT` at the top level makes it a persistent query; its sink is the engine's business.
        var depth = 0
        for (i, token) in tokens.enumerated() {
            switch token {
            case .symbol("("): depth += 1
            case .symbol(")"): depth -= 1
            case .word("AS") where depth == 0 && word(at: i + 1) == "SELECT": return nil
            default: break
            }
        }
        let properties = withProperties(tokens)
        guard case .string(let topic)? = properties["KAFKA_TOPIC"] else { return nil }
        var partitions: Int?
        if case .number(let count)? = properties["PARTITIONS"] { partitions = Int(count) }
        return DeclaredTopic(name: topic, partitions: partitions)
    }

    /// The `name = value` pairs of the last top-level `WITH ( ... )` clause.
    static func withProperties(_ tokens: [Token]) -> [String: Token] {
        var result: [String: Token] = [:]
        var depth = 0
        var start: Int?
        for (i, token) in tokens.enumerated() {
            if case .symbol("(") = token { depth += 1 }
            if case .symbol(")") = token { depth -= 1 }
            if depth == 0, case .word("WITH") = token, i + 1 < tokens.count, tokens[i + 1] == .symbol("(") {
                start = i + 2
            }
        }
        guard var i = start else { return result }
        while i + 2 < tokens.count {
            let name: String
            switch tokens[i] {
            case .word(let w): name = w
            case .quotedIdentifier(let q), .string(let q): name = q.uppercased()
            default: return result
            }
            guard tokens[i + 1] == .symbol("=") else { return result }
            result[name] = tokens[i + 2]
            i += 3
            guard i < tokens.count, tokens[i] == .symbol(",") else { break }
            i += 1
        }
        return result
    }

    /// The upper-cased names written as calls (`NAME(`) in a statement.
    public static func calledNames(_ statement: String) -> Set<String> {
        let tokens = tokens(statement)
        var names: Set<String> = []
        for (index, token) in tokens.enumerated() where index + 1 < tokens.count {
            if case .word(let name) = token, tokens[index + 1] == .symbol("(") { names.insert(name) }
        }
        return names
    }

    /// True for statements whose results come back to the caller rather than landing in a topic:
    /// `SELECT` (push or pull) and `PRINT`.
    public static func isQuery(_ statement: String) -> Bool {
        guard case .word(let first)? = tokens(statement).first else { return false }
        return first == "SELECT" || first == "PRINT"
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let c = slice.first, c.isWhitespace { slice = slice.dropFirst() }
        while let c = slice.last, c.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
