/// DDL and DML: CREATE, INSERT, DROP, ALTER and the ASSERT statements.
///
/// ```
/// create       := CREATE (OR REPLACE)? SOURCE? (STREAM | TABLE) (IF NOT EXISTS)? identifier
///                   tableElements? (WITH properties)?
///               | CREATE (OR REPLACE)? (STREAM | TABLE) (IF NOT EXISTS)? identifier
///                   (WITH properties)? AS query
///               | CREATE (SOURCE | SINK) CONNECTOR (IF NOT EXISTS)? identifier WITH properties
///               | CREATE TYPE (IF NOT EXISTS)? identifier AS type
/// tableElement := identifier type (PRIMARY? KEY | HEADERS | HEADER '(' STRING ')')?
/// insert       := INSERT INTO identifier (WITH properties)? query
///               | INSERT INTO identifier ('(' identifier (',' identifier)* ')')? VALUES values
/// values       := '(' (valueExpr (',' valueExpr)*)? ')'
/// drop         := DROP (STREAM | TABLE) (IF EXISTS)? identifier (DELETE TOPIC)?
///               | DROP (CONNECTOR | TYPE) (IF EXISTS)? identifier
/// alter        := ALTER (STREAM | TABLE) identifier ADD COLUMN? identifier type (',' ADD ...)*
/// ```
extension Parser {
    // MARK: - CREATE

    mutating func parseCreate() throws(Diagnostic) -> Statement {
        try expect(.create)
        var orReplace = false
        if accept(.or) {
            try expect(.replace)
            orReplace = true
        }
        var isSource = false
        switch current.keyword {
        case .type where !orReplace:
            return try parseCreateType()
        case .sink where !orReplace:
            return try parseCreateConnector()
        case .source where !orReplace && peek().is(.connector):
            return try parseCreateConnector()
        case .source:
            advance()
            isSource = true
        default:
            break
        }
        let kind: SourceKind
        if accept(.stream) {
            kind = .stream
        } else if accept(.table) {
            kind = .table
        } else {
            throw unexpected(
                expected: isSource
                    ? "STREAM, TABLE or CONNECTOR after CREATE SOURCE"
                    : orReplace ? "STREAM or TABLE" : "STREAM, TABLE, TYPE or a connector kind after CREATE")
        }
        let ifNotExists = try parseIfNotExists()
        let name = try parseIdentifier(kind == .stream ? "a stream name" : "a table name")
        var elements: [TableElement] = []
        if check(.leftParen) {
            elements = try parseTableElements()
        }
        var properties: [Property] = []
        if accept(.with) {
            properties = try parseProperties()
        }
        if !isSource && elements.isEmpty && check(.as) {
            advance()
            let query = try parseQuery()
            return .createAsSelect(
                CreateAsSelect(
                    kind: kind, name: name, properties: properties, query: query, orReplace: orReplace,
                    ifNotExists: ifNotExists))
        }
        if check(.as) {
            throw unexpected(
                expected: isSource ? "the end of CREATE SOURCE (it cannot have AS SELECT)" : "the end of the statement",
                help: SyntaxDiagnostics.Help.asSelectWithColumns)
        }
        return .createSource(
            CreateSource(
                kind: kind, name: name, elements: elements, properties: properties, orReplace: orReplace,
                ifNotExists: ifNotExists, isSource: isSource))
    }

    private mutating func parseIfNotExists() throws(Diagnostic) -> Bool {
        guard check(.if) && (peek().is(.not) || peek().is(.exists)) else { return false }
        advance()
        try expect(.not)
        try expect(.exists)
        return true
    }

    private mutating func parseIfExists() throws(Diagnostic) -> Bool {
        guard check(.if) && peek().is(.exists) else { return false }
        advance()
        advance()
        return true
    }

