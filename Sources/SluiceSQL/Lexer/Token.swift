/// What a token is. Payloads are limited to the keyword; text is read back through the offsets.
enum TokenKind: Hashable, Sendable {
    /// A bare word that is not a keyword (upper-cased when turned into an ``Identifier``).
    case identifier
    /// `` `name` ``: case kept, doubled back-quotes stand for one.
    case backQuotedIdentifier
    /// `"name"`: case kept, doubled double-quotes stand for one.
    case doubleQuotedIdentifier
    /// A word starting with a digit such as `1ST`: a name, as in ksqlDB.
    case digitIdentifier
    case keyword(Keyword)
    /// `123`
    case integer
    /// `1.5`, `.5`, `1.`
    case decimal
    /// `1E3`, `1.5e-3`
    case double
    /// `'text'`: doubled single quotes stand for one.
    case string
    /// `${name}`
    case variable

    case leftParen, rightParen, leftBracket, rightBracket
    case comma, dot, semicolon
    case plus, minus, star, slash, percent, concat
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
    /// `:=` in `MAP(k := v)` and `STRUCT(f := v)`
    case assign
    /// `->` struct field dereference
    case arrow
    /// `=>` lambda
    case lambdaArrow

    /// End of input.
    case endOfInput

    // Errors the lexer reports as tokens so the parser can position them.
    case unterminatedString
    case unterminatedQuotedIdentifier
    case unterminatedComment
    case unterminatedVariable
    case invalidCharacter
}

/// One token: a kind and a half-open range of UTF-8 offsets into the text.
struct Token: Hashable, Sendable {
    var kind: TokenKind
    var start: Int
    var end: Int

    var range: SourceRange { SourceRange(start: start, end: end) }

    func `is`(_ keyword: Keyword) -> Bool { kind == .keyword(keyword) }

    var keyword: Keyword? {
        if case .keyword(let keyword) = kind { return keyword }
        return nil
    }

    var isError: Bool {
        switch kind {
        case .unterminatedString, .unterminatedQuotedIdentifier, .unterminatedComment, .unterminatedVariable,
            .invalidCharacter:
            true
        default:
            false
        }
    }
}
