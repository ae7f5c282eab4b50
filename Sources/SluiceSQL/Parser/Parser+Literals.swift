/// Literals, numbers, durations and `WITH (...)` properties.
extension Parser {
    /// `literal := NULL | TRUE | FALSE | number | STRING`, where `number := '-'? (INTEGER | DECIMAL | DOUBLE)`.
    ///
    /// Returns nil (consuming nothing) when the current token does not start a literal.
    mutating func parseLiteralIfPresent() -> Literal? {
        let token = current
        switch token.kind {
        case .keyword(.null):
            advance()
            return .null
        case .keyword(.true):
            advance()
            return .boolean(true)
        case .keyword(.false):
            advance()
            return .boolean(false)
        case .string:
            advance()
            return .string(unquoted(token))
        case .integer, .decimal, .double:
            advance()
            return numberLiteral(token, negative: false)
        case .minus:
            let next = peek()
            guard next.kind == .integer || next.kind == .decimal || next.kind == .double else { return nil }
            advance()
            advance()
            return numberLiteral(next, negative: true)
        default:
            return nil
        }
    }

    func numberLiteral(_ token: Token, negative: Bool) -> Literal {
        let digits = negative ? "-" + text(token) : text(token)
        switch token.kind {
        case .decimal: return .decimal(digits)
        case .double: return .double(digits)
        default: return .integer(digits)
        }
    }

    /// A literal, or an error naming `expected`.
    mutating func parseLiteral(_ expected: String) throws(Diagnostic) -> Literal {
        if check(.variable) {
            let token = advance()
            throw SyntaxDiagnostics.unsubstitutedVariable(variableName(token), range: token.range)
        }
        guard let literal = parseLiteralIfPresent() else { throw unexpected(expected: expected) }
        return literal
    }

    func variableName(_ token: Token) -> String {
        guard token.end - token.start >= 3 else { return "" }
        return text(from: token.start + 2, to: token.end - 1)
    }

    /// A string literal's content.
    mutating func parseString(_ expected: String) throws(Diagnostic) -> String {
        guard check(.string) else { throw unexpected(expected: expected) }
        return unquoted(advance())
    }

    /// `'-'? INTEGER` as a 64-bit integer; `what` names the value in messages ("a window size").
    mutating func parseInteger(_ what: String) throws(Diagnostic) -> Int64 {
        let start = current
        let negative = accept(.minus)
        let token = current
        switch token.kind {
        case .integer:
            advance()
            let digits = text(token)
            guard let magnitude = Int64(digits) else {
                throw SyntaxDiagnostics.numberOutOfRange(
                    (negative ? "-" : "") + digits, what: what, range: range(from: start))
            }
            return negative ? -magnitude : magnitude
        case .decimal, .double:
            advance()
            throw SyntaxDiagnostics.integerRequired(
                (negative ? "-" : "") + text(token), what: what, range: range(from: start))
        default:
            throw unexpected(expected: "a number for \(what)")
        }
    }

    /// An integer that must fit an `Int` (LIMIT, DECIMAL precision and the like).
    mutating func parseInt(_ what: String) throws(Diagnostic) -> Int {
        let start = current
        let value = try parseInteger(what)
        guard let result = Int(exactly: value) else {
            throw SyntaxDiagnostics.numberOutOfRange(
                text(from: start.start, to: previous!.end), what: what,
                range: range(from: start))
        }
        return result
    }

    /// `duration := number timeUnit`, as in `30 SECONDS`.
    mutating func parseDuration(_ what: String) throws(Diagnostic) -> Duration {
        let value = try parseInteger(what)
        guard let unit = timeUnit(current) else {
            throw unexpected(expected: "a time unit such as SECONDS, MINUTES or HOURS")
        }
        advance()
        return Duration(value, unit)
    }

    /// The unit a window-unit keyword names; singular and plural spellings mean the same unit.
    func timeUnit(_ token: Token) -> TimeUnit? {
        switch token.keyword {
        case .millisecond, .milliseconds: .milliseconds
        case .second, .seconds: .seconds
        case .minute, .minutes: .minutes
        case .hour, .hours: .hours
        case .day, .days: .days
        default: nil
        }
    }

    /// `tableProperties := '(' tableProperty (',' tableProperty)* ')'`
    ///
    /// - Parameter keepQuotedNameCase: keep the case of names written as strings (connector
    ///   configuration keys such as `'connector.class'` are case-sensitive); bare names are always
    ///   upper-cased, and so are all names of source and query properties.
    mutating func parseProperties(keepQuotedNameCase: Bool = false) throws(Diagnostic) -> [Property] {
        try expect(.leftParen, "'(' to start the property list")
        var properties: [Property] = []
        repeat {
            properties.append(try parseProperty(keepQuotedNameCase: keepQuotedNameCase))
        } while accept(.comma)
        try expect(.rightParen, "',' or ')' after a property")
        return properties
    }

    /// `tableProperty := (identifier | STRING) '=' literal`; names are upper-cased.
    mutating func parseProperty(keepQuotedNameCase: Bool) throws(Diagnostic) -> Property {
        let start = current
        let name: String
        if check(.string) {
            let written = unquoted(advance())
            name = keepQuotedNameCase ? written : written.uppercased()
        } else {
            name = try parseIdentifier("a property name").value.uppercased()
        }
        try expect(.equal, "'=' after the property name")
        let value = try parseLiteral("a literal value for property \(name)")
        return Property(name: name, value: value, range: range(from: start))
    }
}
