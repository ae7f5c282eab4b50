/// Names: `identifier := IDENTIFIER | non-reserved keyword | `quoted` | "quoted" | ${variable}`.
extension Parser {
    /// True when the current token can be read as a name.
    var atIdentifier: Bool { isIdentifier(current) }

    func isIdentifier(_ token: Token) -> Bool {
        switch token.kind {
        case .identifier, .backQuotedIdentifier, .doubleQuotedIdentifier, .variable, .digitIdentifier: true
        case .keyword(let keyword): !keyword.isReserved
        default: false
        }
    }

    /// Parses a name, upper-casing it unless it was quoted.
    ///
    /// - Parameter expected: words for the error message, such as "a column name".
    mutating func parseIdentifier(_ expected: String) throws(Diagnostic) -> Identifier {
        let token = current
        switch token.kind {
        case .identifier, .digitIdentifier:
            // A name may start with a digit (`1R`), as ksqlDB's DIGIT_IDENTIFIER allows.
            advance()
            return Identifier(upperCased(token), quoted: false, range: token.range)
        case .keyword(let keyword) where !keyword.isReserved:
            advance()
            return Identifier(keyword.rawValue, quoted: false, range: token.range)
        case .backQuotedIdentifier, .doubleQuotedIdentifier:
            advance()
            return Identifier(unquoted(token), quoted: true, range: token.range)
        case .variable:
            // Left in place only when the caller parses without substituting (e.g. `sluice fmt`):
            // kept verbatim so the formatter writes it back unchanged.
            advance()
            return Identifier(text(token), quoted: false, range: token.range)
        case .keyword(let keyword):
            if let lexical = lexicalError(token) { throw lexical }
            if isNameBoundary(peek()) {
                throw SyntaxDiagnostics.reservedWord(keyword.rawValue, expected: expected, range: token.range)
            }
            throw unexpected(expected: expected)
        default:
            throw unexpected(expected: expected)
        }
    }

    /// True when a token may follow a name, so a reserved word before it was meant as a name.
    private func isNameBoundary(_ token: Token) -> Bool {
        switch token.kind {
        case .comma, .rightParen, .endOfInput, .semicolon, .dot, .leftParen, .equal, .identifier: true
        case .keyword(let keyword):
            // `CREATE STREAM select (...)` or `foo AS from FROM`: a type or clause word follows.
            [.with, .as, .from, .where, .key, .primary, .extended, .integer, .emit].contains(keyword)
        default: false
        }
    }

    /// A name, or a string literal standing for one (`PRINT 'my-topic'`); case is kept for both,
    /// because topic and subject names are case-sensitive.
    mutating func parseResourceName(_ expected: String) throws(Diagnostic) -> String {
        let token = current
        switch token.kind {
        case .string:
            advance()
            return unquoted(token)
        case .identifier, .variable:
            advance()
            return text(token)
        case .keyword(let keyword) where !keyword.isReserved:
            advance()
            return text(token)
        case .backQuotedIdentifier, .doubleQuotedIdentifier:
            advance()
            return unquoted(token)
        default:
            _ = try parseIdentifier(expected)
            throw unexpected(expected: expected)
        }
    }

    /// The text of an identifier token, ASCII upper-cased (unquoted names are ASCII by the lexer).
    func upperCased(_ token: Token) -> String {
        let count = token.end - token.start
        return String(unsafeUninitializedCapacity: count) { buffer in
            for index in 0..<count {
                let byte = source[token.start + index]
                buffer[index] = byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte
            }
            return count
        }
    }

    /// The content of a quoted token, with its doubled quote characters collapsed to one.
    func unquoted(_ token: Token) -> String {
        guard token.end - token.start >= 2 else { return "" }
        let quote = source[token.start]
        let end = token.end - 1
        return String(unsafeUninitializedCapacity: end - token.start - 1) { buffer in
            var written = 0
            var index = token.start + 1
            while index < end {
                let byte = source[index]
                buffer[written] = byte
                written += 1
                index += (byte == quote && index + 1 < end && source[index + 1] == quote) ? 2 : 1
            }
            return written
        }
    }
}
