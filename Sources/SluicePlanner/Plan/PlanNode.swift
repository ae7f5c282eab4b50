import SluiceFunctions
import SluiceSQL
import SluiceTypes

/// One step of a query's operator graph, as plain data. The runtime builds an operator per node.
///
/// Every node knows the ``RowLayout`` it produces. `rekey` is where the graph is cut: the rows
/// before it are written to an internal repartition topic, keyed by the new key, and read back
/// by the tasks of the next stage, so stateful operators only see their own partition's keys.
public indirect enum PlanNode: Sendable {
    case scan(ScanNode)
    case filter(PlanNode, predicate: BoundExpr, layout: RowLayout)
    case project(PlanNode, ProjectNode)
    case rekey(PlanNode, RekeyNode)
    case aggregate(PlanNode, AggregateNode)
    case flatMap(PlanNode, FlatMapNode)
    case join(JoinNode)

    public var layout: RowLayout {
        switch self {
        case .scan(let s): s.layout
        case .filter(_, _, let layout): layout
        case .project(_, let p): p.layout
        case .rekey(_, let r): r.layout
        case .aggregate(_, let a): a.layout
        case .flatMap(_, let f): f.layout
        case .join(let j): j.layout
        }
    }
}

/// Reads a source's topic and decodes its records.
public struct ScanNode: Sendable {
    public var source: SourceDescription
    public var layout: RowLayout
    /// Evaluated over the decoded row to give the record's event time, when `TIMESTAMP=` is set.
    public var timestampExpr: BoundExpr?
    /// Per value column of the source, whether the query reads it (nil: all); see `ColumnPruning`.
    public var readValueColumns: [Bool]?

    public init(source: SourceDescription, layout: RowLayout, timestampExpr: BoundExpr?) {
        self.source = source
        self.layout = layout
        self.timestampExpr = timestampExpr
    }
}

/// New key and value columns computed from each row: the projection (`ProjectNode`) and a rekey
/// (`RekeyNode`: PARTITION BY, GROUP BY, a join side; the old key columns are dropped unless listed
/// in `values`).
public struct RowMapping: Sendable {
    public var keys: [BoundExpr]
    public var values: [BoundExpr]
    public var layout: RowLayout

    public init(keys: [BoundExpr], values: [BoundExpr], layout: RowLayout) {
        self.keys = keys
        self.values = values
        self.layout = layout
    }
}

public typealias ProjectNode = RowMapping
public typealias RekeyNode = RowMapping

/// One aggregate call: its function and argument expressions over the input row.
public struct AggregateCall: Sendable {
    public var name: String
    public var function: AggregateFunctionCall
    public var arguments: [BoundExpr]

    public init(name: String, function: AggregateFunctionCall, arguments: [BoundExpr]) {
        self.name = name
        self.function = function
        self.arguments = arguments
    }
}

/// Groups rows by key (already rekeyed upstream), optionally into windows, and folds aggregates.
///
/// Output rows: the key columns, then `carried` columns (non-aggregate values carried along,
/// taken from the latest row), then one column per aggregate call. The projection after it
/// refers to these.
public struct AggregateNode: Sendable {
    public var window: WindowSpec?
    public var calls: [AggregateCall]
    /// Input expressions whose latest value is carried into the output (for selected columns that
    /// are functionally dependent on the key, e.g. the GROUP BY column itself used in the value).
    public var carried: [BoundExpr]
    public var emitFinal: Bool
    public var layout: RowLayout

    public init(window: WindowSpec?, calls: [AggregateCall], carried: [BoundExpr], emitFinal: Bool, layout: RowLayout) {
        self.window = window
        self.calls = calls
        self.carried = carried
        self.emitFinal = emitFinal
        self.layout = layout
    }
}

/// Expands each row with table functions (EXPLODE): one output row per element.
public struct FlatMapNode: Sendable {
    public var functions: [(name: String, call: TableFunctionCall, arguments: [BoundExpr])]
    public var layout: RowLayout

    public init(functions: [(name: String, call: TableFunctionCall, arguments: [BoundExpr])], layout: RowLayout) {
        self.functions = functions
        self.layout = layout
    }
}

/// A join of two inputs on their keys (both already keyed by the join expression).
public struct JoinNode: Sendable {
    public var left: PlanNode
    public var right: PlanNode
    public var type: JoinType
    public var within: JoinWindow?
    public var layout: RowLayout
    /// A foreign-key table-table join: the left side keeps its own key and carries the foreign key
    /// as its last value column; every task sees the whole right table.
    public var foreignKey: Bool

    public init(
        left: PlanNode, right: PlanNode, type: JoinType, within: JoinWindow?, layout: RowLayout, foreignKey: Bool = false
    ) {
        self.left = left
        self.right = right
        self.type = type
        self.within = within
        self.layout = layout
        self.foreignKey = foreignKey
    }
}

/// A planned query: its operator graph and where its output goes.
public struct QueryPlan: Sendable {
    public var root: PlanNode
    /// The sink source (CSAS/CTAS/INSERT INTO); nil for a transient push query.
    public var sink: SourceDescription?
    /// Names of the sources it reads.
    public var inputs: [String]
    public var limit: Int?

    public init(root: PlanNode, sink: SourceDescription?, inputs: [String], limit: Int?) {
        self.root = root
        self.sink = sink
        self.inputs = inputs
        self.limit = limit
    }

    public var layout: RowLayout { root.layout }
}
