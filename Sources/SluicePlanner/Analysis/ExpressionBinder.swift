import SluiceFunctions
import SluiceSQL
import SluiceTypes

/// Resolves names, functions and types in one expression against a ``Scope``.
///
/// Throws a ``Diagnostic`` pointing at the offending sub-expression. Aggregate calls are an error
/// here unless the scope substitutes them (the projection after an aggregation does).
public struct ExpressionBinder {
    public var scope: Scope
    public var functions: FunctionRegistry
    public var types: TypeResolver
    /// Describes the scope for messages ("stream 'READINGS'").
    public var scopeDescription: String
    private var lambdaFrames: [[String: (index: Int, type: SQLType)]] = []

    public init(scope: Scope, functions: FunctionRegistry, types: TypeResolver, scopeDescription: String) {
        self.scope = scope
        self.functions = functions
        self.types = types
        self.scopeDescription = scopeDescription
    }

    public mutating func bind(_ expr: Expr) throws(Diagnostic) -> BoundExpr {
        if let sub = scope.substitutions[expr.kind] { return .column(sub.index, sub.type) }
        let range = expr.range
        switch expr.kind {
        case .literal(let literal):
            return try Self.bindLiteral(literal, range: range)
        case .column(let qualifier, let name):
            return try bindColumn(qualifier: qualifier, name: name, range: range)
        case .variable(let name):
            throw PlannerErrors.semantic("unknown-variable", "variable '${\(name)}' is not defined", range)
        case .unary(let op, let operand):
            let inner = try bind(operand)
            switch op {
            case .not:
                try expectBoolean(inner, operand.range, "NOT")
                return .not(inner)
            case .minus:
                guard TypeRules.numericRank(inner.type) != nil else {
                    throw PlannerErrors.typeMismatch("cannot negate a value of type \(inner.type)", range)
                }
                return .negate(inner)
            case .plus:
                return inner
            }
        case .binary(let op, let l, let r):
            var left = try bind(l)
            var right = try bind(r)
            unifyNulls(&left, &right)
            guard let t = TypeRules.arithmetic(op, left.type, right.type) else {
                throw PlannerErrors.typeMismatch(
                    "operator '\(op.rawValue)' cannot be applied to \(left.type) and \(right.type)", range)
            }
            return .arithmetic(op, left, right, t)
        case .logical(let op, let l, let r):
            let left = try bind(l)
            let right = try bind(r)
            try expectBoolean(left, l.range, op.rawValue)
            try expectBoolean(right, r.range, op.rawValue)
            return op == .and ? .and(left, right) : .or(left, right)
        case .comparison(let op, let l, let r):
            let (left, right) = try bindComparable(
                l, r, range: range, equalityOnly: op == .equal || op == .notEqual)
            return .comparison(op, left, right)
        case .isNull(let e, let negated):
            return .isNull(try bind(e), negated: negated)
        case .isDistinctFrom(let l, let r, let negated):
            let (left, right) = try bindComparable(l, r, range: range, equalityOnly: true)
            return .isDistinctFrom(left, right, negated: negated)
        case .between(let e, let low, let high, let negated):
            let (value, lowBound) = try bindComparable(e, low, range: range)
            let (value2, highBound) = try bindComparable(e, high, range: range)
            if value.type != value2.type {
                let common = TypeRules.comparable(value.type, value2.type) ?? value.type
                return .between(
                    coerce(value, to: common), coerce(lowBound, to: common), coerce(highBound, to: common),
                    negated: negated)
            }
            return .between(value, lowBound, highBound, negated: negated)
        case .inList(let e, let list, let negated):
            let value = try bind(e)
            var items: [BoundExpr] = []
            var common = value.type
            for item in list {
                var b = try bind(item)
                if b.isNullLiteral { b = .literal(.null, common) }
                if case .structure(let fields) = value.type, case .makeStruct(let entries, _) = b {
                    // A STRUCT(...) item is read as the tested struct type: its fields by exact
                    // name (missing ones NULL, literals converted); with a field the type lacks it
                    // can never be equal, and ksqlDB leaves it out.
                    guard let converted = try Self.structItem(entries, as: fields, tested: value.type, range: item.range)
                    else { continue }
                    b = converted
                }
                if let t = TypeRules.comparable(common, b.type, equalityOnly: true) {
                    common = t
                } else if case .literal(let literal, _) = b, TypeRules.literalConverts(literal, to: value.type) {
                    // ksqlDB converts a literal of another type to the tested value's type ('4.0'
                    // against a DOUBLE, TRUE against a STRING); one that does not convert is an error.
                    b = .cast(b, to: value.type)
                } else if let t = TypeRules.commonContainer(common, b.type) {
                    // Containers of wider or narrower element types compare in the wider type.
                    common = t
                } else {
                    throw PlannerErrors.typeMismatch("cannot compare \(value.type) with \(b.type) in IN list", item.range)
                }
                items.append(b)
            }
            return .inList(coerce(value, to: common), items.map { coerce($0, to: common) }, negated: negated)
        case .like(let e, let pattern, let escape, let negated):
            let value = try bind(e)
            let p = try bind(pattern)
            guard value.type == .string || value.isNullLiteral, p.type == .string || p.isNullLiteral else {
                throw PlannerErrors.typeMismatch("LIKE applies to STRING values, not \(value.type)", range)
            }
            var escapeChar: Character?
            if let escape {
                guard case .literal(.string(let s)) = escape.kind, s.count == 1 else {
                    throw PlannerErrors.semantic("bad-escape", "the ESCAPE of LIKE must be a single character", escape.range)
                }
                escapeChar = s.first
            }
            return .like(value, pattern: p, escape: escapeChar, negated: negated)
        case .cast(let e, let typeSyntax):
            let value = try bind(e)
            let target = try types.resolve(typeSyntax, range: range)
            // A cast NULL has a type: it is no longer an untyped NULL literal.
            if value.isNullLiteral { return .cast(.literal(.null, target), to: target) }
            guard TypeRules.castable(from: value.type, to: target) else {
                throw PlannerErrors.typeMismatch("cannot cast \(value.type) to \(target)", range)
            }
            return value.type == target ? value : .cast(value, to: target)
        case .searchedCase(let whens, let elseValue):
            var pairs: [(condition: BoundExpr, result: BoundExpr)] = []
            for w in whens {
                let c = try bind(w.condition)
                try expectBoolean(c, w.condition.range, "WHEN")
                pairs.append((c, try bind(w.result)))
            }
            return try finishCase(pairs, elseValue: elseValue, range: range)
        case .simpleCase(let operand, let whens, let elseValue):
            var pairs: [(condition: BoundExpr, result: BoundExpr)] = []
            for w in whens {
                let (l, r) = try bindComparable(operand, w.condition, range: w.condition.range)
                pairs.append((.comparison(.equal, l, r), try bind(w.result)))
            }
            return try finishCase(pairs, elseValue: elseValue, range: range)
        case .functionCall(let name, let arguments, let distinct, let star):
            return try bindCall(name: name, arguments: arguments, distinct: distinct, star: star, range: range)
        case .intervalUnit(let unit):
            return .literal(.string(unit.rawValue), .string)
        case .lambda:
            throw PlannerErrors.semantic("misplaced-lambda", "a lambda can only be an argument of a function", range)
        case .subscript(let base, let index):
            let b = try bind(base)
            let i = try bind(index)
            switch b.type {
            case .array(let element):
                guard TypeRules.numericRank(i.type) != nil, i.type != .double else {
                    throw PlannerErrors.typeMismatch("an array index must be an integer, not \(i.type)", index.range)
                }
                return .subscriptOf(b, i, element)
            case .map(let keyType, let valueType):
                return .subscriptOf(b, coerce(i, to: keyType), valueType)
            default:
                throw PlannerErrors.typeMismatch("cannot subscript a value of type \(b.type)", range)
            }
        case .dereference(let base, let field):
            let b = try bind(base)
            guard case .structure(let fields) = b.type else {
                throw PlannerErrors.typeMismatch("'->' needs a STRUCT, not \(b.type)", range)
            }
            guard let f = fields.first(where: { $0.name == field.value }) ?? fields.first(where: {
                $0.name.uppercased() == field.value.uppercased()
            }) else {
                throw PlannerErrors.semantic(
                    "unknown-field", "unknown field '\(field.value)' in \(b.type)", field.range)
            }
            return .field(b, name: f.name, f.type)
        case .arrayConstructor(let items):
            var bound = try items.map { (e) throws(Diagnostic) in try bind(e) }
            let element = try commonType(bound, range: range, userList: true) ?? .string
            bound = bound.map { coerce($0, to: element) }
            return .makeArray(bound, .array(element))
        case .mapConstructor(let entries) where entries.isEmpty:
            throw PlannerErrors.semantic(
                "empty-map", "a map constructor needs at least one key-value pair", range)
        case .mapConstructor(let entries):
            var keys = try entries.map { (e) throws(Diagnostic) in try bind(e.key) }
            var values = try entries.map { (e) throws(Diagnostic) in try bind(e.value) }
            guard let keyType = try commonType(keys, range: range, userList: true) else {
                throw PlannerErrors.semantic("map-null-keys", "cannot build a map whose keys are all NULL", range)
            }
            guard let valueType = try commonType(values, range: range, userList: true) else {
                throw PlannerErrors.semantic("map-null-values", "cannot build a map whose values are all NULL", range)
            }
            keys = keys.map { coerce($0, to: keyType) }
            values = values.map { coerce($0, to: valueType) }
            return .makeMap(Array(zip(keys, values)).map { (key: $0.0, value: $0.1) }, .map(key: keyType, value: valueType))
        case .structConstructor(let fields):
            var out: [(name: String, value: BoundExpr)] = []
            for f in fields { out.append((f.name.value, try bind(f.value))) }
            return .makeStruct(out, .structure(out.map { StructField(name: $0.name, type: $0.value.type) }))
        }
    }

