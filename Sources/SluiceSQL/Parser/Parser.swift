/// A recursive-descent parser for one statement of the ksqlDB dialect.
///
/// The parser owns the token array of one statement (lexed up front by ``Lexer``) and a cursor
/// into it. Every grammar rule is one `mutating` function in a file named for its grammar area:
/// `Parser+Statements.swift` (dispatch and the small statements), `Parser+Create.swift` (DDL and
/// INSERT), `Parser+Query.swift` (SELECT), `Parser+Expressions.swift`, `Parser+Types.swift` and
/// `Parser+Literals.swift`. Lookahead is one token unless a function says otherwise
/// (``peek(_:)``).
///
/// Errors are thrown as a ``Diagnostic`` pointing at the offending token; ``SQLParser`` attaches
/// the source text. Two budgets keep hostile input from overflowing the stack: ``nesting`` counts
/// recursive rule entries (parentheses, function arguments, nested types) and ``depth`` counts the
/// height of the expression tree being built, including left-deep operator chains, since the
/// synthesized `==`, hashing and deinit of the AST recurse over that height.
struct Parser {
    /// Deepest recursion of grammar rules accepted before the statement is rejected.
    static let nestingLimit = 200
    /// Tallest expression tree accepted (operator chains count one level per operator).
    static let depthLimit = 1_000

    let source: [UInt8]
    let tokens: [Token]
    var position = 0
    var nesting = 0
    var depth = 0

    init(source: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.source = source
        self.tokens = source.withUnsafeBufferPointer { Lexer.tokenize($0, from: start, to: end) }
    }

    // MARK: - Cursor

    var current: Token { tokens[position] }

    /// The token `offset` places ahead (clamped to the final `.endOfInput` token).
    func peek(_ offset: Int = 1) -> Token {
        tokens[Swift.min(position + offset, tokens.count - 1)]
    }

    var previous: Token? { position > 0 ? tokens[position - 1] : nil }

