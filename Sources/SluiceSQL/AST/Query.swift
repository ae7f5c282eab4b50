/// A `SELECT` as it appears in a push/pull query, `CREATE ... AS SELECT` or `INSERT INTO ... SELECT`.
public struct Query: Hashable, Sendable {
    public var selectItems: [SelectItem]
    public var from: Relation
    public var window: WindowSpec?
    public var whereClause: Expr?
    public var groupBy: [Expr]
    public var partitionBy: [Expr]
    /// Where the PARTITION BY clause is, when there is one: `PARTITION BY ()` parses (the grammar
    /// allows an empty list) with `partitionBy` empty, and the planner rejects it here.
    public var partitionByRange: SourceRange?
    public var having: Expr?
    /// nil when the query names no `EMIT` clause (a pull query, or ksqlDB's default for CSAS/CTAS).
    public var emit: EmitKind?
    public var limit: Int?
    public var range: SourceRange

    public init(
        selectItems: [SelectItem], from: Relation, window: WindowSpec? = nil, whereClause: Expr? = nil,
        groupBy: [Expr] = [], partitionBy: [Expr] = [], having: Expr? = nil, emit: EmitKind? = nil,
        limit: Int? = nil, range: SourceRange = .none
    ) {
        self.selectItems = selectItems
        self.from = from
        self.window = window
        self.whereClause = whereClause
        self.groupBy = groupBy
        self.partitionBy = partitionBy
        self.having = having
        self.emit = emit
        self.limit = limit
        self.range = range
    }

    public static func == (lhs: Query, rhs: Query) -> Bool {
        lhs.selectItems == rhs.selectItems && lhs.from == rhs.from && lhs.window == rhs.window
            && lhs.whereClause == rhs.whereClause && lhs.groupBy == rhs.groupBy
            && lhs.partitionBy == rhs.partitionBy && lhs.having == rhs.having && lhs.emit == rhs.emit
            && lhs.limit == rhs.limit
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(selectItems)
        hasher.combine(from)
    }
}

public enum EmitKind: String, Hashable, Sendable {
    case changes = "CHANGES"
    case final = "FINAL"
}

public enum SelectItem: Hashable, Sendable {
    /// `*`
    case all
    /// `source.*`
    case allFrom(Identifier)
    /// `expr [AS alias]`
    case expression(Expr, alias: Identifier?)
    /// `expr->*`: every field of a struct-valued expression (added by the front end).
    case allFieldsOf(Expr)
}

/// What follows `FROM`.
public indirect enum Relation: Hashable, Sendable {
    /// `name [alias]`
    case source(name: Identifier, alias: Identifier?)
    /// `left [INNER|LEFT|RIGHT|FULL] JOIN right [WITHIN ...] ON condition`
    case join(Join)
    /// A table function in FROM is not ksqlDB syntax; table functions appear in the select list.
}

public struct Join: Hashable, Sendable {
    public var left: Relation
    public var right: Relation
    public var type: JoinType
    public var within: JoinWindow?
    public var condition: Expr

    public init(left: Relation, right: Relation, type: JoinType, within: JoinWindow?, condition: Expr) {
        self.left = left
        self.right = right
        self.type = type
        self.within = within
        self.condition = condition
    }
}

public enum JoinType: String, Hashable, Sendable {
    case inner = "INNER"
    case left = "LEFT"
    case right = "RIGHT"
    case full = "FULL"
}

/// `WITHIN 1 HOUR` or `WITHIN (1 HOUR, 2 HOURS)`, with an optional `GRACE PERIOD`.
public struct JoinWindow: Hashable, Sendable {
    public var before: Duration
    public var after: Duration
    public var grace: Duration?

    public init(before: Duration, after: Duration, grace: Duration? = nil) {
        self.before = before
        self.after = after
        self.grace = grace
    }
}

/// A SQL duration such as `30 SECONDS`: a count and a unit, kept as written for formatting.
public struct Duration: Hashable, Sendable {
    public var value: Int64
    public var unit: TimeUnit

    public init(_ value: Int64, _ unit: TimeUnit) {
        self.value = value
        self.unit = unit
    }

    public var milliseconds: Int64 { value * unit.milliseconds }
}

public enum TimeUnit: String, Hashable, Sendable, CaseIterable {
    case milliseconds = "MILLISECONDS"
    case seconds = "SECONDS"
    case minutes = "MINUTES"
    case hours = "HOURS"
    case days = "DAYS"

    public var milliseconds: Int64 {
        switch self {
        case .milliseconds: 1
        case .seconds: 1_000
        case .minutes: 60_000
        case .hours: 3_600_000
        case .days: 86_400_000
        }
    }
}

/// `WINDOW TUMBLING|HOPPING|SESSION (...)`.
public struct WindowSpec: Hashable, Sendable {
    public var kind: Kind
    public var retention: Duration?
    public var grace: Duration?

    public init(kind: Kind, retention: Duration? = nil, grace: Duration? = nil) {
        self.kind = kind
        self.retention = retention
        self.grace = grace
    }

    public enum Kind: Hashable, Sendable {
        case tumbling(size: Duration)
        case hopping(size: Duration, advance: Duration)
        case session(gap: Duration)
    }
}