    // MARK: - Pieces

    static func bindLiteral(_ literal: Literal, range: SourceRange) throws(Diagnostic) -> BoundExpr {
        switch literal {
        case .null: return .literal(.null, .string)
        case .boolean(let b): return .literal(.boolean(b), .boolean)
        case .string(let s): return .literal(.string(s), .string)
        case .integer(let text):
            if let v = Int32(text) { return .literal(.integer(v), .integer) }
            if let v = Int64(text) { return .literal(.bigint(v), .bigint) }
            throw PlannerErrors.semantic("bad-literal", "integer literal '\(text)' is out of range", range)
        case .double(let text):
            guard let d = Double(text), d.isFinite else {
                throw PlannerErrors.semantic("bad-literal", "number '\(text)' overflows DOUBLE", range)
            }
            return .literal(.double(d), .double)
        case .decimal(let text):
            guard let (value, precision, scale) = DecimalLiteral.parse(text) else {
                throw PlannerErrors.semantic("bad-literal", "invalid decimal '\(text)'", range)
            }
            return .literal(.decimal(value), .decimal(precision: precision, scale: scale))
        }
    }

    private mutating func bindColumn(qualifier: Identifier?, name: Identifier, range: SourceRange) throws(Diagnostic) -> BoundExpr {
        if qualifier == nil {
            for (depth, frame) in lambdaFrames.enumerated().reversed() {
                if let p = frame[name.value] { return .lambdaParameter(depth: depth, index: p.index, p.type) }
            }
        }
        switch scope.lookup(qualifier: qualifier?.value, name: name.value) {
        case .found(let entry): return .column(entry.index, entry.type)
        case .ambiguous: throw PlannerErrors.ambiguousColumn(name.value, range)
        case .missing:
            let shown = qualifier.map { "\($0.value).\(name.value)" } ?? name.value
            throw PlannerErrors.unknownColumn(
                shown, in: scopeDescription,
                suggestion: EditDistance.nearest(to: name.value, among: scope.columnNames), range)
        }
    }

