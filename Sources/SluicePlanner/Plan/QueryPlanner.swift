import SluiceFunctions
import SluiceSQL
import SluiceTypes

/// Turns a `SELECT` into a ``QueryPlan``: resolves the source, binds expressions, inserts rekeys
/// for GROUP BY and PARTITION BY, and decides which projected columns form the output key.
///
/// Output key rule (ksqlDB's): the output key columns are the key columns of the row the final
/// projection reads (the source key, the GROUP BY expressions, or the PARTITION BY expression);
/// a persistent query must select each of them, and the select item naming it becomes the key.
public struct QueryPlanner {
    public var catalog: Catalog
    public var functions: FunctionRegistry

    /// ksqlDB's `ksql.new.query.planner.enabled`: a stream query may leave its key out of the
    /// projection (the output is keyless), and key columns follow the projection's order.
    public var newPlanner = false

    /// Whether rows reach the projection under their source's key (no PARTITION BY or GROUP BY).
    static func keepsInputKey(_ node: PlanNode) -> Bool {
        switch node {
        case .rekey, .aggregate: false
        case .filter(let input, _, _): keepsInputKey(input)
        default: true
        }
    }

    public init(catalog: Catalog, functions: FunctionRegistry) {
        self.catalog = catalog
        self.functions = functions
    }

    /// Whether the plan is for a persistent query (key rules apply) or a transient one.
    public enum Purpose {
        case persistent
        case transient
    }

    var types: TypeResolver { TypeResolver(customTypes: catalog.types) }

    public func plan(_ query: Query, purpose: Purpose) throws(Diagnostic) -> QueryPlan {
        if let limit = query.limit, limit < 0 {
            throw PlannerErrors.semantic("negative-limit", "LIMIT must not be negative, not \(limit)", query.range)
        }
        var inputs: [String] = []
        var (node, scope, description) = try planRelation(query.from, inputs: &inputs)

        if let whereClause = query.whereClause {
            var binder = ExpressionBinder(scope: scope, functions: functions, types: types, scopeDescription: description)
            let predicate = try binder.bind(whereClause)
            guard predicate.type == .boolean || predicate.isNullLiteral else {
                throw PlannerErrors.typeMismatch("WHERE needs a BOOLEAN condition, not \(predicate.type)", whereClause.range)
            }
            node = .filter(node, predicate: predicate, layout: node.layout)
        }

        if query.partitionBy.isEmpty, let range = query.partitionByRange {
            throw PlannerErrors.semantic("partition-by-empty", "PARTITION BY requires at least one expression", range)
        }
        if !query.partitionBy.isEmpty && query.groupBy.isEmpty {
            return try planPartitionBy(query, input: node, scope: scope, description: description, inputs: inputs, purpose: purpose)
        }
        let items = try expandSelectItems(query.selectItems, scope: scope, layout: node.layout, range: query.range)
        let hasAggregates = items.contains { containsAggregate($0.expr) } || query.having.map(containsAggregate) == true
        if !query.groupBy.isEmpty && !hasAggregates {
            throw PlannerErrors.semantic(
                "group-by-without-aggregate", "GROUP BY requires aggregate functions in either the SELECT or HAVING clause",
                query.range)
        }
        if !query.groupBy.isEmpty || hasAggregates {
            return try planAggregation(
                query, items: items, input: node, scope: scope, description: description, inputs: inputs, purpose: purpose)
        }
        if query.window != nil {
            throw PlannerErrors.semantic(
                "window-without-aggregation", "WINDOW needs an aggregation (GROUP BY)", query.range)
        }
        if query.having != nil {
            throw PlannerErrors.semantic("having-without-aggregation", "HAVING needs an aggregation (GROUP BY)", query.range)
        }
        if query.emit == .final {
            throw PlannerErrors.semantic(
                "emit-final-without-window", "EMIT FINAL is only supported for windowed aggregations", query.range)
        }
        let keyExprs = node.layout.keyColumns.map { Expr(.column(qualifier: nil, name: Identifier($0.name))) }
        return try finishProjection(
            items, input: node, scope: scope, description: description, inputs: inputs, purpose: purpose,
            limit: query.limit, keyExprs: keyExprs)
    }

