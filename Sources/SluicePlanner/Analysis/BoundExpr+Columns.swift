extension BoundExpr {
    /// Adds the evaluation-row positions this expression reads (lambda bodies included) to `columns`.
    public func collectColumns(into columns: inout Set<Int>) {
        switch self {
        case .literal, .lambdaParameter:
            return
        case .column(let i, _):
            columns.insert(i)
        case .negate(let e), .not(let e), .isNull(let e, _), .cast(let e, _), .field(let e, _, _):
            e.collectColumns(into: &columns)
        case .arithmetic(_, let a, let b, _), .and(let a, let b), .or(let a, let b), .comparison(_, let a, let b),
            .isDistinctFrom(let a, let b, _), .subscriptOf(let a, let b, _), .like(let a, let b, _, _):
            a.collectColumns(into: &columns)
            b.collectColumns(into: &columns)
        case .between(let a, let b, let c, _):
            for e in [a, b, c] { e.collectColumns(into: &columns) }
        case .inList(let e, let list, _):
            e.collectColumns(into: &columns)
            for x in list { x.collectColumns(into: &columns) }
        case .caseWhen(let branches, let elseValue, _):
            for b in branches {
                b.condition.collectColumns(into: &columns)
                b.result.collectColumns(into: &columns)
            }
            elseValue?.collectColumns(into: &columns)
        case .call(_, _, let args, let lambdas):
            for a in args { a.collectColumns(into: &columns) }
            for l in lambdas { l.body.collectColumns(into: &columns) }
        case .makeArray(let items, _):
            for x in items { x.collectColumns(into: &columns) }
        case .makeMap(let entries, _):
            for e in entries {
                e.key.collectColumns(into: &columns)
                e.value.collectColumns(into: &columns)
            }
        case .makeStruct(let fields, _):
            for f in fields { f.value.collectColumns(into: &columns) }
        }
    }
}
