import Testing

@testable import SluiceSQL

@Suite struct LexerTests {
    /// Kinds and texts of every token before the end token.
    private func lex(_ text: String) -> [(TokenKind, String)] {
        let bytes = Array(text.utf8)
        let tokens = bytes.withUnsafeBufferPointer { Lexer.tokenize($0) }
        #expect(tokens.last?.kind == .endOfInput)
        return tokens.dropLast().map { ($0.kind, String(decoding: bytes[$0.start..<$0.end], as: UTF8.self)) }
    }

    private func kinds(_ text: String) -> [TokenKind] { lex(text).map(\.0) }

    @Test func keywordsAreCaseInsensitiveAndOtherWordsAreIdentifiers() {
        #expect(kinds("select SeLeCt SELECT") == [.keyword(.select), .keyword(.select), .keyword(.select)])
        #expect(kinds("selects _x a@b") == [.identifier, .identifier, .identifier])
    }

    @Test(arguments: [
        ("123", TokenKind.integer), ("1.5", .decimal), (".5", .decimal), ("1.", .decimal), ("1E3", .double),
        ("1.5e-3", .double), (".5E+2", .double), ("1ST", .digitIdentifier), ("2x", .digitIdentifier),
    ])
    func numbers(_ text: String, _ kind: TokenKind) {
        #expect(lex(text).map(\.0) == [kind])
        #expect(lex(text).map(\.1) == [text])
    }

    @Test func decimalFollowedByLettersIsTwoTokens() {
        #expect(kinds("1.5E") == [.decimal, .identifier])
    }

    @Test func operatorsTakeTheLongestMatch() {
        #expect(
            kinds("<> != <= >= < > = => -> := || - + * / % [ ] ( ) , . ;") == [
                .notEqual, .notEqual, .lessOrEqual, .greaterOrEqual, .less, .greater, .equal, .lambdaArrow, .arrow,
                .assign, .concat, .minus, .plus, .star, .slash, .percent, .leftBracket, .rightBracket, .leftParen,
                .rightParen, .comma, .dot, .semicolon,
            ])
    }

    @Test func stringsAndQuotedNamesKeepDoubledQuotes() {
        #expect(lex("'it''s' `a``b` \"c\"\"d\"").map(\.0) == [.string, .backQuotedIdentifier, .doubleQuotedIdentifier])
        #expect(lex("'it''s'").map(\.1) == ["'it''s'"])
    }

    @Test func commentsAndWhitespaceAreSkipped() {
        #expect(kinds("a -- comment ; here\n b /* block ; */ c\t\r\n") == [.identifier, .identifier, .identifier])
        #expect(kinds("a--b") == [.identifier])
    }

    @Test func variablesNeedANameInBraces() {
        #expect(kinds("${name} ${_x1}") == [.variable, .variable])
        #expect(kinds("${1x}").first == .unterminatedVariable)
        #expect(kinds("${name").first == .unterminatedVariable)
    }

    @Test func malformedInputBecomesErrorTokensCoveringTheBadText() {
        #expect(lex("'open").map(\.0) == [.unterminatedString])
        #expect(lex("`open").map(\.0) == [.unterminatedQuotedIdentifier])
        #expect(lex("/* open").map(\.0) == [.unterminatedComment])
        // A multi-byte character is one error token spanning all its bytes.
        #expect(lex("é").map(\.0) == [.invalidCharacter])
        #expect(lex("é").map(\.1) == ["é"])
        #expect(lex("a § b").map(\.0) == [.identifier, .invalidCharacter, .identifier])
    }

    @Test func tokenizingASliceKeepsOffsetsIntoTheWholeText() {
        let bytes = Array("xx SELECT 1; yy".utf8)
        let tokens = bytes.withUnsafeBufferPointer { Lexer.tokenize($0, from: 3, to: 11) }
        #expect(tokens.map(\.kind) == [.keyword(.select), .integer, .endOfInput])
        #expect(tokens[0].start == 3 && tokens[1].end == 11 && tokens[2].start == 11)
    }

    @Test func keywordLookupIgnoresWordsLongerThanAnyKeyword() {
        #expect(kinds("MILLISECONDSXXXXXXXX") == [.identifier])
        #expect(kinds("milliseconds") == [.keyword(.milliseconds)])
    }
}
