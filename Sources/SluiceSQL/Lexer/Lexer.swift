/// Turns SQL text into tokens: a pure step from bytes at an offset to a kind and a length.
///
/// Whitespace and comments (`-- to end of line`, `/* ... */`) are skipped. Malformed input never
/// throws here: an unterminated string or a stray byte becomes an error token whose range covers
/// the offending text, and the parser turns it into a diagnostic. Keyword matching is
/// case-insensitive and goes through ``Keyword`` only.
struct Lexer {
    /// Lexes `bytes[start..<limit]` into tokens, always ending with one `.endOfInput` token at `limit`.
    ///
    /// Offsets in the tokens index the whole buffer, so a statement lexed out of a script points
    /// into the script.
    static func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0, to limit: Int? = nil) -> [Token] {
        let limit = limit ?? bytes.count
        var tokens: [Token] = []
        tokens.reserveCapacity((limit - start) / 4 + 1)
        var offset = start
        while true {
            let token = next(bytes, at: offset, limit: limit)
            tokens.append(token)
            if token.kind == .endOfInput { break }
            offset = token.end
        }
        return tokens
    }

    /// The token that starts at or after `offset` (after skipping whitespace and comments).
    static func next(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, limit: Int) -> Token {
        var index = offset
        let count = limit
        // Skip trivia.
        while index < count {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C {
                index += 1
            } else if byte == UInt8(ascii: "-") && index + 1 < count && bytes[index + 1] == UInt8(ascii: "-") {
                index += 2
                while index < count && bytes[index] != 0x0A { index += 1 }
            } else if byte == UInt8(ascii: "/") && index + 1 < count && bytes[index + 1] == UInt8(ascii: "*") {
                let start = index
                index += 2
                var closed = false
                while index + 1 < count {
                    if bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/") {
                        index += 2
                        closed = true
                        break
                    }
                    index += 1
                }
                if !closed { return Token(kind: .unterminatedComment, start: start, end: count) }
            } else {
                break
            }
        }
        guard index < count else { return Token(kind: .endOfInput, start: count, end: count) }

        let start = index
        let byte = bytes[index]
        func single(_ kind: TokenKind) -> Token { Token(kind: kind, start: start, end: start + 1) }
        func double(_ kind: TokenKind) -> Token { Token(kind: kind, start: start, end: start + 2) }
        let following: UInt8 = index + 1 < count ? bytes[index + 1] : 0

        if isIdentifierStart(byte) {
            var end = index + 1
            while end < count && isIdentifierPart(bytes[end]) { end += 1 }
            if let keyword = Keyword.lookup(bytes, from: start, to: end) {
                return Token(kind: .keyword(keyword), start: start, end: end)
            }
            return Token(kind: .identifier, start: start, end: end)
        }
        if isDigit(byte) || (byte == UInt8(ascii: ".") && isDigit(following)) {
            return number(bytes, at: start, limit: count)
        }
        switch byte {
        case UInt8(ascii: "'"):
            return quoted(bytes, at: start, limit: count, quote: byte, kind: .string, unterminated: .unterminatedString)
        case UInt8(ascii: "`"):
            return quoted(
                bytes, at: start, limit: count, quote: byte, kind: .backQuotedIdentifier,
                unterminated: .unterminatedQuotedIdentifier)
        case UInt8(ascii: "\""):
            return quoted(
                bytes, at: start, limit: count, quote: byte, kind: .doubleQuotedIdentifier,
                unterminated: .unterminatedQuotedIdentifier)
        case UInt8(ascii: "$") where following == UInt8(ascii: "{"):
            var end = start + 2
            while end < count && isIdentifierPart(bytes[end]) { end += 1 }
            if end < count && bytes[end] == UInt8(ascii: "}") && end > start + 2 && isIdentifierStart(bytes[start + 2])
            {
                return Token(kind: .variable, start: start, end: end + 1)
            }
            return Token(kind: .unterminatedVariable, start: start, end: end)
        case UInt8(ascii: "("): return single(.leftParen)
        case UInt8(ascii: ")"): return single(.rightParen)
        case UInt8(ascii: "["): return single(.leftBracket)
        case UInt8(ascii: "]"): return single(.rightBracket)
        case UInt8(ascii: ","): return single(.comma)
        case UInt8(ascii: "."): return single(.dot)
        case UInt8(ascii: ";"): return single(.semicolon)
        case UInt8(ascii: "+"): return single(.plus)
        case UInt8(ascii: "-"): return following == UInt8(ascii: ">") ? double(.arrow) : single(.minus)
        case UInt8(ascii: "*"): return single(.star)
        case UInt8(ascii: "/"): return single(.slash)
        case UInt8(ascii: "%"): return single(.percent)
        case UInt8(ascii: "|") where following == UInt8(ascii: "|"): return double(.concat)
        case UInt8(ascii: "="): return following == UInt8(ascii: ">") ? double(.lambdaArrow) : single(.equal)
        case UInt8(ascii: "!") where following == UInt8(ascii: "="): return double(.notEqual)
        case UInt8(ascii: ":") where following == UInt8(ascii: "="): return double(.assign)
        case UInt8(ascii: "<"):
            if following == UInt8(ascii: "=") { return double(.lessOrEqual) }
            if following == UInt8(ascii: ">") { return double(.notEqual) }
            return single(.less)
        case UInt8(ascii: ">"):
            return following == UInt8(ascii: "=") ? double(.greaterOrEqual) : single(.greater)
        default:
            // One whole Unicode scalar, so the caret spans the character the user typed.
            return Token(kind: .invalidCharacter, start: start, end: scalarEnd(bytes, at: start, limit: count))
        }
    }

    // MARK: - Pieces

    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, limit count: Int) -> Token {
        var index = start
        var kind = TokenKind.integer
        while index < count && isDigit(bytes[index]) { index += 1 }
        if index < count && bytes[index] == UInt8(ascii: ".") {
            kind = .decimal
            index += 1
            while index < count && isDigit(bytes[index]) { index += 1 }
        }
        if index < count && (bytes[index] == UInt8(ascii: "E") || bytes[index] == UInt8(ascii: "e")) {
            var exponent = index + 1
            if exponent < count && (bytes[exponent] == UInt8(ascii: "+") || bytes[exponent] == UInt8(ascii: "-")) {
                exponent += 1
            }
            if exponent < count && isDigit(bytes[exponent]) {
                while exponent < count && isDigit(bytes[exponent]) { exponent += 1 }
                kind = .double
                index = exponent
            }
        }
        // `1ST`, `2x`: a word that starts with digits (ksqlDB's DIGIT_IDENTIFIER).
        if kind != .decimal && index < count && isIdentifierPart(bytes[index]) {
            while index < count && isIdentifierPart(bytes[index]) { index += 1 }
            return Token(kind: .digitIdentifier, start: start, end: index)
        }
        return Token(kind: kind, start: start, end: index)
    }

    private static func quoted(
        _ bytes: UnsafeBufferPointer<UInt8>, at start: Int, limit count: Int, quote: UInt8, kind: TokenKind,
        unterminated: TokenKind
    ) -> Token {
        var index = start + 1
        while index < count {
            if bytes[index] == quote {
                if index + 1 < count && bytes[index + 1] == quote {
                    index += 2
                    continue
                }
                return Token(kind: kind, start: start, end: index + 1)
            }
            index += 1
        }
        return Token(kind: unterminated, start: start, end: count)
    }

    private static func scalarEnd(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, limit count: Int) -> Int {
        let lead = bytes[start]
        let length: Int
        if lead < 0x80 {
            length = 1
        } else if lead >= 0xF0 {
            length = 4
        } else if lead >= 0xE0 {
            length = 3
        } else if lead >= 0xC0 {
            length = 2
        } else {
            length = 1
        }
        var end = start + 1
        while end < count && end < start + length && bytes[end] & 0xC0 == 0x80 { end += 1 }
        return end
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_")
    }

    static func isIdentifierPart(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || isDigit(byte) || byte == UInt8(ascii: "@")
    }
}
