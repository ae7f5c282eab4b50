import SluiceTypes
import Synchronization

/// Arrival order across all groups, so merged session windows know which value came first.
enum ArrivalSequence {
    private static let counter = Atomic<Int64>(0)

    static func next() -> Int64 {
        counter.wrappingAdd(1, ordering: .relaxed).oldValue
    }
}

/// EARLIEST_BY_OFFSET(col [, ignoreNulls]) and LATEST_BY_OFFSET(col [, ignoreNulls]): the first
/// or last value by arrival, NULLs skipped unless `ignoreNulls` is false. No undo.
struct ByOffsetAccumulator: Accumulator {
    let latest: Bool
    let ignoreNulls: Bool
    var sequence: Int64 = -1
    var value: Value = .null
    var isSet = false

    mutating func add(_ args: [Value]) {
        let v = args[0]
        if v.isNull && ignoreNulls { return }
        if !latest && isSet { return }
        sequence = ArrivalSequence.next()
        value = v
        isSet = true
    }

    mutating func remove(_ args: [Value]) {}

    mutating func merge(_ other: any Accumulator) {
        guard let o = other as? ByOffsetAccumulator, o.isSet else { return }
        if !isSet {
            self = o
            return
        }
        if ignoreNulls && value.isNull != o.value.isNull {
            if value.isNull { self = o }
            return
        }
        if latest ? o.sequence > sequence : o.sequence < sequence { self = o }
    }

    func result() -> Value { value }
}

/// EARLIEST_BY_OFFSET(col, n [, ignoreNulls]) and LATEST_BY_OFFSET(col, n [, ignoreNulls]): the
/// first or last n values by arrival, in arrival order.
struct ByOffsetNAccumulator: Accumulator {
    let latest: Bool
    let n: Int
    let ignoreNulls: Bool
    var entries: [(sequence: Int64, value: Value)] = []

    mutating func add(_ args: [Value]) {
        let v = args[0]
        if v.isNull && ignoreNulls { return }
        if !latest && entries.count >= n { return }
        entries.append((ArrivalSequence.next(), v))
        if latest && entries.count > n { entries.removeFirst(entries.count - n) }
    }

    mutating func remove(_ args: [Value]) {}

    mutating func merge(_ other: any Accumulator) {
        guard let o = other as? ByOffsetNAccumulator else { return }
        var all = entries + o.entries
        all.sort { $0.sequence < $1.sequence }
        if all.count > n {
            all = latest ? Array(all.suffix(n)) : Array(all.prefix(n))
        }
        entries = all
    }

    func result() -> Value { .array(entries.map(\.value)) }
}

extension RegistryBuilder {
    mutating func registerByOffset() {
        for (name, latest) in [("EARLIEST_BY_OFFSET", false), ("LATEST_BY_OFFSET", true)] {
            let which = latest ? "latest" : "earliest"
            @Sendable func single(_ call: ResolvedCall, ignoreNullsAt index: Int?) throws(FunctionResolutionError)
                -> AggregateFunctionCall
            {
                var ignoreNulls = true
                if let index {
                    guard case .boolean(let b)? = call.constants[index] else {
                        throw FunctionResolutionError("the ignoreNulls argument of \(name) must be a BOOLEAN literal")
                    }
                    ignoreNulls = b
                }
                let type = call.argumentTypes[0]
                return AggregateFunctionCall(
                    returnType: type,
                    makeAccumulator: { [ignoreNulls] in ByOffsetAccumulator(latest: latest, ignoreNulls: ignoreNulls) },
                    supportsUndo: false,
                    intermediateType: .structure([
                        StructField(name: "SEQ", type: .bigint), StructField(name: "VAL", type: type),
                    ]))
            }
            @Sendable func many(_ call: ResolvedCall, ignoreNullsAt index: Int?) throws(FunctionResolutionError)
                -> AggregateFunctionCall
            {
                guard case .integer(let n)? = call.constants[1] else {
                    throw FunctionResolutionError("the N argument of \(name) must be an INT literal")
                }
                guard n > 0 else { throw FunctionResolutionError("\(which)N must be 1 or greater") }
                var ignoreNulls = true
                if let index {
                    guard case .boolean(let b)? = call.constants[index] else {
                        throw FunctionResolutionError("the ignoreNulls argument of \(name) must be a BOOLEAN literal")
                    }
                    ignoreNulls = b
                }
                let type = call.argumentTypes[0]
                return AggregateFunctionCall(
                    returnType: .array(type),
                    makeAccumulator: { [ignoreNulls] in ByOffsetNAccumulator(latest: latest, n: Int(n), ignoreNulls: ignoreNulls) },
                    supportsUndo: false,
                    intermediateType: .array(.structure([
                        StructField(name: "SEQ", type: .bigint), StructField(name: "VAL", type: type),
                    ])))
            }
            aggregate(name, "AGGREGATE", "Returns the \(which) value(s) of the column by offset; NULLs are ignored by default.", [
                AggregateOverload([p("col1", .t)], returns: "T") { call throws(FunctionResolutionError) in
                    try single(call, ignoreNullsAt: nil)
                },
                AggregateOverload([p("col1", .t), p("ignoreNulls", .boolean, literal: true)], returns: "T") {
                    call throws(FunctionResolutionError) in
                    try single(call, ignoreNullsAt: 1)
                },
                AggregateOverload([p("col1", .t), p("N", .integer, literal: true)], returns: "ARRAY<T>") {
                    call throws(FunctionResolutionError) in
                    try many(call, ignoreNullsAt: nil)
                },
                AggregateOverload(
                    [p("col1", .t), p("N", .integer, literal: true), p("ignoreNulls", .boolean, literal: true)],
                    returns: "ARRAY<T>"
                ) { call throws(FunctionResolutionError) in
                    try many(call, ignoreNullsAt: 2)
                },
            ])
        }
    }
}