    private mutating func bindCall(
        name: Identifier, arguments: [Expr], distinct: Bool, star: Bool, range: SourceRange
    ) throws(Diagnostic) -> BoundExpr {
        if functions.isAggregate(name.value) {
            throw PlannerErrors.aggregateNotAllowed(name.value, range)
        }
        if functions.isTableFunction(name.value) {
            throw PlannerErrors.semantic(
                "table-function-not-allowed", "table function '\(name.value)' can only appear at the top of the select list",
                range)
        }
        var argTypes: [FunctionArgumentType] = []
        var bound: [BoundExpr] = []
        var constants: [Value?] = []
        var lambdaExprs: [(params: [Identifier], body: Expr)] = []
        for arg in arguments {
            if case .lambda(let params, let body) = arg.kind {
                argTypes.append(.lambda(parameterCount: params.count))
                lambdaExprs.append((params, body))
                continue
            }
            var b: BoundExpr
            if case .column(nil, let word) = arg.kind, let unit = Self.timeUnit(word.value),
                case .missing = scope.lookup(qualifier: nil, name: word.value)
            {
                b = .literal(.string(unit.rawValue), .string)
            } else {
                b = try bind(arg)
            }
            bound.append(b)
            if case .literal(let v, _) = b {
                constants.append(v)
                argTypes.append(v.isNull ? .null : .value(b.type))
            } else {
                constants.append(nil)
                argTypes.append(.value(b.type))
            }
        }
        var lambdas: [BoundLambda] = []
        var lambdaError: Diagnostic?
        var lambdaIndex = 0
        let depth = lambdaFrames.count
        let call: ScalarFunctionCall
        do {
            var binder = self
            call = try functions.resolveScalar(
                name: name.value, arguments: argTypes, constantArguments: constants,
                lambdaReturnType: { (paramTypes: [SQLType]) throws -> SQLType in
                    guard lambdaIndex < lambdaExprs.count else { throw FunctionResolutionError("unexpected lambda") }
                    let (params, body) = lambdaExprs[lambdaIndex]
                    lambdaIndex += 1
                    guard params.count == paramTypes.count else {
                        throw FunctionResolutionError(
                            "the lambda passed to \(name.value) takes \(paramTypes.count) parameter(s), not \(params.count)")
                    }
                    var frame: [String: (index: Int, type: SQLType)] = [:]
                    for (i, p) in params.enumerated() { frame[p.value] = (i, paramTypes[i]) }
                    binder.lambdaFrames.append(frame)
                    defer { binder.lambdaFrames.removeLast() }
                    do {
                        let b = try binder.bind(body)
                        lambdas.append(BoundLambda(depth: depth, parameterTypes: paramTypes, body: b))
                        return b.type
                    } catch let d as Diagnostic {
                        lambdaError = d
                        throw FunctionResolutionError(d.message)
                    }
                })
        } catch let error as FunctionResolutionError {
            if let lambdaError { throw lambdaError }
            throw PlannerErrors.semantic("function-resolution", error.message, range)
        } catch {
            if let lambdaError { throw lambdaError }
            throw PlannerErrors.semantic("function-resolution", "\(error)", range)
        }
        return .call(name: name.value, call, bound, lambdas: lambdas)
    }

