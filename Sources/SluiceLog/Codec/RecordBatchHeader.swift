/// The attribute bits of a v2 record batch.
public struct RecordBatchAttributes: OptionSet, Hashable, Sendable {
    public var rawValue: Int16

    public init(rawValue: Int16) { self.rawValue = rawValue }

    /// Bits 0–2: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd. Sluice writes none and reads none.
    public var compressionCodec: Int { Int(rawValue & 0x7) }
    /// Bit 3: timestamps are the broker's append time rather than the producer's create time.
    public static let logAppendTime = RecordBatchAttributes(rawValue: 1 << 3)
    /// Bit 4: the batch belongs to a transaction and is visible only once that commits.
    public static let transactional = RecordBatchAttributes(rawValue: 1 << 4)
    /// Bit 5: the batch holds a transaction marker, not user records.
    public static let control = RecordBatchAttributes(rawValue: 1 << 5)
    /// Bit 6: the base timestamp holds the compaction delete horizon.
    public static let deleteHorizon = RecordBatchAttributes(rawValue: 1 << 6)
}

/// The fixed 61-byte header of a Kafka record batch, magic 2.
///
/// ```
/// offset  size  field
///      0     8  baseOffset             first offset of the batch
///      8     4  batchLength            bytes after this field (total size - 12)
///     12     4  partitionLeaderEpoch
///     16     1  magic                  2
///     17     4  crc                    CRC-32C of bytes 21 ..< end
///     21     2  attributes             see RecordBatchAttributes
///     23     4  lastOffsetDelta        last offset - baseOffset
///     27     8  baseTimestamp          timestamp of the first record
///     35     8  maxTimestamp
///     43     8  producerId             -1 when not idempotent
///     51     2  producerEpoch
///     53     4  baseSequence
///     57     4  recordCount
///     61        records (varint-framed, see RecordBatch)
/// ```
/// Everything before the CRC'd region (base offset, length, leader epoch, magic) can be rewritten
/// without touching the checksum: the log assigns the base offset that way at append time.
public struct RecordBatchHeader: Hashable, Sendable {
    public static let size = 61
    /// Bytes not counted by `batchLength`: the base offset and the length itself.
    public static let logOverhead = 12
    public static let magicValue: Int8 = 2

    static let lengthOffset = 8
    static let magicOffset = 16
    static let crcOffset = 17
    static let attributesOffset = 21
    static let lastOffsetDeltaOffset = 23
    static let baseTimestampOffset = 27
    static let maxTimestampOffset = 35
    static let recordCountOffset = 57

    public var baseOffset: Int64
    public var batchLength: Int32
    public var partitionLeaderEpoch: Int32
    public var magic: Int8
    public var crc: UInt32
    public var attributes: RecordBatchAttributes
    public var lastOffsetDelta: Int32
    public var baseTimestamp: Int64
    public var maxTimestamp: Int64
    public var producerId: Int64
    public var producerEpoch: Int16
    public var baseSequence: Int32
    public var recordCount: Int32

    /// The whole batch's size in bytes, header included.
    public var totalSize: Int { Int(batchLength) + Self.logOverhead }
    public var lastOffset: Int64 { baseOffset + Int64(lastOffsetDelta) }
    /// The offset after the batch's last.
    public var nextOffset: Int64 { baseOffset + Int64(lastOffsetDelta) + 1 }

    /// Reads the base offset and length only: enough to step over a batch.
    static func frame(_ bytes: UnsafeRawBufferPointer, at position: Int) -> (baseOffset: Int64, totalSize: Int)? {
        guard bytes.count - position >= logOverhead else { return nil }
        let baseOffset = bytes.loadBigEndian(at: position, as: Int64.self)
        let length = bytes.loadBigEndian(at: position + lengthOffset, as: Int32.self)
        return (baseOffset, Int(length) + logOverhead)
    }

    /// Parses and sanity-checks the header at the start of `bytes`; does not verify the CRC.
    ///
    /// - Throws: ``FormatError`` `.truncated` if fewer than 61 bytes are given, `.unsupported` for
    ///   another magic, `.malformed` for impossible lengths or counts.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(FormatError) {
        guard bytes.count >= Self.size else {
            throw FormatError(.truncated, "record batch header needs \(Self.size) bytes, have \(bytes.count)")
        }
        magic = Int8(bitPattern: bytes[Self.magicOffset])
        guard magic == Self.magicValue else {
            throw FormatError(.unsupported, "record batch magic \(magic) is not 2")
        }
        baseOffset = bytes.loadBigEndian(at: 0)
        batchLength = bytes.loadBigEndian(at: Self.lengthOffset)
        partitionLeaderEpoch = bytes.loadBigEndian(at: 12)
        crc = bytes.loadBigEndian(at: Self.crcOffset)
        attributes = RecordBatchAttributes(rawValue: bytes.loadBigEndian(at: Self.attributesOffset))
        lastOffsetDelta = bytes.loadBigEndian(at: Self.lastOffsetDeltaOffset)
        baseTimestamp = bytes.loadBigEndian(at: Self.baseTimestampOffset)
        maxTimestamp = bytes.loadBigEndian(at: Self.maxTimestampOffset)
        producerId = bytes.loadBigEndian(at: 43)
        producerEpoch = bytes.loadBigEndian(at: 51)
        baseSequence = bytes.loadBigEndian(at: 53)
        recordCount = bytes.loadBigEndian(at: Self.recordCountOffset)
        guard Int(batchLength) >= Self.size - Self.logOverhead else {
            throw FormatError(.malformed, "record batch length \(batchLength) is shorter than its header")
        }
        guard recordCount >= 0, lastOffsetDelta >= -1, baseOffset >= 0 else {
            throw FormatError(.malformed, "record batch has count \(recordCount), last offset delta \(lastOffsetDelta)")
        }
        guard Int(recordCount) <= Int(batchLength) else {
            throw FormatError(.malformed, "record batch claims \(recordCount) records in \(batchLength) bytes")
        }
    }

    /// The CRC-32C of a whole batch's checksummed region (attributes to end).
    static func computeChecksum(_ batch: UnsafeRawBufferPointer) -> UInt32 {
        CRC32C.checksum(UnsafeRawBufferPointer(rebasing: batch[attributesOffset...]))
    }

    /// Checks the stored CRC against the bytes; `batch` must be exactly this batch.
    public func verifyChecksum(_ batch: UnsafeRawBufferPointer) throws(FormatError) {
        guard batch.count == totalSize else {
            throw FormatError(.truncated, "record batch needs \(totalSize) bytes, have \(batch.count)")
        }
        let actual = Self.computeChecksum(batch)
        if actual != crc {
            throw FormatError(
                .checksumMismatch,
                "record batch at offset \(baseOffset) has checksum \(hex(actual)), header says \(hex(crc))")
        }
    }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}
