import SluiceFunctions
import SluiceSQL
import SluiceTypes

extension QueryPlanner {
    /// GROUP BY / aggregates: rekey by the GROUP BY expressions, fold the aggregate calls per key
    /// (and window), filter by HAVING, then project.
    func planAggregation(
        _ query: Query, items: [Item], input: PlanNode, scope: Scope, description: String, inputs: [String],
        purpose: Purpose
    ) throws(Diagnostic) -> QueryPlan {
        guard !query.groupBy.isEmpty else {
            throw PlannerErrors.semantic(
                "aggregate-without-group-by", "aggregate functions need a GROUP BY clause", query.range)
        }
        if !query.partitionBy.isEmpty {
            throw PlannerErrors.semantic(
                "partition-and-group", "PARTITION BY cannot be combined with GROUP BY", query.range)
        }
        let inLayout = input.layout
        if inLayout.windowing != nil {
            throw PlannerErrors.notSupported("aggregating a windowed source", query.range)
        }
        if inLayout.isTable && query.window != nil {
            throw PlannerErrors.semantic(
                "windowed-table-aggregation", "a table cannot be aggregated in windows: WINDOW applies to streams",
                query.window.map { _ in query.range })
        }
        var binder = ExpressionBinder(scope: scope, functions: functions, types: types, scopeDescription: description)

        // 1. Rekey by the GROUP BY expressions.
        let aliases = Set(items.compactMap(\.alias))
        var generated = GeneratedNames(taken: aliases)
        var groupKeys: [BoundExpr] = []
        var keyColumns: [Column] = []
        for e in query.groupBy {
            let b = try binder.bind(e)
            groupKeys.append(b)
            var name = Self.naturalName(e)
            if name == nil {
                // ksqlDB names an expression key after the select item that projects it, if aliased.
                name = items.first(where: { $0.expr == e && $0.alias != nil })?.alias ?? generated.next()
            }
            keyColumns.append(Column(name: name!, type: b.type, namespace: .key))
        }
        let inputColumns = inLayout.keyColumns + inLayout.valueColumns
        let rekeyLayout = RowLayout(
            keyColumns: keyColumns, valueColumns: inputColumns.map { Column(name: $0.name, type: $0.type) },
            windowing: nil, isTable: inLayout.isTable)
        let rekey = RekeyNode(
            keys: groupKeys, values: inputColumns.indices.map { BoundExpr.column($0, inputColumns[$0].type) },
            layout: rekeyLayout)

        // 2. Aggregate arguments are bound over the rekeyed row: input columns shifted right by the key.
        var argumentScope = scope
        for i in argumentScope.entries.indices {
            let entry = argumentScope.entries[i]
            if entry.isPseudo {
                let offset = entry.index - inLayout.rowtimeIndex
                argumentScope.entries[i].index = rekeyLayout.rowtimeIndex + offset
            } else {
                argumentScope.entries[i].index = keyColumns.count + entry.index
            }
        }
        argumentScope.entries.removeAll { $0.name == "WINDOWSTART" || $0.name == "WINDOWEND" }
        var argumentBinder = ExpressionBinder(
            scope: argumentScope, functions: functions, types: types, scopeDescription: description)

        var callExprs: [Expr] = []
        func collect(_ e: Expr) {
            ExprWalker.visit(e) { node in
                if case .functionCall(let name, _, _, _) = node.kind, functions.isAggregate(name.value),
                    !callExprs.contains(node)
                {
                    callExprs.append(node)
                }
            }
        }
        items.forEach { collect($0.expr) }
        if let having = query.having { collect(having) }

        var calls: [AggregateCall] = []
        for e in callExprs {
            guard case .functionCall(let name, let args, let distinct, _) = e.kind else { continue }
            if distinct {
                throw PlannerErrors.notSupported("DISTINCT inside an aggregate call", e.range)
            }
            var bound: [BoundExpr] = []
            var constants: [Value?] = []
            for a in args {
                if containsAggregate(a) {
                    throw PlannerErrors.semantic("nested-aggregate", "aggregate calls cannot be nested", a.range)
                }
                let b = try argumentBinder.bind(a)
                bound.append(b)
                if case .literal(let v, _) = b { constants.append(v) } else { constants.append(nil) }
            }
            let function: AggregateFunctionCall
            do {
                function = try functions.resolveAggregate(
                    name: name.value, arguments: bound.map(\.type), constantArguments: constants)
            } catch {
                throw PlannerErrors.semantic("function-resolution", "\(error)", e.range)
            }
            if inLayout.isTable && !function.supportsUndo {
                throw PlannerErrors.semantic(
                    "aggregate-without-undo",
                    "the aggregate function '\(name.value)' cannot aggregate a table (it cannot take rows back)", e.range)
            }
            calls.append(AggregateCall(name: name.value, function: function, arguments: bound))
        }

        var windowing: Windowing?
        if let window = query.window {
            switch window.kind {
            case .tumbling(let size): windowing = .time(sizeMs: size.milliseconds)
            case .hopping(let size, let advance):
                guard advance.milliseconds > 0, advance.milliseconds <= size.milliseconds else {
                    throw PlannerErrors.semantic(
                        "bad-hopping-window", "a hopping window's ADVANCE BY must be positive and at most its SIZE",
                        query.range)
                }
                windowing = .time(sizeMs: size.milliseconds)
            case .session: windowing = .session
            }
        }
        if query.emit == .final && query.window == nil {
            throw PlannerErrors.semantic(
                "emit-final-without-window", "EMIT FINAL is only supported for windowed aggregations", query.range)
        }
        let aggregateLayout = RowLayout(
            keyColumns: keyColumns,
            valueColumns: calls.indices.map { Column(name: "KSQL_AGG_VARIABLE_\($0)", type: calls[$0].function.returnType) },
            windowing: windowing, isTable: true)
        var node = PlanNode.aggregate(
            .rekey(input, rekey),
            AggregateNode(window: query.window, calls: calls, carried: [], emitFinal: query.emit == .final, layout: aggregateLayout))

        // 3. After aggregation, GROUP BY expressions and aggregate calls are columns.
        var post = Scope(layout: aggregateLayout, qualifiers: scope.entries.first?.qualifiers ?? [])
        post.entries.removeAll { !$0.isPseudo }
        for (i, e) in query.groupBy.enumerated() {
            post.substitutions[e.kind] = (i, keyColumns[i].type)
            if case .column(_, let name) = e.kind {
                post.substitutions[Expr.Kind.column(qualifier: nil, name: name)] = (i, keyColumns[i].type)
                for q in scope.entries.first?.qualifiers ?? [] {
                    post.substitutions[Expr.Kind.column(qualifier: Identifier(q), name: name)] = (i, keyColumns[i].type)
                }
            }
        }
        for (j, e) in callExprs.enumerated() {
            post.substitutions[e.kind] = (keyColumns.count + j, calls[j].function.returnType)
        }
        let postDescription = "the result of GROUP BY (non-aggregate columns must appear in GROUP BY)"
        if let having = query.having {
            var havingBinder = ExpressionBinder(scope: post, functions: functions, types: types, scopeDescription: postDescription)
            let predicate = try havingBinder.bind(having)
            guard predicate.type == .boolean else {
                throw PlannerErrors.typeMismatch("HAVING needs a BOOLEAN condition, not \(predicate.type)", having.range)
            }
            node = .filter(node, predicate: predicate, layout: aggregateLayout)
        }
        return try finishProjection(
            items, input: node, scope: post, description: postDescription, inputs: inputs, purpose: purpose,
            limit: query.limit, keyExprs: query.groupBy)
    }
}
