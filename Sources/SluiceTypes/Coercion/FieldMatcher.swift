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
    /// Whether `matchInPlace` may compare a key with the name while it is still in the record.
    let inPlaceMatchable: [Bool]
    /// Each in-place matchable name of up to 7 bytes with its closing quote, as one word.
    let quotedWords: [QuotedWord]

    /// A name and the quote after it as they sit in a record, little-endian: a key is the name
    /// when the eight bytes at its start, masked, equal `word`.
    struct QuotedWord {
        var word: UInt64 = 0
        /// Ones over the name and its quote; zero when the name is not matched this way.
        var mask: UInt64 = 0
        var length = 0
        var upperMatchable = false
    }

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
        let canMatchTwice = keysCanMatchTwice
        inPlaceMatchable = nameBytes.map { bytes in
            !canMatchTwice && !bytes.isEmpty && bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }
        }
        var words: [QuotedWord] = []
        for (i, bytes) in nameBytes.enumerated() {
            var q = QuotedWord()
            if inPlaceMatchable[i] && bytes.count <= 7 {
                for (k, b) in (bytes + [0x22]).enumerated() {
                    q.word |= UInt64(b) << (8 * UInt64(k))
                    q.mask |= 0xFF << (8 * UInt64(k))
                }
                q.length = bytes.count
                q.upperMatchable = upperMatchable[i]
            }
            words.append(q)
        }
        quotedWords = words
    }

    var count: Int { names.count }

    enum Match: Equatable {
        case none
        case one(Int, exact: Bool)
        case several([Hit])
    }

    struct Hit: Equatable {
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
        if hint < n, let quick = quickMatch(key, field: hint) { return quick }
        return matchByScan(key, hint: hint)
    }

    /// `match` by comparing the key with each name in turn, byte by byte, from `hint` on.
    func matchByScan(_ key: UnsafeBufferPointer<UInt8>, hint: Int = 0) -> Match {
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

    /// Whether `key` is field `i`'s name, or its ASCII upper-case form is, compared eight bytes at a
    /// time: the common case, where members arrive in field order spelt as last time. Nil when
    /// that is not plainly so, and `match` must decide: the loop below gives the same answer
    /// whenever this one gives any.
    @inline(__always)
    func quickMatch(_ key: UnsafeBufferPointer<UInt8>, field i: Int) -> Match? {
        guard key.count == nameLengths[i], key.count > 0,
            let exact = compare(UnsafeRawPointer(key.baseAddress!), withName: i)
        else { return nil }
        return .one(i, exact: exact)
    }

    /// `match` for a key still in the record, when it is field `i`'s name, exactly or upper-cased
    /// (`exact` says which): `start` is just past the key's opening quote and `end` is its closing
    /// quote. Only for names of printable ASCII without `"` or `\\`: a key equal to one of those
    /// is a valid JSON string without escapes, so it needs no scan of its own. Nil when the key
    /// is not plainly that name; the caller then scans it and calls `match`.
    @inline(__always)
    func matchInPlace(_ buf: UnsafeBufferPointer<UInt8>, at start: Int, field i: Int) -> (exact: Bool, end: Int)? {
        let quoted = quotedWords[i]
        if quoted.mask != 0 && start + 8 <= buf.count {
            // A short name: the key, its closing quote and what follows, in one load.
            let key = UInt64(littleEndian: UnsafeRawPointer(buf.baseAddress! + start).loadUnaligned(as: UInt64.self)) & quoted.mask
            if key == quoted.word { return (true, start + quoted.length) }
            // The quote is no letter, so upper-casing keeps it where it is.
            guard quoted.upperMatchable, key & 0x8080_8080_8080_8080 == 0, FieldMatcher.asciiUpper(key) == quoted.word else {
                return nil
            }
            return (false, start + quoted.length)
        }
        return matchLongerInPlace(buf, at: start, field: i)
    }

    /// `matchInPlace` for names it cannot take in one word.
    @inline(never)
    func matchLongerInPlace(_ buf: UnsafeBufferPointer<UInt8>, at start: Int, field i: Int) -> (exact: Bool, end: Int)? {
        guard inPlaceMatchable[i] else { return nil }
        let end = start + nameLengths[i]
        guard end < buf.count, buf[end] == 0x22,
            let exact = compare(UnsafeRawPointer(buf.baseAddress! + start), withName: i)
        else { return nil }
        return (exact, end)
    }

    /// Compares the `nameLengths[i]` bytes at `key` with name `i`, a word at a time: true when
    /// equal, false when equal once the key's ASCII letters are upper-cased, nil otherwise or
    /// when the key has bytes only the Unicode rules can judge.
    @inline(__always)
    private func compare(_ key: UnsafeRawPointer, withName i: Int) -> Bool? {
        let length = nameLengths[i]
        let upperMatchable = self.upperMatchable[i]
        return flatNames.withUnsafeBufferPointer { flat -> Bool? in
            let name = UnsafeRawPointer(flat.baseAddress! + nameStarts[i])
            var exact = true
            var allKeyBytes: UInt64 = 0
            var j = 0
            while j < length {
                let a: UInt64
                let b: UInt64
                if length - j >= 8 {
                    a = key.loadUnaligned(fromByteOffset: j, as: UInt64.self)
                    b = name.loadUnaligned(fromByteOffset: j, as: UInt64.self)
                    j += 8
                } else {
                    a = FieldMatcher.loadShort(key + j, length - j)
                    b = FieldMatcher.loadShort(name + j, length - j)
                    j = length
                }
                allKeyBytes |= a
                if a == b { continue }
                // Past the first difference only an ASCII upper-case match will do.
                guard upperMatchable, a & 0x8080_8080_8080_8080 == 0, FieldMatcher.asciiUpper(a) == b else { return nil }
                exact = false
            }
            // After a difference, the byte-wise comparison hands any non-ASCII key byte to the
            // Unicode rules.
            if !exact && allKeyBytes & 0x8080_8080_8080_8080 != 0 { return nil }
            return exact
        }
    }

    /// The `count` (1...7) bytes at `p` in a word. Short counts reuse bytes (overlapping loads),
    /// so equal words mean equal bytes only between buffers loaded with the same count.
    @inline(__always)
    static func loadShort(_ p: UnsafeRawPointer, _ count: Int) -> UInt64 {
        if count >= 4 {
            let low = UInt64(p.loadUnaligned(as: UInt32.self))
            let high = UInt64(p.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            return low | high << 32
        }
        if count >= 2 {
            let low = UInt64(p.loadUnaligned(as: UInt16.self))
            let high = UInt64(p.loadUnaligned(fromByteOffset: count - 2, as: UInt16.self))
            return low | high << 16
        }
        return UInt64(p.load(as: UInt8.self))
    }

    /// `word` with its ASCII lower-case letters upper-cased; every byte must be below 0x80.
    @inline(__always)
    static func asciiUpper(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let atLeastA = word &+ ones &* (0x80 - 0x61)
        let pastZ = word &+ ones &* (0x80 - 0x7B)
        let lower = atLeastA & ~pastZ & 0x8080_8080_8080_8080
        return word &- (lower >> 2)
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
