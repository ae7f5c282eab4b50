import Testing

@testable import SluiceLog

/// The CPU-instruction path and the software path must agree byte for byte: which one runs depends
/// on the machine, and a batch written on one must verify on the other.
@Suite struct CRC32CHardwareTests {
    /// Every path over `bytes` continuing `crc`; the hardware results are nil on a CPU without
    /// the instruction. `hardware` folds long inputs where the CPU can, `instruction` never does.
    func bothPaths(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> (software: UInt32, hardware: UInt32?) {
        let hardware = CRC32C.hardwareUpdate(crc, with: bytes)
        let instruction = CRC32C.instructionUpdate(crc, with: bytes)
        #expect(instruction == hardware, "crc32 instruction alone vs folding, \(bytes.count) bytes")
        return (CRC32C.softwareUpdate(crc, with: bytes), hardware)
    }

    @Test func bothPathsGiveTheStandardCheckValue() {
        Array("123456789".utf8).withUnsafeBytes { raw in
            let (software, hardware) = bothPaths(0, raw)
            #expect(software == 0xE306_9283)
            if let hardware { #expect(hardware == 0xE306_9283) }
        }
    }

    @Test func bothPathsGiveTheRFC3720Vectors() {
        let vectors: [([UInt8], UInt32)] = [
            ([UInt8](repeating: 0, count: 32), 0x8A91_36AA),
            ([UInt8](repeating: 0xFF, count: 32), 0x62A8_AB43),
            ((0..<32).map { UInt8($0) }, 0x46DD_794E),
        ]
        for (input, expected) in vectors {
            input.withUnsafeBytes { raw in
                let (software, hardware) = bothPaths(0, raw)
                #expect(software == expected)
                if let hardware { #expect(hardware == expected) }
            }
        }
    }

    @Test func emptyInputLeavesTheChecksumAlone() {
        let (software, hardware) = bothPaths(0x1234_5678, UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(software == 0x1234_5678)
        if let hardware { #expect(hardware == 0x1234_5678) }
    }

    /// Lengths around the hardware paths' block sizes (3 x 256 and 3 x 8192 bytes for the
    /// instruction; 256, 64 and 16 for folding) and the software path's (3 x 512), at every start
    /// alignment, continuing a non-zero checksum.
    @Test func randomLengthsAndAlignmentsAgree() {
        var random = SplitMix(seed: 7)
        let data = (0..<(3 * 8192 * 2 + 64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        var lengths = [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 255, 256, 257, 271, 272, 319, 320, 511, 512, 513, 767, 768, 769]
        lengths += [1535, 1536, 1537, 3 * 8192 - 1, 3 * 8192, 3 * 8192 + 9, 6 * 8192]
        for _ in 0..<40 { lengths.append(Int(random.next() % UInt64(3 * 8192 * 2))) }
        data.withUnsafeBytes { raw in
            for length in lengths {
                for alignment in 0..<9 {
                    let slice = UnsafeRawBufferPointer(rebasing: raw[alignment..<alignment + length])
                    let seed = UInt32(truncatingIfNeeded: random.next())
                    let (software, hardware) = bothPaths(seed, slice)
                    if length < 2048 {
                        #expect(software == CRC32CTests.reference(seed, Array(slice)), "length \(length)")
                    }
                    if let hardware {
                        #expect(hardware == software, "length \(length) at alignment \(alignment)")
                    }
                }
            }
        }
    }

    @Test func theDispatchingEntryPointMatchesTheSoftwarePath() {
        var random = SplitMix(seed: 11)
        let data = (0..<100_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        data.withUnsafeBytes { raw in
            #expect(CRC32C.checksum(raw) == CRC32C.softwareUpdate(0, with: raw))
        }
    }
}
