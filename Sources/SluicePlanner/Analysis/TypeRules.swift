import SluiceSQL
import SluiceTypes

/// ksqlDB's typing rules for operators: numeric widening, decimal precision and scale, and which
/// types compare.
public enum TypeRules {
    /// Rank in the widening order INT → BIGINT → DECIMAL → DOUBLE; nil for non-numeric types.
    static func numericRank(_ t: SQLType) -> Int? {
        switch t {
        case .integer: 0
        case .bigint: 1
        case .decimal: 2
        case .double: 3
        default: nil
        }
    }

    /// The DECIMAL an integer type widens to.
    public static func decimalOf(_ t: SQLType) -> SQLType {
        switch t {
        case .integer: .decimal(precision: 10, scale: 0)
        case .bigint: .decimal(precision: 19, scale: 0)
        default: t
        }
    }

    /// The common type two numeric operands widen to for comparison.
    public static func commonNumeric(_ a: SQLType, _ b: SQLType) -> SQLType? {
        guard let ra = numericRank(a), let rb = numericRank(b) else { return nil }
        if ra == 3 || rb == 3 { return .double }
        if ra == 2 || rb == 2 {
            let (p1, s1) = decimalParts(decimalOf(a))
            let (p2, s2) = decimalParts(decimalOf(b))
            let scale = max(s1, s2)
            let precision = max(p1 - s1, p2 - s2) + scale
            return .decimal(precision: min(precision, 38), scale: scale)
        }
        return ra >= rb ? a : b
    }

    static func decimalParts(_ t: SQLType) -> (Int, Int) {
        if case .decimal(let p, let s) = t { return (p, s) }
        return (38, 0)
    }

    /// The result type of `a op b` for arithmetic, or nil when the operator does not apply.
    public static func arithmetic(_ op: BinaryOperator, _ a: SQLType, _ b: SQLType) -> SQLType? {
        if op == .concat || (op == .add && a == .string && b == .string) {
            return (a == .string && b == .string) ? .string : nil
        }
        guard let ra = numericRank(a), let rb = numericRank(b) else { return nil }
        if ra == 3 || rb == 3 { return .double }
        if ra == 2 || rb == 2 {
            let (p1, s1) = decimalParts(decimalOf(a))
            let (p2, s2) = decimalParts(decimalOf(b))
            var precision: Int
            var scale: Int
            switch op {
            case .add, .subtract:
                scale = max(s1, s2)
                precision = max(p1 - s1, p2 - s2) + scale + 1
            case .multiply:
                precision = p1 + p2 + 1
                scale = s1 + s2
            case .divide:
                scale = max(6, s1 + p2 + 1)
                precision = p1 - s1 + s2 + scale
            case .modulo:
                scale = max(s1, s2)
                precision = min(p1 - s1, p2 - s2) + scale
            case .concat:
                return nil
            }
            if precision > 38 {
                scale = max(0, scale - (precision - 38))
                precision = 38
            }
            return .decimal(precision: max(precision, 1), scale: scale)
        }
        return ra >= rb ? a : b
    }

    /// The type both sides of a comparison are cast to, or nil when they do not compare.
    public static func comparable(_ a: SQLType, _ b: SQLType, equalityOnly: Bool = false) -> SQLType? {
        if a == b {
            switch a {
            case .map, .structure, .array: return equalityOnly ? a : nil
            default: return a
            }
        }
        if let n = commonNumeric(a, b) { return n }
        switch (a, b) {
        case (.timestamp, .string), (.string, .timestamp): return .timestamp
        case (.date, .string), (.string, .date): return .date
        case (.time, .string), (.string, .time): return .time
        case (.array(let x), .array(let y)) where equalityOnly:
            return comparable(x, y, equalityOnly: true).map { .array($0) }
        default: return nil
        }
    }

    /// The type two containers of convertible element types both widen to, for an equality test.
    public static func commonContainer(_ a: SQLType, _ b: SQLType) -> SQLType? {
        func element(_ x: SQLType, _ y: SQLType) -> SQLType? {
            if x == y { return x }
            return commonNumeric(x, y) ?? commonContainer(x, y)
        }
        switch (a, b) {
        case (.array(let x), .array(let y)): return element(x, y).map { .array($0) }
        case (.map(let k1, let v1), .map(let k2, let v2)):
            guard let k = element(k1, k2), let v = element(v1, v2) else { return nil }
            return .map(key: k, value: v)
        case (.structure(let f1), .structure(let f2)):
            guard f1.map(\.name) == f2.map(\.name) else { return nil }
            var fields: [StructField] = []
            for (x, y) in zip(f1, f2) {
                guard let t = element(x.type, y.type) else { return nil }
                fields.append(StructField(name: x.name, type: t))
            }
            return .structure(fields)
        default: return nil
        }
    }

