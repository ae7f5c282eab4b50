/// The query:
///
/// ```
/// query      := SELECT selectItem (',' selectItem)* FROM relation
///               (WINDOW window)? (WHERE expression)? (GROUP BY expressionList)?
///               (PARTITION BY expressionList)? (HAVING expression)?
///               (EMIT (CHANGES | FINAL))? (LIMIT INTEGER)?
/// selectItem := '*' | identifier '.' '*' | primary '->' '*' | expression (AS? identifier)?
/// relation   := aliased (joinType JOIN aliased (WITHIN within)? ON expression)*
/// aliased    := identifier (AS? identifier)?
/// joinType   := INNER? | LEFT OUTER? | RIGHT OUTER? | FULL OUTER?
/// within     := duration (GRACE PERIOD duration)?
///             | '(' duration ',' duration ')' (GRACE PERIOD duration)?
/// window     := identifier? (TUMBLING '(' SIZE duration windowOptions ')'
///             | HOPPING '(' SIZE duration ',' ADVANCE BY duration windowOptions ')'
///             | SESSION '(' duration windowOptions ')')
/// windowOptions := (',' RETENTION duration)? (',' GRACE PERIOD duration)?
/// ```
extension Parser {
    mutating func parseQuery() throws(Diagnostic) -> Query {
        let start = try expect(.select)
        var items: [SelectItem] = []
        repeat {
            items.append(try parseSelectItem())
        } while accept(.comma)
        guard check(.from) else {
            throw unexpected(expected: items.isEmpty ? "a select item" : "',' or FROM after a select item")
        }
        advance()
        let from = try parseRelation()
        var query = Query(selectItems: items, from: from)
        if accept(.window) {
            query.window = try parseWindow()
        }
        if accept(.where) {
            query.whereClause = try parseExpression()
        }
        if check(.group) {
            advance()
            try expect(.by)
            query.groupBy = try parseGroupingList("GROUP BY")
        }
        if check(.partition) && peek().is(.by) {
            let start = current.range
            advance()
            advance()
            query.partitionBy = try parseGroupingList("PARTITION BY")
            query.partitionByRange = start.union(previous?.range ?? start)
        }
        if accept(.having) {
            query.having = try parseExpression()
        }
        if check(.emit) {
            advance()
            if accept(.changes) {
                query.emit = .changes
            } else if accept(.final) {
                query.emit = .final
            } else {
                throw unexpected(expected: "CHANGES or FINAL after EMIT")
            }
        }
        if accept(.limit) {
            query.limit = try parseInt("the LIMIT")
        }
        query.range = range(from: start)
        return query
    }

    private mutating func parseSelectItem() throws(Diagnostic) -> SelectItem {
        if accept(.star) { return .all }
        if atIdentifier && peek().kind == .dot && peek(2).kind == .star {
            let source = try parseIdentifier("a source name")
            advance()
            advance()
            return .allFrom(source)
        }
        if check(.from) {
            if previous?.kind == .comma {
                throw unexpected(expected: "a select item", help: SyntaxDiagnostics.Help.trailingComma)
            }
            throw unexpected(expected: "a select item such as '*' or a column name")
        }
        let first = current
        let expr = try parseExpression()
        if check(.arrow) && peek().kind == .star {
            guard isPrimaryForm(expr, firstToken: first) else {
                throw SyntaxDiagnostics.invalidStructStar(range: current.range)
            }
            advance()
            advance()
            return .allFieldsOf(expr)
        }
        var alias: Identifier?
        if accept(.as) {
            alias = try parseIdentifier("an alias name after AS")
        } else if atIdentifier && !startsClauseAfterSource() {
            alias = try parseIdentifier("an alias name")
        }
        return .expression(expr, alias: alias)
    }

    /// Whether an expression is a primary (column, field, subscript, call, or parenthesized).
    private func isPrimaryForm(_ expr: Expr, firstToken: Token) -> Bool {
        switch expr.kind {
        case .column, .dereference, .subscript, .functionCall, .structConstructor, .variable: return true
        default: return firstToken.kind == .leftParen && previous?.kind == .rightParen
        }
    }

    /// True when the current non-reserved word opens a clause (`EMIT CHANGES`, `PARTITION BY`)
    /// rather than naming an alias.
    private func startsClauseAfterSource() -> Bool {
        switch current.keyword {
        case .emit: [.keyword(.changes), .keyword(.final)].contains(peek().kind)
        case .partition: peek().is(.by)
        default: false
        }
    }

    /// `expressionList := valueExpr (',' valueExpr)* | '(' (valueExpr (',' valueExpr)*)? ')'`
    private mutating func parseGroupingList(_ clause: String) throws(Diagnostic) -> [Expr] {
        if check(.leftParen) && parenthesizedListAhead() {
            advance()
            var items: [Expr] = []
            if !check(.rightParen) {
                repeat {
                    items.append(try parseValueExpression())
                } while accept(.comma)
            }
            try expect(.rightParen, "',' or ')' in the \(clause) list")
            return items
        }
        var items: [Expr] = []
        repeat {
            if atEnd { throw unexpected(expected: "an expression") }
            items.append(try parseValueExpression())
        } while accept(.comma)
        return items
    }

