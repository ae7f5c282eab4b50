extension CRC32C {
    private static let slices = 8

    /// Table `k` (entries `k*256 ..< (k+1)*256`) gives the CRC contribution of a byte followed by `k`
    /// zero bytes; table 0 is the classic byte-at-a-time table.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: slices * 256)
        for index in 0..<256 {
            var crc = UInt32(index)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            tables[index] = crc
        }
        for index in 0..<256 {
            var crc = tables[index]
            for slice in 1..<slices {
                crc = (crc >> 8) ^ tables[Int(crc & 0xff)]
                tables[slice * 256 + index] = crc
            }
        }
        return tables
    }()

    /// ``update(_:with:)`` without the CPU's instruction: the fallback, and what the tests check the
    /// hardware path against.
    ///
    /// Slicing-by-8: eight 256-entry tables let the loop fold eight input bytes per step with
    /// independent table lookups instead of one byte per dependent step (slicing-by-16 measured no
    /// faster). Long inputs are cut in three and the thirds run through one loop together: a single
    /// chain is bound by the latency of its table lookups, three independent chains keep the load
    /// units busy (about 2.5x the speed of one chain on the development VM). The three registers are
    /// then joined with ``shift(_:byBytes:)``, the way zlib's `crc32_combine` does.
    package static func softwareUpdate(_ crc: UInt32, with bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return crc }
        let count = bytes.count
        guard count >= 3 * interleaveMinimum else { return ~register(~crc, base, count) }
        let third = count / 3 & ~7
        return tables.withUnsafeBufferPointer { table -> UInt32 in
            let t = table.baseAddress!
            var a = ~crc
            var b: UInt32 = 0
            var c: UInt32 = 0
            let baseB = base + third
            let baseC = base + 2 * third
            var index = 0
            while index < third {
                let wa = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self)) ^ UInt64(a)
                let wb = UInt64(littleEndian: baseB.loadUnaligned(fromByteOffset: index, as: UInt64.self)) ^ UInt64(b)
                let wc = UInt64(littleEndian: baseC.loadUnaligned(fromByteOffset: index, as: UInt64.self)) ^ UInt64(c)
                a = fold(wa, t)
                b = fold(wb, t)
                c = fold(wc, t)
                index &+= 8
            }
            let restC = count - 2 * third
            c = register(c, baseC + third, restC - third)
            // register(a, A‖B‖C) = shift(shift(a, |B|) ^ b, |C|) ^ c, with b and c started at 0.
            let ab = shift(a, byBytes: third) ^ b
            return ~(shift(ab, byBytes: restC) ^ c)
        }
    }

    /// Below three times this many bytes one chain is as fast as three plus the joins.
    private static let interleaveMinimum = 512

    @inline(__always)
    private static func fold(_ word: UInt64, _ t: UnsafePointer<UInt32>) -> UInt32 {
        var next = t[7 &* 256 &+ Int(word & 0xff)] ^ t[6 &* 256 &+ Int((word >> 8) & 0xff)]
        next ^= t[5 &* 256 &+ Int((word >> 16) & 0xff)] ^ t[4 &* 256 &+ Int((word >> 24) & 0xff)]
        next ^= t[3 &* 256 &+ Int((word >> 32) & 0xff)] ^ t[2 &* 256 &+ Int((word >> 40) & 0xff)]
        next ^= t[1 &* 256 &+ Int((word >> 48) & 0xff)] ^ t[Int(word >> 56)]
        return next
    }

    /// The raw CRC register after feeding `count` bytes at `base` into `state` (no inversions).
    private static func register(_ state: UInt32, _ base: UnsafeRawPointer, _ count: Int) -> UInt32 {
        var state = state
        tables.withUnsafeBufferPointer { table in
            let t = table.baseAddress!
            var index = 0
            while index + 8 <= count {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                    ^ UInt64(state)
                state = fold(word, t)
                index &+= 8
            }
            while index < count {
                let byte = base.load(fromByteOffset: index, as: UInt8.self)
                state = t[Int((state ^ UInt32(byte)) & 0xff)] ^ (state >> 8)
                index += 1
            }
        }
        return state
    }

    // MARK: - Joining registers (GF(2) polynomial arithmetic modulo the CRC polynomial)

    /// `a * b mod P`, both reflected (bit 31 is x^0).
    private static func multiplyModP(_ a: UInt32, _ b: UInt32) -> UInt32 {
        var m: UInt32 = 1 << 31
        var product: UInt32 = 0
        var b = b
        while true {
            if a & m != 0 {
                product ^= b
                if a & (m &- 1) == 0 { break }
            }
            m >>= 1
            b = b & 1 != 0 ? (b >> 1) ^ 0x82F6_3B78 : b >> 1
        }
        return product
    }

    /// x^(2^k) mod P for k = 0..<32.
    private static let powersOfTwo: [UInt32] = {
        var powers = [UInt32](repeating: 0, count: 32)
        var p: UInt32 = 1 << 30  // x^1
        for k in 0..<32 {
            powers[k] = p
            p = multiplyModP(p, p)
        }
        return powers
    }()

    /// The register `state` followed by `count` zero bytes: `state * x^(8 count) mod P`.
    static func shift(_ state: UInt32, byBytes count: Int) -> UInt32 {
        var power: UInt32 = 1 << 31  // x^0
        var n = count
        var k = 3
        while n > 0 {
            if n & 1 == 1 { power = multiplyModP(powersOfTwo[k & 31], power) }
            n >>= 1
            k += 1
        }
        return multiplyModP(power, state)
    }
}
