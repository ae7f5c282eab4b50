import SluiceTypes

/// An accumulator whose running state can be written out and read back, so a query's aggregation
/// state survives a restart without replaying its input (see the runtime's task snapshots).
///
/// The state is a flat list of values: it rides in the same binary row form as everything else.
/// `restoreState` returns false for a state it cannot read (a snapshot from another version),
/// and the caller then rebuilds by replay instead.
public protocol RestorableAccumulator: Accumulator {
    func stateValues() -> [Value]
    mutating func restoreState(_ state: [Value]) -> Bool
}

private func int64(_ v: Value) -> Int64? {
    if case .bigint(let x) = v { return x }
    return nil
}

private func double(_ v: Value) -> Double? {
    if case .double(let x) = v { return x }
    return nil
}

extension SingleValueAccumulator: RestorableAccumulator {
    func stateValues() -> [Value] { [state] }
    mutating func restoreState(_ saved: [Value]) -> Bool {
        guard let restored = fold.restore(saved) else { return false }
        state = restored
        return true
    }
}

extension DecimalSumAccumulator: RestorableAccumulator {
    func stateValues() -> [Value] { [.decimal(sum)] }
    mutating func restoreState(_ state: [Value]) -> Bool {
        guard state.count == 1, case .decimal(let s) = state[0] else { return false }
        sum = s
        return true
    }
}

extension ListSumAccumulator: RestorableAccumulator {
    func stateValues() -> [Value] { [sum] }
    mutating func restoreState(_ state: [Value]) -> Bool {
        guard state.count == 1 else { return false }
        sum = state[0]
        return true
    }
}

extension AverageAccumulator: RestorableAccumulator {
    func stateValues() -> [Value] {
        switch sum {
        case .integer(let s): [.integer(s), .bigint(count)]
        case .bigint(let s): [.bigint(s), .bigint(count)]
        case .double(let s): [.double(s), .bigint(count)]
        }
    }
    mutating func restoreState(_ state: [Value]) -> Bool {
        guard state.count == 2, let c = int64(state[1]) else { return false }
        switch state[0] {
        case .integer(let s): sum = .integer(s)
        case .bigint(let s): sum = .bigint(s)
        case .double(let s): sum = .double(s)
        default: return false
        }
        count = c
        return true
    }
}

extension DeviationAccumulator: RestorableAccumulator {
    func stateValues() -> [Value] {
        let s: Value =
            switch sum {
            case .integer(let x): .integer(x)
            case .bigint(let x): .bigint(x)
            case .double(let x): .double(x)
            }
        return [s, .bigint(count), .double(m2)]
    }
    mutating func restoreState(_ state: [Value]) -> Bool {
        guard state.count == 3, let c = int64(state[1]), let m = double(state[2]) else { return false }
        switch state[0] {
        case .integer(let x): sum = .integer(x)
        case .bigint(let x): sum = .bigint(x)
        case .double(let x): sum = .double(x)
        default: return false
        }
        count = c
        m2 = m
        return true
    }
}

extension CorrelationAccumulator: RestorableAccumulator {
    func stateValues() -> [Value] {
        [.double(sumX), .double(sumY), .double(sumXX), .double(sumYY), .double(sumXY), .bigint(count)]
    }
    mutating func restoreState(_ state: [Value]) -> Bool {
        guard state.count == 6, let a = double(state[0]), let b = double(state[1]), let c = double(state[2]),
            let d = double(state[3]), let e = double(state[4]), let n = int64(state[5])
        else { return false }
        (sumX, sumY, sumXX, sumYY, sumXY, count) = (a, b, c, d, e, n)
        return true
    }
}

extension ByOffsetAccumulator: RestorableAccumulator {
    func stateValues() -> [Value] { [.bigint(sequence), value, .boolean(isSet)] }
    mutating func restoreState(_ state: [Value]) -> Bool {
        guard state.count == 3, let s = int64(state[0]), case .boolean(let set) = state[2] else { return false }
        (sequence, value, isSet) = (s, state[1], set)
        return true
    }
}

extension ByOffsetNAccumulator: RestorableAccumulator {
    func stateValues() -> [Value] { entries.flatMap { [.bigint($0.sequence), $0.value] } }
    mutating func restoreState(_ state: [Value]) -> Bool {
        guard state.count % 2 == 0 else { return false }
        var restored: [(sequence: Int64, value: Value)] = []
        for i in stride(from: 0, to: state.count, by: 2) {
            guard let s = int64(state[i]) else { return false }
            restored.append((s, state[i + 1]))
        }
        entries = restored
        return true
    }
}

extension CollectListAccumulator: RestorableAccumulator {
    func stateValues() -> [Value] { items }
    mutating func restoreState(_ state: [Value]) -> Bool {
        items = state
        return true
    }
}

extension CollectSetAccumulator: RestorableAccumulator {
    func stateValues() -> [Value] { items }
    mutating func restoreState(_ state: [Value]) -> Bool {
        items = state
        seen = Set(state.map(JavaEqualityKey.init))
        return true
    }
}

extension HistogramAccumulator: RestorableAccumulator {
    func stateValues() -> [Value] { keys.flatMap { [$0, .bigint(counts[$0] ?? 0)] } }
    mutating func restoreState(_ state: [Value]) -> Bool {
        guard state.count % 2 == 0 else { return false }
        var restoredKeys: [Value] = []
        var restoredCounts: [Value: Int64] = [:]
        for i in stride(from: 0, to: state.count, by: 2) {
            guard let c = int64(state[i + 1]) else { return false }
            restoredKeys.append(state[i])
            restoredCounts[state[i]] = c
        }
        (keys, counts) = (restoredKeys, restoredCounts)
        return true
    }
}

extension AttrAccumulator: RestorableAccumulator {
    func stateValues() -> [Value] { entries.flatMap { [$0.value, .integer($0.count)] } }
    mutating func restoreState(_ state: [Value]) -> Bool {
        guard state.count % 2 == 0 else { return false }
        var restored: [(value: Value, count: Int32)] = []
        for i in stride(from: 0, to: state.count, by: 2) {
            guard case .integer(let c) = state[i + 1] else { return false }
            restored.append((state[i], c))
        }
        entries = restored
        return true
    }
}

extension CountDistinctAccumulator: RestorableAccumulator {
    func stateValues() -> [Value] { [.bytes(registers)] }
    mutating func restoreState(_ state: [Value]) -> Bool {
        guard state.count == 1, case .bytes(let r) = state[0], r.count == registers.count else { return false }
        registers = r
        return true
    }
}

extension TopKAccumulator: RestorableAccumulator {
    func stateValues() -> [Value] { entries.flatMap { [$0.key, $0.entry] } }
    mutating func restoreState(_ state: [Value]) -> Bool {
        guard state.count % 2 == 0 else { return false }
        entries = stride(from: 0, to: state.count, by: 2).map { (state[$0], state[$0 + 1]) }
        return true
    }
}

extension TopKDistinctAccumulator: RestorableAccumulator {
    func stateValues() -> [Value] { items }
    mutating func restoreState(_ state: [Value]) -> Bool {
        items = state
        return true
    }
}
