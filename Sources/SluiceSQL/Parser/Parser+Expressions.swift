/// Expressions, from loosest to tightest binding:
///
/// ```
/// expression     := orExpr
/// orExpr         := andExpr (OR andExpr)*
/// andExpr        := notExpr (AND notExpr)*
/// notExpr        := NOT notExpr | predicated
/// predicated     := valueExpr predicate?                  -- at most one predicate, as in ksqlDB
/// predicate      := compareOp valueExpr
///                 | NOT? BETWEEN valueExpr AND valueExpr
///                 | NOT? IN '(' expression (',' expression)* ')'
///                 | NOT? LIKE valueExpr (ESCAPE STRING)?
///                 | IS NOT? NULL | IS NOT? DISTINCT FROM valueExpr
/// valueExpr      := additive ('||' additive)*
/// additive       := multiplicative (('+' | '-') multiplicative)*
/// multiplicative := unary (('*' | '/' | '%') unary)*
/// unary          := ('-' | '+') unary | postfix
/// postfix        := primary ('[' valueExpr ']' | '->' identifier)*
/// ```
///
/// The binary levels are parsed by precedence climbing (``parseBinary(minimum:)``) rather than
/// one function per level: the grammar above is what it accepts, but a parenthesis costs four
/// stack frames instead of eleven, which keeps the nesting limit far from the stack's end even
/// on small threads and in debug builds.
extension Parser {
    /// Binding strength of the operator levels, loosest first.
    enum Precedence: Int, Comparable {
        case or = 1, and, not, predicate, concat, additive, multiplicative, sign

        static func < (lhs: Precedence, rhs: Precedence) -> Bool { lhs.rawValue < rhs.rawValue }

        /// The level just above, for the right operand of a left-associative operator.
        var tighter: Precedence { Precedence(rawValue: rawValue + 1) ?? .sign }
    }

    /// `expression`: anything, including boolean logic.
    mutating func parseExpression() throws(Diagnostic) -> Expr {
        try parseBinary(minimum: .or)
    }

    /// `valueExpr`: arithmetic and concatenation, without comparisons or boolean logic.
    mutating func parseValueExpression() throws(Diagnostic) -> Expr {
        try parseBinary(minimum: .concat)
    }

    /// Parses operators binding at least as tightly as `minimum`, left-associatively.
    private mutating func parseBinary(minimum: Precedence) throws(Diagnostic) -> Expr {
        let saved = depth
        defer { depth = saved }
        var left = try parsePrefix(minimum: minimum)
        var sawPredicate = false
        while let precedence = infixPrecedence(), precedence >= minimum {
            // ksqlDB allows one predicate per operand, and only AND or OR after it: `a = b = c`
            // and `a IS NULL + 1` need parentheses.
            if sawPredicate && precedence >= .predicate {
                throw SyntaxDiagnostics.chainedComparison(text(current), range: current.range)
            }
            if precedence == .predicate {
                sawPredicate = true
                try grow()
                left = try parsePredicate(left)
                continue
            }
            let operatorToken = advance()
            try grow()
            let right = try parseBinary(minimum: precedence.tighter)
            left = Expr(combine(operatorToken.kind, left, right), range: left.range.union(right.range))
        }
        return left
    }

    /// The level of the infix operator at the cursor, if any.
    private func infixPrecedence() -> Precedence? {
        switch current.kind {
        case .keyword(.or): return .or
        case .keyword(.and): return .and
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return .predicate
        case .keyword(.between), .keyword(.in), .keyword(.like), .keyword(.is): return .predicate
        case .keyword(.not):
            switch peek().kind {
            case .keyword(.between), .keyword(.in), .keyword(.like): return .predicate
            default: return nil
            }
        case .concat: return .concat
        case .plus, .minus: return .additive
        case .star, .slash, .percent: return .multiplicative
        default: return nil
        }
    }

    private func combine(_ kind: TokenKind, _ left: Expr, _ right: Expr) -> Expr.Kind {
        switch kind {
        case .keyword(.or): .logical(.or, left, right)
        case .keyword(.and): .logical(.and, left, right)
        case .concat: .binary(.concat, left, right)
        case .plus: .binary(.add, left, right)
        case .minus: .binary(.subtract, left, right)
        case .star: .binary(.multiply, left, right)
        case .slash: .binary(.divide, left, right)
        default: .binary(.modulo, left, right)
        }
    }

