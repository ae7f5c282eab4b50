/// Statement dispatch and the small statements (SHOW, DESCRIBE, TERMINATE, PRINT, SET ...).
///
/// ```
/// statement := query | createStatement | insertStatement | dropStatement | alterStatement
///            | assertStatement | (SHOW | LIST) showTarget | DESCRIBE describeTarget
///            | EXPLAIN (statement | identifier) | PRINT resourceName printClause
///            | (TERMINATE | PAUSE | RESUME) (identifier | ALL)
///            | SET STRING '=' STRING | UNSET STRING | ALTER SYSTEM STRING '=' STRING
///            | DEFINE identifier '=' STRING | UNDEFINE identifier | RUN SCRIPT STRING
/// ```
extension Parser {
    /// Parses one statement and requires the input to end after it (trailing ';'s allowed).
    mutating func parseSingleStatement() throws(Diagnostic) -> Statement {
        if atEnd || (check(.semicolon) && peek().kind == .endOfInput) {
            if let lexical = lexicalError(current) { throw lexical }
            throw SyntaxDiagnostics.emptyStatement(range: current.range)
        }
        let statement = try parseStatement()
        if accept(.semicolon) {
            while accept(.semicolon) {}
            if !atEnd { throw SyntaxDiagnostics.multipleStatements(range: current.range) }
        } else if !atEnd {
            if let lexical = lexicalError(current) { throw lexical }
            throw SyntaxDiagnostics.trailingInput(found: describe(current), range: current.range)
        }
        return statement
    }

    mutating func parseStatement() throws(Diagnostic) -> Statement {
        let token = current
        switch token.keyword {
        case .select: return .select(try parseQuery())
        case .create: return try parseCreate()
        case .insert: return try parseInsert()
        case .drop: return try parseDrop()
        case .alter: return try parseAlter()
        case .assert: return try parseAssert()
        case .show, .list: return try parseShow()
        case .describe: return try parseDescribe()
        case .explain: return try parseExplain()
        case .print: return try parsePrint()
        case .terminate, .pause, .resume: return try parseQueryControl()
        case .set: return try parseSet()
        case .unset:
            advance()
            return .unsetProperty(name: try parseString("a property name in quotes after UNSET"))
        case .define: return try parseDefine()
        case .undefine:
            advance()
            return .undefineVariable(name: try parseVariableName())
        case .run:
            advance()
            try expect(.script)
            return .runScript(path: try parseString("the script path in quotes"))
        default:
            if let lexical = lexicalError(token) { throw lexical }
            let word = text(token)
            throw SyntaxDiagnostics.unknownStatement(
                "'\(word)'", suggestion: Parser.nearestStatementKeyword(to: word), range: token.range)
        }
    }

    // MARK: - SHOW / LIST

    private mutating func parseShow() throws(Diagnostic) -> Statement {
        let verb = text(advance()).uppercased()
        let token = current
        let target: ShowTarget
        var extendable = false
        switch token.keyword {
        case .properties: target = .properties
        case .all:
            advance()
            guard check(.topics) else { throw unexpected(expected: "TOPICS after \(verb) ALL") }
            target = .allTopics
            extendable = true
        case .topics:
            target = .topics
            extendable = true
        case .streams:
            target = .streams
            extendable = true
        case .tables:
            target = .tables
            extendable = true
        case .queries:
            target = .queries
            extendable = true
        case .functions: target = .functions
        case .types: target = .types
        case .variables: target = .variables
        case .connectors: target = .connectors
        case .source, .sink:
            advance()
            guard check(.connectors) else { throw unexpected(expected: "CONNECTORS") }
            target = token.is(.source) ? .sourceConnectors : .sinkConnectors
        case .connector:
            advance()
            guard check(.plugins) else { throw unexpected(expected: "PLUGINS after CONNECTOR") }
            target = .connectorPlugins
        default:
            throw unexpected(
                expected: "what to list, such as STREAMS, TABLES, TOPICS, QUERIES, PROPERTIES or FUNCTIONS")
        }
        advance()
        let extended = extendable && accept(.extended)
        return .show(target, extended: extended)
    }

    // MARK: - DESCRIBE / EXPLAIN / PRINT

