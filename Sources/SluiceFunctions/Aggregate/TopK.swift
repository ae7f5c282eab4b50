import SluiceTypes

/// TOPK(col, k) and TOPK(col, other..., k): the k largest values of `col`, largest first; with
/// other columns each entry is a STRUCT of `sort_col` and `col0`, `col1`... Equal values keep
/// arrival order. NULL sort values are skipped. No undo.
struct TopKAccumulator: Accumulator {
    let k: Int
    /// Whether entries are structs carrying other columns.
    let withColumns: Bool
    /// Sort value and the entry to emit.
    var entries: [(key: Value, entry: Value)] = []

    mutating func add(_ args: [Value]) {
        let key = args[0]
        if key.isNull || k <= 0 { return }
        if entries.count == k, let last = entries.last, ValueOrder.compare(key, last.key) <= 0 { return }
        let entry: Value
        if withColumns {
            var fields = [StructEntry(name: "sort_col", value: key)]
            // The last argument is k itself.
            for i in 1..<(args.count - 1) { fields.append(StructEntry(name: "col\(i - 1)", value: args[i])) }
            entry = .structure(fields)
        } else {
            entry = key
        }
        if entries.count == k { entries.removeLast() }
        // Insert after every entry not smaller: a stable descending order.
        let position = entries.firstIndex { ValueOrder.compare($0.key, key) < 0 } ?? entries.count
        entries.insert((key, entry), at: position)
    }

    mutating func remove(_ args: [Value]) {}

    mutating func merge(_ other: any Accumulator) {
        guard let o = other as? TopKAccumulator else { return }
        var merged: [(key: Value, entry: Value)] = []
        var i = 0, j = 0
        while merged.count < k {
            let a = i < entries.count ? entries[i] : nil
            let b = j < o.entries.count ? o.entries[j] : nil
            if let a, b == nil || ValueOrder.compare(a.key, b!.key) >= 0 {
                merged.append(a)
                i += 1
            } else if let b {
                merged.append(b)
                j += 1
            } else {
                break
            }
        }
        entries = merged
    }

    func result() -> Value { .array(entries.map(\.entry)) }
}

/// TOPKDISTINCT(col, k): the k largest distinct values, largest first.
struct TopKDistinctAccumulator: Accumulator {
    let k: Int
    var items: [Value] = []

    mutating func add(_ args: [Value]) {
        let v = args[0]
        if v.isNull || k <= 0 { return }
        if items.count == k, ValueOrder.compare(v, items[items.count - 1]) <= 0 { return }
        if items.contains(where: { ValueOrder.compare($0, v) == 0 }) { return }
        if items.count == k { items.removeLast() }
        let position = items.firstIndex { ValueOrder.compare($0, v) < 0 } ?? items.count
        items.insert(v, at: position)
    }

    mutating func remove(_ args: [Value]) {}

    mutating func merge(_ other: any Accumulator) {
        guard let o = other as? TopKDistinctAccumulator else { return }
        var merged: [Value] = []
        var i = 0, j = 0
        while merged.count < k {
            let a = i < items.count ? items[i] : nil
            let b = j < o.items.count ? o.items[j] : nil
            switch (a, b) {
            case (nil, nil):
                return finish(merged)
            case (let x?, nil):
                merged.append(x)
                i += 1
            case (nil, let y?):
                merged.append(y)
                j += 1
            case (let x?, let y?):
                let c = ValueOrder.compare(x, y)
                if c > 0 {
                    merged.append(x)
                    i += 1
                } else if c < 0 {
                    merged.append(y)
                    j += 1
                } else {
                    merged.append(x)
                    i += 1
                    j += 1
                }
            }
        }
        finish(merged)
    }

    private mutating func finish(_ merged: [Value]) { items = merged }

    func result() -> Value { .array(items) }
}

extension RegistryBuilder {
    mutating func registerTopK() {
        let sortable: [ParamType] = [.integer, .bigint, .double, .decimal, .string, .date, .time, .timestamp, .bytes]

        @Sendable func literalK(_ call: ResolvedCall, at index: Int) throws(FunctionResolutionError) -> Int {
            guard case .integer(let k)? = call.constants[index] else {
                throw FunctionResolutionError("the k argument of TOPK must be an INT literal")
            }
            guard k > 0 else { throw FunctionResolutionError("the k argument of TOPK must be 1 or greater, got \(k)") }
            return Int(k)
        }

        var topK: [AggregateOverload] = []
        for type in sortable {
            topK.append(AggregateOverload([p("col1", type), p("k", .integer, literal: true)], returns: "ARRAY") {
                call throws(FunctionResolutionError) in
                let k = try literalK(call, at: 1)
                return AggregateFunctionCall(
                    returnType: .array(call.argumentTypes[0]),
                    makeAccumulator: { TopKAccumulator(k: k, withColumns: false) }, supportsUndo: false)
            })
        }
        // Other columns ride along in STRUCT entries; signatures up to 16 of them.
        for type in sortable {
            for extra in 1...16 {
                var parameters = [p("col1", type)]
                for i in 0..<extra { parameters.append(p("otherCol\(i)", .generic("C\(i)"))) }
                parameters.append(p("k", .integer, literal: true))
                topK.append(AggregateOverload(parameters, returns: "ARRAY<STRUCT>") { call throws(FunctionResolutionError) in
                    let k = try literalK(call, at: extra + 1)
                    var fields = [StructField(name: "sort_col", type: call.argumentTypes[0])]
                    for i in 0..<extra { fields.append(StructField(name: "col\(i)", type: call.argumentTypes[i + 1])) }
                    return AggregateFunctionCall(
                        returnType: .array(.structure(fields)),
                        makeAccumulator: { TopKAccumulator(k: k, withColumns: true) }, supportsUndo: false)
                })
            }
        }
        aggregate("TOPK", "AGGREGATE", "Returns the k largest values of the column, largest first.", topK)

        aggregate("TOPKDISTINCT", "AGGREGATE", "Returns the k largest distinct values of the column.", sortable.map { type in
            AggregateOverload([p("col1", type), p("k", .integer, literal: true)], returns: "ARRAY") {
                call throws(FunctionResolutionError) in
                guard case .integer(let k)? = call.constants[1], k > 0 else {
                    throw FunctionResolutionError("the k argument of TOPKDISTINCT must be a positive INT literal")
                }
                return AggregateFunctionCall(
                    returnType: .array(call.argumentTypes[0]),
                    makeAccumulator: { TopKDistinctAccumulator(k: Int(k)) }, supportsUndo: false)
            }
        })
    }
}