    var atEnd: Bool { current.kind == .endOfInput }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[position]
        if token.kind != .endOfInput { position += 1 }
        return token
    }

    func check(_ keyword: Keyword) -> Bool { current.kind == .keyword(keyword) }

    func check(_ kind: TokenKind) -> Bool { current.kind == kind }

    mutating func accept(_ keyword: Keyword) -> Bool {
        guard check(keyword) else { return false }
        advance()
        return true
    }

    mutating func accept(_ kind: TokenKind) -> Bool {
        guard check(kind) else { return false }
        advance()
        return true
    }

    /// Consumes a keyword or throws "expected 'KEYWORD' ...".
    @discardableResult
    mutating func expect(_ keyword: Keyword) throws(Diagnostic) -> Token {
        guard check(keyword) else { throw unexpected(expected: "'\(keyword.rawValue)'") }
        return advance()
    }

    /// Consumes a punctuation token or throws "expected ')' ...".
    @discardableResult
    mutating func expect(_ kind: TokenKind, _ description: String) throws(Diagnostic) -> Token {
        guard check(kind) else { throw unexpected(expected: description) }
        return advance()
    }

    // MARK: - Text

    func text(_ token: Token) -> String {
        String(decoding: source[token.start..<token.end], as: UTF8.self)
    }

    func text(from start: Int, to end: Int) -> String {
        String(decoding: source[start..<end], as: UTF8.self)
    }

    /// Range from the start of `token` to the end of the last consumed token.
    func range(from token: Token) -> SourceRange {
        SourceRange(start: token.start, end: Swift.max(token.start, previous?.end ?? token.end))
    }

    func range(from start: Int) -> SourceRange {
        SourceRange(start: start, end: Swift.max(start, previous?.end ?? start))
    }

    // MARK: - Budgets

    /// Enters one level of rule recursion; pair with ``leave()`` (use `defer`).
    mutating func enter() throws(Diagnostic) {
        nesting += 1
        if nesting > Parser.nestingLimit {
            throw SyntaxDiagnostics.nestedTooDeeply(limit: Parser.nestingLimit, range: current.range)
        }
    }

    mutating func leave() { nesting -= 1 }

    /// Records that the tree under construction grew `levels` taller.
    mutating func grow(_ levels: Int = 1) throws(Diagnostic) {
        depth += levels
        if depth > Parser.depthLimit {
            throw SyntaxDiagnostics.nestedTooDeeply(limit: Parser.depthLimit, range: current.range)
        }
    }

    // MARK: - Errors

    /// Describes a token for a message: `'FROM'`, `the end of the statement`.
    func describe(_ token: Token) -> String {
        switch token.kind {
        case .endOfInput: return "the end of the statement"
        case .string: return "string \(abbreviated(text(token)))"
        case .integer, .decimal, .double: return "number \(abbreviated(text(token)))"
        default: return abbreviated(text(token))
        }
    }

    private func abbreviated(_ text: String) -> String {
        let limit = 40
        if text.count <= limit { return "'\(text)'" }
        return "'\(text.prefix(limit))...'"
    }

    /// The error for "this token is not what the grammar wanted here".
    ///
    /// Lexer error tokens take precedence (an unterminated string is reported as such, not as an
    /// unexpected token), and a reserved word where a name could stand gets a hint to quote it.
    func unexpected(expected: String, help: String? = nil) -> Diagnostic {
        let token = current
        if let lexical = lexicalError(token) { return lexical }
        // Say what came before, unless the expectation already names its own context.
        let after =
            expected.contains(" after ") || expected.contains(" in ") || expected.contains(" for ")
                || expected.contains(" between ")
            ? nil : previous.map { text($0) }.map { $0.count > 40 ? String($0.prefix(40)) + "..." : $0 }
        if token.kind == .endOfInput {
            return SyntaxDiagnostics.unexpectedEnd(expected: expected, after: after, range: token.range)
        }
        if token.kind == .semicolon && peek().kind == .endOfInput {
            return SyntaxDiagnostics.unexpectedEnd(expected: expected, after: after, range: token.range)
        }
        var help = help
        if help == nil, let keyword = token.keyword, keyword.isReserved, !Parser.structuralKeywords.contains(keyword),
            expectsName(expected)
        {
            help = SyntaxDiagnostics.Help.reservedWord(keyword.rawValue)
        }
        return SyntaxDiagnostics.unexpectedToken(
            expected: expected, after: after, found: describe(token), range: token.range, help: help)
    }

    /// Reserved words that open or join clauses: finding one where a name was expected means
    /// something is missing, not that the user meant a name, so no quoting hint is given.
    static let structuralKeywords: Set<Keyword> = [
        .select, .from, .where, .group, .by, .having, .window, .limit, .join, .on, .with, .as, .and, .or, .then,
        .else, .end, .when, .inner, .left, .right, .full, .outer, .within, .values, .into, .not, .is, .in,
        .between, .like,
    ]

    private func expectsName(_ expected: String) -> Bool {
        expected.hasSuffix("name") || expected.hasPrefix("an expression") || expected.hasPrefix("an alias")
            || expected.contains("column")
    }

    /// The diagnostic for a lexer error token, or nil for a well-formed token.
    func lexicalError(_ token: Token) -> Diagnostic? {
        switch token.kind {
        case .unterminatedString: return SyntaxDiagnostics.unterminatedString(range: token.range)
        case .unterminatedQuotedIdentifier: return SyntaxDiagnostics.unterminatedQuotedIdentifier(range: token.range)
        case .unterminatedComment: return SyntaxDiagnostics.unterminatedComment(range: token.range)
        case .unterminatedVariable: return SyntaxDiagnostics.malformedVariable(text(token), range: token.range)
        case .invalidCharacter: return SyntaxDiagnostics.invalidCharacter(text(token), range: token.range)
        default: return nil
        }
    }
}