    private mutating func parseDescribe() throws(Diagnostic) -> Statement {
        try expect(.describe)
        switch current.keyword {
        case .streams:
            advance()
            return .describe(name: nil, listKind: .stream, extended: accept(.extended))
        case .tables where peek().kind == .endOfInput || peek().kind == .semicolon || peek().is(.extended):
            advance()
            return .describe(name: nil, listKind: .table, extended: accept(.extended))
        case .function where isIdentifier(peek()):
            advance()
            return .describeFunction(try parseIdentifier("a function name"))
        case .connector where isIdentifier(peek()):
            advance()
            return .describeConnector(try parseIdentifier("a connector name"))
        default:
            let name = try parseIdentifier("a stream or table name, STREAMS, TABLES or FUNCTION")
            return .describe(name: name, listKind: nil, extended: accept(.extended))
        }
    }

    private mutating func parseExplain() throws(Diagnostic) -> Statement {
        try expect(.explain)
        try enter()
        defer { leave() }
        if startsStatement(current) {
            let statement = try parseStatement()
            return .explainStatement(statement)
        }
        return .explainQuery(try parseIdentifier("a statement or a query id after EXPLAIN").value)
    }

    /// Whether a token begins a statement (used by EXPLAIN to tell a statement from a query id).
    private func startsStatement(_ token: Token) -> Bool {
        switch token.keyword {
        case .select, .create, .insert, .drop, .show, .list, .describe, .print, .terminate, .set, .unset,
            .define, .undefine, .run, .explain:
            return true
        case .alter, .assert, .pause, .resume:
            // Non-reserved: a query id could be spelled like them; a statement needs a second word.
            return !(peek().kind == .endOfInput || peek().kind == .semicolon)
        default:
            return false
        }
    }

    private mutating func parsePrint() throws(Diagnostic) -> Statement {
        try expect(.print)
        let topic = try parseResourceName("a topic name")
        var print = PrintTopic(topic: topic, fromBeginning: false)
        if accept(.from) {
            try expect(.beginning)
            print.fromBeginning = true
        }
        if accept(.interval) || accept(.sample) {
            print.interval = try parseInt("the INTERVAL")
        }
        if accept(.limit) {
            print.limit = try parseInt("the LIMIT")
        }
        return .printTopic(print)
    }

    // MARK: - TERMINATE / PAUSE / RESUME

    private mutating func parseQueryControl() throws(Diagnostic) -> Statement {
        let verb = advance()
        var queryID: String?
        if !accept(.all) {
            queryID = try parseIdentifier("a query id or ALL").value
        }
        switch verb.keyword {
        case .pause: return .pause(queryID: queryID)
        case .resume: return .resume(queryID: queryID)
        default: return .terminate(queryID: queryID)
        }
    }

    // MARK: - SET / DEFINE

    private mutating func parseSet() throws(Diagnostic) -> Statement {
        try expect(.set)
        let name = try parseString("a property name in quotes, as in SET 'auto.offset.reset' = 'earliest'")
        try expect(.equal, "'=' after the property name")
        let value = try parseString("a property value in quotes")
        return .setProperty(name: name, value: value)
    }

    private mutating func parseDefine() throws(Diagnostic) -> Statement {
        try expect(.define)
        let name = try parseVariableName()
        try expect(.equal, "'=' after the variable name")
        let value = try parseString("the variable's value in quotes")
        return .defineVariable(name: name, value: value)
    }

    /// A variable name keeps its case as written.
    private mutating func parseVariableName() throws(Diagnostic) -> String {
        let token = current
        switch token.kind {
        case .identifier:
            advance()
            return text(token)
        case .keyword(let keyword) where !keyword.isReserved:
            advance()
            return text(token)
        default:
            throw unexpected(expected: "a variable name")
        }
    }

    // MARK: - Suggestions

    static let statementKeywords: [Keyword] = [
        .select, .create, .insert, .drop, .alter, .assert, .show, .list, .describe, .explain, .print, .terminate,
        .pause, .resume, .set, .unset, .define, .undefine, .run,
    ]

    /// The statement keyword closest to a mistyped word, if it is close enough to be a likely typo.
    static func nearestStatementKeyword(to word: String) -> String? {
        let upper = Array(word.uppercased().utf8)
        guard upper.count >= 2 && upper.count <= 12 else { return nil }
        var best: (String, Int)?
        for keyword in statementKeywords {
            let distance = editDistance(upper, Array(keyword.rawValue.utf8))
            if distance <= Swift.max(1, upper.count / 3) && distance < (best?.1 ?? Int.max) {
                best = (keyword.rawValue, distance)
            }
        }
        return best?.0
    }

    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousRow = Array(0...b.count)
        var row = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            row[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                row[j] = Swift.min(previousRow[j] + 1, row[j - 1] + 1, previousRow[j - 1] + cost)
            }
            swap(&previousRow, &row)
        }
        return previousRow[b.count]
    }
}