    private mutating func parseCreateType() throws(Diagnostic) -> Statement {
        try expect(.type)
        let ifNotExists = try parseIfNotExists()
        let name = try parseIdentifier("a type name")
        try expect(.as)
        let type = try parseType()
        return .createType(name: name, type: type, ifNotExists: ifNotExists)
    }

    private mutating func parseCreateConnector() throws(Diagnostic) -> Statement {
        let kind: ConnectorKind = advance().is(.sink) ? .sink : .source
        try expect(.connector)
        let ifNotExists = try parseIfNotExists()
        let name = try parseIdentifier("a connector name")
        try expect(.with)
        let properties = try parseProperties(keepQuotedNameCase: true)
        return .createConnector(
            CreateConnector(kind: kind, name: name, properties: properties, ifNotExists: ifNotExists))
    }

    /// `'(' tableElement (',' tableElement)* ')'`
    mutating func parseTableElements() throws(Diagnostic) -> [TableElement] {
        try expect(.leftParen, "'(' to start the column list")
        var elements: [TableElement] = []
        repeat {
            elements.append(try parseTableElement())
        } while accept(.comma)
        try expect(.rightParen, "',' or ')' after a column definition")
        return elements
    }

    private mutating func parseTableElement() throws(Diagnostic) -> TableElement {
        let name = try parseIdentifier(previous?.kind == .comma ? "a column name after ','" : "a column name")
        guard !check(.comma) && !check(.rightParen) else {
            throw unexpected(expected: "a type for column \(name.value)")
        }
        let type = try parseType()
        var constraint = ColumnConstraint.none
        switch current.keyword {
        case .key:
            advance()
            constraint = .key
        case .primary:
            advance()
            try expect(.key)
            constraint = .primaryKey
        case .headers:
            advance()
            constraint = .headers
        case .header:
            advance()
            try expect(.leftParen, "'(' and the header key after HEADER")
            let key = try parseString("the header key in quotes")
            try expect(.rightParen, "')' after the header key")
            constraint = .header(key)
        default:
            break
        }
        return TableElement(name: name, type: type, constraint: constraint)
    }

    // MARK: - INSERT

    mutating func parseInsert() throws(Diagnostic) -> Statement {
        try expect(.insert)
        try expect(.into)
        let target = try parseIdentifier("a stream or table name after INSERT INTO")
        if accept(.with) {
            let properties = try parseProperties()
            let query = try parseQuery()
            return .insertIntoWithProperties(target: target, properties: properties, query: query)
        }
        if check(.select) {
            return .insertInto(target: target, query: try parseQuery())
        }
        let insert = try parseValuesTail(target: target, keyword: .values)
        return .insertValues(insert)
    }

    /// `('(' columns ')')? KEYWORD '(' values ')'` after the target of INSERT INTO or ASSERT VALUES.
    private mutating func parseValuesTail(target: Identifier, keyword: Keyword) throws(Diagnostic) -> InsertValues {
        var columns: [Identifier] = []
        if accept(.leftParen) {
            repeat {
                columns.append(try parseIdentifier("a column name"))
            } while accept(.comma)
            try expect(.rightParen, "',' or ')' in the column list")
        }
        guard check(keyword) else {
            throw unexpected(
                expected: keyword == .values
                    ? (columns.isEmpty ? "SELECT, VALUES or a column list" : "VALUES after the column list")
                    : "\(keyword.rawValue)")
        }
        advance()
        try expect(.leftParen, "'(' to start the values")
        var values: [Expr] = []
        if !check(.rightParen) {
            repeat {
                values.append(try parseValueExpression())
            } while accept(.comma)
        }
        try expect(.rightParen, "',' or ')' after a value")
        return InsertValues(target: target, columns: columns, values: values)
    }

    // MARK: - DROP / ALTER

