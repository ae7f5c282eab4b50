import SluiceTypes

/// COUNT, SUM of INT, BIGINT and DOUBLE, MIN and MAX: aggregates whose whole state is one value,
/// which is also their result.
///
/// These are the aggregates nearly every GROUP BY uses. Describing them as data lets the runtime
/// keep a group's state as a plain `[Value]` row, updated in place and emitted as is, instead of
/// one boxed ``Accumulator`` per call. ``SingleValueAccumulator`` runs the same rules behind the
/// ``Accumulator`` protocol, so both paths share one definition.
///
/// Each fold reads only the call's first argument (none for COUNT(*)).
public enum SingleValueFold: Sendable, Hashable {
    /// COUNT(*): counts rows.
    case countRows
    /// COUNT(x): counts rows where x is not NULL.
    case countNonNull
    /// SUM of INT: Java `int` arithmetic, wrapping on overflow; NULLs are skipped; starts at 0.
    case sumInteger
    /// SUM of BIGINT: wrapping `long` arithmetic.
    case sumBigint
    case sumDouble
    /// MIN and MAX: the extreme non-NULL value seen, NULL before any. No undo: ksqlDB allows them
    /// on streams only.
    case minimum
    case maximum

    /// The state of a group that has folded no row.
    public var initial: Value {
        switch self {
        case .countRows, .countNonNull: .bigint(0)
        case .sumInteger: .integer(0)
        case .sumBigint: .bigint(0)
        case .sumDouble: .double(0)
        case .minimum, .maximum: .null
        }
    }

    /// Folds one row's first argument (``Value/null`` when the call has none) into `state`.
    public func add(_ argument: Value, to state: inout Value) {
        switch self {
        case .countRows:
            if case .bigint(let c) = state { state = .bigint(c + 1) }
        case .countNonNull:
            if !argument.isNull, case .bigint(let c) = state { state = .bigint(c + 1) }
        case .sumInteger:
            if case .integer(let v) = argument, case .integer(let s) = state { state = .integer(s &+ v) }
        case .sumBigint:
            if case .bigint(let v) = argument, case .bigint(let s) = state { state = .bigint(s &+ v) }
        case .sumDouble:
            if case .double(let v) = argument, case .double(let s) = state { state = .double(s + v) }
        case .minimum:
            if !argument.isNull && (state.isNull || ValueOrder.compare(argument, state) < 0) { state = argument }
        case .maximum:
            if !argument.isNull && (state.isNull || ValueOrder.compare(argument, state) > 0) { state = argument }
        }
    }

    /// Takes back one row folded in earlier (ksqlDB's undo, for aggregations over tables).
    public func remove(_ argument: Value, from state: inout Value) {
        switch self {
        case .countRows:
            if case .bigint(let c) = state { state = .bigint(c - 1) }
        case .countNonNull:
            if !argument.isNull, case .bigint(let c) = state { state = .bigint(c - 1) }
        case .sumInteger:
            if case .integer(let v) = argument, case .integer(let s) = state { state = .integer(s &- v) }
        case .sumBigint:
            if case .bigint(let v) = argument, case .bigint(let s) = state { state = .bigint(s &- v) }
        case .sumDouble:
            if case .double(let v) = argument, case .double(let s) = state { state = .double(s - v) }
        case .minimum, .maximum:
            break
        }
    }

    /// Folds in the state of another group of the same call (session windows merging).
    public func merge(_ other: Value, into state: inout Value) {
        switch self {
        case .countRows, .countNonNull:
            if case .bigint(let o) = other, case .bigint(let c) = state { state = .bigint(c + o) }
        case .sumInteger, .sumBigint, .sumDouble, .minimum, .maximum:
            add(other, to: &state)
        }
    }

    /// The state a snapshot wrote (``RestorableAccumulator/stateValues()``: the state alone), or
    /// nil when it is not this fold's.
    public func restore(_ saved: [Value]) -> Value? {
        guard saved.count == 1 else { return nil }
        switch (self, saved[0]) {
        case (.countRows, .bigint), (.countNonNull, .bigint), (.sumInteger, .integer), (.sumBigint, .bigint),
            (.sumDouble, .double), (.minimum, _), (.maximum, _):
            return saved[0]
        default:
            return nil
        }
    }
}

/// A ``SingleValueFold`` behind the ``Accumulator`` protocol, for callers that hold accumulators.
struct SingleValueAccumulator: Accumulator {
    let fold: SingleValueFold
    var state: Value

    init(_ fold: SingleValueFold) {
        self.fold = fold
        state = fold.initial
    }

    var singleValueFold: SingleValueFold? { fold }

    mutating func add(_ args: [Value]) { fold.add(args.first ?? .null, to: &state) }
    mutating func remove(_ args: [Value]) { fold.remove(args.first ?? .null, from: &state) }

    mutating func merge(_ other: any Accumulator) {
        if let o = other as? SingleValueAccumulator, o.fold == fold { fold.merge(o.state, into: &state) }
    }

    func result() -> Value { state }
}
