import SluiceTypes

// MARK: - SUM

/// SUM of DECIMAL(p, s): stays DECIMAL(p, s). A row that would take the sum to 10^(p-s) or beyond
/// is rejected (ksqlDB fails it with "Numeric field overflow") and leaves the sum unchanged.
struct DecimalSumAccumulator: Accumulator {
    var sum: SQLDecimal
    let precision: Int
    let scale: Int

    init(precision: Int, scale: Int) {
        self.precision = precision
        self.scale = scale
        self.sum = SQLDecimal(unscaled: 0, scale: scale)
    }

    private func checked(_ candidate: SQLDecimal?) -> SQLDecimal? {
        guard let c = candidate, let r = DecimalMath.fit(c, precision: precision, scale: scale) else { return nil }
        return r
    }

    mutating func add(_ args: [Value]) {
        guard case .decimal(let v) = args[0] else { return }
        if let r = checked(DecimalMath.add(sum, v)) { sum = r }
    }

    mutating func remove(_ args: [Value]) {
        guard case .decimal(let v) = args[0] else { return }
        if let r = checked(DecimalMath.subtract(sum, v)) { sum = r }
    }

    mutating func merge(_ other: any Accumulator) {
        guard let o = other as? DecimalSumAccumulator else { return }
        if let r = checked(DecimalMath.add(sum, o.sum)) { sum = r }
    }

    func result() -> Value { .decimal(sum) }
}

// MARK: - SUM_LIST

/// SUM_LIST: sums the elements of each row's array (NULL elements and NULL arrays skipped), in
/// the element type with Java's wrapping arithmetic.
struct ListSumAccumulator: Accumulator {
    var sum: Value

    private static func total(_ items: [Value], zero: Value) -> Value {
        var acc = zero
        for item in items {
            switch (acc, item) {
            case (.integer(let a), .integer(let b)): acc = .integer(a &+ b)
            case (.bigint(let a), .bigint(let b)): acc = .bigint(a &+ b)
            case (.double(let a), .double(let b)): acc = .double(a + b)
            default: continue
            }
        }
        return acc
    }

    private mutating func apply(_ args: [Value], sign: Int) {
        guard case .array(let items) = args[0] else { return }
        let zero: Value
        switch sum {
        case .integer: zero = .integer(0)
        case .bigint: zero = .bigint(0)
        default: zero = .double(0)
        }
        switch (sum, Self.total(items, zero: zero)) {
        case (.integer(let a), .integer(let b)): sum = .integer(sign > 0 ? a &+ b : a &- b)
        case (.bigint(let a), .bigint(let b)): sum = .bigint(sign > 0 ? a &+ b : a &- b)
        case (.double(let a), .double(let b)): sum = .double(sign > 0 ? a + b : a - b)
        default: break
        }
    }

    mutating func add(_ args: [Value]) { apply(args, sign: 1) }
    mutating func remove(_ args: [Value]) { apply(args, sign: -1) }

    mutating func merge(_ other: any Accumulator) {
        guard let o = other as? ListSumAccumulator else { return }
        apply([.array([o.sum])], sign: 1)
    }

    func result() -> Value { sum }
}

// MARK: - AVG

/// AVG: a running sum in the argument's type (wrapping, as Java) and a count; the result is
/// `sum / count` as DOUBLE, 0.0 for no rows.
struct AverageAccumulator: Accumulator {
    enum Sum {
        case integer(Int32)
        case bigint(Int64)
        case double(Double)
    }

    var sum: Sum
    var count: Int64 = 0

    mutating func add(_ args: [Value]) { apply(args[0], sign: 1) }
    mutating func remove(_ args: [Value]) { apply(args[0], sign: -1) }

    private mutating func apply(_ value: Value, sign: Int) {
        switch (sum, value) {
        case (.integer(let s), .integer(let v)): sum = .integer(sign > 0 ? s &+ v : s &- v)
        case (.bigint(let s), .bigint(let v)): sum = .bigint(sign > 0 ? s &+ v : s &- v)
        case (.double(let s), .double(let v)): sum = .double(sign > 0 ? s + v : s - v)
        default: return
        }
        count += Int64(sign)
    }

