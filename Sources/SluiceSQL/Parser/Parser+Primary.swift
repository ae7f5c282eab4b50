/// Primary expressions:
///
/// ```
/// primary := literal | ${variable}
///          | CASE valueExpr? (WHEN expression THEN expression)+ (ELSE expression)? END
///          | CAST '(' expression AS type ')'
///          | ARRAY '[' (expression (',' expression)*)? ']'
///          | MAP '(' (expression ':=' expression (',' ...)*)? ')'
///          | STRUCT '(' (identifier ':=' expression (',' ...)*)? ')'
///          | identifier '(' ('*' | DISTINCT? argument (',' argument)*)? ')'
///          | identifier ('.' identifier)?
///          | '(' expression ')'
/// argument := expression | lambda | timeUnit
/// lambda   := identifier '=>' expression | '(' identifier (',' identifier)* ')' '=>' expression
/// ```
extension Parser {
    /// Every nested construct (parentheses, CASE, CAST, constructors, calls) recurses through
    /// here, so this is where one level of nesting is counted.
    mutating func parsePrimary() throws(Diagnostic) -> Expr {
        try enter()
        defer { leave() }
        let token = current
        if let literal = parseLiteralIfPresent() {
            return Expr(.literal(literal), range: token.range)
        }
        switch token.kind {
        case .variable:
            advance()
            return Expr(.variable(variableName(token)), range: token.range)
        case .keyword(.case):
            return try parseCase()
        case .keyword(.cast):
            return try parseCast()
        case .keyword(.array) where peek().kind == .leftBracket:
            return try parseArrayConstructor()
        case .keyword(.map) where peek().kind == .leftParen:
            return try parseMapConstructor()
        case .keyword(.struct) where peek().kind == .leftParen:
            return try parseStructConstructor()
        case .leftParen:
            advance()
            let inner = try parseExpression()
            try expect(.rightParen, "')' to close the parenthesis")
            return Expr(inner.kind, range: range(from: token))
        case .star:
            throw SyntaxDiagnostics.misplacedStar(range: token.range)
        default:
            guard atIdentifier else { throw unexpected(expected: "an expression") }
            return try parseNameExpression()
        }
    }

    /// A column reference or a function call: both start with a name.
    private mutating func parseNameExpression() throws(Diagnostic) -> Expr {
        let start = current
        let name = try parseIdentifier("an expression")
        if check(.lambdaArrow) {
            throw SyntaxDiagnostics.invalidLambdaPosition(range: SourceRange(start: start.start, end: current.end))
        }
        if check(.leftParen) {
            return try parseFunctionCall(name, start: start)
        }
        if check(.dot) && peek().kind != .star {
            advance()
            let column = try parseIdentifier("a column name after '\(name.value).'")
            return Expr(.column(qualifier: name, name: column), range: range(from: start))
        }
        return Expr(.column(qualifier: nil, name: name), range: start.range)
    }

    private mutating func parseFunctionCall(_ name: Identifier, start: Token) throws(Diagnostic) -> Expr {
        try expect(.leftParen, "'('")
        if accept(.star) {
            try expect(.rightParen, "')' after '*'")
            return Expr(
                .functionCall(name: name, arguments: [], distinct: false, star: true), range: range(from: start))
        }
        let distinct = accept(.distinct)
        var arguments: [Expr] = []
        if !check(.rightParen) || distinct {
            repeat {
                arguments.append(try parseArgument())
            } while accept(.comma)
        }
        try expect(.rightParen, "',' or ')' after a function argument")
        return Expr(
            .functionCall(name: name, arguments: arguments, distinct: distinct, star: false), range: range(from: start))
    }

    /// One function argument: a lambda, a bare time unit, or an expression.
    private mutating func parseArgument() throws(Diagnostic) -> Expr {
        let token = current
        if let lambda = try parseLambdaIfPresent() { return lambda }
        if let keyword = token.keyword, keyword.isReserved, let unit = timeUnit(token),
            peek().kind == .comma || peek().kind == .rightParen
        {
            advance()
            return Expr(.intervalUnit(unit), range: token.range)
        }
        return try parseExpression()
    }

