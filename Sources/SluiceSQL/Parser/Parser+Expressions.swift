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
extension Parser {
    mutating func parseExpression() throws(Diagnostic) -> Expr {
        try enter()
        defer { leave() }
        return try parseOr()
    }

    private mutating func parseOr() throws(Diagnostic) -> Expr {
        let saved = depth
        defer { depth = saved }
        var left = try parseAnd()
        while accept(.or) {
            try grow()
            let right = try parseAnd()
            left = Expr(.logical(.or, left, right), range: left.range.union(right.range))
        }
        return left
    }

    private mutating func parseAnd() throws(Diagnostic) -> Expr {
        let saved = depth
        defer { depth = saved }
        var left = try parseNot()
        while accept(.and) {
            try grow()
            let right = try parseNot()
            left = Expr(.logical(.and, left, right), range: left.range.union(right.range))
        }
        return left
    }

    private mutating func parseNot() throws(Diagnostic) -> Expr {
        guard check(.not) else { return try parsePredicated() }
        let start = advance()
        try enter()
        defer { leave() }
        let operand = try parseNot()
        return Expr(.unary(.not, operand), range: SourceRange(start: start.start, end: operand.range.end))
    }

    private mutating func parsePredicated() throws(Diagnostic) -> Expr {
        let value = try parseValueExpression()
        let start = value.range.start
        if let op = comparisonOperator(current.kind) {
            advance()
            let right = try parseValueExpression()
            return Expr(.comparison(op, value, right), range: range(from: start))
        }
        switch current.kind {
        case .keyword(.not):
            switch peek().kind {
            case .keyword(.between), .keyword(.in), .keyword(.like):
                advance()
                return try parseNegatablePredicate(value, negated: true)
            default:
                return value
            }
        case .keyword(.between), .keyword(.in), .keyword(.like):
            return try parseNegatablePredicate(value, negated: false)
        case .keyword(.is):
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
        default:
            return value
        }
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

    /// `valueExpr`: arithmetic and concatenation, without comparisons or boolean logic.
    mutating func parseValueExpression() throws(Diagnostic) -> Expr {
        let saved = depth
        defer { depth = saved }
        var left = try parseAdditive()
        while accept(.concat) {
            try grow()
            let right = try parseAdditive()
            left = Expr(.binary(.concat, left, right), range: left.range.union(right.range))
        }
        return left
    }

    private mutating func parseAdditive() throws(Diagnostic) -> Expr {
        let saved = depth
        defer { depth = saved }
        var left = try parseMultiplicative()
        while true {
            let op: BinaryOperator
            switch current.kind {
            case .plus: op = .add
            case .minus: op = .subtract
            default: return left
            }
            advance()
            try grow()
            let right = try parseMultiplicative()
            left = Expr(.binary(op, left, right), range: left.range.union(right.range))
        }
    }

    private mutating func parseMultiplicative() throws(Diagnostic) -> Expr {
        let saved = depth
        defer { depth = saved }
        var left = try parseUnary()
        while true {
            let op: BinaryOperator
            switch current.kind {
            case .star: op = .multiply
            case .slash: op = .divide
            case .percent: op = .modulo
            default: return left
            }
            advance()
            try grow()
            let right = try parseUnary()
            left = Expr(.binary(op, left, right), range: left.range.union(right.range))
        }
    }

    /// A sign directly before a number is part of the literal (`-5` is the literal -5, as in
    /// ksqlDB's `number` rule); before anything else it is a unary operator.
    private mutating func parseUnary() throws(Diagnostic) -> Expr {
        let token = current
        let op: UnaryOperator
        switch token.kind {
        case .minus:
            if let literal = parseNegativeNumberIfPresent() {
                return try parsePostfix(Expr(.literal(literal), range: range(from: token)))
            }
            op = .minus
        case .plus:
            op = .plus
        default:
            return try parsePostfix(try parsePrimary())
        }
        advance()
        try enter()
        defer { leave() }
        let operand = try parseUnary()
        return Expr(.unary(op, operand), range: SourceRange(start: token.start, end: operand.range.end))
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
                try enter()
                let index = try parseValueExpression()
                leave()
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
