import SluiceTypes

/// COUNT_DISTINCT: an approximate distinct count with a HyperLogLog of 2^14 registers, hashing
/// values with 32-bit MurmurHash2 the way ksqlDB's sketch library does, so estimates agree with
/// ksqlDB (exact for small counts). NULLs are skipped. No undo.
struct CountDistinctAccumulator: Accumulator {
    static let log2m = 14
    /// 2^-r for every register value r.
    static let inversePowers: [Double] = (0...64).map { r in 1.0 / Double(sign: .plus, exponent: r, significand: 1) }
    static let m = 1 << log2m
    var registers = [UInt8](repeating: 0, count: CountDistinctAccumulator.m)

    mutating func add(_ args: [Value]) {
        let v = args[0]
        if v.isNull { return }
        offer(Self.hash(v))
    }

    mutating func offer(_ hash: Int32) {
        let bits = UInt32(bitPattern: hash)
        let index = Int(bits >> UInt32(32 - Self.log2m))
        let rest = (bits << UInt32(Self.log2m)) | ((1 << UInt32(Self.log2m - 1)) + 1)
        let rank = UInt8(rest.leadingZeroBitCount + 1)
        if rank > registers[index] { registers[index] = rank }
    }

    mutating func remove(_ args: [Value]) {}

    mutating func merge(_ other: any Accumulator) {
        guard let o = other as? CountDistinctAccumulator else { return }
        for i in registers.indices where o.registers[i] > registers[i] { registers[i] = o.registers[i] }
    }

    func result() -> Value {
        let m = Double(Self.m)
        var sum = 0.0
        var zeros = 0.0
        for r in registers {
            sum += Self.inversePowers[Int(r)]
            if r == 0 { zeros += 1 }
        }
        let alphaMM = (0.7213 / (1 + 1.079 / m)) * m * m
        let estimate = alphaMM / sum
        if estimate <= 2.5 * m {
            return .bigint(Int64((m * LibM.log(m / zeros)).rounded(.toNearestOrAwayFromZero)))
        }
        return .bigint(Int64(estimate.rounded(.toNearestOrAwayFromZero)))
    }

    // MARK: - Hashing

    static func hash(_ value: Value) -> Int32 {
        switch value {
        case .integer(let i): return hashLong(Int64(i))
        case .bigint(let i): return hashLong(i)
        case .double(let d): return hashLong(Int64(bitPattern: d.bitPattern))
        case .string(let s): return hashBytes(Array(s.utf8))
        case .bytes(let b): return hashBytes(b)
        default: return hashBytes(Array(JavaFormat.string(value).utf8))
        }
    }

    private static let mix: Int32 = 0x5bd1_e995

    static func hashBytes(_ data: [UInt8]) -> Int32 {
        let length = data.count
        var h: Int32 = -1 ^ Int32(truncatingIfNeeded: length)
        let blocks = length >> 2
        for i in 0..<blocks {
            let b = i << 2
            var k = Int32(Int8(bitPattern: data[b + 3]))
            k = (k << 8) | Int32(data[b + 2])
            k = (k << 8) | Int32(data[b + 1])
            k = (k << 8) | Int32(data[b])
            k = k &* mix
            k ^= Int32(bitPattern: UInt32(bitPattern: k) >> 24)
            k = k &* mix
            h = h &* mix
            h ^= k
        }
        let left = length - (blocks << 2)
        if left != 0 {
            if left >= 3 { h ^= Int32(Int8(bitPattern: data[length - 3])) << 16 }
            if left >= 2 { h ^= Int32(Int8(bitPattern: data[length - 2])) << 8 }
            if left >= 1 { h ^= Int32(Int8(bitPattern: data[length - 1])) }
            h = h &* mix
        }
        return finish(h)
    }

    static func hashLong(_ data: Int64) -> Int32 {
        var h: Int32 = 0
        var k = Int32(truncatingIfNeeded: data) &* mix
        k ^= Int32(bitPattern: UInt32(bitPattern: k) >> 24)
        h ^= k &* mix
        k = Int32(truncatingIfNeeded: data >> 32) &* mix
        k ^= Int32(bitPattern: UInt32(bitPattern: k) >> 24)
        h = h &* mix
        h ^= k &* mix
        return finish(h)
    }

    private static func finish(_ value: Int32) -> Int32 {
        var h = value
        h ^= Int32(bitPattern: UInt32(bitPattern: h) >> 13)
        h = h &* mix
        h ^= Int32(bitPattern: UInt32(bitPattern: h) >> 15)
        return h
    }
}

extension RegistryBuilder {
    mutating func registerCountDistinct() {
        aggregate("COUNT_DISTINCT", "AGGREGATE", "Returns the approximate number of distinct values of the column.", [
            AggregateOverload([p("col1", .t)], returns: "BIGINT") { _ throws(FunctionResolutionError) in
                AggregateFunctionCall(
                    returnType: .bigint, makeAccumulator: { CountDistinctAccumulator() }, supportsUndo: false,
                    intermediateType: .array(.integer))
            }
        ])
    }

    mutating func registerAggregates() {
        registerCountSumAverage()
        registerMinMax()
        registerCollections()
        registerTopK()
        registerByOffset()
        registerStatistics()
        registerCountDistinct()
    }
}
