/// Walks the records of one uncompressed batch whose header has been parsed (and, if wanted, its CRC
/// verified), handing out each as a ``RecordView`` into the batch's bytes. Checks each record's
/// framing, as Kafka's own decoder does: its length prefix must match what its fields (headers
/// included) use, the count must match the header, and the records must fill the batch exactly.
/// The headers are only walked, not decoded, so ``RecordView/headers()`` cannot fail later.
package struct RecordIterator {
    private var reader: ByteReader
    private let header: RecordBatchHeader
    private var remaining: Int
    /// A `LogAppendTime` batch's time, which every record takes instead of its own (Kafka's rule).
    private let appendTime: Int64?

    /// - Parameter batch: exactly the batch's bytes, header included.
    package init(batch: UnsafeRawBufferPointer, header: RecordBatchHeader) throws(FormatError) {
        if header.attributes.compressionCodec != 0 {
            throw FormatError(.unsupported, "compressed record batches (codec \(header.attributes.compressionCodec)) are not supported")
        }
        reader = ByteReader(batch, position: RecordBatchHeader.size)
        self.header = header
        remaining = Int(header.recordCount)
        appendTime = header.attributes.contains(.logAppendTime) ? header.maxTimestamp : nil
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
        let start = reader.position
        let end = start + Int(length)
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
        if headerCount > 0 { try skipHeaders(Int(headerCount)) }
        guard reader.position == end else {
            throw FormatError(.malformed, "record length \(length) does not match the \(reader.position - start) bytes its fields use")
        }
        return RecordView(
            offset: header.baseOffset + Int64(offsetDelta), timestamp: appendTime ?? header.baseTimestamp &+ timestampDelta,
            attributes: attributes, key: key, value: value, headerCount: Int(headerCount),
            headers: .encoded(UnsafeRawBufferPointer(rebasing: reader.bytes[headersStart..<end])))
    }

    private mutating func skipHeaders(_ count: Int) throws(FormatError) {
        for _ in 0..<count {
            let keyLength = try reader.readVarint()
            if keyLength < 0 { throw FormatError(.malformed, "header key length \(keyLength)") }
            try reader.skip(Int(keyLength))
            _ = try nullable()
        }
    }

    @inline(__always)
    private mutating func nullable() throws(FormatError) -> UnsafeRawBufferPointer? {
        let length = try reader.readVarint()
        if length == -1 { return nil }
        if length < 0 { throw FormatError(.malformed, "negative length \(length)") }
        return try reader.readSlice(Int(length))
    }
}
