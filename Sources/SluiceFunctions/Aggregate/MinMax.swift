import SluiceTypes

/// MIN and MAX: the extreme non-NULL value seen, NULL before any. No undo: ksqlDB allows them on
/// streams only.
struct ExtremeAccumulator: Accumulator {
    var current: Value = .null
    /// -1 keeps the smallest, 1 the largest.
    let direction: Int

    mutating func add(_ args: [Value]) {
        let v = args[0]
        if v.isNull { return }
        if current.isNull || ValueOrder.compare(v, current) * direction > 0 { current = v }
    }

    mutating func remove(_ args: [Value]) {}

    mutating func merge(_ other: any Accumulator) {
        if let o = other as? ExtremeAccumulator { add([o.current]) }
    }

    func result() -> Value { current }
}

extension RegistryBuilder {
    mutating func registerMinMax() {
        let comparable: [ParamType] = [.integer, .bigint, .double, .decimal, .string, .date, .time, .timestamp, .bytes]
        for (name, direction, text) in [("MIN", -1, "minimum"), ("MAX", 1, "maximum")] {
            aggregate(name, "AGGREGATE", "Returns the \(text) non-NULL value of the column.", comparable.map { type in
                AggregateOverload([p("col1", type)], returns: type == .decimal ? "DECIMAL" : type.description) {
                    call throws(FunctionResolutionError) in
                    AggregateFunctionCall(
                        returnType: call.argumentTypes[0],
                        makeAccumulator: { ExtremeAccumulator(direction: direction) }, supportsUndo: false)
                }
            })
        }
    }
}