    /// PARTITION BY: rekey by the expressions, then project. The rekeyed row's key is the new
    /// key; its value is the old value columns (less any column moved into the key) followed by
    /// the old key columns, which is also what `SELECT *` expands to.
    func planPartitionBy(
        _ query: Query, input: PlanNode, scope: Scope, description: String, inputs: [String], purpose: Purpose
    ) throws(Diagnostic) -> QueryPlan {
        var node = input
        guard !node.layout.isTable else {
            throw PlannerErrors.semantic("partition-table", "PARTITION BY applies to streams, not tables", query.range)
        }
        if query.window != nil || query.having != nil || query.emit == .final {
            throw PlannerErrors.semantic(
                "partition-clauses", "PARTITION BY cannot be combined with WINDOW, HAVING or EMIT FINAL", query.range)
        }
        if scope.joinColumns != nil {
            return try planPartitionByJoin(
                query, input: input, scope: scope, description: description, inputs: inputs, purpose: purpose)
        }
        var binder = ExpressionBinder(scope: scope, functions: functions, types: types, scopeDescription: description)
        let aliases = Set(query.selectItems.compactMap { item -> String? in
            if case .expression(_, let alias) = item { return alias?.value }
            return nil
        })
        var generated = GeneratedNames(taken: aliases)
        var keys: [BoundExpr] = []
        var keyColumns: [Column] = []
        var partitionExprs: [Expr] = []
        var movedValueColumns: Set<Int> = []
        let old = node.layout
        let nulls = query.partitionBy.filter { if case .literal(.null) = $0.kind { return true } else { return false } }
        if !nulls.isEmpty && query.partitionBy.count > 1 {
            throw PlannerErrors.semantic(
                "partition-by-null", "cannot PARTITION BY several expressions when one of them is NULL", query.range)
        }
        for e in query.partitionBy {
            if case .literal(.null) = e.kind { continue }
            let b = try binder.bind(e)
            keys.append(b)
            partitionExprs.append(e)
            keyColumns.append(Column(name: Self.naturalName(e) ?? generated.next(), type: b.type, namespace: .key))
            if case .column(let index, _) = b, index < old.keyCount + old.valueCount {
                movedValueColumns.insert(index)
            }
        }
        let valueIndices = (old.keyCount..<(old.keyCount + old.valueCount)).filter { !movedValueColumns.contains($0) }
            + (0..<old.keyCount).filter { !movedValueColumns.contains($0) }
        let all = old.keyColumns + old.valueColumns
        let values = valueIndices.map { BoundExpr.column($0, all[$0].type) }
        let valueColumns = valueIndices.map { Column(name: all[$0].name, type: all[$0].type, namespace: .value) }
        let layout = RowLayout(keyColumns: keyColumns, valueColumns: valueColumns, windowing: nil, isTable: false)
        node = .rekey(node, RekeyNode(keys: keys, values: values, layout: layout))
        var rekeyed = Scope(layout: layout, qualifiers: scope.entries.first?.qualifiers ?? [])
        rekeyed.syntheticNames = Set(keyColumns.map(\.name).filter { $0.hasPrefix("KSQL_COL_") })
        return try projectRepartitioned(
            query, node: node, scope: rekeyed, layout: layout, keys: keys, keyExprs: partitionExprs,
            description: description, inputs: inputs, purpose: purpose)
    }

    /// The select list over rows PARTITION BY re-keyed: each key expression reads the new key
    /// column, and aggregates are refused.
    func projectRepartitioned(
        _ query: Query, node: PlanNode, scope: Scope, layout: RowLayout, keys: [BoundExpr], keyExprs: [Expr],
        description: String, inputs: [String], purpose: Purpose
    ) throws(Diagnostic) -> QueryPlan {
        var rekeyed = scope
        for (i, e) in keyExprs.enumerated() {
            rekeyed.substitutions[e.kind] = (i, keys[i].type)
        }
        let items = try expandSelectItems(query.selectItems, scope: rekeyed, layout: layout, range: query.range)
        if items.contains(where: { containsAggregate($0.expr) }) {
            throw PlannerErrors.semantic(
                "partition-and-group", "PARTITION BY cannot be combined with aggregate functions", query.range)
        }
        return try finishProjection(
            items, input: node, scope: rekeyed, description: description, inputs: inputs, purpose: purpose,
            limit: query.limit, keyExprs: keyExprs)
    }

