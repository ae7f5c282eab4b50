import SluiceSQL
import Testing

/// A statement with the span a diagnostic must cover marked as `⟪...⟫` (or `⟪⟫` for an empty span).
struct MarkedText {
    var text: String
    var range: SourceRange

    init(_ marked: String) {
        let open = marked.range(of: "⟪")!
        let close = marked.range(of: "⟫")!
        let before = String(marked[..<open.lowerBound])
        let inside = String(marked[open.upperBound..<close.lowerBound])
        let after = String(marked[close.upperBound...])
        text = before + inside + after
        let start = before.utf8.count
        range = SourceRange(start: start, end: start + inside.utf8.count)
    }
}

/// Parses a statement that must fail, and checks the diagnostic's id, its message and that it
/// points exactly at the marked span.
func expectStatementError(
    _ marked: String, id: String, message: String? = nil, help: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let sample = MarkedText(marked)
    do {
        let statement = try SQLParser.parseStatement(sample.text)
        Issue.record("expected an error, parsed \(statement)", sourceLocation: sourceLocation)
    } catch let error as SQLError {
        check(error, sample, id: id, message: message, help: help, sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error type \(error)", sourceLocation: sourceLocation)
    }
}

func check(
    _ error: SQLError, _ sample: MarkedText, id: String, message: String?, help: String?,
    sourceLocation: SourceLocation
) {
    let diagnostic = error.diagnostic
    #expect(diagnostic.id == id, "\(diagnostic.message)", sourceLocation: sourceLocation)
    if let message {
        #expect(diagnostic.message == message, sourceLocation: sourceLocation)
    }
    if let help {
        #expect(diagnostic.help == help, sourceLocation: sourceLocation)
    }
    #expect(diagnostic.range == sample.range, "\(DiagnosticRenderer.render(error))", sourceLocation: sourceLocation)
    #expect(diagnostic.category == .syntax, sourceLocation: sourceLocation)
}

/// Parses a statement that must succeed.
func parse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Statement {
    do {
        return try SQLParser.parseStatement(text)
    } catch let error as SQLError {
        Issue.record("\(DiagnosticRenderer.render(error))", sourceLocation: sourceLocation)
        throw error
    }
}

/// Parses a query (a bare SELECT statement).
func parseQuery(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Query {
    let statement = try parse(text, sourceLocation: sourceLocation)
    guard case .select(let query) = statement else {
        Issue.record("not a query: \(statement)", sourceLocation: sourceLocation)
        throw CancellationError()
    }
    return query
}

/// Parses an expression that must succeed.
func expr(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Expr {
    do {
        return try SQLParser.parseExpression(text)
    } catch let error as SQLError {
        Issue.record("\(DiagnosticRenderer.render(error))", sourceLocation: sourceLocation)
        throw error
    }
}

// MARK: - Short AST builders for expectations

func col(_ name: String, _ qualifier: String? = nil) -> Expr {
    Expr(.column(qualifier: qualifier.map { Identifier($0) }, name: Identifier(name)))
}

func int(_ text: String) -> Expr { Expr(.literal(.integer(text))) }

func str(_ text: String) -> Expr { Expr(.literal(.string(text))) }

func call(_ name: String, _ arguments: Expr...) -> Expr {
    Expr(.functionCall(name: Identifier(name), arguments: arguments, distinct: false, star: false))
}

func bin(_ op: BinaryOperator, _ left: Expr, _ right: Expr) -> Expr { Expr(.binary(op, left, right)) }

func cmp(_ op: ComparisonOperator, _ left: Expr, _ right: Expr) -> Expr { Expr(.comparison(op, left, right)) }

func and(_ left: Expr, _ right: Expr) -> Expr { Expr(.logical(.and, left, right)) }

func or(_ left: Expr, _ right: Expr) -> Expr { Expr(.logical(.or, left, right)) }
