/// One parsed statement plus the source text it came from.
public struct ParsedStatement: Sendable {
    public var statement: Statement
    /// The statement's own text (without the trailing ';'), as written.
    public var text: String
    /// Where the statement starts in the script it was parsed from.
    public var range: SourceRange

    public init(statement: Statement, text: String, range: SourceRange) {
        self.statement = statement
        self.text = text
        self.range = range
    }
}

public enum SourceKind: String, Hashable, Sendable {
    case stream = "STREAM"
    case table = "TABLE"
}

/// Every statement of the ksqlDB dialect.
public indirect enum Statement: Hashable, Sendable {
    case createSource(CreateSource)
    case createAsSelect(CreateAsSelect)
    case insertInto(target: Identifier, query: Query)
    case insertValues(InsertValues)
    /// A push (`EMIT CHANGES`) or pull query.
    case select(Query)
    case dropSource(kind: SourceKind, name: Identifier, ifExists: Bool, deleteTopic: Bool)
    /// `TERMINATE id`; nil means `TERMINATE ALL`.
    case terminate(queryID: String?)
    case pause(queryID: String?)
    case resume(queryID: String?)
    case show(ShowTarget, extended: Bool)
    /// `DESCRIBE [STREAMS|TABLES] name [EXTENDED]`; `DESCRIBE STREAMS` alone lists all.
    case describe(name: Identifier?, listKind: SourceKind?, extended: Bool)
    case describeFunction(Identifier)
    case explainQuery(String)
    case explainStatement(Statement)
    case printTopic(PrintTopic)
    case setProperty(name: String, value: String)
    case unsetProperty(name: String)
    case defineVariable(name: String, value: String)
    case undefineVariable(name: String)
    case runScript(path: String)
    case createType(name: Identifier, type: TypeSyntax, ifNotExists: Bool)
    case dropType(name: Identifier, ifExists: Bool)
    case alterSource(kind: SourceKind, name: Identifier, addColumns: [TableElement])
    case assert(AssertStatement)
    // Added by the front end (additive; see docs/sql-frontend.md):
    /// `INSERT INTO target WITH (props) SELECT ...`: only when a `WITH` clause is present, so the
    /// common form stays ``insertInto(target:query:)``.
    case insertIntoWithProperties(target: Identifier, properties: [Property], query: Query)
    /// `CREATE SOURCE|SINK CONNECTOR [IF NOT EXISTS] name WITH (...)`
    case createConnector(CreateConnector)
    /// `DROP CONNECTOR [IF EXISTS] name`
    case dropConnector(name: Identifier, ifExists: Bool)
    /// `DESCRIBE CONNECTOR name`
    case describeConnector(Identifier)
    /// `ALTER SYSTEM 'name' = 'value'`
    case alterSystem(name: String, value: String)
}

public enum ConnectorKind: String, Hashable, Sendable {
    case source = "SOURCE"
    case sink = "SINK"
}

public struct CreateConnector: Hashable, Sendable {
    public var kind: ConnectorKind
    public var name: Identifier
    public var properties: [Property]
    public var ifNotExists: Bool

    public init(kind: ConnectorKind, name: Identifier, properties: [Property], ifNotExists: Bool = false) {
        self.kind = kind
        self.name = name
        self.properties = properties
        self.ifNotExists = ifNotExists
    }
}

public enum ShowTarget: String, Hashable, Sendable {
    case streams = "STREAMS"
    case tables = "TABLES"
    case topics = "TOPICS"
    case allTopics = "ALL TOPICS"
    case queries = "QUERIES"
    case properties = "PROPERTIES"
    case functions = "FUNCTIONS"
    case types = "TYPES"
    case variables = "VARIABLES"
    case connectors = "CONNECTORS"
    // Added by the front end:
    case sourceConnectors = "SOURCE CONNECTORS"
    case sinkConnectors = "SINK CONNECTORS"
    case connectorPlugins = "CONNECTOR PLUGINS"
}

