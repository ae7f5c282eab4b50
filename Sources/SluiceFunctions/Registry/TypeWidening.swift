import SluiceTypes

/// Implicit numeric widening as ksqlDB applies it to function arguments: INT → BIGINT → DECIMAL →
/// DOUBLE, element-wise inside arrays and maps. A STRING also converts to DATE, TIME and TIMESTAMP
/// (ksqlDB's `SqlBaseType.canImplicitlyCast`), so `GREATEST(date_col, '2022-06-14')` resolves.
enum TypeWidening {
    /// The numeric rank used to order widenings, or nil for a non-numeric type.
    static func rank(_ type: SQLType) -> Int? {
        switch type {
        case .integer: 0
        case .bigint: 1
        case .decimal: 2
        case .double: 3
        default: nil
        }
    }

    /// The DECIMAL an integer type widens to (all its values, scale 0).
    static func decimalType(for type: SQLType) -> SQLType? {
        switch type {
        case .integer: .decimal(precision: 10, scale: 0)
        case .bigint: .decimal(precision: 19, scale: 0)
        case .decimal: type
        default: nil
        }
    }

    /// How many widening steps turn `from` into `to`, or nil when it cannot implicitly.
    static func cost(from: SQLType, to: SQLType) -> Int? {
        if from == to { return 0 }
        switch (from, to) {
        case (.decimal, .decimal):
            return 0
        case (.array(let a), .array(let b)):
            return cost(from: a, to: b)
        case (.map(let ak, let av), .map(let bk, let bv)):
            guard let c1 = cost(from: ak, to: bk), let c2 = cost(from: av, to: bv) else { return nil }
            return c1 + c2
        case (.string, .date), (.string, .time), (.string, .timestamp):
            return 1
        default:
            guard let r1 = rank(from), let r2 = rank(to), r1 < r2 else { return nil }
            return r2 - r1
        }
    }

    /// The narrowest type both `a` and `b` widen to, or nil when there is none.
    static func unify(_ a: SQLType, _ b: SQLType) -> SQLType? {
        if a == b { return a }
        switch (a, b) {
        case (.decimal(let p1, let s1), .decimal(let p2, let s2)):
            let scale = max(s1, s2)
            let digits = max(p1 - s1, p2 - s2)
            return .decimal(precision: min(38, digits + scale), scale: scale)
        case (.decimal, .integer), (.decimal, .bigint):
            return unify(a, decimalType(for: b)!)
        case (.integer, .decimal), (.bigint, .decimal):
            return unify(decimalType(for: a)!, b)
        case (.array(let x), .array(let y)):
            return unify(x, y).map { .array($0) }
        case (.map(let k1, let v1), .map(let k2, let v2)):
            guard let k = unify(k1, k2), let v = unify(v1, v2) else { return nil }
            return .map(key: k, value: v)
        default:
            guard let r1 = rank(a), let r2 = rank(b) else { return nil }
            return r1 < r2 ? b : a
        }
    }

    private static func widen(_ d: SQLDecimal, _ scale: Int) -> Value {
        // Widening never loses digits; a value too wide for the scale keeps its own.
        .decimal(DecimalMath.rescale(d, to: scale) ?? d)
    }

    /// A converter for values of type `from` into type `to`, or nil when none is needed.
    /// Precondition: `cost(from:to:)` is not nil.
    static func converter(from: SQLType, to: SQLType) -> (@Sendable (Value) -> Value)? {
        if from == to { return nil }
        switch (from, to) {
        case (.array(let a), .array(let b)):
            guard let inner = converter(from: a, to: b) else { return nil }
            return { value in
                guard case .array(let items) = value else { return value }
                return .array(items.map(inner))
            }
        case (.map(let ak, let av), .map(let bk, let bv)):
            let kc = converter(from: ak, to: bk)
            let vc = converter(from: av, to: bv)
            if kc == nil && vc == nil { return nil }
            return { value in
                guard case .map(let entries) = value else { return value }
                return .map(entries.map { MapEntry(key: kc?($0.key) ?? $0.key, value: vc?($0.value) ?? $0.value) })
            }
        case (_, .double):
            return { value in
                switch value {
                case .integer(let i): .double(Double(i))
                case .bigint(let i): .double(Double(i))
                case .decimal(let d): .double(DecimalMath.toDouble(d))
                default: value
                }
            }
        case (_, .decimal(_, let scale)):
            return { value in
                switch value {
                case .integer(let i): widen(SQLDecimal(unscaled: Int128(i), scale: 0), scale)
                case .bigint(let i): widen(SQLDecimal(unscaled: Int128(i), scale: 0), scale)
                case .decimal(let d): widen(d, scale)
                default: value
                }
            }
        case (.string, .date):
            return { value in
                guard case .string(let s) = value else { return value }
                return TemporalParsing.parseDate(s).map(Value.date) ?? .null
            }
        case (.string, .time):
            return { value in
                guard case .string(let s) = value else { return value }
                return TemporalParsing.parseTime(s).map(Value.time) ?? .null
            }
        case (.string, .timestamp):
            return { value in
                guard case .string(let s) = value else { return value }
                return TemporalParsing.parseTimestamp(s).map(Value.timestamp) ?? .null
            }
        case (_, .bigint):
            return { value in
                if case .integer(let i) = value { return .bigint(Int64(i)) }
                return value
            }
        default:
            return nil
        }
    }
}
