import Testing

@testable import SluiceLog

@Suite struct VarintTests {
    static let zigzagCases: [(Int64, UInt64)] = [
        (0, 0), (-1, 1), (1, 2), (-2, 3), (2, 4), (63, 126), (-64, 127), (64, 128),
        (Int64(Int32.max), 4_294_967_294), (Int64(Int32.min), 4_294_967_295), (Int64.max, UInt64.max - 1),
        (Int64.min, UInt64.max),
    ]

    static let encodingCases: [(Int64, [UInt8])] = [
        (0, [0x00]), (-1, [0x01]), (1, [0x02]), (63, [0x7E]), (-64, [0x7F]), (64, [0x80, 0x01]),
        (300, [0xD8, 0x04]), (Int64(Int32.min), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
    ]

    @Test(arguments: zigzagCases)
    func zigzagMapsSmallMagnitudesToSmallNumbers(value: Int64, encoded: UInt64) {
        #expect(Varint.zigzag(value) == encoded)
        #expect(Varint.unzigzag(encoded) == value)
    }

    @Test(arguments: encodingCases)
    func encodesLikeKafka(value: Int64, expected: [UInt8]) {
        var out: [UInt8] = []
        Varint.append(value, to: &out)
        #expect(out == expected)
        #expect(Varint.size(value) == expected.count)
    }

    @Test func roundTripsAcrossTheRange() throws {
        var samples: [Int64] = [0, 1, -1, 127, 128, -129, 16_383, 16_384, Int64.max, Int64.min]
        var generator = SplitMix(seed: 42)
        for _ in 0..<500 { samples.append(Int64(bitPattern: generator.next()) >> (generator.next() % 64)) }
        var out: [UInt8] = []
        for value in samples { Varint.append(value, to: &out) }
        try out.withUnsafeBytes { (raw) throws in
            var reader = ByteReader(raw)
            for value in samples { #expect(try reader.readVarlong() == value) }
            #expect(reader.remaining == 0)
        }
    }

    @Test func varintRejectsValuesBeyond32Bits() {
        var out: [UInt8] = []
        Varint.append(Int64(Int32.max) + 1, to: &out)
        out.withUnsafeBytes { raw in
            var reader = ByteReader(raw)
            #expect(throws: FormatError.self) { try reader.readVarint() }
        }
    }

    @Test func truncatedAndOverlongInputsThrow() {
        [UInt8]([0x80, 0x80]).withUnsafeBytes { raw in
            var reader = ByteReader(raw)
            #expect { try reader.readVarlong() } throws: { ($0 as? FormatError)?.kind == .truncated }
        }
        [UInt8](repeating: 0x80, count: 11).withUnsafeBytes { raw in
            var reader = ByteReader(raw)
            #expect { try reader.readVarlong() } throws: { ($0 as? FormatError)?.kind == .malformed }
        }
    }
}