    mutating func merge(_ other: any Accumulator) {
        guard let o = other as? AverageAccumulator else { return }
        switch (sum, o.sum) {
        case (.integer(let a), .integer(let b)): sum = .integer(a &+ b)
        case (.bigint(let a), .bigint(let b)): sum = .bigint(a &+ b)
        case (.double(let a), .double(let b)): sum = .double(a + b)
        default: return
        }
        count += o.count
    }

    func result() -> Value {
        if count == 0 { return .double(0) }
        switch sum {
        case .integer(let s): return .double(Double(s) / Double(count))
        case .bigint(let s): return .double(Double(s) / Double(count))
        case .double(let s): return .double(s / Double(count))
        }
    }
}

extension RegistryBuilder {
    mutating func registerCountSumAverage() {
        aggregate("COUNT", "AGGREGATE", "Counts the rows, or the rows where the argument is not NULL.", [
            AggregateOverload([], returns: "BIGINT") { _ throws(FunctionResolutionError) in
                AggregateFunctionCall(
                    returnType: .bigint, makeAccumulator: { SingleValueAccumulator(.countRows) }, supportsUndo: true)
            },
            AggregateOverload([p("col1", .t)], returns: "BIGINT") { _ throws(FunctionResolutionError) in
                AggregateFunctionCall(
                    returnType: .bigint, makeAccumulator: { SingleValueAccumulator(.countNonNull) }, supportsUndo: true)
            },
        ])

        aggregate("SUM", "AGGREGATE", "Sums the column values, skipping NULLs.", [
            AggregateOverload([p("col1", .integer)], returns: "INT") { _ throws(FunctionResolutionError) in
                AggregateFunctionCall(returnType: .integer, makeAccumulator: { SingleValueAccumulator(.sumInteger) }, supportsUndo: true)
            },
            AggregateOverload([p("col1", .bigint)], returns: "BIGINT") { _ throws(FunctionResolutionError) in
                AggregateFunctionCall(returnType: .bigint, makeAccumulator: { SingleValueAccumulator(.sumBigint) }, supportsUndo: true)
            },
            AggregateOverload([p("col1", .decimal)], returns: "DECIMAL") { call throws(FunctionResolutionError) in
                let type = call.argumentTypes[0]
                guard case .decimal(let precision, let scale) = type else {
                    throw FunctionResolutionError("SUM needs a DECIMAL argument")
                }
                return AggregateFunctionCall(
                    returnType: type, makeAccumulator: { DecimalSumAccumulator(precision: precision, scale: scale) },
                    supportsUndo: true)
            },
            AggregateOverload([p("col1", .double)], returns: "DOUBLE") { _ throws(FunctionResolutionError) in
                AggregateFunctionCall(returnType: .double, makeAccumulator: { SingleValueAccumulator(.sumDouble) }, supportsUndo: true)
            },
        ])

        aggregate("SUM_LIST", "AGGREGATE", "Sums the elements of the arrays in the column.", [
            (ParamType.integer, Value.integer(0), SQLType.integer), (.bigint, .bigint(0), .bigint), (.double, .double(0), .double),
        ].map { element, zero, type in
            AggregateOverload([p("list", .array(element))], returns: type.description) { _ throws(FunctionResolutionError) in
                AggregateFunctionCall(returnType: type, makeAccumulator: { ListSumAccumulator(sum: zero) }, supportsUndo: true)
            }
        })

        func average(_ type: ParamType, _ name: String, _ zero: AverageAccumulator.Sum, _ sumType: SQLType)
            -> AggregateOverload
        {
            AggregateOverload([p("col1", type)], returns: "DOUBLE") { _ throws(FunctionResolutionError) in
                AggregateFunctionCall(
                    returnType: .double, makeAccumulator: { AverageAccumulator(sum: zero) }, supportsUndo: true,
                    intermediateType: .structure([
                        StructField(name: "SUM", type: sumType), StructField(name: "COUNT", type: .bigint),
                    ]))
            }
        }
        aggregate("AVG", "AGGREGATE", "Returns the average of the column's values, skipping NULLs.", [
            average(.integer, "INT", .integer(0), .integer),
            average(.bigint, "BIGINT", .bigint(0), .bigint),
            average(.double, "DOUBLE", .double(0), .double),
        ])
    }
}