    /// A non-reserved time unit word (`DAY`, `HOURS` ...) used as a function argument.
    static func timeUnit(_ word: String) -> TimeUnit? {
        let plural = word.hasSuffix("S") ? word : word + "S"
        return TimeUnit(rawValue: plural)
    }

    private func expectBoolean(_ e: BoundExpr, _ range: SourceRange, _ context: String) throws(Diagnostic) {
        guard e.type == .boolean || e.isNullLiteral else {
            throw PlannerErrors.typeMismatch("\(context) needs a BOOLEAN operand, not \(e.type)", range)
        }
    }

    private mutating func bindComparable(
        _ l: Expr, _ r: Expr, range: SourceRange, equalityOnly: Bool = false
    ) throws(Diagnostic) -> (BoundExpr, BoundExpr) {
        var left = try bind(l)
        var right = try bind(r)
        unifyNulls(&left, &right)
        // ksqlDB compares ROWTIME and window bounds with timestamp text by parsing the text.
        if let converted = try Self.timestampText(right, against: l) { right = converted }
        if let converted = try Self.timestampText(left, against: r) { left = converted }
        guard let common = TypeRules.comparable(left.type, right.type, equalityOnly: equalityOnly) else {
            throw PlannerErrors.typeMismatch("cannot compare \(left.type) to \(right.type)", range)
        }
        return (coerce(left, to: common), coerce(right, to: common))
    }

    /// A string literal compared with `ROWTIME`, `WINDOWSTART` or `WINDOWEND`, turned into the
    /// BIGINT milliseconds it names; nil when the pair is not of that shape.
    static func timestampText(_ literal: BoundExpr, against other: Expr) throws(Diagnostic) -> BoundExpr? {
        guard case .literal(.string(let text), _) = literal, case .column(_, let name) = other.kind,
            ["ROWTIME", "WINDOWSTART", "WINDOWEND"].contains(name.value)
        else { return nil }
        guard let ms = TemporalParsing.parseTimestamp(text) else {
            throw PlannerErrors.semantic(
                "bad-timestamp", "'\(text)' is not a timestamp (expected yyyy-MM-ddTHH:mm:ss.SSS)", other.range)
        }
        return .literal(.bigint(ms), .bigint)
    }

    /// Gives an untyped NULL the type of the other operand.
    private func unifyNulls(_ a: inout BoundExpr, _ b: inout BoundExpr) {
        if a.isNullLiteral && !b.isNullLiteral { a = .literal(.null, b.type) }
        if b.isNullLiteral && !a.isNullLiteral { b = .literal(.null, a.type) }
    }