    /// `NOT operand` (where boolean logic is allowed), a sign, or a postfix expression.
    ///
    /// A sign directly before a number is part of the literal (`-5` is the literal -5, as in
    /// ksqlDB's `number` rule); before anything else it is a unary operator.
    private mutating func parsePrefix(minimum: Precedence) throws(Diagnostic) -> Expr {
        let token = current
        let op: UnaryOperator
        let operandMinimum: Precedence
        switch token.kind {
        case .keyword(.not) where minimum <= .not:
            op = .not
            operandMinimum = .not
        case .minus:
            if let literal = parseNegativeNumberIfPresent() {
                return try parsePostfix(Expr(.literal(literal), range: range(from: token)))
            }
            op = .minus
            operandMinimum = .sign
        case .plus:
            op = .plus
            operandMinimum = .sign
        default:
            return try parsePostfix(try parsePrimary())
        }
        advance()
        try enter()
        defer { leave() }
        let operand =
            operandMinimum == .sign ? try parsePrefix(minimum: .sign) : try parseBinary(minimum: operandMinimum)
        return Expr(.unary(op, operand), range: SourceRange(start: token.start, end: operand.range.end))
    }

    /// One predicate after its left operand.
    private mutating func parsePredicate(_ value: Expr) throws(Diagnostic) -> Expr {
        let start = value.range.start
        if let op = comparisonOperator(current.kind) {
            advance()
            let right = try parseValueExpression()
            return Expr(.comparison(op, value, right), range: range(from: start))
        }
        if accept(.not) {
            return try parseNegatablePredicate(value, negated: true)
        }
        if check(.is) {
            advance()
            let negated = accept(.not)
            if accept(.null) {
                return Expr(.isNull(value, negated: negated), range: range(from: start))
            }
            guard check(.distinct) else {
                throw unexpected(expected: negated ? "NULL or DISTINCT FROM after 'IS NOT'" : "NULL, NOT or DISTINCT")
            }
            advance()
            try expect(.from)
            let right = try parseValueExpression()
            return Expr(.isDistinctFrom(value, right, negated: negated), range: range(from: start))
        }
        return try parseNegatablePredicate(value, negated: false)
    }

    private mutating func parseNegatablePredicate(_ value: Expr, negated: Bool) throws(Diagnostic) -> Expr {
        let start = value.range.start
        if accept(.between) {
            let low = try parseValueExpression()
            try expect(.and)
            let high = try parseValueExpression()
            return Expr(.between(value, low: low, high: high, negated: negated), range: range(from: start))
        }
        if accept(.in) {
            try expect(.leftParen, "'(' to start the IN list")
            try enter()
            defer { leave() }
            var items: [Expr] = []
            repeat {
                items.append(try parseExpression())
            } while accept(.comma)
            try expect(.rightParen, "',' or ')' in the IN list")
            return Expr(.inList(value, items, negated: negated), range: range(from: start))
        }
        try expect(.like)
        let pattern = try parseValueExpression()
        var escape: Expr?
        if accept(.escape) {
            let token = current
            let text = try parseString("a string with the escape character after ESCAPE")
            escape = Expr(.literal(.string(text)), range: token.range)
        }
        return Expr(.like(value, pattern: pattern, escape: escape, negated: negated), range: range(from: start))
    }

    private func comparisonOperator(_ kind: TokenKind) -> ComparisonOperator? {
        switch kind {
        case .equal: .equal
        case .notEqual: .notEqual
        case .less: .less
        case .lessOrEqual: .lessOrEqual
        case .greater: .greater
        case .greaterOrEqual: .greaterOrEqual
        default: nil
        }
    }

    private mutating func parseNegativeNumberIfPresent() -> Literal? {
        switch peek().kind {
        case .integer, .decimal, .double: return parseLiteralIfPresent()
        default: return nil
        }
    }

    /// `primary ('[' valueExpr ']' | '->' identifier)*`; stops before `->*`, which only a select
    /// item may use.
    mutating func parsePostfix(_ base: Expr) throws(Diagnostic) -> Expr {
        let saved = depth
        defer { depth = saved }
        var result = base
        while true {
            if check(.leftBracket) {
                advance()
                try grow()
                let index = try parseValueExpression()
                try expect(.rightBracket, "']' to close the subscript")
                result = Expr(.subscript(result, index: index), range: range(from: result.range.start))
            } else if check(.arrow) && peek().kind != .star {
                advance()
                try grow()
                let field = try parseIdentifier("a field name after '->'")
                result = Expr(.dereference(result, field: field), range: range(from: result.range.start))
            } else {
                return result
            }
        }
    }
}
