/// ksqlDB's rule for finding a struct field (or a column) in a JSON object: the member whose key
/// equals the field name, else the member whose upper-cased key equals it (so `foo` and `Foo`
/// find field `FOO`, but a quoted lower-case field `foo` is only found by exact key). When a key
/// appears twice, the later one wins, and an exact match always beats an upper-case one.
struct FieldMatcher: Sendable {
    let names: [String]
    let nameBytes: [[UInt8]]
    /// False when the name contains an ASCII lower-case letter: no upper-cased key can equal it.
    let upperMatchable: [Bool]
    /// Whether one key can match two fields (some name is another's upper-case form).
    let keysCanMatchTwice: Bool

    init(names: [String]) {
        self.names = names
        nameBytes = names.map { Array($0.utf8) }
        upperMatchable = nameBytes.map { bytes in !bytes.contains { $0 >= 0x61 && $0 <= 0x7A } }
        let all = Set(names)
        keysCanMatchTwice = names.contains { $0.uppercased() != $0 && all.contains($0.uppercased()) }
    }

    var count: Int { names.count }

    enum Match {
        case none
        case one(Int, exact: Bool)
        case several([(index: Int, exact: Bool)])
    }

    /// The fields `key` (raw UTF-8 of the unescaped key) matches. `hint` is where to start looking:
    /// fields usually arrive in declaration order.
    func match(_ key: UnsafeBufferPointer<UInt8>, hint: Int = 0) -> Match {
        let n = nameBytes.count
        if n == 0 { return .none }
        var ascii = true
        for c in key where c >= 0x80 {
            ascii = false
            break
        }
        var found: [(index: Int, exact: Bool)] = []
        var i = hint < n ? hint : 0
        for _ in 0..<n {
            if let exact = matches(key, ascii: ascii, field: i) {
                if !keysCanMatchTwice { return .one(i, exact: exact) }
                found.append((i, exact))
            }
            i += 1
            if i == n { i = 0 }
        }
        switch found.count {
        case 0: return .none
        case 1: return .one(found[0].index, exact: found[0].exact)
        default: return .several(found)
        }
    }

    /// nil: no match; true: exact; false: upper-cased key matches.
    @inline(__always)
    private func matches(_ key: UnsafeBufferPointer<UInt8>, ascii: Bool, field i: Int) -> Bool? {
        nameBytes[i].withUnsafeBufferPointer { name -> Bool? in
            if ascii {
                guard name.count == key.count else { return nil }
                var exact = true
                var upper = upperMatchable[i]
                for j in 0..<key.count {
                    let k = key[j]
                    let c = name[j]
                    if k == c { continue }
                    exact = false
                    if !upper { return nil }
                    if !(k >= 0x61 && k <= 0x7A && k - 0x20 == c) { upper = false; return nil }
                }
                return exact ? true : (upper ? false : nil)
            }
            if name.count == key.count && name.elementsEqual(key) { return true }
            let upperKey = String(decoding: key, as: UTF8.self).uppercased()
            return upperKey == names[i] ? false : nil
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
