import SluiceTypes

/// Running sum, count and M2 (sum of squared deviations, Youngs–Cramer updates), as ksqlDB keeps
/// them for STDDEV_SAMP (which returns the sample *variance*, as ksqlDB's does) and STDDEV_SAMPLE
/// (the sample standard deviation). The sum uses the argument's type with Java's wrapping integer
/// arithmetic, so results match ksqlDB bit for bit. Fewer than two rows give 0.0.
struct DeviationAccumulator: Accumulator {
    enum Sum {
        case integer(Int32)
        case bigint(Int64)
        case double(Double)
    }

    var sum: Sum
    var count: Int64 = 0
    var m2: Double = 0
    /// STDDEV_SAMPLE takes the square root; STDDEV_SAMP does not.
    let squareRoot: Bool
    /// STDDEV_SAMP keeps its count as a Java `int`, and merges integer sums with integer division.
    let legacy: Bool

    /// `value * (count + 1) - (sum + value)`, in the sum's arithmetic.
    private func delta(_ value: Value, countPlusOne: Int64) -> Double? {
        switch (sum, value) {
        case (.integer(let s), .integer(let v)):
            if legacy { return Double(v &* Int32(truncatingIfNeeded: countPlusOne) &- (s &+ v)) }
            return Double(Int64(v) &* countPlusOne &- Int64(s &+ v))
        case (.bigint(let s), .bigint(let v)):
            return Double(v &* countPlusOne &- (s &+ v))
        case (.double(let s), .double(let v)):
            return v * Double(countPlusOne) - (s + v)
        default:
            return nil
        }
    }

    private mutating func addToSum(_ value: Value, sign: Int32) {
        switch (sum, value) {
        case (.integer(let s), .integer(let v)): sum = .integer(sign > 0 ? s &+ v : s &- v)
        case (.bigint(let s), .bigint(let v)): sum = .bigint(sign > 0 ? s &+ v : s &- v)
        case (.double(let s), .double(let v)): sum = .double(sign > 0 ? s + v : s - v)
        default: break
        }
    }

    mutating func add(_ args: [Value]) {
        let v = args[0]
        guard let d = delta(v, countPlusOne: count + 1) else { return }
        let newCount = count + 1
        let increment = newCount > 1 ? d * d / Double(newCount * (newCount - 1)) : 0
        count = newCount
        addToSum(v, sign: 1)
        m2 += increment
    }

    mutating func remove(_ args: [Value]) {
        let v = args[0]
        guard let d = delta(v, countPlusOne: count + 1) else { return }
        let newCount = count - 1
        let decrement = newCount > 0 ? d * d / Double(newCount * (newCount + 1)) : 0
        count = newCount
        addToSum(v, sign: -1)
        m2 -= decrement
    }

    mutating func merge(_ other: any Accumulator) {
        guard let o = other as? DeviationAccumulator else { return }
        if count == 0 || o.count == 0 {
            m2 += o.m2
        } else {
            let inner: Double
            switch (sum, o.sum) {
            case (.integer(let a), .integer(let b)):
                inner = legacy
                    ? Double(a / Int32(truncatingIfNeeded: count) - b / Int32(truncatingIfNeeded: o.count))
                    : Double(a) / Double(count) - Double(b) / Double(o.count)
            case (.bigint(let a), .bigint(let b)):
                inner = legacy ? Double(a / count - b / o.count) : Double(a) / Double(count) - Double(b) / Double(o.count)
            case (.double(let a), .double(let b)):
                inner = a / Double(count) - b / Double(o.count)
            default:
                return
            }
            m2 = m2 + o.m2 + Double(count * o.count) * inner * inner / Double(count + o.count)
        }
        switch (sum, o.sum) {
        case (.integer(let a), .integer(let b)): sum = .integer(a &+ b)
        case (.bigint(let a), .bigint(let b)): sum = .bigint(a &+ b)
        case (.double(let a), .double(let b)): sum = .double(a + b)
        default: break
        }
        count += o.count
    }

    func result() -> Value {
        if count < 2 { return .double(0) }
        let variance = m2 / Double(count - 1)
        return .double(squareRoot ? variance.squareRoot() : variance)
    }
}

/// CORRELATION(x, y): Pearson's coefficient from running sums; rows with a NULL are skipped. No
/// rows, one row or a constant column give NaN.
struct CorrelationAccumulator: Accumulator {
    var sumX = 0.0, sumY = 0.0, sumXX = 0.0, sumYY = 0.0, sumXY = 0.0
    var count: Int64 = 0

    mutating func add(_ args: [Value]) { apply(args, sign: 1) }
    mutating func remove(_ args: [Value]) { apply(args, sign: -1) }

    private mutating func apply(_ args: [Value], sign: Double) {
        guard args.count >= 2, case .double(let x) = args[0], case .double(let y) = args[1] else { return }
        sumX += sign * x
        sumY += sign * y
        sumXX += sign * (x * x)
        sumYY += sign * (y * y)
        sumXY += sign * (x * y)
        count += sign > 0 ? 1 : -1
    }

    mutating func merge(_ other: any Accumulator) {
        guard let o = other as? CorrelationAccumulator else { return }
        sumX += o.sumX
        sumY += o.sumY
        sumXX += o.sumXX
        sumYY += o.sumYY
        sumXY += o.sumXY
        count += o.count
    }

    func result() -> Value {
        let n = Double(count)
        let numerator = n * sumXY - sumX * sumY
        let dx = n * sumXX - sumX * sumX
        let dy = n * sumYY - sumY * sumY
        return .double(numerator / (dx * dy).squareRoot())
    }
}

extension RegistryBuilder {
    mutating func registerStatistics() {
        func deviation(_ squareRoot: Bool, legacy: Bool) -> [AggregateOverload] {
            let countType: SQLType = legacy ? .integer : .bigint
            let cases: [(ParamType, DeviationAccumulator.Sum, SQLType)] = [
                (.integer, .integer(0), .integer), (.bigint, .bigint(0), .bigint), (.double, .double(0), .double),
            ]
            return cases.map { type, zero, sumType in
                AggregateOverload([p("col1", type)], returns: "DOUBLE") { _ throws(FunctionResolutionError) in
                    AggregateFunctionCall(
                        returnType: .double,
                        makeAccumulator: { DeviationAccumulator(sum: zero, squareRoot: squareRoot, legacy: legacy) },
                        supportsUndo: true,
                        intermediateType: .structure([
                            StructField(name: "SUM", type: sumType), StructField(name: "COUNT", type: countType),
                            StructField(name: "M2", type: .double),
                        ]))
                }
            }
        }
        aggregate("STDDEV_SAMP", "AGGREGATE",
            "Returns the sample variance of the column (ksqlDB's STDDEV_SAMP does not take the square root).",
            deviation(false, legacy: true))
        aggregate("STDDEV_SAMPLE", "AGGREGATE", "Returns the sample standard deviation of the column.",
            deviation(true, legacy: false))

        aggregate("CORRELATION", "AGGREGATE", "Returns the Pearson correlation coefficient of two columns.", [
            AggregateOverload([p("x", .double), p("y", .double)], returns: "DOUBLE") { _ throws(FunctionResolutionError) in
                AggregateFunctionCall(
                    returnType: .double, makeAccumulator: { CorrelationAccumulator() }, supportsUndo: true,
                    intermediateType: .structure(
                        ["X_SUM", "Y_SUM", "X_SQUARED_SUM", "Y_SQUARED_SUM", "XY_SUM"].map {
                            StructField(name: $0, type: .double)
                        } + [StructField(name: "COUNT", type: .bigint)]))
            }
        ])
    }
}
