import SluiceTypes

/// Ordering of two non-null values of the same comparable type (the planner casts operands to
/// one type first). Returns nil when they do not compare.
enum ValueComparison {
    static func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.bigint(let x), .bigint(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.double(let x), .double(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.timestamp(let x), .timestamp(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.date(let x), .date(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.time(let x), .time(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.string(let x), .string(let y)):
            // Java compares strings by UTF-16 code units.
            return x.utf16.lexicographicallyPrecedes(y.utf16) ? -1 : (x == y ? 0 : 1)
        case (.boolean(let x), .boolean(let y)): return x == y ? 0 : (!x ? -1 : 1)
        case (.bytes(let x), .bytes(let y)): return x.lexicographicallyPrecedes(y) ? -1 : (x == y ? 0 : 1)
        case (.decimal(let x), .decimal(let y)):
            let scale = max(x.scale, y.scale)
            guard let l = try? DecimalOps.rescale(x, to: scale), let r = try? DecimalOps.rescale(y, to: scale) else {
                return nil
            }
            return l.unscaled < r.unscaled ? -1 : (l.unscaled == r.unscaled ? 0 : 1)
        case (.array(let x), .array(let y)):
            for (l, r) in zip(x, y) {
                if l.isNull && r.isNull { continue }
                if l.isNull { return -1 }
                if r.isNull { return 1 }
                guard let c = compare(l, r) else { return nil }
                if c != 0 { return c }
            }
            return x.count < y.count ? -1 : (x.count == y.count ? 0 : 1)
        default:
            let (x, y) = (a.asDouble, b.asDouble)
            if let x, let y { return x < y ? -1 : (x == y ? 0 : 1) }
            return a == b ? 0 : nil
        }
    }

    /// SQL `LIKE` with `%` and `_` wildcards and an optional escape character.
    static func like(_ text: String, _ pattern: String, escape: Character?) -> Bool {
        let t = Array(text)
        let p = Array(pattern)
        var memo: [Int: Bool] = [:]
        func match(_ i: Int, _ j: Int) -> Bool {
            let key = i &* (p.count + 1) &+ j
            if let m = memo[key] { return m }
            var result: Bool
            if j == p.count {
                result = i == t.count
            } else if let escape, p[j] == escape, j + 1 < p.count {
                result = i < t.count && t[i] == p[j + 1] && match(i + 1, j + 2)
            } else if p[j] == "%" {
                result = match(i, j + 1) || (i < t.count && match(i + 1, j))
            } else if p[j] == "_" {
                result = i < t.count && match(i + 1, j + 1)
            } else {
                result = i < t.count && t[i] == p[j] && match(i + 1, j + 1)
            }
            memo[key] = result
            return result
        }
        return match(0, 0)
    }
}