    // MARK: - FROM

    func planRelation(_ relation: Relation, inputs: inout [String]) throws(Diagnostic) -> (PlanNode, Scope, String) {
        switch relation {
        case .source(let name, let alias):
            guard let source = catalog.source(name.value) else {
                throw PlannerErrors.unknownSource(
                    name.value, suggestion: catalog.nearestSourceName(to: name.value), name.range)
            }
            inputs.append(source.name)
            let layout = RowLayout(
                keyColumns: source.keyColumns, valueColumns: source.valueColumns + source.headerColumns,
                windowing: source.windowing, isTable: source.kind == .table)
            let qualifiers = [source.name] + (alias.map { [$0.value] } ?? [])
            let scope = Scope(layout: layout, qualifiers: qualifiers)
            var timestampExpr: BoundExpr?
            if let ts = source.timestampColumn, let entry = scope.entries.first(where: { $0.name == ts }) {
                timestampExpr = .column(entry.index, entry.type)
                if entry.type == .string, let format = source.timestampFormat {
                    // A text timestamp is parsed with its TIMESTAMP_FORMAT, as STRINGTOTIMESTAMP does.
                    var binder = ExpressionBinder(scope: scope, functions: functions, types: types, scopeDescription: "")
                    let call = Expr(
                        .functionCall(
                            name: Identifier("STRINGTOTIMESTAMP"),
                            arguments: [
                                Expr(.column(qualifier: nil, name: Identifier(ts))), Expr(.literal(.string(format))),
                            ], distinct: false, star: false))
                    timestampExpr = try binder.bind(call)
                }
            }
            let kindName = source.kind == .stream ? "stream" : "table"
            return (
                .scan(ScanNode(source: source, layout: layout, timestampExpr: timestampExpr)), scope,
                "\(kindName) '\(source.name)'"
            )
        case .join(let join):
            return try planJoin(join, inputs: &inputs)
        }
    }

    // MARK: - Select list

    struct Item {
        var expr: Expr
        var alias: String?
    }

    func expandSelectItems(_ selectItems: [SelectItem], scope: Scope, layout: RowLayout, range: SourceRange) throws(Diagnostic) -> [Item] {
        var items: [Item] = []
        for item in selectItems {
            switch item {
            case .all where scope.joinColumns != nil:
                if let key = scope.syntheticJoinKey {
                    items.append(Item(expr: Expr(.column(qualifier: nil, name: Identifier(key))), alias: key))
                }
                for c in scope.joinColumns! where c.role != .pseudo {
                    items.append(
                        Item(expr: Expr(.column(qualifier: Identifier(c.qualifiers[0]), name: Identifier(c.name, quoted: true))), alias: c.outputName))
                }
            case .allFrom(let qualifier) where scope.joinColumns != nil:
                let matching = scope.joinColumns!.filter { $0.qualifiers.contains(qualifier.value) && $0.role != .pseudo }
                guard !matching.isEmpty else {
                    throw PlannerErrors.unknownSource(qualifier.value, suggestion: nil, qualifier.range)
                }
                for c in matching {
                    items.append(
                        Item(expr: Expr(.column(qualifier: qualifier, name: Identifier(c.name, quoted: true))), alias: c.outputName))
                }
            case .all:
                for entry in scope.entries where !entry.isPseudo {
                    items.append(Item(expr: Expr(.column(qualifier: nil, name: Identifier(entry.name, quoted: true))), alias: nil))
                }
            case .allFrom(let qualifier):
                let matching = scope.entries.filter { !$0.isPseudo && $0.qualifiers.contains(qualifier.value) }
                guard !matching.isEmpty else {
                    throw PlannerErrors.unknownSource(qualifier.value, suggestion: nil, qualifier.range)
                }
                for entry in matching {
                    items.append(
                        Item(expr: Expr(.column(qualifier: qualifier, name: Identifier(entry.name, quoted: true))), alias: nil))
                }
            case .expression(let e, let alias):
                items.append(Item(expr: e, alias: alias?.value))
            case .allFieldsOf(let e):
                var binder = ExpressionBinder(scope: scope, functions: functions, types: types, scopeDescription: "the query")
                guard case .structure(let fields) = try binder.bind(e).type else {
                    throw PlannerErrors.typeMismatch("'->*' needs a STRUCT", e.range)
                }
                for f in fields {
                    items.append(Item(expr: Expr(.dereference(e, field: Identifier(f.name, quoted: true)), range: e.range), alias: nil))
                }
            }
        }
        return items
    }