    /// Whether a literal converts to `type` (a numeric string to a number, text to a boolean).
    public static func literalConverts(_ literal: Value, to type: SQLType) -> Bool {
        switch (literal, type) {
        case (.string(let s), .integer): return Int32(s) != nil
        case (.string(let s), .bigint): return Int64(s) != nil
        case (.string(let s), .double), (.string(let s), .decimal): return Double(s) != nil
        case (.string(let s), .boolean): return ["true", "false"].contains(s.lowercased())
        case (.string, .string): return true
        case (_, .string): return true
        default: return false
        }
    }

    /// Whether `CAST(from AS to)` is allowed.
    public static func castable(from: SQLType, to: SQLType) -> Bool {
        if from == to { return true }
        switch (from, to) {
        case (_, .string): return true
        case (.string, _):
            switch to {
            case .array, .map, .structure: return false
            default: return true
            }
        case (.boolean, _), (_, .boolean): return false
        case (.array(let x), .array(let y)): return castable(from: x, to: y)
        case (.map(let k1, let v1), .map(let k2, let v2)): return castable(from: k1, to: k2) && castable(from: v1, to: v2)
        case (.structure, .structure): return true
        case (.timestamp, .date), (.timestamp, .time), (.date, .timestamp): return true
        case (.bytes, _), (_, .bytes): return false
        default:
            return numericRank(from) != nil && numericRank(to) != nil
        }
    }

    // MARK: - Constructor lists

    /// The type ksqlDB gives a numeric string literal in a constructor list (`'10'` INTEGER,
    /// `'2e1'` DECIMAL(2, 0), `'1.5'` DECIMAL(2, 1)); nil when the text is not a number.
    public static func numericTypeOfText(_ text: String) -> SQLType? {
        // Java's String.trim(): control characters and spaces off both ends.
        var scalars = Substring(text).unicodeScalars
        while let f = scalars.first, f.value <= 32 { scalars.removeFirst() }
        while let l = scalars.last, l.value <= 32 { scalars.removeLast() }
        let trimmed = String(scalars)
        guard let d = SQLDecimal(trimmed) else { return nil }
        let pointOrExponent = trimmed.contains { $0 == "." || $0 == "e" || $0 == "E" }
        if !pointOrExponent && d.scale == 0 {
            // Java's bounds are exclusive here: Integer.MIN_VALUE itself is a BIGINT.
            if d.unscaled > Int128(Int32.min) && d.unscaled < Int128(Int32.max) { return .integer }
            if d.unscaled > Int128(Int64.min) && d.unscaled < Int128(Int64.max) { return .bigint }
        }
        // DecimalUtil.fromValue: no negative scale, and at least one digit left of the point.
        let scale = max(d.scale, 0)
        var digits = d.precision
        if d.scale < 0 { digits -= d.scale }
        let precision = max(digits, scale + 1)
        guard precision <= 38 else { return nil }
        return .decimal(precision: precision, scale: scale)
    }

    /// The common type of a numeric list type and a numeric string literal's type, as ksqlDB's
    /// `CoercionUtil` resolves it: DOUBLE wins, then DECIMAL (widened), then the wider integer.
    public static func commonWithNumericText(_ common: SQLType, _ text: SQLType) -> SQLType? {
        if common == .double || text == .double { return .double }
        return commonNumeric(common, text)
    }

    /// Two STRUCT types merged into one with every field of either, as ksqlDB types a list of
    /// struct constructors: the item's fields first, then the others; a field both have takes
    /// their common type. Nil when a shared field's types do not reconcile.
    public static func mergedStruct(_ common: [StructField], _ item: [StructField]) -> SQLType? {
        var names: [String] = []
        for f in item + common where !names.contains(f.name) { names.append(f.name) }
        var fields: [StructField] = []
        for name in names {
            let a = common.first { $0.name == name }?.type
            let b = item.first { $0.name == name }?.type
            guard let t = mergedFieldType(a, b) else { return nil }
            fields.append(StructField(name: name, type: t))
        }
        return .structure(fields)
    }

    private static func mergedFieldType(_ a: SQLType?, _ b: SQLType?) -> SQLType? {
        guard let a else { return b }
        guard let b else { return a }
        if a == b { return a }
        if let n = commonNumeric(a, b) { return n }
        if case .structure(let x) = a, case .structure(let y) = b { return mergedStruct(x, y) }
        return nil
    }
}
