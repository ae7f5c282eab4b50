import SluiceSQL
import SluiceTypes

extension QueryPlanner {
    /// PARTITION BY over a join's result. ksqlDB repartitions the join's full schema: per source, its
    /// values, its `ROWTIME`, `ROWPARTITION` and `ROWOFFSET`, then its keys, all named
    /// `<source>_<column>`; so that is what `SELECT *` shows here, and columns stay reachable by
    /// their qualified names (`L.K`).
    func planPartitionByJoin(
        _ query: Query, input: PlanNode, scope: Scope, description: String, inputs: [String], purpose: Purpose
    ) throws(Diagnostic) -> QueryPlan {
        let joinColumns = scope.joinColumns ?? []
        if input.layout.windowing != nil {
            throw PlannerErrors.semantic("windowed-repartition", Self.windowedRepartitionMessage, query.range)
        }
        var binder = ExpressionBinder(scope: scope, functions: functions, types: types, scopeDescription: description)
        let aliases = Set(query.selectItems.compactMap { item -> String? in
            if case .expression(_, let alias) = item { return alias?.value }
            return nil
        })
        var generated = GeneratedNames(taken: aliases)
        if query.partitionBy.contains(where: { if case .literal(.null) = $0.kind { true } else { false } }) {
            throw PlannerErrors.notSupported("PARTITION BY NULL over a join", query.range)
        }
        var keys: [BoundExpr] = []
        var keyColumns: [Column] = []
        var keyJoinColumns: [JoinColumn] = []
        var moved: Set<Int> = []
        for e in query.partitionBy {
            let b = try binder.bind(e)
            keys.append(b)
            var name = Self.naturalName(e) ?? generated.next()
            if case .column(let index, _) = b, let c = joinColumns.first(where: { $0.index == index }) {
                moved.insert(index)
                name = c.outputName
                keyJoinColumns.append(
                    JoinColumn(
                        qualifiers: c.qualifiers, name: c.name, outputName: c.outputName, type: c.type,
                        index: keyColumns.count, role: .key))
            }
            keyColumns.append(Column(name: name, type: b.type, namespace: .key))
        }

        // The values, in ksqlDB's join-schema order, less the columns moved into the key.
        var sources: [String] = []
        for c in joinColumns where !sources.contains(c.source) { sources.append(c.source) }
        var ordered: [JoinColumn] = []
        for source in sources {
            let own = joinColumns.filter { $0.source == source && !moved.contains($0.index) }
            for role in [JoinColumn.Role.value, .windowBound, .pseudo, .key] {
                ordered += own.filter { $0.role == role }
            }
        }
        let old = input.layout
        let keepOldKey = scope.keyAliases.isEmpty && !moved.contains(0)
        var values = ordered.map { BoundExpr.column($0.index, $0.type) }
        var valueColumns = ordered.map { Column(name: $0.outputName, type: $0.type) }
        if keepOldKey {
            // A synthetic join key (FULL OUTER) has no value column standing for it: it moves to the value.
            values += old.keyColumns.indices.map { BoundExpr.column($0, old.keyColumns[$0].type) }
            valueColumns += old.keyColumns.map { Column(name: $0.name, type: $0.type) }
        }
        let layout = RowLayout(keyColumns: keyColumns, valueColumns: valueColumns, windowing: nil, isTable: false)
        let node = PlanNode.rekey(input, RekeyNode(keys: keys, values: values, layout: layout))

        // The scope after the rekey: qualified names reach the moved and kept columns alike.
        var entries: [Scope.Entry] = []
        var described = keyJoinColumns
        for c in keyJoinColumns {
            entries.append(Scope.Entry(qualifiers: c.qualifiers, name: c.name, type: c.type, index: c.index, isPseudo: false))
        }
        for (j, c) in ordered.enumerated() {
            let index = keyColumns.count + j
            entries.append(
                Scope.Entry(
                    qualifiers: c.qualifiers, name: c.name, type: c.type, index: index, isPseudo: false,
                    qualifiedOnly: c.role == .pseudo))
            // Every value shows in `SELECT *`, the sources' pseudo columns included.
            described.append(
                JoinColumn(qualifiers: c.qualifiers, name: c.name, outputName: c.outputName, type: c.type, index: index))
        }
        let allQualifiers = Array(Set(joinColumns.flatMap(\.qualifiers))).sorted()
        for (offset, p) in Self.sidePseudoColumns.enumerated() {
            entries.append(
                Scope.Entry(qualifiers: allQualifiers, name: p.name, type: p.type, index: layout.rowtimeIndex + offset, isPseudo: true))
        }
        var rekeyed = Scope(entries: entries)
        rekeyed.joinColumns = described
        return try projectRepartitioned(
            query, node: node, scope: rekeyed, layout: layout, keys: keys, keyExprs: query.partitionBy,
            description: description, inputs: inputs, purpose: purpose)
    }
}
