import SluiceTypes

/// Ordering and equality of values as ksqlDB's Java objects behave: `compareTo` for sorting,
/// MIN/MAX and TOPK, `equals` for sets and searches.
enum ValueOrder {
    /// Three-way comparison of two values of the same SQL type; NULL sorts first. Strings compare
    /// by UTF-16 code units and doubles as `Double.compare` (NaN largest, -0.0 before 0.0), as in
    /// Java. Collections compare element-wise.
    static func compare(_ a: Value, _ b: Value) -> Int {
        switch (a, b) {
        case (.null, .null): return 0
        case (.null, _): return -1
        case (_, .null): return 1
        case (.integer(let x), .integer(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.bigint(let x), .bigint(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.double(let x), .double(let y)): return compareDoubles(x, y)
        case (.decimal(let x), .decimal(let y)): return DecimalMath.compare(x, y)
        case (.string(let x), .string(let y)): return compareStrings(x, y)
        case (.boolean(let x), .boolean(let y)): return x == y ? 0 : (x ? 1 : -1)
        case (.date(let x), .date(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.time(let x), .time(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.timestamp(let x), .timestamp(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.bytes(let x), .bytes(let y)):
            // ByteBuffer.compareTo: signed bytes.
            for (p, q) in zip(x, y) where p != q {
                return Int8(bitPattern: p) < Int8(bitPattern: q) ? -1 : 1
            }
            return x.count < y.count ? -1 : (x.count > y.count ? 1 : 0)
        case (.array(let x), .array(let y)):
            for (p, q) in zip(x, y) {
                let c = compare(p, q)
                if c != 0 { return c }
            }
            return x.count < y.count ? -1 : (x.count > y.count ? 1 : 0)
        default:
            // Mixed numeric types (values of widened columns).
            if let x = numeric(a), let y = numeric(b) { return compareDoubles(x, y) }
            return 0
        }
    }

    static func numeric(_ v: Value) -> Double? {
        switch v {
        case .integer(let i): Double(i)
        case .bigint(let i): Double(i)
        case .double(let d): d
        case .decimal(let d): DecimalMath.toDouble(d)
        default: nil
        }
    }

    /// `Double.compare`: -0.0 < 0.0, NaN equal to itself and above everything.
    static func compareDoubles(_ x: Double, _ y: Double) -> Int {
        if x < y { return -1 }
        if x > y { return 1 }
        let xb = javaBits(x), yb = javaBits(y)
        return xb == yb ? 0 : (xb < yb ? -1 : 1)
    }

    /// `Double.doubleToLongBits`: every NaN folds to one canonical pattern.
    static func javaBits(_ x: Double) -> Int64 {
        x.isNaN ? 0x7ff8_0000_0000_0000 : Int64(bitPattern: x.bitPattern)
    }

    /// `String.compareTo`: lexicographic by UTF-16 code unit.
    static func compareStrings(_ a: String, _ b: String) -> Int {
        var ai = a.utf8.makeIterator()
        var bi = b.utf8.makeIterator()
        // UTF-8 byte order equals code point order, which equals UTF-16 order except for
        // supplementary characters against U+E000...U+FFFF; fall back to UTF-16 on non-ASCII.
        while true {
            let x = ai.next()
            let y = bi.next()
            switch (x, y) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let p?, let q?):
                if p == q { continue }
                if p < 0x80 && q < 0x80 { return p < q ? -1 : 1 }
                return compareUTF16(a, b)
            }
        }
    }

    private static func compareUTF16(_ a: String, _ b: String) -> Int {
        var ai = a.utf16.makeIterator()
        var bi = b.utf16.makeIterator()
        while true {
            switch (ai.next(), bi.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let p?, let q?): if p != q { return p < q ? -1 : 1 }
            }
        }
    }

    /// Java `Objects.equals` on ksqlDB's runtime objects: like `==` except that doubles compare by
    /// bits (NaN equals NaN, 0.0 differs from -0.0), recursively.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.double(let x), .double(let y)): return javaBits(x) == javaBits(y)
        case (.array(let x), .array(let y)):
            guard x.count == y.count else { return false }
            for (p, q) in zip(x, y) where !equal(p, q) { return false }
            return true
        case (.map(let x), .map(let y)):
            guard x.count == y.count else { return false }
            for e in x {
                guard let other = y.first(where: { equal($0.key, e.key) }), equal(other.value, e.value) else {
                    return false
                }
            }
            return true
        case (.structure(let x), .structure(let y)):
            guard x.count == y.count else { return false }
            for (p, q) in zip(x, y) where p.name != q.name || !equal(p.value, q.value) { return false }
            return true
        default:
            return a == b
        }
    }

    static func contains(_ items: [Value], _ value: Value) -> Bool {
        items.contains { equal($0, value) }
    }
}
