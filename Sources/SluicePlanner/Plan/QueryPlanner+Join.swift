import SluiceFunctions
import SluiceSQL
import SluiceTypes

extension QueryPlanner {
    /// `left JOIN right ON l = r`: each side is rekeyed by its side of the condition, then joined
    /// on that key. The result's key is the join key; its values are every column of the left side
    /// then every column of the right, named `<alias>_<column>`.
    ///
    /// Stream-stream joins need `WITHIN`; stream-table joins look the stream's key up in the table;
    /// table-table joins keep both sides. A table on the left of a stream is rejected, as in ksqlDB.
    /// Windowed sources join only on their keys, and the result is windowed like the left side.
    func planJoin(_ join: Join, inputs: inout [String]) throws(Diagnostic) -> (PlanNode, Scope, String) {
        let (a, b) = try Self.joinEquality(join.condition)
        let (leftNode, leftScope, leftDescription) = try planRelation(join.left, inputs: &inputs)
        let (rightNode, rightScope, rightDescription) = try planRelation(join.right, inputs: &inputs)
        try Self.checkJoinWindowing(
            left: leftNode.layout, leftName: Self.sideName(leftScope), right: rightNode.layout,
            rightName: Self.sideName(rightScope), range: join.condition.range)
        let leftIsTable = leftNode.layout.isTable
        let rightIsTable = rightNode.layout.isTable
        if leftIsTable && !rightIsTable {
            throw PlannerErrors.semantic(
                "table-stream-join", "a table cannot be joined to a stream: put the stream on the left (stream-table join)",
                join.condition.range)
        }
        if !leftIsTable && !rightIsTable && join.within == nil {
            throw PlannerErrors.semantic(
                "missing-within", "a stream-stream join needs a WITHIN clause", join.condition.range)
        }
        if (leftIsTable || rightIsTable) && join.within != nil {
            throw PlannerErrors.semantic(
                "within-on-table", "WITHIN applies only to stream-stream joins", join.condition.range)
        }
        if !leftIsTable && rightIsTable && (join.type == .right || join.type == .full) {
            throw PlannerErrors.semantic(
                "stream-table-join-type", "a stream-table join must be INNER or LEFT", join.condition.range)
        }

        // The condition: each side of the equality reads one input.
        var leftExpr = a
        var rightExpr = b
        var lb = ExpressionBinder(scope: leftScope, functions: functions, types: types, scopeDescription: leftDescription)
        var rb = ExpressionBinder(scope: rightScope, functions: functions, types: types, scopeDescription: rightDescription)
        var leftKey: BoundExpr
        var rightKey: BoundExpr
        do {
            leftKey = try lb.bind(a)
            rightKey = try rb.bind(b)
        } catch {
            leftExpr = b
            rightExpr = a
            leftKey = try lb.bind(b)
            rightKey = try rb.bind(a)
        }
        guard leftKey.type == rightKey.type else {
            throw PlannerErrors.typeMismatch(
                "the join sides have different types: \(leftKey.type) and \(rightKey.type)", join.condition.range)
        }
        /// The side's whole key, directly or through a column known to equal it (an inner join's ON column).
        func isWholeKey(_ key: BoundExpr, _ node: PlanNode, _ scope: Scope) -> Bool {
            guard case .column(let i, _) = key, node.layout.keyCount == 1 else { return false }
            return i == 0 || scope.keyAliases[i] == 0
        }
        if leftNode.layout.windowing != nil {
            try Self.checkWindowedJoinKeys(
                leftNode: leftNode, leftIsWholeKey: isWholeKey(leftKey, leftNode, leftScope), rightNode: rightNode,
                rightIsWholeKey: isWholeKey(rightKey, rightNode, rightScope), range: join.condition.range)
        }
        if leftIsTable && rightIsTable && !isWholeKey(leftKey, leftNode, leftScope) {
            guard isWholeKey(rightKey, rightNode, rightScope) else {
                throw PlannerErrors.semantic(
                    "join-on-partial-key",
                    "a table-table join must use the right table's whole primary key", join.condition.range)
            }
            guard join.type == .inner || join.type == .left else {
                throw PlannerErrors.semantic(
                    "foreign-key-join-type", "a foreign-key join must be INNER or LEFT", join.condition.range)
            }
            return try planForeignKeyJoin(
                join, leftNode: leftNode, leftScope: leftScope, rightNode: rightNode, rightScope: rightScope,
                foreignKey: leftKey, description: "the join of \(leftDescription) and \(rightDescription)")
        }
        for (side, key, node, scope) in [("left", leftKey, leftNode, leftScope), ("right", rightKey, rightNode, rightScope)]
        where node.layout.isTable {
            guard isWholeKey(key, node, scope) else {
                throw PlannerErrors.semantic(
                    "join-on-non-key", "the \(side) table of a join must be joined on its whole primary key",
                    join.condition.range)
            }
        }

        let leftColumns = Self.joinColumns(of: leftNode.layout, scope: leftScope)
        let rightColumns = Self.joinColumns(of: rightNode.layout, scope: rightScope)
        // Keying by a column that equals the key is keying by the key (no repartition needed).
        var leftRekey = leftKey
        var rightRekey = rightKey
        if case .column(let i, let t) = leftKey, leftScope.keyAliases[i] == 0, leftNode.layout.keyCount == 1 { leftRekey = .column(0, t) }
        if case .column(let i, let t) = rightKey, rightScope.keyAliases[i] == 0, rightNode.layout.keyCount == 1 { rightRekey = .column(0, t) }
        let leftSide = Self.rekeyed(leftNode, by: leftRekey, columns: leftColumns)
        let rightSide = Self.rekeyed(rightNode, by: rightRekey, columns: rightColumns)

        // Which result columns hold the key's value.
        let leftIsColumn = Self.isPlainColumn(leftExpr)
        let rightIsColumn = Self.isPlainColumn(rightExpr)
        var keyName: String?
        var aliases: [Int: Int] = [:]
        let leftKeyPosition = leftColumns.firstIndex { c in
            if case .column(let i, _) = leftKey { return c.sourceIndex == i }
            return false
        }
        let rightKeyPosition = rightColumns.firstIndex { c in
            if case .column(let i, _) = rightKey { return c.sourceIndex == i }
            return false
        }
        var preference: [Int] = []
        if join.type != .full {
            if leftIsColumn, let p = leftKeyPosition {
                aliases[1 + p] = 0
                preference.append(1 + p)
                keyName = leftColumns[p].outputName
                // An inner join's key aliases stay aliases when the join key is one of them.
                if case .column(let i, _) = leftKey, i == 0 || leftScope.keyAliases[i] == 0 {
                    for (inner, k) in leftScope.keyAliases where k == 0 {
                        if let q = leftColumns.firstIndex(where: { $0.sourceIndex == inner }) {
                            aliases[1 + q] = 0
                            preference.append(1 + q)
                        }
                    }
                }
            }
            if rightIsColumn, let p = rightKeyPosition {
                aliases[1 + leftColumns.count + p] = 0
                preference.append(1 + leftColumns.count + p)
                if keyName == nil { keyName = rightColumns[p].outputName }
            }
        }
        // No column stands for the key (FULL OUTER, or expressions on both sides): it gets a
        // synthetic name of its own.
        let syntheticKey = keyName == nil ? Self.syntheticJoinKeyName(leftColumns + rightColumns) : nil
        let valueColumns = (leftColumns + rightColumns).map { Column(name: $0.outputName, type: $0.type) }
        let layout = RowLayout(
            keyColumns: [Column(name: keyName ?? syntheticKey!, type: leftKey.type, namespace: .key)],
            valueColumns: valueColumns, windowing: leftNode.layout.windowing, isTable: leftIsTable && rightIsTable)
        var scope = Self.joinScope(
            columns: leftColumns + rightColumns, layout: layout, keyType: leftKey.type, keyName: syntheticKey ?? "ROWKEY")
        scope.keyAliases = aliases
        scope.keyAliasPreference = preference
        scope.syntheticJoinKey = syntheticKey
        let node = PlanNode.join(
            JoinNode(left: leftSide, right: rightSide, type: join.type, within: join.within, layout: layout))
        return (node, scope, "the join of \(leftDescription) and \(rightDescription)")
    }

