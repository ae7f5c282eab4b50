/// One statement's text cut out of a script by ``SQLParser/splitStatements(_:)``.
public struct StatementText: Sendable, Hashable {
    /// The statement as written, from its first token to its last, without the ';'.
    public var text: String
    /// Where ``text`` sits in the script (UTF-8 offsets).
    public var range: SourceRange

    public init(text: String, range: SourceRange) {
        self.text = text
        self.range = range
    }
}

/// The front end's entry points: split scripts, parse statements, expressions and types.
///
/// ```swift
/// let statement = try SQLParser.parseStatement("SELECT * FROM orders EMIT CHANGES;")
/// for piece in SQLParser.splitStatements(script) { ... }
/// ```
///
/// Every failure is an ``SQLError`` whose diagnostic points into the text that was passed in.
public enum SQLParser {
    /// Splits a script at top-level ';' (respecting strings, quoted identifiers, comments) without parsing.
    ///
    /// Each piece's text excludes the ';' and the whitespace and comments around the statement;
    /// blank and comment-only pieces are dropped. An unterminated string or comment runs to the end
    /// of the script, so it ends up in the last piece, where parsing reports it.
    public static func splitStatements(_ script: String) -> [StatementText] {
        let bytes = Array(script.utf8)
        let tokens = bytes.withUnsafeBufferPointer { Lexer.tokenize($0) }
        var pieces: [StatementText] = []
        var first: Token?
        var last: Token?
        func flush() {
            if let first, let last {
                let range = SourceRange(start: first.start, end: last.end)
                pieces.append(
                    StatementText(text: String(decoding: bytes[range.start..<range.end], as: UTF8.self), range: range))
            }
            first = nil
            last = nil
        }
        for token in tokens {
            switch token.kind {
            case .semicolon, .endOfInput:
                flush()
            case .unterminatedComment:
                // A comment that never closes holds no statement text; report it only if a
                // statement was in progress (it then belongs to that statement).
                if first != nil { last = token }
            default:
                if first == nil { first = token }
                last = token
            }
        }
        return pieces
    }

    /// Parses exactly one statement (a trailing ';' is allowed).
    ///
    /// - Throws: ``SQLError`` whose source is `text`.
    public static func parseStatement(_ text: String) throws -> Statement {
        let bytes = Array(text.utf8)
        var parser = Parser(source: bytes)
        do {
            return try parser.parseSingleStatement()
        } catch {
            throw SQLError(error, source: text)
        }
    }

    /// Parses every statement of a script.
    ///
    /// - Returns: the statements in order, each with its own text and its range in the script.
    /// - Throws: the first ``SQLError``; its source is the whole script and its range indexes it.
    public static func parseScript(_ script: String) throws -> [ParsedStatement] {
        let bytes = Array(script.utf8)
        var result: [ParsedStatement] = []
        for piece in splitStatements(script) {
            do {
                result.append(try parsePiece(piece, of: bytes))
            } catch {
                throw SQLError(error, source: script)
            }
        }
        return result
    }

    /// Parses as many statements as possible, collecting one error per bad statement (for `sluice fmt`).
    ///
    /// Errors index the whole script, like those of ``parseScript(_:)``.
    public static func parseScriptRecovering(_ script: String) -> (statements: [ParsedStatement], errors: [SQLError]) {
        let bytes = Array(script.utf8)
        var statements: [ParsedStatement] = []
        var errors: [SQLError] = []
        for piece in splitStatements(script) {
            do {
                statements.append(try parsePiece(piece, of: bytes))
            } catch {
                errors.append(SQLError(error, source: script))
            }
        }
        return (statements, errors)
    }

    private static func parsePiece(_ piece: StatementText, of bytes: [UInt8]) throws(Diagnostic) -> ParsedStatement {
        var parser = Parser(source: bytes, from: piece.range.start, to: piece.range.end)
        let statement = try parser.parseSingleStatement()
        return ParsedStatement(statement: statement, text: piece.text, range: piece.range)
    }

    /// Parses one expression, such as `price * 1.2 > 10`.
    public static func parseExpression(_ text: String) throws -> Expr {
        var parser = Parser(source: Array(text.utf8))
        do {
            let expr = try parser.parseExpression()
            try parser.expectEndOfInput()
            return expr
        } catch {
            throw SQLError(error, source: text)
        }
    }

    /// Parses one type, such as `MAP<STRING, ARRAY<DECIMAL(4, 2)>>`.
    public static func parseType(_ text: String) throws -> TypeSyntax {
        var parser = Parser(source: Array(text.utf8))
        do {
            let type = try parser.parseType()
            try parser.expectEndOfInput()
            return type
        } catch {
            throw SQLError(error, source: text)
        }
    }
}

extension Parser {
    mutating func expectEndOfInput() throws(Diagnostic) {
        guard atEnd else {
            if let lexical = lexicalError(current) { throw lexical }
            throw SyntaxDiagnostics.trailingInput(found: describe(current), range: current.range)
        }
    }
}
