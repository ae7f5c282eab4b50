/// CRC-32C (Castagnoli), the checksum of Kafka record batches (and of iSCSI, ext4, SCTP).
///
/// Reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF: "123456789" checksums to
/// 0xE3069283. Software "slicing-by-8": eight 256-entry tables let the loop fold eight input bytes
/// per step with independent table lookups instead of one byte per dependent step. Slicing-by-16
/// measured no faster; the SSE4.2 `crc32` instruction would be several times faster but is not
/// reachable from Swift without a C module.
public enum CRC32C {
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

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 { update(0, with: bytes) }

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// Continues `crc` (the checksum of earlier bytes, 0 for none) over `bytes`, so
    /// `update(checksum(a), with: b) == checksum(a + b)`.
    public static func update(_ crc: UInt32, with bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return crc }
        var state = ~crc
        let count = bytes.count
        tables.withUnsafeBufferPointer { table in
            let t = table.baseAddress!
            var index = 0
            while index + 8 <= count {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                    ^ UInt64(state)
                var next = t[7 &* 256 &+ Int(word & 0xff)] ^ t[6 &* 256 &+ Int((word >> 8) & 0xff)]
                next ^= t[5 &* 256 &+ Int((word >> 16) & 0xff)] ^ t[4 &* 256 &+ Int((word >> 24) & 0xff)]
                next ^= t[3 &* 256 &+ Int((word >> 32) & 0xff)] ^ t[2 &* 256 &+ Int((word >> 40) & 0xff)]
                next ^= t[1 &* 256 &+ Int((word >> 48) & 0xff)] ^ t[Int(word >> 56)]
                state = next
                index &+= 8
            }
            while index < count {
                let byte = base.load(fromByteOffset: index, as: UInt8.self)
                state = t[Int((state ^ UInt32(byte)) & 0xff)] ^ (state >> 8)
                index += 1
            }
        }
        return ~state
    }
}