    /// A table-table join from a left value (the foreign key) to the right table's primary key. The
    /// result keeps the left table's key.
    func planForeignKeyJoin(
        _ join: Join, leftNode: PlanNode, leftScope: Scope, rightNode: PlanNode, rightScope: Scope,
        foreignKey: BoundExpr, description: String
    ) throws(Diagnostic) -> (PlanNode, Scope, String) {
        let leftColumns = Self.joinColumns(of: leftNode.layout, scope: leftScope)
        let rightColumns = Self.joinColumns(of: rightNode.layout, scope: rightScope)
        let leftLayout = leftNode.layout
        let keyCount = leftLayout.keyCount
        // Left side: its own key; value = its columns, then the foreign key.
        let leftValues = leftColumns.map { BoundExpr.column($0.sourceIndex, $0.type) } + [foreignKey]
        let leftSide = PlanNode.rekey(
            leftNode,
            RekeyNode(
                keys: (0..<keyCount).map { BoundExpr.column($0, leftLayout.keyColumns[$0].type) }, values: leftValues,
                layout: RowLayout(
                    keyColumns: leftLayout.keyColumns,
                    valueColumns: leftColumns.map { Column(name: $0.outputName, type: $0.type) }
                        + [Column(name: "FOREIGN_KEY", type: foreignKey.type)],
                    windowing: nil, isTable: true)))
        let rightSide = Self.rekeyed(rightNode, by: .column(0, rightNode.layout.keyColumns[0].type), columns: rightColumns)
        var aliases: [Int: Int] = [:]
        for (p, c) in leftColumns.enumerated() where c.sourceIndex < keyCount {
            aliases[keyCount + p] = c.sourceIndex
        }
        let keyColumns = (0..<keyCount).map { k in
            Column(name: leftColumns.first { $0.sourceIndex == k }?.outputName ?? leftLayout.keyColumns[k].name,
                   type: leftLayout.keyColumns[k].type, namespace: .key)
        }
        let layout = RowLayout(
            keyColumns: keyColumns, valueColumns: (leftColumns + rightColumns).map { Column(name: $0.outputName, type: $0.type) },
            windowing: nil, isTable: true)
        var scope = Self.joinScope(columns: leftColumns + rightColumns, layout: layout, keyType: keyColumns[0].type)
        scope.keyAliases = aliases
        let node = PlanNode.join(
            JoinNode(left: leftSide, right: rightSide, type: join.type, within: nil, layout: layout, foreignKey: true))
        return (node, scope, description)
    }

    /// ksqlDB's synthetic join key: `ROWKEY`, or when a source already has a column named `ROWKEY`
    /// or `ROWKEY_<n>`, `ROWKEY_` one past the largest such n.
    static func syntheticJoinKeyName(_ columns: [SideColumn]) -> String {
        var largest: Int?
        for c in columns where c.role != .pseudo {
            if c.name == "ROWKEY" {
                largest = max(largest ?? 0, 0)
            } else if c.name.hasPrefix("ROWKEY_"), let n = Int(c.name.dropFirst("ROWKEY_".count)), n >= 0 {
                largest = max(largest ?? 0, n)
            }
        }
        return largest.map { "ROWKEY_\($0 + 1)" } ?? "ROWKEY"
    }

    /// How ksqlDB names a join side in messages: its alias, else its source name.
    static func sideName(_ scope: Scope) -> String {
        if let c = scope.joinColumns?.first { return c.qualifiers.last ?? c.source }
        return scope.entries.first?.qualifiers.last ?? ""
    }
}
