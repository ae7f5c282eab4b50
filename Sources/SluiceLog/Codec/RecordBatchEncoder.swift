/// Writes v2 record batches straight into a byte array, with no intermediate record values.
///
/// One record on the wire (all lengths and deltas are zigzag varints):
/// ```
/// length          bytes of the rest of this record
/// attributes      int8, unused (0)
/// timestampDelta  varlong, timestamp - batch baseTimestamp
/// offsetDelta     varint, offset - batch baseOffset
/// keyLength, key  -1 for a null key
/// valueLength, value   -1 for a null value (a tombstone)
/// headerCount, then per header: keyLength, key (UTF-8), valueLength (-1 null), value
/// ```
package enum RecordBatchEncoder {
    /// Batch-level fields the caller chooses; the encoder computes the rest.
    package struct Fields: Sendable {
        package var baseOffset: Int64 = 0
        package var partitionLeaderEpoch: Int32 = -1
        package var attributes: RecordBatchAttributes = []
        package var producerId: Int64 = -1
        package var producerEpoch: Int16 = -1
        package var baseSequence: Int32 = -1

        package init(
            baseOffset: Int64 = 0, partitionLeaderEpoch: Int32 = -1, attributes: RecordBatchAttributes = [],
            producerId: Int64 = -1, producerEpoch: Int16 = -1, baseSequence: Int32 = -1
        ) {
            self.baseOffset = baseOffset
            self.partitionLeaderEpoch = partitionLeaderEpoch
            self.attributes = attributes
            self.producerId = producerId
            self.producerEpoch = producerEpoch
            self.baseSequence = baseSequence
        }
    }

    /// Where one batch landed in the output buffer.
    package struct EncodedBatch: Sendable {
        /// Byte index of the batch in the buffer.
        package var start: Int
        package var size: Int
        /// The base offset written into the batch.
        package var baseOffset: Int64
        package var recordCount: Int
        package var maxTimestamp: Int64
        package var nextOffset: Int64 { baseOffset + Int64(recordCount) }
    }

    /// Encodes `records` as consecutive batches with dense offsets starting at `fields.baseOffset`,
    /// closing a batch once it reaches `maxBatchBytes` (a single large record still gets a batch).
    package static func encode(
        _ records: [ProducerRecord], fields: Fields, maxBatchBytes: Int, into out: inout [UInt8]
    ) -> [EncodedBatch] {
        var batches: [EncodedBatch] = []
        var index = 0
        var batchFields = fields
        while index < records.count {
            let baseTimestamp = records[index].timestamp
            let start = beginBatch(batchFields, baseTimestamp: baseTimestamp, into: &out)
            var maxTimestamp = Int64.min
            var count = 0
            while index < records.count {
                let record = records[index]
                appendRecord(
                    timestampDelta: record.timestamp &- baseTimestamp, offsetDelta: Int32(count),
                    key: record.key, value: record.value, headers: record.headers, to: &out)
                maxTimestamp = max(maxTimestamp, record.timestamp)
                count += 1
                index += 1
                if out.count - start >= maxBatchBytes || count == Int(Int32.max) { break }
            }
            finishBatch(
                start: start, lastOffsetDelta: Int32(count - 1), maxTimestamp: maxTimestamp, recordCount: Int32(count),
                in: &out)
            batches.append(
                EncodedBatch(
                    start: start, size: out.count - start, baseOffset: batchFields.baseOffset, recordCount: count,
                    maxTimestamp: maxTimestamp))
            batchFields.baseOffset += Int64(count)
        }
        return batches
    }

    /// Appends a header whose length, last offset delta, max timestamp, count and CRC are
    /// placeholders for ``finishBatch(start:lastOffsetDelta:maxTimestamp:recordCount:in:)``.
    /// Returns the batch's start index.
    package static func beginBatch(_ fields: Fields, baseTimestamp: Int64, into out: inout [UInt8]) -> Int {
        let start = out.count
        out.appendBigEndian(fields.baseOffset)
        out.appendBigEndian(Int32(0))  // batchLength
        out.appendBigEndian(fields.partitionLeaderEpoch)
        out.append(UInt8(bitPattern: RecordBatchHeader.magicValue))
        out.appendBigEndian(UInt32(0))  // crc
        out.appendBigEndian(fields.attributes.rawValue)
        out.appendBigEndian(Int32(0))  // lastOffsetDelta
        out.appendBigEndian(baseTimestamp)
        out.appendBigEndian(Int64(0))  // maxTimestamp
        out.appendBigEndian(fields.producerId)
        out.appendBigEndian(fields.producerEpoch)
        out.appendBigEndian(fields.baseSequence)
        out.appendBigEndian(Int32(0))  // recordCount
        return start
    }

    /// Fills in the header fields that depend on the records, then the CRC over the finished batch.
    package static func finishBatch(
        start: Int, lastOffsetDelta: Int32, maxTimestamp: Int64, recordCount: Int32, in out: inout [UInt8]
    ) {
        let length = out.count - start - RecordBatchHeader.logOverhead
        out.storeBigEndian(Int32(length), at: start + RecordBatchHeader.lengthOffset)
        out.storeBigEndian(lastOffsetDelta, at: start + RecordBatchHeader.lastOffsetDeltaOffset)
        out.storeBigEndian(maxTimestamp, at: start + RecordBatchHeader.maxTimestampOffset)
        out.storeBigEndian(recordCount, at: start + RecordBatchHeader.recordCountOffset)
        let crc = out.withUnsafeBytes {
            RecordBatchHeader.computeChecksum(UnsafeRawBufferPointer(rebasing: $0[start...]))
        }
        out.storeBigEndian(crc, at: start + RecordBatchHeader.crcOffset)
    }

    /// Appends one length-prefixed record.
    @inline(__always)
    package static func appendRecord(
        attributes: Int8 = 0, timestampDelta: Int64, offsetDelta: Int32, key: [UInt8]?, value: [UInt8]?,
        headers: [Header], to out: inout [UInt8]
    ) {
        var size = 1 + Varint.size(timestampDelta) + Varint.size(Int64(offsetDelta))
        size += nullableSize(key)
        size += nullableSize(value)
        size += Varint.size(Int64(headers.count))
        for header in headers {
            let keyLength = header.key.utf8.count
            size += Varint.size(Int64(keyLength)) + keyLength + nullableSize(header.value)
        }
        Varint.append(Int64(size), to: &out)
        out.append(UInt8(bitPattern: attributes))
        Varint.append(timestampDelta, to: &out)
        Varint.append(Int64(offsetDelta), to: &out)
        out.appendNullableBytes(key)
        out.appendNullableBytes(value)
        Varint.append(Int64(headers.count), to: &out)
        for header in headers {
            Varint.append(Int64(header.key.utf8.count), to: &out)
            out.append(contentsOf: header.key.utf8)
            out.appendNullableBytes(header.value)
        }
    }

    @inline(__always)
    private static func nullableSize(_ bytes: [UInt8]?) -> Int {
        guard let bytes else { return 1 }
        return Varint.size(Int64(bytes.count)) + bytes.count
    }
}

