import SluiceTypes

/// A value wrapped for hashing with Java `equals` semantics (see ``ValueOrder/equal(_:_:)``):
/// doubles by bit pattern, maps regardless of entry order. Lets set-like functions run in linear
/// time.
struct JavaEqualityKey: Hashable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }

    static func == (a: JavaEqualityKey, b: JavaEqualityKey) -> Bool {
        ValueOrder.equal(a.value, b.value)
    }

    func hash(into hasher: inout Hasher) {
        Self.hash(value, into: &hasher)
    }

    private static func hash(_ v: Value, into hasher: inout Hasher) {
        switch v {
        case .double(let d):
            hasher.combine(3)
            hasher.combine(ValueOrder.javaBits(d))
        case .array(let items):
            hasher.combine(10)
            hasher.combine(items.count)
            for item in items { hash(item, into: &hasher) }
        case .map(let entries):
            // Order-independent: Java maps are equal whatever their iteration order.
            hasher.combine(11)
            hasher.combine(entries.count)
        case .structure(let fields):
            hasher.combine(12)
            for f in fields {
                hasher.combine(f.name)
                hash(f.value, into: &hasher)
            }
        default:
            hasher.combine(v)
        }
    }
}

/// Order-preserving distinct, Java-equality based.
func distinctValues(_ items: [Value]) -> [Value] {
    var seen = Set<JavaEqualityKey>()
    var out: [Value] = []
    out.reserveCapacity(items.count)
    for item in items where seen.insert(JavaEqualityKey(item)).inserted {
        out.append(item)
    }
    return out
}