    /// Looks from `(` to its matching `)`: true for `()` or a top-level comma inside, i.e. the
    /// parentheses hold a list rather than group one expression.
    private func parenthesizedListAhead() -> Bool {
        var level = 0
        var offset = 0
        while true {
            switch peek(offset).kind {
            case .leftParen, .leftBracket:
                level += 1
            case .rightParen, .rightBracket:
                level -= 1
                if level == 0 { return offset == 1 || sawTopLevelComma(upTo: offset) }
            case .endOfInput:
                return false
            default:
                break
            }
            offset += 1
        }
    }

    private func sawTopLevelComma(upTo closing: Int) -> Bool {
        var level = 0
        for offset in 0..<closing {
            switch peek(offset).kind {
            case .leftParen, .leftBracket: level += 1
            case .rightParen, .rightBracket: level -= 1
            case .comma where level == 1: return true
            default: break
            }
        }
        return false
    }

    // MARK: - Relations

    private mutating func parseRelation() throws(Diagnostic) -> Relation {
        var relation = try parseAliasedRelation()
        while let type = try parseJoinTypeIfPresent() {
            try grow()
            let right = try parseAliasedRelation()
            var within: JoinWindow?
            if accept(.within) {
                within = try parseJoinWindow()
            }
            guard check(.on) else {
                throw unexpected(expected: within == nil ? "WITHIN or ON after the joined source" : "ON")
            }
            advance()
            let condition = try parseExpression()
            relation = .join(Join(left: relation, right: right, type: type, within: within, condition: condition))
        }
        return relation
    }

    private mutating func parseAliasedRelation() throws(Diagnostic) -> Relation {
        let name = try parseIdentifier("a source name")
        var alias: Identifier?
        if accept(.as) {
            alias = try parseIdentifier("an alias name after AS")
        } else if atIdentifier && !startsClauseAfterSource() {
            alias = try parseIdentifier("an alias name")
        }
        return .source(name: name, alias: alias)
    }

    private mutating func parseJoinTypeIfPresent() throws(Diagnostic) -> JoinType? {
        let type: JoinType
        switch current.keyword {
        case .join:
            advance()
            return .inner
        case .inner:
            type = .inner
            advance()
        case .left:
            type = .left
            advance()
            _ = accept(.outer)
        case .right:
            type = .right
            advance()
            _ = accept(.outer)
        case .full:
            type = .full
            advance()
            _ = accept(.outer)
        default:
            return nil
        }
        try expect(.join)
        return type
    }

    private mutating func parseJoinWindow() throws(Diagnostic) -> JoinWindow {
        var window: JoinWindow
        if accept(.leftParen) {
            let before = try parseDuration("the WITHIN size before")
            try expect(.comma, "',' between the WITHIN sizes before and after")
            let after = try parseDuration("the WITHIN size after")
            try expect(.rightParen, "')' after the WITHIN sizes")
            window = JoinWindow(before: before, after: after)
        } else {
            let size = try parseDuration("the WITHIN size")
            window = JoinWindow(before: size, after: size)
        }
        if check(.grace) {
            window.grace = try parseGracePeriod()
        }
        return window
    }

    /// `GRACE PERIOD duration`
    mutating func parseGracePeriod() throws(Diagnostic) -> Duration {
        try expect(.grace)
        try expect(.period)
        return try parseDuration("the grace period")
    }

    // MARK: - Windows

    private mutating func parseWindow() throws(Diagnostic) -> WindowSpec {
        // ksqlDB accepts (and ignores) a bare name before the window kind.
        if case .identifier = current.kind { advance() }
        let kind: WindowSpec.Kind
        switch current.keyword {
        case .tumbling:
            advance()
            try expect(.leftParen, "'(' after TUMBLING")
            try expect(.size)
            kind = .tumbling(size: try parseDuration("the window size"))
        case .hopping:
            advance()
            try expect(.leftParen, "'(' after HOPPING")
            try expect(.size)
            let size = try parseDuration("the window size")
            try expect(.comma, "',' and ADVANCE BY after the window size")
            try expect(.advance)
            try expect(.by)
            kind = .hopping(size: size, advance: try parseDuration("the advance interval"))
        case .session:
            advance()
            try expect(.leftParen, "'(' after SESSION")
            kind = .session(gap: try parseDuration("the session gap"))
        default:
            throw unexpected(expected: "TUMBLING, HOPPING or SESSION after WINDOW")
        }
        var window = WindowSpec(kind: kind)
        while accept(.comma) {
            if window.retention == nil && window.grace == nil && accept(.retention) {
                window.retention = try parseDuration("the retention")
            } else if window.grace == nil && check(.grace) {
                window.grace = try parseGracePeriod()
            } else {
                throw unexpected(expected: window.grace == nil ? "RETENTION or GRACE PERIOD" : "')'")
            }
        }
        try expect(.rightParen, "')' to close the window")
        return window
    }
}