    /// The name ksqlDB gives an unaliased select item: a column's own name, a struct field's name.
    static func naturalName(_ e: Expr) -> String? {
        switch e.kind {
        case .column(_, let name): name.value
        case .dereference(_, let field): field.value
        default: nil
        }
    }

    /// Hands out KSQL_COL_n names, skipping any already taken.
    struct GeneratedNames {
        var taken: Set<String>
        var counter = 0

        mutating func next() -> String {
            while true {
                let name = "KSQL_COL_\(counter)"
                counter += 1
                if !taken.contains(name) {
                    taken.insert(name)
                    return name
                }
            }
        }
    }

    func containsAggregate(_ e: Expr) -> Bool {
        var found = false
        ExprWalker.visit(e) { node in
            if case .functionCall(let name, _, _, _) = node.kind, functions.isAggregate(name.value) { found = true }
        }
        return found
    }

    // MARK: - Projection

    /// Binds the select items over `scope` and splits them into key and value columns.
    func finishProjection(
        _ items: [Item], input: PlanNode, scope: Scope, description: String, inputs: [String], purpose: Purpose,
        limit: Int?, keyExprs: [Expr]
    ) throws(Diagnostic) -> QueryPlan {
        var binder = ExpressionBinder(scope: scope, functions: functions, types: types, scopeDescription: description)
        var node = input
        // Table functions (EXPLODE) expand the row before projection. A call may sit inside an
        // item (`EXPLODE(structs)->F1`): the item then reads the call's output column.
        var tableCalls: [Expr] = []
        for item in items {
            ExprWalker.visit(item.expr) { node in
                if case .functionCall(let name, _, _, _) = node.kind, functions.isTableFunction(name.value) {
                    tableCalls.append(node)
                }
            }
        }
        if !tableCalls.isEmpty {
            if node.layout.isTable {
                throw PlannerErrors.semantic(
                    "table-function-on-table", "table functions apply to streams, not to tables", tableCalls[0].range)
            }
            var calls: [(name: String, call: TableFunctionCall, arguments: [BoundExpr])] = []
            let inLayout = node.layout
            var extraColumns: [Column] = []
            for callExpr in tableCalls {
                guard case .functionCall(let name, let args, _, _) = callExpr.kind else { continue }
                var bound: [BoundExpr] = []
                var argTypes: [FunctionArgumentType] = []
                for a in args {
                    let b = try binder.bind(a)
                    bound.append(b)
                    argTypes.append(b.isNullLiteral ? .null : .value(b.type))
                }
                let call: TableFunctionCall
                do {
                    call = try functions.resolveTableFunction(
                        name: name.value, arguments: argTypes, lambdaReturnType: { _ in
                            throw FunctionResolutionError("lambdas in table functions are not supported yet")
                        })
                } catch {
                    throw PlannerErrors.semantic("function-resolution", "\(error)", callExpr.range)
                }
                calls.append((name.value, call, bound))
                extraColumns.append(Column(name: "KSQL_SYNTH_\(extraColumns.count)", type: call.returnType))
            }
            let layout = RowLayout(
                keyColumns: inLayout.keyColumns, valueColumns: inLayout.valueColumns + extraColumns,
                windowing: inLayout.windowing, isTable: inLayout.isTable)
            node = .flatMap(node, FlatMapNode(functions: calls, layout: layout))
            // The pseudo columns moved right by the added columns: rebuild the scope's indices.
            var shifted = binder.scope
            let shift = extraColumns.count
            for j in shifted.entries.indices where shifted.entries[j].isPseudo { shifted.entries[j].index += shift }
            for (k, v) in shifted.substitutions where v.index >= inLayout.rowtimeIndex {
                shifted.substitutions[k] = (v.index + shift, v.type)
            }
            for (n, callExpr) in tableCalls.enumerated() {
                shifted.substitutions[callExpr.kind] = (inLayout.keyCount + inLayout.valueCount + n, calls[n].call.returnType)
            }
            binder.scope = shifted
        }

        // Generated names avoid the aliases and the input's own column names.
        var generated = GeneratedNames(
            taken: Set(items.compactMap(\.alias)).union(Set(scope.columnNames).subtracting(scope.syntheticNames)))
        var bound: [(name: String, expr: BoundExpr, source: Expr)] = []
        for item in items {
            let b = try binder.bind(item.expr)
            var natural = Self.naturalName(item.expr)
            if let columns = scope.joinColumns, case .column(let q?, let n) = item.expr.kind,
                columns.filter({ $0.name == n.value }).count > 1
            {
                // A name both sides have is told apart by its source.
                natural = "\(q.value)_\(n.value)"
            }
            var name = item.alias ?? natural ?? generated.next()
            let isThatColumn: Bool = {
                guard case .column(let i, _) = b else { return false }
                return binder.scope.entries.contains { $0.index == i && $0.name == name }
            }()
            if item.alias == nil, case .dereference = item.expr.kind, !isThatColumn {
                // A struct field named like a column (or an earlier item) gets a numbered suffix.
                let taken = Set(scope.columnNames).union(bound.map(\.name))
                var n = 1
                let base = name
                while taken.contains(name) {
                    name = "\(base)_\(n)"
                    n += 1
                }
            }
            bound.append((name, b, item.expr))
        }
        if purpose == .persistent,
            let reserved = items.first(where: { $0.alias.map(RowLayout.pseudoColumnNames.contains) == true })
        {
            throw PlannerErrors.semantic(
                "reserved-column", "'\(reserved.alias!)' is a reserved column name: give the column another alias",
                reserved.expr.range)
        }
        var seen: Set<String> = []
        for b in bound where !seen.insert(b.name).inserted {
            throw PlannerErrors.semantic(
                "duplicate-output-column", "the projection has two columns named '\(b.name)': give one an alias",
                b.source.range)
        }
        let inLayout = node.layout
        if purpose == .persistent {
            for (item, b) in zip(items, bound) {
                if b.expr.isNullLiteral {
                    throw PlannerErrors.semantic(
                        "untyped-null", "the type of NULL cannot be inferred: CAST it, e.g. CAST(NULL AS STRING)",
                        item.expr.range)
                }
                if item.alias == nil, case .column(let index, _) = b.expr, index >= inLayout.rowtimeIndex,
                    binder.scope.keyAliases[index] == nil, scope.joinColumns == nil
                {
                    throw PlannerErrors.semantic(
                        "reserved-column-selected",
                        "'\(b.name)' is a reserved column name: remove it from the SELECT list or give it an alias",
                        item.expr.range)
                }
            }
        }
        if purpose == .transient {
            // Transient results show every select item as a value; the input key rides along as the
            // row's key (unshown) so pull queries can keep the latest row per key.
            let layout = RowLayout(
                keyColumns: inLayout.keyColumns, valueColumns: bound.map { Column(name: $0.name, type: $0.expr.type) },
                windowing: inLayout.windowing, isTable: inLayout.isTable)
            let keys = inLayout.keyColumns.indices.map { BoundExpr.column($0, inLayout.keyColumns[$0].type) }
            let project = ProjectNode(keys: keys, values: bound.map(\.expr), layout: layout)
            return QueryPlan(root: .project(node, project), sink: nil, inputs: inputs, limit: limit)
        }
        // Which select item is each key column?
        var keyItems: [Int] = []
        var keyless = false
        for (k, keyColumn) in inLayout.keyColumns.enumerated() {
            func rank(_ candidate: (name: String, expr: BoundExpr, source: Expr)) -> Int? {
                guard case .column(let index, _) = candidate.expr else { return nil }
                if index == k { return -1 }
                guard binder.scope.keyAliases[index] == k else { return nil }
                return binder.scope.keyAliasPreference.firstIndex(of: index) ?? Int.max
            }
            let match = bound.indices.filter { rank(bound[$0]) != nil }.min { rank(bound[$0])! < rank(bound[$1])! }
            guard let match else {
                if newPlanner && !inLayout.isTable && Self.keepsInputKey(input) {
                    keyless = true
                    break
                }
                let shown = k < keyExprs.count ? SQLFormatter.format(keyExprs[k]) : keyColumn.name
                throw PlannerErrors.semantic(
                    "key-missing", "key missing from projection: the query must select the key column '\(shown)'",
                    nil, help: "add '\(shown)' to the SELECT list")
            }
            keyItems.append(match)
        }
        // A key selected twice (under two names) is ambiguous as a key.
        for (k, chosen) in keyItems.enumerated() {
            guard case .column(let chosenIndex, _) = bound[chosen].expr else { continue }
            let again = bound.indices.first { i in
                guard i != chosen, case .column(let index, _) = bound[i].expr else { return false }
                return index == chosenIndex || index == k
            }
            if let other = again {
                throw PlannerErrors.semantic(
                    "key-selected-twice",
                    "the projection contains the key column more than once, as '\(bound[chosen].name)' and '\(bound[other].name)'",
                    bound[other].source.range)
            }
        }
        if keyless { keyItems = [] }
        // Each key column's position in the input key, in the order the output lists them.
        var keyOrder = Array(keyItems.indices)
        if newPlanner { keyOrder.sort { keyItems[$0] < keyItems[$1] } }
        let valueItems = bound.indices.filter { !keyItems.contains($0) }
        if valueItems.isEmpty {
            throw PlannerErrors.semantic("no-value-columns", "the projection contains no value columns", nil)
        }
        let layout = RowLayout(
            keyColumns: keyOrder.map { Column(name: bound[keyItems[$0]].name, type: bound[keyItems[$0]].expr.type, namespace: .key) },
            valueColumns: valueItems.map { Column(name: bound[$0].name, type: bound[$0].expr.type) },
            windowing: inLayout.windowing, isTable: inLayout.isTable)
        // A key selected through a join's ON column is the join key itself (never NULL, and present
        // in deletes).
        let keyExprs = keyOrder.map { k -> BoundExpr in
            let i = keyItems[k]
            if case .column(let index, let type) = bound[i].expr, index != k, binder.scope.keyAliases[index] == k {
                return .column(k, type)
            }
            return bound[i].expr
        }
        let project = ProjectNode(keys: keyExprs, values: valueItems.map { bound[$0].expr }, layout: layout)
        return QueryPlan(root: .project(node, project), sink: nil, inputs: inputs, limit: limit)
    }
}

