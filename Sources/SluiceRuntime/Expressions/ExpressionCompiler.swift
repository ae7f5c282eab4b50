import SluiceFunctions
import SluicePlanner
import SluiceSQL
import SluiceTypes

/// A compiled expression: reads the evaluation row, returns the value. Never throws: a failure
/// makes the value NULL and is recorded in the context for the processing log.
typealias CompiledExpr = @Sendable (_ row: [Value], _ context: EvalContext) -> Value

/// Per-task scratch state for evaluation: the lambda parameter stack and the errors met while
/// evaluating the current record.
final class EvalContext: @unchecked Sendable {
    var lambdaStack: [[Value]] = []
    var errors: [String] = []

    func fail(_ message: String) -> Value {
        errors.append(message)
        return .null
    }
}

/// Compiles ``BoundExpr`` trees into closures once per task.
enum ExpressionCompiler {
    static func compile(_ e: BoundExpr) -> CompiledExpr { compile(e, inLambda: false) }

    /// `inLambda`: the expression is (part of) a lambda body. There ksqlDB's generated Java
    /// unboxes NULL operands of arithmetic and fails, and any failure escapes the lambda and fails
    /// the function calling it (TRANSFORM(xs, x => x + 5) over [5, NULL] is NULL, not [10, NULL]).
    static func compile(_ e: BoundExpr, inLambda: Bool) -> CompiledExpr {
        func c(_ x: BoundExpr) -> CompiledExpr { compile(x, inLambda: inLambda) }
        switch e {
        case .literal(let v, _):
            return { _, _ in v }
        case .column(let i, _):
            return { row, _ in row[i] }
        case .lambdaParameter(let depth, let index, _):
            return { _, ctx in
                guard depth < ctx.lambdaStack.count, index < ctx.lambdaStack[depth].count else { return .null }
                return ctx.lambdaStack[depth][index]
            }
        case .arithmetic(let op, let l, let r, let type):
            let left = c(l)
            if !inLambda, let fast = IntegerFastPaths.arithmetic(op, l, r, type, left: left) { return fast }
            let right = c(r)
            let widenL = widener(from: l.type, to: type)
            let widenR = widener(from: r.type, to: type)
            let nullFails = inLambda && type != .string
            let general: CompiledExpr = { row, ctx in
                let a = left(row, ctx)
                let b = a.isNull ? Value.null : right(row, ctx)
                if a.isNull || b.isNull {
                    return nullFails ? ctx.fail("cannot apply '\(op.rawValue)' to a NULL operand") : .null
                }
                do {
                    return try ValueArithmetic.apply(op, widenL(a), widenR(b), resultType: type)
                } catch {
                    return ctx.fail("\(error)")
                }
            }
            if op == .multiply, let fast = DecimalFastPaths.multiply(l, r, type, general: general) { return fast }
            return general
        case .negate(let inner):
            let f = c(inner)
            return { row, ctx in ValueArithmetic.negate(f(row, ctx)) }
        case .not(let inner):
            let f = c(inner)
            return { row, ctx in
                if case .boolean(let b) = f(row, ctx) { return .boolean(!b) }
                return .null
            }
        case .and(let l, let r):
            let left = c(l)
            let right = c(r)
            return { row, ctx in
                let a = left(row, ctx)
                if case .boolean(false) = a { return .boolean(false) }
                let b = right(row, ctx)
                if case .boolean(false) = b { return .boolean(false) }
                if a.isNull || b.isNull { return .null }
                return .boolean(true)
            }
        case .or(let l, let r):
            let left = c(l)
            let right = c(r)
            return { row, ctx in
                let a = left(row, ctx)
                if case .boolean(true) = a { return .boolean(true) }
                let b = right(row, ctx)
                if case .boolean(true) = b { return .boolean(true) }
                if a.isNull || b.isNull { return .null }
                return .boolean(false)
            }
        case .comparison(let op, let l, let r):
            let left = c(l)
            if let fast = IntegerFastPaths.comparison(op, l, r, left: left) { return fast }
            let right = c(r)
            return { row, ctx in
                let a = left(row, ctx)
                let b = right(row, ctx)
                // ksqlDB's comparisons are null-safe: a NULL operand makes them FALSE, not NULL.
                if a.isNull || b.isNull { return .boolean(false) }
                guard let c = ValueComparison.compare(a, b) else {
                    if op == .equal { return .boolean(a == b) }
                    if op == .notEqual { return .boolean(a != b) }
                    return .null
                }
                return .boolean(evaluate(op, c))
            }
        case .isNull(let inner, let negated):
            let f = c(inner)
            return { row, ctx in .boolean(f(row, ctx).isNull != negated) }
        case .isDistinctFrom(let l, let r, let negated):
            let left = c(l)
            let right = c(r)
            return { row, ctx in
                let a = left(row, ctx)
                let b = right(row, ctx)
                let distinct: Bool
                if a.isNull || b.isNull {
                    distinct = a.isNull != b.isNull
                } else {
                    distinct = (ValueComparison.compare(a, b) ?? (a == b ? 0 : 1)) != 0
                }
                return .boolean(distinct != negated)
            }
        case .between(let v, let lo, let hi, let negated):
            let value = c(v)
            let low = c(lo)
            let high = c(hi)
            return { row, ctx in
                let x = value(row, ctx)
                let a = low(row, ctx)
                let b = high(row, ctx)
                if x.isNull || a.isNull || b.isNull { return .null }
                guard let c1 = ValueComparison.compare(x, a), let c2 = ValueComparison.compare(x, b) else { return .null }
                return .boolean((c1 >= 0 && c2 <= 0) != negated)
            }
        case .inList(let v, let list, let negated):
            let value = c(v)
            let items = list.map(c)
            return { row, ctx in
                let x = value(row, ctx)
                if x.isNull { return .null }
                var sawNull = false
                for item in items {
                    let y = item(row, ctx)
                    if y.isNull {
                        sawNull = true
                        continue
                    }
                    if (ValueComparison.compare(x, y) ?? (x == y ? 0 : 1)) == 0 { return .boolean(!negated) }
                }
                return sawNull ? .null : .boolean(negated)
            }
        case .like(let v, let p, let escape, let negated):
            let value = c(v)
            let pattern = c(p)
            return { row, ctx in
                guard case .string(let s) = value(row, ctx), case .string(let pat) = pattern(row, ctx) else { return .null }
                return .boolean(ValueComparison.like(s, pat, escape: escape) != negated)
            }
        case .cast(let inner, let target):
            let from = inner.type
            // A literal cast (the planner's implicit widening of `123` next to a BIGINT, say) is
            // cast once here rather than for every record; a failing one still fails per record.
            if case .literal(let v, _) = inner, let folded = try? ValueCast.cast(v, from: from, to: target) {
                return { _, _ in folded }
            }
            if from == target { return c(inner) }
            let f = c(inner)
            return { row, ctx in
                do {
                    return try ValueCast.cast(f(row, ctx), from: from, to: target)
                } catch {
                    return ctx.fail("\(error)")
                }
            }
        case .caseWhen(let pairs, let elseValue, _):
            let compiled = pairs.map { (c($0.condition), c($0.result)) }
            let otherwise = elseValue.map(c)
            return { row, ctx in
                for (condition, result) in compiled {
                    if case .boolean(true) = condition(row, ctx) { return result(row, ctx) }
                }
                return otherwise?(row, ctx) ?? .null
            }
        case .call(let name, let call, let args, let lambdas):
            let compiledArgs = args.map(c)
            let compiledLambdas = lambdas.map { (compile($0.body, inLambda: true), $0.depth) }
            let invoke = call.invoke
            if compiledLambdas.isEmpty {
                return { row, ctx in
                    var values: [Value] = []
                    values.reserveCapacity(compiledArgs.count)
                    for a in compiledArgs { values.append(a(row, ctx)) }
                    do {
                        return try invoke(values, [])
                    } catch {
                        return ctx.fail("\(name): \(error)")
                    }
                }
            }
            return { row, ctx in
                let values = compiledArgs.map { $0(row, ctx) }
                let lambdaValues: [Lambda] = compiledLambdas.map { body, depth in
                    { (params: [Value]) throws(FunctionError) -> Value in
                        ctx.lambdaStack.append(params)
                        defer { ctx.lambdaStack.removeLast() }
                        _ = depth
                        let errorsBefore = ctx.errors.count
                        let result = body(row, ctx)
                        // A failure in the body fails the whole call, reported once by it.
                        if ctx.errors.count > errorsBefore {
                            let message = ctx.errors[errorsBefore]
                            ctx.errors.removeSubrange(errorsBefore...)
                            throw FunctionError(message)
                        }
                        return result
                    }
                }
                do {
                    return try invoke(values, lambdaValues)
                } catch {
                    return ctx.fail("\(name): \(error)")
                }
            }
        case .subscriptOf(let base, let index, _):
            let b = c(base)
            let i = c(index)
            return { row, ctx in
                let container = b(row, ctx)
                let key = i(row, ctx)
                switch container {
                case .array(let items):
                    guard let n = key.asInt64 else { return .null }
                    let position = n > 0 ? Int(n) - 1 : items.count + Int(n)
                    return position >= 0 && position < items.count ? items[position] : .null
                case .map(let entries):
                    return entries.first { $0.key == key }?.value ?? .null
                default:
                    return .null
                }
            }
        case .field(let base, let name, _):
            let b = c(base)
            return { row, ctx in
                guard case .structure(let entries) = b(row, ctx) else { return .null }
                return entries.first { $0.name == name }?.value ?? .null
            }
        case .makeArray(let items, _):
            let compiled = items.map(c)
            return { row, ctx in .array(compiled.map { $0(row, ctx) }) }
        case .makeMap(let entries, _):
            let compiled = entries.map { (c($0.key), c($0.value)) }
            return { row, ctx in
                var out: [MapEntry] = []
                for (k, v) in compiled {
                    let key = k(row, ctx)
                    let value = v(row, ctx)
                    if let i = out.firstIndex(where: { $0.key == key }) {
                        out[i].value = value
                    } else {
                        out.append(MapEntry(key: key, value: value))
                    }
                }
                return .map(out)
            }
        case .makeStruct(let fields, _):
            let compiled = fields.map { ($0.name, c($0.value)) }
            return { row, ctx in .structure(compiled.map { StructEntry(name: $0.0, value: $0.1(row, ctx)) }) }
        }
    }

    static func evaluate(_ op: ComparisonOperator, _ c: Int) -> Bool {
        switch op {
        case .equal: c == 0
        case .notEqual: c != 0
        case .less: c < 0
        case .lessOrEqual: c <= 0
        case .greater: c > 0
        case .greaterOrEqual: c >= 0
        }
    }

    /// Converts an operand to the arithmetic result's type family before the operation.
    static func widener(from: SQLType, to: SQLType) -> @Sendable (Value) -> Value {
        if from == to { return { $0 } }
        switch to {
        case .bigint: return { v in v.asInt64.map(Value.bigint) ?? .null }
        case .double: return { v in v.asDouble.map(Value.double) ?? .null }
        case .decimal: return { v in v.asDecimal.map(Value.decimal) ?? .null }
        default: return { $0 }
        }
    }
}