extension RecordBatchEncoder {
    /// Appends a copy of the batch described by `header` holding only `records` (a non-empty subset
    /// of its records, in order), as compaction needs: the base offset, offset span, base timestamp
    /// and producer fields stay; the count, max timestamp and CRC are recomputed. Record bytes are
    /// copied, not decoded.
    package static func appendFiltered(_ records: [RecordView], of header: RecordBatchHeader, to out: inout [UInt8]) {
        let fields = Fields(
            baseOffset: header.baseOffset, partitionLeaderEpoch: header.partitionLeaderEpoch,
            attributes: header.attributes, producerId: header.producerId, producerEpoch: header.producerEpoch,
            baseSequence: header.baseSequence)
        let start = beginBatch(fields, baseTimestamp: header.baseTimestamp, into: &out)
        var maxTimestamp = Int64.min
        for record in records {
            let timestampDelta = record.timestamp &- header.baseTimestamp
            let offsetDelta = Int64(record.offset - header.baseOffset)
            var size = 1 + Varint.size(timestampDelta) + Varint.size(offsetDelta)
            size += record.key.map { Varint.size(Int64($0.count)) + $0.count } ?? 1
            size += record.value.map { Varint.size(Int64($0.count)) + $0.count } ?? 1
            size += Varint.size(Int64(record.headerCount)) + record.headerBytes.count
            Varint.append(Int64(size), to: &out)
            out.append(UInt8(bitPattern: record.attributes))
            Varint.append(timestampDelta, to: &out)
            Varint.append(offsetDelta, to: &out)
            for part in [record.key, record.value] {
                if let part {
                    Varint.append(Int64(part.count), to: &out)
                    out.append(contentsOf: part)
                } else {
                    Varint.append(-1, to: &out)
                }
            }
            Varint.append(Int64(record.headerCount), to: &out)
            out.append(contentsOf: record.headerBytes)
            maxTimestamp = max(maxTimestamp, record.timestamp)
        }
        finishBatch(
            start: start, lastOffsetDelta: header.lastOffsetDelta, maxTimestamp: maxTimestamp,
            recordCount: Int32(records.count), in: &out)
    }
}