/// Visits every node of an expression tree, parents first.
enum ExprWalker {
    static func visit(_ e: Expr, _ body: (Expr) -> Void) {
        body(e)
        switch e.kind {
        case .literal, .column, .variable, .intervalUnit: break
        case .unary(_, let a), .isNull(let a, _), .cast(let a, _), .dereference(let a, _): visit(a, body)
        case .binary(_, let a, let b), .logical(_, let a, let b), .comparison(_, let a, let b),
            .isDistinctFrom(let a, let b, _), .subscript(let a, let b):
            visit(a, body)
            visit(b, body)
        case .between(let a, let b, let c, _):
            visit(a, body)
            visit(b, body)
            visit(c, body)
        case .inList(let a, let list, _):
            visit(a, body)
            list.forEach { visit($0, body) }
        case .like(let a, let p, let esc, _):
            visit(a, body)
            visit(p, body)
            if let esc { visit(esc, body) }
        case .searchedCase(let whens, let elseValue):
            for w in whens {
                visit(w.condition, body)
                visit(w.result, body)
            }
            if let elseValue { visit(elseValue, body) }
        case .simpleCase(let operand, let whens, let elseValue):
            visit(operand, body)
            for w in whens {
                visit(w.condition, body)
                visit(w.result, body)
            }
            if let elseValue { visit(elseValue, body) }
        case .functionCall(_, let args, _, _): args.forEach { visit($0, body) }
        case .lambda(_, let b): visit(b, body)
        case .arrayConstructor(let items): items.forEach { visit($0, body) }
        case .mapConstructor(let entries):
            for en in entries {
                visit(en.key, body)
                visit(en.value, body)
            }
        case .structConstructor(let fields): fields.forEach { visit($0.value, body) }
        }
    }
}