    mutating func parseDrop() throws(Diagnostic) -> Statement {
        try expect(.drop)
        switch current.keyword {
        case .stream, .table:
            let kind: SourceKind = advance().is(.stream) ? .stream : .table
            let ifExists = try parseIfExists()
            let name = try parseIdentifier(kind == .stream ? "a stream name" : "a table name")
            var deleteTopic = false
            if accept(.delete) {
                try expect(.topic)
                deleteTopic = true
            }
            return .dropSource(kind: kind, name: name, ifExists: ifExists, deleteTopic: deleteTopic)
        case .connector:
            advance()
            let ifExists = try parseIfExists()
            return .dropConnector(name: try parseIdentifier("a connector name"), ifExists: ifExists)
        case .type:
            advance()
            let ifExists = try parseIfExists()
            return .dropType(name: try parseIdentifier("a type name"), ifExists: ifExists)
        default:
            throw unexpected(expected: "STREAM, TABLE, TYPE or CONNECTOR after DROP")
        }
    }

    mutating func parseAlter() throws(Diagnostic) -> Statement {
        try expect(.alter)
        if accept(.system) {
            let name = try parseString("a property name in quotes after ALTER SYSTEM")
            try expect(.equal, "'=' after the property name")
            let value = try parseString("a property value in quotes")
            return .alterSystem(name: name, value: value)
        }
        let kind: SourceKind
        if accept(.stream) {
            kind = .stream
        } else if accept(.table) {
            kind = .table
        } else {
            throw unexpected(expected: "STREAM, TABLE or SYSTEM after ALTER")
        }
        let name = try parseIdentifier(kind == .stream ? "a stream name" : "a table name")
        var columns: [TableElement] = []
        repeat {
            try expect(.add)
            _ = accept(.column)
            let column = try parseIdentifier("a column name")
            let type = try parseType()
            columns.append(TableElement(name: column, type: type))
        } while accept(.comma)
        return .alterSource(kind: kind, name: name, addColumns: columns)
    }

    // MARK: - ASSERT

    mutating func parseAssert() throws(Diagnostic) -> Statement {
        try expect(.assert)
        switch current.keyword {
        case .values:
            advance()
            let target = try parseIdentifier("a stream or table name")
            return .assert(.values(try parseValuesTail(target: target, keyword: .values)))
        case .null:
            advance()
            try expect(.values)
            let target = try parseIdentifier("a stream or table name")
            return .assert(.nullValues(try parseValuesTail(target: target, keyword: .key)))
        case .stream, .table:
            let kind: SourceKind = advance().is(.stream) ? .stream : .table
            let name = try parseIdentifier(kind == .stream ? "a stream name" : "a table name")
            var elements: [TableElement] = []
            if check(.leftParen) {
                elements = try parseTableElements()
            }
            var properties: [Property] = []
            if accept(.with) {
                properties = try parseProperties()
            }
            return .assert(.source(CreateSource(kind: kind, name: name, elements: elements, properties: properties)))
        default:
            var exists = true
            if accept(.not) {
                try expect(.exists)
                exists = false
            }
            if accept(.topic) {
                let name = try parseResourceName("a topic name")
                var properties: [Property] = []
                if accept(.with) {
                    properties = try parseProperties()
                }
                let timeout = try parseTimeoutIfPresent()
                return .assert(.topic(name: name, properties: properties, exists: exists, timeout: timeout))
            }
            if accept(.schema) {
                var subject: String?
                var id: Int?
                if accept(.subject) {
                    subject = try parseResourceName("a subject name")
                }
                if accept(.id) {
                    id = try parseInt("the schema id")
                }
                let timeout = try parseTimeoutIfPresent()
                return .assert(.schema(subject: subject, id: id, exists: exists, timeout: timeout))
            }
            throw unexpected(
                expected: exists
                    ? "TOPIC, SCHEMA, VALUES, NULL VALUES, STREAM or TABLE after ASSERT"
                    : "TOPIC or SCHEMA after ASSERT NOT EXISTS")
        }
    }

    private mutating func parseTimeoutIfPresent() throws(Diagnostic) -> Duration? {
        guard accept(.timeout) else { return nil }
        return try parseDuration("the timeout")
    }
}
