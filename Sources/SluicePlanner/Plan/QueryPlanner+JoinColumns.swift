import SluiceSQL
import SluiceTypes

/// The columns a join carries from each side, and the scope its result is bound in.
///
/// Each source contributes its keys, its window bounds (windowed sources), its values, and its own
/// `ROWTIME`, `ROWPARTITION` and `ROWOFFSET`: `L.ROWTIME` is the left record's time, which differs
/// from the joined record's time, and a side's offset and partition are lost once it is
/// repartitioned, so they are captured as values before the join.
extension QueryPlanner {
    struct SideColumn {
        var qualifiers: [String]
        var name: String
        var outputName: String
        var type: SQLType
        /// Position in the side's evaluation row.
        var sourceIndex: Int
        var role: JoinColumn.Role
    }

    static let sidePseudoColumns: [(name: String, type: SQLType)] = [
        ("ROWTIME", .bigint), ("ROWPARTITION", .integer), ("ROWOFFSET", .bigint),
    ]

    /// A side's columns as the join result names them; a side that is itself a join keeps its names.
    static func joinColumns(of layout: RowLayout, scope: Scope) -> [SideColumn] {
        if let inner = scope.joinColumns {
            return inner.map {
                SideColumn(
                    qualifiers: $0.qualifiers, name: $0.name, outputName: $0.outputName, type: $0.type,
                    sourceIndex: $0.index, role: $0.role)
            }
        }
        let qualifiers = scope.entries.first?.qualifiers ?? []
        let prefix = qualifiers.last ?? qualifiers.first ?? ""
        func column(_ name: String, _ type: SQLType, _ index: Int, _ role: JoinColumn.Role) -> SideColumn {
            SideColumn(
                qualifiers: qualifiers, name: name, outputName: "\(prefix)_\(name)", type: type, sourceIndex: index,
                role: role)
        }
        var columns: [SideColumn] = []
        for (i, c) in layout.keyColumns.enumerated() {
            columns.append(column(c.name, c.type, i, .key))
        }
        if layout.windowing != nil {
            columns.append(column("WINDOWSTART", .bigint, layout.windowStartIndex, .windowBound))
            columns.append(column("WINDOWEND", .bigint, layout.windowEndIndex, .windowBound))
        }
        for (i, c) in layout.valueColumns.enumerated() {
            columns.append(column(c.name, c.type, layout.keyCount + i, .value))
        }
        for (offset, p) in sidePseudoColumns.enumerated() {
            columns.append(column(p.name, p.type, layout.rowtimeIndex + offset, .pseudo))
        }
        return columns
    }

    /// The scope of a join's result: each column by its source name, qualified by its source, plus
    /// the result's own pseudo columns (qualifiable by any source, though a source's own pseudo
    /// column wins when qualified).
    static func joinScope(columns: [SideColumn], layout: RowLayout, keyType: SQLType, keyName: String = "ROWKEY") -> Scope {
        var entries: [Scope.Entry] = []
        var described: [JoinColumn] = []
        let first = layout.keyCount
        for (i, c) in columns.enumerated() {
            entries.append(
                Scope.Entry(
                    qualifiers: c.qualifiers, name: c.name, type: c.type, index: first + i, isPseudo: false,
                    qualifiedOnly: c.role == .pseudo))
            described.append(
                JoinColumn(
                    qualifiers: c.qualifiers, name: c.name, outputName: c.outputName, type: c.type, index: first + i,
                    role: c.role))
        }
        let allQualifiers = Array(Set(columns.flatMap(\.qualifiers))).sorted()
        entries.append(Scope.Entry(qualifiers: [], name: keyName, type: keyType, index: 0, isPseudo: true))
        entries.append(
            Scope.Entry(qualifiers: allQualifiers, name: "ROWTIME", type: .bigint, index: layout.rowtimeIndex, isPseudo: true))
        entries.append(
            Scope.Entry(
                qualifiers: allQualifiers, name: "ROWPARTITION", type: .integer, index: layout.rowPartitionIndex, isPseudo: true))
        entries.append(
            Scope.Entry(qualifiers: allQualifiers, name: "ROWOFFSET", type: .bigint, index: layout.rowOffsetIndex, isPseudo: true))
        var scope = Scope(entries: entries)
        scope.joinColumns = described
        return scope
    }

    /// The side keyed by its join expression, its value holding the columns the result shows.
    static func rekeyed(_ node: PlanNode, by key: BoundExpr, columns: [SideColumn]) -> PlanNode {
        let values = columns.map { BoundExpr.column($0.sourceIndex, $0.type) }
        let layout = RowLayout(
            keyColumns: [Column(name: "JOINKEY", type: key.type, namespace: .key)],
            valueColumns: columns.map { Column(name: $0.outputName, type: $0.type) }, windowing: node.layout.windowing,
            isTable: node.layout.isTable)
        return .rekey(node, RekeyNode(keys: [key], values: values, layout: layout))
    }

    static func isPlainColumn(_ e: Expr) -> Bool {
        if case .column = e.kind { return true }
        return false
    }
}