    /// `x => body` or `(x, y) => body`; nil (consuming nothing) when no lambda starts here.
    private mutating func parseLambdaIfPresent() throws(Diagnostic) -> Expr? {
        let start = current
        var parameters: [Identifier] = []
        if atIdentifier && peek().kind == .lambdaArrow {
            parameters.append(try parseIdentifier("a lambda parameter"))
        } else if check(.leftParen) && isParenthesizedLambda() {
            advance()
            repeat {
                parameters.append(try parseIdentifier("a lambda parameter name"))
            } while accept(.comma)
            try expect(.rightParen, "')' after the lambda parameters")
        } else {
            return nil
        }
        try expect(.lambdaArrow, "'=>'")
        let body = try parseExpression()
        return Expr(.lambda(parameters: parameters, body: body), range: range(from: start))
    }

    /// Looks ahead over `( name (, name)* ) =>` without consuming anything.
    private func isParenthesizedLambda() -> Bool {
        var offset = 1
        while true {
            guard isIdentifier(peek(offset)) else { return false }
            offset += 1
            if peek(offset).kind == .comma {
                offset += 1
                continue
            }
            return peek(offset).kind == .rightParen && peek(offset + 1).kind == .lambdaArrow
        }
    }

    private mutating func parseCase() throws(Diagnostic) -> Expr {
        let start = try expect(.case)
        var operand: Expr?
        if !check(.when) {
            operand = try parseValueExpression()
        }
        var whens: [WhenClause] = []
        while accept(.when) {
            let condition = try parseExpression()
            try expect(.then)
            let result = try parseExpression()
            whens.append(WhenClause(condition: condition, result: result))
        }
        if whens.isEmpty {
            throw unexpected(expected: operand == nil ? "WHEN after CASE" : "WHEN after the CASE operand")
        }
        var elseValue: Expr?
        if accept(.else) {
            elseValue = try parseExpression()
        }
        guard check(.end) else {
            throw unexpected(expected: elseValue == nil ? "WHEN, ELSE or END" : "END to close the CASE")
        }
        advance()
        if let operand {
            return Expr(.simpleCase(operand: operand, whens: whens, elseValue: elseValue), range: range(from: start))
        }
        return Expr(.searchedCase(whens: whens, elseValue: elseValue), range: range(from: start))
    }

    private mutating func parseCast() throws(Diagnostic) -> Expr {
        let start = try expect(.cast)
        try expect(.leftParen, "'(' after CAST")
        let value = try parseExpression()
        try expect(.as)
        let type = try parseType()
        try expect(.rightParen, "')' to close CAST")
        return Expr(.cast(value, type), range: range(from: start))
    }

    private mutating func parseArrayConstructor() throws(Diagnostic) -> Expr {
        let start = try expect(.array)
        try expect(.leftBracket, "'['")
        var items: [Expr] = []
        if !check(.rightBracket) {
            repeat {
                items.append(try parseExpression())
            } while accept(.comma)
        }
        try expect(.rightBracket, "',' or ']' in the ARRAY")
        return Expr(.arrayConstructor(items), range: range(from: start))
    }

    private mutating func parseMapConstructor() throws(Diagnostic) -> Expr {
        let start = try expect(.map)
        try expect(.leftParen, "'('")
        var entries: [MapEntryExpr] = []
        if !check(.rightParen) {
            repeat {
                let key = try parseExpression()
                guard check(.assign) else {
                    throw unexpected(
                        expected: "':=' between a MAP key and its value", help: SyntaxDiagnostics.Help.mapEntry)
                }
                advance()
                let value = try parseExpression()
                entries.append(MapEntryExpr(key: key, value: value))
            } while accept(.comma)
        }
        try expect(.rightParen, "',' or ')' in the MAP")
        return Expr(.mapConstructor(entries), range: range(from: start))
    }

    private mutating func parseStructConstructor() throws(Diagnostic) -> Expr {
        let start = try expect(.struct)
        try expect(.leftParen, "'('")
        var fields: [StructFieldExpr] = []
        if !check(.rightParen) {
            repeat {
                let name = try parseIdentifier("a field name")
                guard check(.assign) else {
                    throw unexpected(
                        expected: "':=' between a STRUCT field name and its value",
                        help: SyntaxDiagnostics.Help.structField)
                }
                advance()
                let value = try parseExpression()
                fields.append(StructFieldExpr(name: name, value: value))
            } while accept(.comma)
        }
        try expect(.rightParen, "',' or ')' in the STRUCT")
        return Expr(.structConstructor(fields), range: range(from: start))
    }
}
