/// Kafka's 32-bit MurmurHash2, the hash behind its default partitioner.
///
/// The variant matters more than the name: seed 0x9747B28C, the seed XORed with the length, four-byte
/// blocks read little-endian, the tail bytes treated as unsigned, and the final mix shifts 13 then 15.
/// All arithmetic wraps at 32 bits as Java's `int` does. Any difference sends keys to other
/// partitions than a Kafka producer would.
public enum Murmur2 {
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let m: UInt32 = 0x5BD1_E995
        let length = bytes.count
        var h: UInt32 = 0x9747_B28C ^ UInt32(truncatingIfNeeded: length)
        var index = 0
        while index + 4 <= length {
            var k = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self))
            k = k &* m
            k ^= k >> 24
            k = k &* m
            h = h &* m
            h ^= k
            index += 4
        }
        let tail = length - index
        if tail > 0 {
            if tail >= 3 { h ^= UInt32(bytes[index + 2]) << 16 }
            if tail >= 2 { h ^= UInt32(bytes[index + 1]) << 8 }
            h ^= UInt32(bytes[index])
            h = h &* m
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }

    public static func hash(_ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { hash($0) }
    }
}
