/// An expression node. ``range`` covers the whole source text of the node and is ignored by `==`.
public struct Expr: Hashable, Sendable {
    public var kind: Kind
    public var range: SourceRange

    public init(_ kind: Kind, range: SourceRange = .none) {
        self.kind = kind
        self.range = range
    }

    public static func == (lhs: Expr, rhs: Expr) -> Bool { lhs.kind == rhs.kind }
    public func hash(into hasher: inout Hasher) { hasher.combine(kind) }

    public indirect enum Kind: Hashable, Sendable {
        case literal(Literal)
        /// `col` or `source.col` (qualifier is the source name or alias).
        case column(qualifier: Identifier?, name: Identifier)
        /// `${name}` left unsubstituted: only in contexts the parser was told to keep variables.
        case variable(String)
        case unary(UnaryOperator, Expr)
        case binary(BinaryOperator, Expr, Expr)
        /// `a AND b AND c` kept binary; `NOT` is a unary operator.
        case logical(LogicalOperator, Expr, Expr)
        case comparison(ComparisonOperator, Expr, Expr)
        case isNull(Expr, negated: Bool)
        case isDistinctFrom(Expr, Expr, negated: Bool)
        case between(Expr, low: Expr, high: Expr, negated: Bool)
        case inList(Expr, [Expr], negated: Bool)
        case like(Expr, pattern: Expr, escape: Expr?, negated: Bool)
        case cast(Expr, TypeSyntax)
        /// `CASE WHEN c THEN v ... ELSE e END`
        case searchedCase(whens: [WhenClause], elseValue: Expr?)
        /// `CASE operand WHEN v THEN r ... ELSE e END`
        case simpleCase(operand: Expr, whens: [WhenClause], elseValue: Expr?)
        /// `name(args)`; `COUNT(*)` is `functionCall("COUNT", [], star: true)`.
        case functionCall(name: Identifier, arguments: [Expr], distinct: Bool, star: Bool)
        /// `x => body` or `(x, y) => body`
        case lambda(parameters: [Identifier], body: Expr)
        case `subscript`(Expr, index: Expr)
        /// `base->field`
        case dereference(Expr, field: Identifier)
        case arrayConstructor([Expr])
        /// `MAP(k := v, ...)`
        case mapConstructor([MapEntryExpr])
        /// `STRUCT(f := v, ...)`
        case structConstructor([StructFieldExpr])
        /// A bare time unit passed to a function, as in `TIMESTAMPADD(SECONDS, 5, ts)` (added by the
        /// front end). Only the reserved unit words (`MILLISECOND`, `SECONDS` ...) parse this way;
        /// `DAY`, `HOUR`, `MINUTE` and `SECOND` are non-reserved and parse as column names, as in ksqlDB.
        case intervalUnit(TimeUnit)
    }
}

public enum Literal: Hashable, Sendable {
    case null
    case boolean(Bool)
    /// An integer literal, kept as text so the planner can pick INT, BIGINT or reject overflow.
    case integer(String)
    /// A literal with a decimal point (`1.5`): DECIMAL in ksqlDB.
    case decimal(String)
    /// A literal with an exponent (`1.5E3`): DOUBLE.
    case double(String)
    case string(String)
    /// `INTERVAL`-free time unit literals are not SQL values; durations live in ``WindowSpec``.
}

public enum UnaryOperator: String, Hashable, Sendable {
    case minus = "-"
    case plus = "+"
    case not = "NOT"
}

public enum BinaryOperator: String, Hashable, Sendable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case modulo = "%"
    case concat = "||"
}

public enum LogicalOperator: String, Hashable, Sendable {
    case and = "AND"
    case or = "OR"
}

public enum ComparisonOperator: String, Hashable, Sendable {
    case equal = "="
    case notEqual = "<>"
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
}

public struct WhenClause: Hashable, Sendable {
    public var condition: Expr
    public var result: Expr

    public init(condition: Expr, result: Expr) {
        self.condition = condition
        self.result = result
    }
}

public struct MapEntryExpr: Hashable, Sendable {
    public var key: Expr
    public var value: Expr

    public init(key: Expr, value: Expr) {
        self.key = key
        self.value = value
    }
}

public struct StructFieldExpr: Hashable, Sendable {
    public var name: Identifier
    public var value: Expr

    public init(name: Identifier, value: Expr) {
        self.name = name
        self.value = value
    }
}
