import SluiceTypes

/// COLLECT_LIST: every value in arrival order, NULLs included, up to a limit. Undo removes the
/// last equal value (the order of a table's values is not guaranteed anyway).
struct CollectListAccumulator: Accumulator {
    var items: [Value] = []
    let limit: Int

    mutating func add(_ args: [Value]) {
        if items.count < limit { items.append(args[0]) }
    }

    mutating func remove(_ args: [Value]) {
        if let i = items.lastIndex(where: { ValueOrder.equal($0, args[0]) }) { items.remove(at: i) }
    }

    mutating func merge(_ other: any Accumulator) {
        guard let o = other as? CollectListAccumulator else { return }
        items.append(contentsOf: o.items.prefix(max(0, limit - items.count)))
    }

    func result() -> Value { .array(items) }
}

/// COLLECT_SET: distinct values in first-arrival order, NULL counting as one value, up to a limit.
struct CollectSetAccumulator: Accumulator {
    var items: [Value] = []
    var seen: Set<JavaEqualityKey> = []
    let limit: Int

    mutating func add(_ args: [Value]) { insert(args[0]) }

    private mutating func insert(_ v: Value) {
        if items.count < limit && seen.insert(JavaEqualityKey(v)).inserted { items.append(v) }
    }

    mutating func remove(_ args: [Value]) {}

    mutating func merge(_ other: any Accumulator) {
        guard let o = other as? CollectSetAccumulator else { return }
        for v in o.items {
            if items.count >= limit { break }
            insert(v)
        }
    }

    func result() -> Value { .array(items) }
}

/// HISTOGRAM: how often each distinct string occurs, at most 1000 distinct values (later new
/// values are ignored). Undo decrements and drops a count that reaches zero.
struct HistogramAccumulator: Accumulator {
    static let limit = 1000
    var keys: [Value] = []
    var counts: [Value: Int64] = [:]

    mutating func add(_ args: [Value]) { bump(args[0], by: 1) }

    private mutating func bump(_ key: Value, by n: Int64) {
        if let c = counts[key] {
            counts[key] = c + n
        } else if keys.count < Self.limit {
            keys.append(key)
            counts[key] = n
        }
    }

    mutating func remove(_ args: [Value]) {
        let key = args[0]
        guard let c = counts[key] else { return }
        if c - 1 < 1 {
            counts[key] = nil
            keys.removeAll { $0 == key }
        } else {
            counts[key] = c - 1
        }
    }

    mutating func merge(_ other: any Accumulator) {
        guard let o = other as? HistogramAccumulator else { return }
        for k in o.keys { bump(k, by: o.counts[k] ?? 0) }
    }

    func result() -> Value {
        .map(keys.map { MapEntry(key: $0, value: .bigint(counts[$0] ?? 0)) })
    }
}

/// ATTR: the single distinct value seen (NULL included as a value), or NULL when there are
/// several. Counts per distinct value make undo exact.
struct AttrAccumulator: Accumulator {
    var entries: [(value: Value, count: Int32)] = []

    mutating func add(_ args: [Value]) { update(args[0], by: 1) }
    mutating func remove(_ args: [Value]) { update(args[0], by: -1) }

    private mutating func update(_ value: Value, by n: Int32) {
        var found = false
        for i in entries.indices where ValueOrder.equal(entries[i].value, value) {
            found = true
            entries[i].count = max(0, entries[i].count &+ n)
        }
        if !found && n > 0 { entries.append((value, n)) }
    }

    mutating func merge(_ other: any Accumulator) {
        guard let o = other as? AttrAccumulator else { return }
        for e in o.entries { update(e.value, by: e.count) }
    }

    func result() -> Value {
        let live = entries.filter { $0.count > 0 }
        return live.count == 1 ? live[0].value : .null
    }
}

extension RegistryBuilder {
    mutating func registerCollections() {
        aggregate("COLLECT_LIST", "AGGREGATE", "Returns an array of all the values of the column, NULLs included.", [
            AggregateOverload([p("col1", .t)], returns: "ARRAY<T>") { call throws(FunctionResolutionError) in
                let limit = call.configuration.collectListLimit
                return AggregateFunctionCall(
                    returnType: .array(call.argumentTypes[0]),
                    makeAccumulator: { CollectListAccumulator(limit: limit) }, supportsUndo: true)
            }
        ])
        aggregate("COLLECT_SET", "AGGREGATE", "Returns an array of the distinct values of the column.", [
            AggregateOverload([p("col1", .t)], returns: "ARRAY<T>") { call throws(FunctionResolutionError) in
                let limit = call.configuration.collectSetLimit
                return AggregateFunctionCall(
                    returnType: .array(call.argumentTypes[0]),
                    makeAccumulator: { CollectSetAccumulator(limit: limit) }, supportsUndo: false)
            }
        ])
        aggregate("HISTOGRAM", "AGGREGATE", "Returns a map of each distinct string to how many times it occurs.", [
            AggregateOverload([p("col1", .string)], returns: "MAP<STRING, BIGINT>") { _ throws(FunctionResolutionError) in
                AggregateFunctionCall(
                    returnType: .map(key: .string, value: .bigint), makeAccumulator: { HistogramAccumulator() },
                    supportsUndo: true)
            }
        ])
        aggregate("ATTR", "AGGREGATE", "Returns the column's only value, or NULL when it has more than one.", [
            AggregateOverload([p("col1", .t)], returns: "T") { call throws(FunctionResolutionError) in
                let type = call.argumentTypes[0]
                return AggregateFunctionCall(
                    returnType: type, makeAccumulator: { AttrAccumulator() }, supportsUndo: true,
                    intermediateType: .array(.structure([
                        StructField(name: "VALUE", type: type), StructField(name: "COUNT", type: .integer),
                    ])))
            }
        ])
    }
}