/// A `WITH (name = value, ...)` property; names are upper-cased, values keep their literal form.
public struct Property: Hashable, Sendable {
    public var name: String
    public var value: Literal
    public var range: SourceRange

    public init(name: String, value: Literal, range: SourceRange = .none) {
        self.name = name
        self.value = value
        self.range = range
    }

    public static func == (lhs: Property, rhs: Property) -> Bool { lhs.name == rhs.name && lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

public enum ColumnConstraint: Hashable, Sendable {
    case none
    case key
    case primaryKey
    /// `HEADERS`: the column holds every header as `ARRAY<STRUCT<KEY STRING, VALUE BYTES>>`.
    case headers
    /// `HEADER('k')`: the column holds the bytes of one header.
    case header(String)
}

/// One column in `CREATE STREAM name (columns)`.
public struct TableElement: Hashable, Sendable {
    public var name: Identifier
    public var type: TypeSyntax
    public var constraint: ColumnConstraint

    public init(name: Identifier, type: TypeSyntax, constraint: ColumnConstraint = .none) {
        self.name = name
        self.type = type
        self.constraint = constraint
    }
}

public struct CreateSource: Hashable, Sendable {
    public var kind: SourceKind
    public var name: Identifier
    public var elements: [TableElement]
    public var properties: [Property]
    public var orReplace: Bool
    public var ifNotExists: Bool
    /// `CREATE SOURCE STREAM|TABLE`: read-only, materialised for pull queries.
    public var isSource: Bool

    public init(
        kind: SourceKind, name: Identifier, elements: [TableElement], properties: [Property],
        orReplace: Bool = false, ifNotExists: Bool = false, isSource: Bool = false
    ) {
        self.kind = kind
        self.name = name
        self.elements = elements
        self.properties = properties
        self.orReplace = orReplace
        self.ifNotExists = ifNotExists
        self.isSource = isSource
    }
}

public struct CreateAsSelect: Hashable, Sendable {
    public var kind: SourceKind
    public var name: Identifier
    public var properties: [Property]
    public var query: Query
    public var orReplace: Bool
    public var ifNotExists: Bool

    public init(
        kind: SourceKind, name: Identifier, properties: [Property], query: Query, orReplace: Bool = false,
        ifNotExists: Bool = false
    ) {
        self.kind = kind
        self.name = name
        self.properties = properties
        self.query = query
        self.orReplace = orReplace
        self.ifNotExists = ifNotExists
    }
}

public struct InsertValues: Hashable, Sendable {
    public var target: Identifier
    /// Empty when the statement lists no columns (values then follow the source's column order).
    public var columns: [Identifier]
    public var values: [Expr]

    public init(target: Identifier, columns: [Identifier], values: [Expr]) {
        self.target = target
        self.columns = columns
        self.values = values
    }
}

public struct PrintTopic: Hashable, Sendable {
    public var topic: String
    public var fromBeginning: Bool
    public var interval: Int?
    public var limit: Int?

    public init(topic: String, fromBeginning: Bool, interval: Int? = nil, limit: Int? = nil) {
        self.topic = topic
        self.fromBeginning = fromBeginning
        self.interval = interval
        self.limit = limit
    }
}

/// The `ASSERT` statements of ksqlDB's test tooling.
public enum AssertStatement: Hashable, Sendable {
    /// `ASSERT [NOT EXISTS] TOPIC name [WITH (...)] [TIMEOUT d]`
    case topic(name: String, properties: [Property], exists: Bool, timeout: Duration?)
    /// `ASSERT [NOT EXISTS] SCHEMA [SUBJECT s] [ID n] [TIMEOUT d]`
    case schema(subject: String?, id: Int?, exists: Bool, timeout: Duration?)
    /// `ASSERT VALUES source (cols) VALUES (...)`
    case values(InsertValues)
    /// `ASSERT NULL VALUES source (key cols) KEY (...)`
    case nullValues(InsertValues)
    /// `ASSERT STREAM|TABLE name (elements) WITH (...)`
    case source(CreateSource)
}
