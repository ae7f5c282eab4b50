/// ksqlDB's rule for finding a struct field (or a column) in a JSON object: the member whose key
/// equals the field name, else the member whose upper-cased key equals it (so `foo` and `Foo`
/// find field `FOO`, but a quoted lower-case field `foo` is only found by exact key). When a key
/// appears twice, the later one wins, and an exact match always beats an upper-case one.
final class FieldMatcher: Sendable {
    let names: [String]
    let nameBytes: [[UInt8]]
    /// All names' UTF-8 back to back, with each name's start and length: one buffer to scan.
    let flatNames: [UInt8]
    let nameStarts: [Int]
    let nameLengths: [Int]
    /// False when the name contains an ASCII lower-case letter: no upper-cased key can equal it.
    let upperMatchable: [Bool]
    /// Whether one key can match two fields (some name is another's upper-case form).
    let keysCanMatchTwice: Bool

    init(names: [String]) {
        self.names = names
        nameBytes = names.map { Array($0.utf8) }
        flatNames = nameBytes.flatMap { $0 }
        nameLengths = nameBytes.map(\.count)
        var start = 0
        nameStarts = nameLengths.map { length in
            defer { start += length }
            return start
        }
        upperMatchable = nameBytes.map { bytes in !bytes.contains { $0 >= 0x61 && $0 <= 0x7A } }
        let all = Set(names)
        keysCanMatchTwice = names.contains { $0.uppercased() != $0 && all.contains($0.uppercased()) }
    }

    var count: Int { names.count }

    enum Match {
        case none
        case one(Int, exact: Bool)
        case several([Hit])
    }

    struct Hit {
        var index: Int
        var exact: Bool
    }

    /// The fields `key` (raw UTF-8 of the unescaped key) matches. `hint` is where to start looking:
    /// fields usually arrive in declaration order.
    @inline(__always)
    func match(_ key: UnsafeBufferPointer<UInt8>, hint: Int = 0) -> Match {
        let n = nameLengths.count
        if n == 0 { return .none }
        if keysCanMatchTwice { return matchAll(key) }
        // Whether the key is all ASCII, found out the first time it matters (0 unknown, 1 yes, 2 no).
        var ascii = 0
        return flatNames.withUnsafeBufferPointer { flat -> Match in
            var i = hint < n ? hint : 0
            for _ in 0..<n {
                let name = UnsafeBufferPointer(rebasing: flat[nameStarts[i]..<(nameStarts[i] + nameLengths[i])])
                if name.count != key.count {
                    // Upper-casing keeps an ASCII key's length; only non-ASCII keys need a closer look.
                    if upperMatchable[i] {
                        if ascii == 0 { ascii = key.contains { $0 >= 0x80 } ? 2 : 1 }
                        if ascii == 2 { return matchAll(key) }
                    }
                    i += 1
                    if i == n { i = 0 }
                    continue
                }
                switch compare(key, name, upperMatchable: upperMatchable[i]) {
                case .exact: return .one(i, exact: true)
                case .upper: return .one(i, exact: false)
                case .nonASCII: return matchAll(key)
                case .different: break
                }
                i += 1
                if i == n { i = 0 }
            }
            return .none
        }
    }

    private enum Comparison { case exact, upper, different, nonASCII }

    /// Compares an ASCII-or-not key with one name: exact bytes, or ASCII upper-casing of the key.
    /// `nonASCII` when the upper-case comparison met a non-ASCII key byte (needs Unicode rules).
    @inline(__always)
    /// `key` and `name` have the same length.
    private func compare(_ key: UnsafeBufferPointer<UInt8>, _ name: UnsafeBufferPointer<UInt8>, upperMatchable: Bool) -> Comparison {
        var j = 0
        while j < key.count && key[j] == name[j] { j += 1 }
        if j == key.count { return .exact }
        guard upperMatchable else { return .different }
        while j < key.count {
            let k = key[j]
            if k >= 0x80 { return .nonASCII }
            let upper = k &- 0x61 < 26 ? k &- 0x20 : k
            if upper != name[j] { return .different }
            j += 1
        }
        return .upper
    }

    /// Every field `key` matches, with full Unicode upper-casing (Java's `toUpperCase`).
    private func matchAll(_ key: UnsafeBufferPointer<UInt8>) -> Match {
        var found: [Hit] = []
        var upperKey: String? = nil
        for i in 0..<nameBytes.count {
            let name = nameBytes[i]
            if name.count == key.count && name.elementsEqual(key) {
                found.append(Hit(index: i, exact: true))
                continue
            }
            guard upperMatchable[i] else { continue }
            if upperKey == nil { upperKey = String(decoding: key, as: UTF8.self).uppercased() }
            if upperKey == names[i] { found.append(Hit(index: i, exact: false)) }
        }
        switch found.count {
        case 0: return .none
        case 1: return .one(found[0].index, exact: found[0].exact)
        default: return .several(found)
        }
    }
}

/// Runs `body` over a string's contiguous UTF-8 bytes, keeping the body's typed error.
@inline(__always)
func withUTF8Bytes<R, E: Error>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
    var s = string
    let result: Result<R, E> = s.withUTF8 { buf in Result { () throws(E) -> R in try body(buf) } }
    return try result.get()
}
