import SluiceSQL
import SluiceTypes

/// The names an expression can refer to, and where each lives in the evaluation row.
///
/// Built from a plan node's ``RowLayout``: every key and value column, plus the pseudo columns.
/// `substitutions` lets the planner bind whole expressions to a column, which is how the
/// projection after an aggregation refers to GROUP BY expressions and aggregate results.
public struct Scope: Sendable {
    public struct Entry: Sendable {
        /// Source name or alias the column can be qualified with; nil when unqualifiable.
        public var qualifiers: [String]
        public var name: String
        public var type: SQLType
        public var index: Int
        /// Pseudo columns resolve only when no real column has the name.
        public var isPseudo: Bool
        /// Resolves only when qualified: a join side's own `ROWTIME`, `ROWPARTITION` and `ROWOFFSET`
        /// (`L.ROWTIME`), which the unqualified name (the join result's own) must not clash with.
        public var qualifiedOnly: Bool = false
    }

    public var entries: [Entry]
    public var substitutions: [Expr.Kind: (index: Int, type: SQLType)] = [:]
    /// Value columns that hold the same value as a key column (a join's ON columns), by the key
    /// column's position: selecting one of them selects the key.
    public var keyAliases: [Int: Int] = [:]
    /// When several aliases of one key column are selected, the one listed first here wins.
    public var keyAliasPreference: [Int] = []
    /// Column names the planner made up (KSQL_COL_n keys of PARTITION BY): generated names may reuse them.
    public var syntheticNames: Set<String> = []
    /// Set for a join's scope: the columns as `SELECT *` shows them, with their output names.
    public var joinColumns: [JoinColumn]?
    /// The name of a join's synthetic key, when no selectable column stands for the key (a FULL
    /// OUTER join, or a join on expressions): `SELECT *` shows it first.
    public var syntheticJoinKey: String?

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// The scope of rows laid out as `layout`, qualifiable by `qualifiers`.
    public init(layout: RowLayout, qualifiers: [String], includeWindowBounds: Bool = true) {
        var entries: [Entry] = []
        for (i, c) in layout.keyColumns.enumerated() {
            entries.append(Entry(qualifiers: qualifiers, name: c.name, type: c.type, index: i, isPseudo: false))
        }
        for (i, c) in layout.valueColumns.enumerated() {
            entries.append(
                Entry(qualifiers: qualifiers, name: c.name, type: c.type, index: layout.keyCount + i, isPseudo: false))
        }
        entries.append(Entry(qualifiers: qualifiers, name: "ROWTIME", type: .bigint, index: layout.rowtimeIndex, isPseudo: true))
        entries.append(
            Entry(qualifiers: qualifiers, name: "ROWPARTITION", type: .integer, index: layout.rowPartitionIndex, isPseudo: true))
        entries.append(
            Entry(qualifiers: qualifiers, name: "ROWOFFSET", type: .bigint, index: layout.rowOffsetIndex, isPseudo: true))
        if layout.windowing != nil && includeWindowBounds {
            entries.append(
                Entry(qualifiers: qualifiers, name: "WINDOWSTART", type: .bigint, index: layout.windowStartIndex, isPseudo: true))
            entries.append(
                Entry(qualifiers: qualifiers, name: "WINDOWEND", type: .bigint, index: layout.windowEndIndex, isPseudo: true))
        }
        self.entries = entries
    }

    public enum Lookup {
        case found(Entry)
        case ambiguous([Entry])
        case missing
    }

    public func lookup(qualifier: String?, name: String) -> Lookup {
        let matches = entries.filter { entry in
            guard entry.name == name else { return false }
            guard let qualifier else { return !entry.qualifiedOnly }
            return entry.qualifiers.contains(qualifier)
        }
        let real = matches.filter { !$0.isPseudo }
        let chosen = real.isEmpty ? matches : real
        if chosen.isEmpty { return .missing }
        if chosen.count > 1 { return .ambiguous(chosen) }
        return .found(chosen[0])
    }

    /// Whether some selectable column stands for the key (else a join's key is the synthetic ROWKEY).
    public var keyAliasesCoverKey: Bool { !keyAliases.isEmpty }

    public var columnNames: [String] { entries.filter { !$0.isPseudo && !$0.qualifiedOnly }.map(\.name) }
}

/// A column of a join's result: where it came from and the name the result gives it
/// (`<alias>_<column>`).
public struct JoinColumn: Sendable {
    /// What the column was in its source: ksqlDB's join schema orders each source's columns as
    /// values, pseudo columns, keys, while `SELECT *` shows keys, window bounds, values.
    public enum Role: Sendable {
        case key
        case windowBound
        case value
        /// The source's `ROWTIME`, `ROWPARTITION` or `ROWOFFSET`: selectable only when qualified,
        /// never part of `SELECT *`.
        case pseudo
    }

    public var qualifiers: [String]
    public var name: String
    public var outputName: String
    public var type: SQLType
    /// Position in the evaluation row of the join's output.
    public var index: Int
    public var role: Role = .value

    public init(qualifiers: [String], name: String, outputName: String, type: SQLType, index: Int, role: Role = .value) {
        self.qualifiers = qualifiers
        self.name = name
        self.outputName = outputName
        self.type = type
        self.index = index
        self.role = role
    }

    /// The source it came from (its name, as the first qualifier).
    public var source: String { qualifiers.first ?? "" }
}
