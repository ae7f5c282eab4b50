/// One record inside a batch, borrowing the batch's bytes.
package struct RecordView {
    package var offset: Int64
    package var timestamp: Int64
    package var attributes: Int8
    /// nil for a null key.
    package var key: UnsafeRawBufferPointer?
    /// nil for a null value (a tombstone).
    package var value: UnsafeRawBufferPointer?
    package var headerCount: Int
    /// The encoded headers (after the count).
    package var headerBytes: UnsafeRawBufferPointer

    /// Copies the headers out.
    package func decodeHeaders() throws(FormatError) -> [Header] {
        if headerCount == 0 { return [] }
        var reader = ByteReader(headerBytes)
        var headers: [Header] = []
        headers.reserveCapacity(headerCount)
        for _ in 0..<headerCount {
            let keyLength = try reader.readVarint()
            if keyLength < 0 { throw FormatError(.malformed, "header key length \(keyLength)") }
            let key = String(decoding: try reader.readSlice(Int(keyLength)), as: UTF8.self)
            headers.append(Header(key: key, value: try reader.readNullableBytes()))
        }
        return headers
    }

    /// Copies the record out as a ``ConsumedRecord``.
    package func consumed() throws(FormatError) -> ConsumedRecord {
        ConsumedRecord(
            offset: offset, key: key.map(Self.copy), value: value.map(Self.copy), timestamp: timestamp,
            headers: headerCount == 0 ? [] : try decodeHeaders())
    }

    /// One allocation and one `memcpy` (the generic `Array(_:)` walks the sequence).
    @inline(__always)
    private static func copy(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, initialized in
            if let source = bytes.baseAddress, bytes.count > 0 {
                buffer.baseAddress!.update(from: source.assumingMemoryBound(to: UInt8.self), count: bytes.count)
            }
            initialized = bytes.count
        }
    }
}

/// Walks the records of one uncompressed batch whose header has been parsed (and, if wanted, its CRC
/// verified). Checks each record's framing: its length prefix must match what its fields use, the
/// count must match the header, and the records must fill the batch exactly.
package struct RecordIterator {
    private var reader: ByteReader
    private let header: RecordBatchHeader
    private var remaining: Int

    /// - Parameter batch: exactly the batch's bytes, header included.
    package init(batch: UnsafeRawBufferPointer, header: RecordBatchHeader) throws(FormatError) {
        if header.attributes.compressionCodec != 0 {
            throw FormatError(.unsupported, "compressed record batches (codec \(header.attributes.compressionCodec)) are not supported")
        }
        reader = ByteReader(batch, position: RecordBatchHeader.size)
        self.header = header
        remaining = Int(header.recordCount)
    }

    package mutating func next() throws(FormatError) -> RecordView? {
        guard remaining > 0 else {
            if reader.remaining != 0 {
                throw FormatError(.malformed, "\(reader.remaining) bytes left after the last record of a batch")
            }
            return nil
        }
        remaining -= 1
        let length = try reader.readVarint()
        guard length > 0 else { throw FormatError(.malformed, "record length \(length)") }
        let end = reader.position + Int(length)
        guard end <= reader.bytes.count else { throw FormatError(.truncated, "record runs past the end of its batch") }
        let attributes = Int8(bitPattern: try reader.readUInt8())
        let timestampDelta = try reader.readVarlong()
        let offsetDelta = try reader.readVarint()
        guard offsetDelta >= 0, offsetDelta <= header.lastOffsetDelta else {
            throw FormatError(.malformed, "record offset delta \(offsetDelta) outside its batch")
        }
        let key = try nullable()
        let value = try nullable()
        let headerCount = try reader.readVarint()
        guard headerCount >= 0 else { throw FormatError(.malformed, "header count \(headerCount)") }
        let headersStart = reader.position
        guard headersStart <= end else { throw FormatError(.malformed, "record fields overrun its length") }
        try reader.skip(end - headersStart)
        return RecordView(
            offset: header.baseOffset + Int64(offsetDelta), timestamp: header.baseTimestamp &+ timestampDelta,
            attributes: attributes, key: key, value: value, headerCount: Int(headerCount),
            headerBytes: UnsafeRawBufferPointer(rebasing: reader.bytes[headersStart..<end]))
    }

    @inline(__always)
    private mutating func nullable() throws(FormatError) -> UnsafeRawBufferPointer? {
        let length = try reader.readVarint()
        if length == -1 { return nil }
        if length < 0 { throw FormatError(.malformed, "negative length \(length)") }
        return try reader.readSlice(Int(length))
    }
}
