internal import CSluiceCRC32C

/// CRC-32C (Castagnoli), the checksum of Kafka record batches (and of iSCSI, ext4, SCTP).
///
/// Reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF: "123456789" checksums to
/// 0xE3069283.
///
/// Every byte appended or read passes through here once, so this is one of the log's largest
/// per-byte costs after the kernel's copy. Where the CPU has a CRC-32C instruction (SSE4.2 on
/// x86-64, the CRC extension on arm64), the work goes to the small C target `CSluiceCRC32C`: Swift
/// cannot compile one function for SSE4.2 while keeping the program runnable on CPUs without it.
/// There, three interleaved streams of the instruction reach about 8 bytes per cycle, and on CPUs
/// with AVX-512 VPCLMULQDQ inputs from 256 bytes are folded with carry-less multiplication, several
/// times faster again (20-25 GB/s and 70-100 GB/s on the development VM). Elsewhere a software
/// slicing-by-8 (``softwareUpdate(_:with:)``) does the same job at 2-4.5 GB/s.
public enum CRC32C {
    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 { update(0, with: bytes) }

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// Continues `crc` (the checksum of earlier bytes, 0 for none) over `bytes`, so
    /// `update(checksum(a), with: b) == checksum(a + b)`.
    @inline(__always)
    public static func update(_ crc: UInt32, with bytes: UnsafeRawBufferPointer) -> UInt32 {
        if usesHardware, let base = bytes.baseAddress {
            return ~sluice_crc32c_hardware_update(~crc, base, bytes.count)
        }
        return softwareUpdate(crc, with: bytes)
    }

    /// ``update(_:with:)`` through the CPU's instruction, or nil on a CPU without one (for tests
    /// that compare both paths).
    package static func hardwareUpdate(_ crc: UInt32, with bytes: UnsafeRawBufferPointer) -> UInt32? {
        guard usesHardware else { return nil }
        guard let base = bytes.baseAddress else { return crc }
        return ~sluice_crc32c_hardware_update(~crc, base, bytes.count)
    }

    /// ``hardwareUpdate(_:with:)`` with the crc32 instruction alone, never folding with carry-less
    /// multiplication, or nil on a CPU without the instruction (for tests on machines that fold).
    package static func instructionUpdate(_ crc: UInt32, with bytes: UnsafeRawBufferPointer) -> UInt32? {
        guard usesHardware else { return nil }
        guard let base = bytes.baseAddress else { return crc }
        return ~sluice_crc32c_instruction_update(~crc, base, bytes.count)
    }

    /// Whether checksums run on the CPU's CRC-32C instruction (checked once per process).
    public static let usesHardware: Bool = sluice_crc32c_hardware_available() != 0

    /// Whether long inputs are folded with AVX-512 carry-less multiplication on top of that.
    public static let usesFolding: Bool = usesHardware && sluice_crc32c_folding_available() != 0
}
