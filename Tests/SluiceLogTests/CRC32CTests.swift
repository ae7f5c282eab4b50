import Testing

@testable import SluiceLog

@Suite struct CRC32CTests {
    /// Bit-at-a-time CRC-32C straight from the definition: an independent oracle for the
    /// table-driven, eight-bytes-at-a-time implementation.
    static func reference(_ bytes: [UInt8]) -> UInt32 { reference(0, bytes) }

    /// The bit-at-a-time CRC-32C of `bytes` continuing the checksum `start`.
    static func reference(_ start: UInt32, _ bytes: [UInt8]) -> UInt32 {
        var crc = ~start
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    @Test func checkValueOfTheStandardVector() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test func knownVectorsFromRFC3720() {
        // iSCSI (RFC 3720, B.4): 32 bytes of zeros, of 0xFF, and ascending 0...31.
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
    }

    @Test func emptyInputChecksumsToZero() {
        #expect(CRC32C.checksum([]) == 0)
    }

    @Test(arguments: [1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4099])
    func matchesTheBitwiseDefinitionAtEveryLength(length: Int) {
        var generator = SplitMix(seed: UInt64(length))
        let input = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        #expect(CRC32C.checksum(input) == Self.reference(input))
    }

    @Test func updateContinuesAChecksum() {
        let whole = Array("The quick brown fox jumps over the lazy dog".utf8)
        for split in [0, 1, 5, 8, 13, whole.count] {
            let first = CRC32C.checksum(Array(whole[..<split]))
            let continued = Array(whole[split...]).withUnsafeBytes { CRC32C.update(first, with: $0) }
            #expect(continued == CRC32C.checksum(whole), "split at \(split)")
        }
    }

    @Test func unalignedInputGivesTheSameResult() {
        let input = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let padded = [0xAA] + input
        let fromUnaligned = padded.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[1...])) }
        #expect(fromUnaligned == CRC32C.checksum(input))
    }
}

/// A tiny deterministic generator for test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The three-chain path of long inputs agrees with a plain bit-at-a-time CRC at every length and
/// split, including lengths that are not multiples of 3 or 8.
@Suite struct CRC32CInterleavingTests {
    func bitwise(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    @Test func longInputsMatchTheBitwiseDefinition() {
        var random = SeededRandom(seed: 99)
        let data = (0..<20_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        for length in [0, 1, 7, 1535, 1536, 1537, 1543, 4096, 9999, 20_000] {
            let slice = Array(data.prefix(length))
            #expect(CRC32C.checksum(slice) == bitwise(slice), "length \(length)")
            let cut = length / 3
            let joined = slice.withUnsafeBytes { raw in
                CRC32C.update(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[..<cut])), with: UnsafeRawBufferPointer(rebasing: raw[cut...]))
            }
            #expect(joined == bitwise(slice), "length \(length) continued at \(cut)")
        }
    }
}