    /// The type the items of a CASE or of an ARRAY/MAP constructor share. For constructors
    /// (`userList`) ksqlDB's `CoercionUtil` also accepts, after a numeric item, a string literal
    /// holding a number (`ARRAY[10, '2e1']`) or a boolean, and merges struct constructors of
    /// different fields into one struct type with all the fields.
    private func commonType(_ items: [BoundExpr], range: SourceRange, userList: Bool = false) throws(Diagnostic) -> SQLType? {
        var common: SQLType?
        for item in items where !item.isNullLiteral {
            guard let c = common else {
                common = item.type
                continue
            }
            if c == item.type { continue }
            if let n = TypeRules.commonNumeric(c, item.type) {
                common = n
                continue
            }
            if userList, case .literal(.string(let text), _) = item {
                if TypeRules.numericRank(c) != nil {
                    guard let t = TypeRules.numericTypeOfText(text), let n = TypeRules.commonWithNumericText(c, t) else {
                        throw PlannerErrors.typeMismatch("'\(text)' is not a valid \(c) value", range)
                    }
                    common = n
                    continue
                }
                if c == .boolean {
                    guard TypeRules.literalConverts(.string(text), to: .boolean) else {
                        throw PlannerErrors.typeMismatch("'\(text)' is not a valid BOOLEAN value", range)
                    }
                    continue
                }
            }
            if userList, case .makeStruct = item, case .structure(let target) = c, case .structure(let fields) = item.type,
                let merged = TypeRules.mergedStruct(target, fields)
            {
                common = merged
                continue
            }
            throw PlannerErrors.typeMismatch("mixed types \(c) and \(item.type)", range)
        }
        return common
    }

    private mutating func finishCase(
        _ pairs: [(condition: BoundExpr, result: BoundExpr)], elseValue: Expr?, range: SourceRange
    ) throws(Diagnostic) -> BoundExpr {
        let elseBound = try elseValue.map { (e) throws(Diagnostic) in try bind(e) }
        let results = pairs.map(\.result) + (elseBound.map { [$0] } ?? [])
        let type = try commonType(results, range: range) ?? .string
        return .caseWhen(
            pairs.map { ($0.condition, coerce($0.result, to: type)) }, elseValue: elseBound.map { coerce($0, to: type) },
            type)
    }

    /// Wraps `e` in a cast to `type` when it differs.
    /// A struct constructor's fields as a value of a struct type with `fields`; nil when it names a
    /// field the type lacks. A value that cannot become its field's type is an error.
    static func structItem(
        _ entries: [(name: String, value: BoundExpr)], as fields: [StructField], tested: SQLType, range: SourceRange
    ) throws(Diagnostic) -> BoundExpr? {
        guard entries.allSatisfy({ e in fields.contains { $0.name == e.name } }) else { return nil }
        var out: [(name: String, value: BoundExpr)] = []
        for field in fields {
            guard let entry = entries.last(where: { $0.name == field.name }) else {
                out.append((field.name, .literal(.null, field.type)))
                continue
            }
            let v = entry.value
            if v.type == field.type {
                out.append((field.name, v))
            } else if v.isNullLiteral {
                out.append((field.name, .literal(.null, field.type)))
            } else if case .literal(let literal, _) = v, TypeRules.literalConverts(literal, to: field.type) {
                out.append((field.name, .cast(v, to: field.type)))
            } else if TypeRules.comparable(v.type, field.type, equalityOnly: true) == field.type {
                out.append((field.name, .cast(v, to: field.type)))
            } else {
                let given = StructField(name: field.name, type: v.type)
                throw PlannerErrors.typeMismatch(
                    "cannot compare \(tested) with STRUCT<`\(given.name)` \(given.type)> in IN list", range)
            }
        }
        return .makeStruct(out, .structure(fields))
    }

    func coerce(_ e: BoundExpr, to type: SQLType) -> BoundExpr {
        if e.type == type { return e }
        if e.isNullLiteral { return .literal(.null, type) }
        return .cast(e, to: type)
    }
}

/// Parses decimal literal text into a value, precision and scale.
enum DecimalLiteral {
    static func parse(_ text: String) -> (SQLDecimal, Int, Int)? {
        var digits = ""
        var scale = 0
        var seenPoint = false
        var negative = false
        for (i, c) in text.enumerated() {
            if c == "-" && i == 0 {
                negative = true
            } else if c == "+" && i == 0 {
                continue
            } else if c == "." {
                if seenPoint { return nil }
                seenPoint = true
            } else if c.isASCII && c.isNumber {
                digits.append(c)
                if seenPoint { scale += 1 }
            } else {
                return nil
            }
        }
        guard !digits.isEmpty, let unscaled = Int128(digits) else { return nil }
        let significant = digits.drop { $0 == "0" }.count
        let precision = max(significant, scale, 1)
        return (SQLDecimal(unscaled: negative ? -unscaled : unscaled, scale: scale), precision, scale)
    }
}
