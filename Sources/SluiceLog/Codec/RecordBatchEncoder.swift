/// Writes v2 record batches straight into bytes, with no intermediate record values.
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

    /// A record whose key, value and headers together exceed the limit given to
    /// ``encode(_:fields:maxBatchBytes:maxRecordBytes:into:)``.
    package struct RecordTooLarge: Error {
        /// The record's index in the input.
        package var index: Int
        /// Its ``payloadSize(_:)``.
        package var size: Int
    }

    /// Encodes `records` as consecutive batches with dense offsets starting at `fields.baseOffset`,
    /// closing a batch once it reaches `maxBatchBytes` (a single large record still gets a batch).
    ///
    /// Every appended byte goes through here, in one pass over the records. The output is sized
    /// for records like the first one (the common case: one append's records are alike) and grows
    /// when a record might not fit; bytes are written through a ``ByteWriter`` that checks room once
    /// per record, keys and values are read in place (no per-record copies or retains), and each
    /// record's size is computed once, for its length prefix.
    ///
    /// - Throws: ``RecordTooLarge`` for the first record over `maxRecordBytes`; nothing is encoded.
    package static func encode(
        _ records: [ProducerRecord], fields: Fields, maxBatchBytes: Int, maxRecordBytes: Int = .max,
        into out: inout [UInt8]
    ) throws(RecordTooLarge) -> [EncodedBatch] {
        try records.withUnsafeBufferPointer { records throws(RecordTooLarge) in
            guard !records.isEmpty else { return [] }
            var progress = Progress(baseOffset: fields.baseOffset)
            var batches: [EncodedBatch] = []
            var bytes: [UInt8] = []
            var capacity = estimatedSize(records, maxBatchBytes: maxBatchBytes)
            var failure: RecordTooLarge?
            while true {
                bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                    let origin = UnsafeMutableRawPointer(buffer.baseAddress!)
                    // What an earlier, too small buffer holds.
                    if !bytes.isEmpty {
                        bytes.withUnsafeBytes { origin.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                    }
                    var writer = ByteWriter(UnsafeMutableRawBufferPointer(buffer))
                    writer.skip(bytes.count)
                    do throws(RecordTooLarge) {
                        try write(
                            records, fields: fields, maxBatchBytes: maxBatchBytes, maxRecordBytes: maxRecordBytes,
                            progress: &progress, to: &writer, origin: origin, batches: &batches)
                    } catch {
                        failure = error
                    }
                    initialized = writer.position - origin
                }
                if let failure { throw failure }
                if progress.index == records.count && progress.batchStart == nil { break }
                // Room for at least the record that did not fit, and double the size so that
                // growing costs at most one more copy of the output.
                capacity = 2 * capacity + recordBound(progress.index, of: records) + RecordBatchHeader.size
            }
            if out.isEmpty {
                out = bytes
            } else {
                for index in batches.indices { batches[index].start += out.count }
                out.append(contentsOf: bytes)
            }
            return batches
        }
    }

    /// The bytes a record's size limit counts: key, value, and each header's key and value.
    @inline(__always)
    package static func payloadSize(_ record: borrowing ProducerRecord) -> Int {
        var size = (record.key?.count ?? 0) + (record.value?.count ?? 0)
        if record.headers.isEmpty { return size }
        for header in record.headers { size += header.key.utf8.count + (header.value?.count ?? 0) }
        return size
    }

    /// The most a record can take: every varint at its longest (length 5, attributes 1, timestamp
    /// delta 10, offset delta 5, key and value lengths 5 each, header count 5, and 10 per header for
    /// its two lengths) besides the payload.
    private static func recordBound(_ index: Int, of records: UnsafeBufferPointer<ProducerRecord>) -> Int {
        36 + payloadSize(records[index]) + 10 * records[index].headers.count
    }

    /// The output size if every record were like the first.
    private static func estimatedSize(_ records: UnsafeBufferPointer<ProducerRecord>, maxBatchBytes: Int) -> Int {
        let recordBytes = records.count * recordBound(0, of: records)
        // Every batch but the last holds at least `maxBatchBytes - header` bytes of records.
        let recordsPerBatch = maxBatchBytes - RecordBatchHeader.size
        let batches = recordsPerBatch > 0 ? min(records.count, recordBytes / recordsPerBatch + 1) : records.count
        return recordBytes + RecordBatchHeader.size * batches
    }

    /// Where ``write(_:fields:maxBatchBytes:maxRecordBytes:progress:to:origin:batches:)`` stopped.
    private struct Progress {
        /// The next record to write.
        var index = 0
        /// The offset of the next batch's first record.
        var baseOffset: Int64
        /// The size of the previous record's length prefix: records of one append tend to be alike.
        var lengthSize = 2
        /// The open batch's start in the output, nil between batches.
        var batchStart: Int?
        var baseTimestamp: Int64 = 0
        var maxTimestamp = Int64.min
        /// Records in the open batch.
        var count = 0
    }

    /// Writes records from `progress.index` on, until all are written and the last batch is closed
    /// or the next record might not fit in what is left of the output (then the caller grows it and
    /// calls again, and the open batch continues).
    private static func write(
        _ records: UnsafeBufferPointer<ProducerRecord>, fields: Fields, maxBatchBytes: Int, maxRecordBytes: Int,
        progress: inout Progress, to output: inout ByteWriter, origin: UnsafeMutableRawPointer,
        batches: inout [EncodedBatch]
    ) throws(RecordTooLarge) {
        // Local copies: the caller's could alias the bytes written, so every write would store them
        // back to memory and load them again.
        var writer = output
        var state = progress
        defer {
            output = writer
            progress = state
        }
        while state.index < records.count {
            if state.batchStart == nil {
                // Without room for a header, grow first.
                guard writer.remaining >= RecordBatchHeader.size else { return }
                state.batchStart = writer.position - origin
                state.baseTimestamp = records[state.index].timestamp
                state.maxTimestamp = .min
                state.count = 0
                var batchFields = fields
                batchFields.baseOffset = state.baseOffset
                writeHeader(batchFields, baseTimestamp: state.baseTimestamp, to: &writer)
            }
            let batchStart = origin + state.batchStart!
            let stop = writeRecords(
                records, maxBatchBytes: maxBatchBytes, maxRecordBytes: maxRecordBytes, state: &state,
                to: &writer, batchStart: batchStart)
            switch stop {
            case .grow: return
            case .tooLarge:
                throw RecordTooLarge(index: state.index, size: payloadSize(records[state.index]))
            case .full, .end: break
            }
            let size = writer.position - batchStart
            finishBatch(
                UnsafeMutableRawBufferPointer(start: batchStart, count: size), lastOffsetDelta: Int32(state.count - 1),
                maxTimestamp: state.maxTimestamp, recordCount: Int32(state.count))
            batches.append(
                EncodedBatch(
                    start: state.batchStart!, size: size, baseOffset: state.baseOffset, recordCount: state.count,
                    maxTimestamp: state.maxTimestamp))
            state.baseOffset += Int64(state.count)
            state.batchStart = nil
        }
    }

    /// Why ``writeRecords(_:maxBatchBytes:maxRecordBytes:state:to:batchStart:)`` stopped.
    private enum Stop {
        /// The batch reached `maxBatchBytes` (or the most records a batch can count).
        case full
        /// Every record is written.
        case end
        /// The next record might not fit in what is left of the output.
        case grow
        /// The next record is over `maxRecordBytes`.
        case tooLarge
    }

    /// The record loop: writes records from `state.index` on into the open batch at `batchStart`.
    ///
    /// One record's length prefix comes first but depends on everything after it, so the body is
    /// written first, after room for a prefix of the previous record's size, and moved in the rare
    /// case that its own prefix has another size. That spares computing each field's size twice.
    ///
    /// Runs of records of the common shape (no headers, keys and values of at most 254 bytes) go
    /// to ``writeCommonRecords(_:lengthSize:twoByteOffsetDeltas:to:stop:baseTimestamp:)``, which checks nothing else
    /// per record; this loop checks sizes and room for the others and writes them with
    /// ``writeRecord(_:timestampDelta:offsetDelta:lengthSize:to:)``. Kept out of line, with
    /// everything it updates copied into locals, so that the loop's state stays in registers
    /// instead of being stored back through `inout`s the compiler cannot tell apart from the output.
    @inline(never)
    private static func writeRecords(
        _ records: UnsafeBufferPointer<ProducerRecord>, maxBatchBytes: Int, maxRecordBytes: Int,
        state: inout Progress, to output: inout ByteWriter, batchStart: UnsafeMutableRawPointer
    ) -> Stop {
        var writer = output
        var count = state.count
        var maxTimestamp = state.maxTimestamp
        var lengthSize = state.lengthSize
        let baseTimestamp = state.baseTimestamp
        // The batch is full once the writer reaches `batchLimit`, or at the most records a batch
        // can count, which the loop's bound covers. Clamped just past the output's end, the limit
        // stays a valid pointer and is never reached when `maxBatchBytes` is larger.
        let batchLimit = batchStart + min(maxBatchBytes, writer.remaining + (writer.position - batchStart) + 1)
        let first = records.baseAddress!
        let last = first + min(records.count, state.index + (Int(Int32.max) - count))
        // The loop walks a pointer rather than an index: one register fewer.
        var record = first + state.index
        var stop = Stop.end
        // Records of the common shape need none of the checks below while the writer is before
        // `fastStop`: there, any of them fits in the output (`commonBound`), and with a size limit
        // of at least 2 * 254 bytes none is too large (with a lower limit, every record takes the
        // checks). `fastStop` is at most `batchLimit`, so the fast loop stops where a batch is full.
        let fastStop =
            maxRecordBytes < 2 * 254
            ? writer.position
            : writer.position + min(batchLimit - writer.position, max(writer.remaining - commonBound, 0))
        while record < last {
            let keyLength = span(record.pointee.key).1
            let valueLength = span(record.pointee.value).1
            let hasHeaders = !record.pointee.headers.isEmpty
            let timestamp = record.pointee.timestamp
            if writer.position < fastStop && !hasHeaders
                && isCommonShape(keyLength: keyLength, valueLength: valueLength)
            {
                // This record and any like it that follow. The loop's state goes by value: passed
                // `inout`, it would stay in memory all through this loop.
                let cursor = Cursor(
                    record: record, writer: writer, count: count, maxTimestamp: maxTimestamp, lengthSize: lengthSize)
                // The copy for the last prefix size, also after a record with a longer one: the
                // first record there corrects the guess. Offset deltas take two bytes from 64 to
                // 8191, which most of a batch's records have: a run that starts below 64 stops
                // there, and one in between has a copy that writes them without a test.
                let next: Cursor
                if count < 64 || count >= 8192 {
                    let end = count < 64 ? min(last, record + (64 - count)) : last
                    next =
                        lengthSize == 1
                        ? writeCommonRecords1(cursor, to: end, stop: fastStop, baseTimestamp: baseTimestamp)
                        : writeCommonRecords2(cursor, to: end, stop: fastStop, baseTimestamp: baseTimestamp)
                } else {
                    let end = min(last, record + (8192 - count))
                    next =
                        lengthSize == 1
                        ? writeCommonRecords1Wide(cursor, to: end, stop: fastStop, baseTimestamp: baseTimestamp)
                        : writeCommonRecords2Wide(cursor, to: end, stop: fastStop, baseTimestamp: baseTimestamp)
                }
                (record, writer, count) = (next.record, next.writer, next.count)
                (maxTimestamp, lengthSize) = (next.maxTimestamp, next.lengthSize)
                if writer.position >= batchLimit {
                    stop = .full
                    break
                }
                continue
            }
            var payload = max(keyLength, 0) &+ max(valueLength, 0)
            var bound = 36 &+ payload
            if hasHeaders {
                // As ``recordBound(_:of:)``, without computing the payload again.
                payload = payloadSize(record.pointee)
                bound = 36 &+ payload &+ 10 &* record.pointee.headers.count
            }
            if payload > maxRecordBytes {
                stop = .tooLarge
                break
            }
            if writer.remaining < bound {
                stop = .grow
                break
            }
            // Out of line: the calls it needs would otherwise make the whole loop keep its state in
            // memory.
            (writer, lengthSize) = writeRecord(
                record, timestampDelta: timestamp &- baseTimestamp, offsetDelta: count, lengthSize: lengthSize,
                to: writer)
            maxTimestamp = max(maxTimestamp, timestamp)
            count &+= 1
            record += 1
            if writer.position >= batchLimit {
                stop = .full
                break
            }
        }
        let index = record - first
        if stop == .end && index < records.count { stop = .full }
        output = writer
        state.index = index
        state.count = count
        state.maxTimestamp = maxTimestamp
        state.lengthSize = lengthSize
        return stop
    }

    /// The most a record of the common shape takes: ``recordBound(_:of:)`` for a 254-byte key and value.
    private static let commonBound = 36 + 2 * 254

    /// Whether a key and value of these lengths (-1 for null, never less) are each at most 254 bytes.
    @inline(__always)
    private static func isCommonShape(keyLength: Int, valueLength: Int) -> Bool {
        keyLength <= 254 && valueLength <= 254
    }

    /// The record loop's state, for ``writeCommonRecords(_:lengthSize:twoByteOffsetDeltas:to:stop:baseTimestamp:)``.
    private struct Cursor {
        /// The next record.
        var record: UnsafePointer<ProducerRecord>
        var writer: ByteWriter
        /// Records in the open batch: the next one's offset delta.
        var count: Int
        var maxTimestamp: Int64
        /// The size of the previous record's length prefix.
        var lengthSize: Int
    }

    /// ``writeCommonRecords(_:lengthSize:twoByteOffsetDeltas:to:stop:baseTimestamp:)`` for one-byte
    /// length prefixes.
    @inline(never)
    private static func writeCommonRecords1(
        _ cursor: Cursor, to last: UnsafePointer<ProducerRecord>, stop: UnsafeMutableRawPointer, baseTimestamp: Int64
    ) -> Cursor {
        writeCommonRecords(
            cursor, lengthSize: 1, twoByteOffsetDeltas: false, to: last, stop: stop, baseTimestamp: baseTimestamp)
    }

    /// The same for two-byte length prefixes.
    @inline(never)
    private static func writeCommonRecords2(
        _ cursor: Cursor, to last: UnsafePointer<ProducerRecord>, stop: UnsafeMutableRawPointer, baseTimestamp: Int64
    ) -> Cursor {
        writeCommonRecords(
            cursor, lengthSize: 2, twoByteOffsetDeltas: false, to: last, stop: stop, baseTimestamp: baseTimestamp)
    }

    /// The same for one-byte length prefixes and two-byte offset deltas.
    @inline(never)
    private static func writeCommonRecords1Wide(
        _ cursor: Cursor, to last: UnsafePointer<ProducerRecord>, stop: UnsafeMutableRawPointer, baseTimestamp: Int64
    ) -> Cursor {
        writeCommonRecords(
            cursor, lengthSize: 1, twoByteOffsetDeltas: true, to: last, stop: stop, baseTimestamp: baseTimestamp)
    }

    /// The same for two-byte length prefixes and offset deltas.
    @inline(never)
    private static func writeCommonRecords2Wide(
        _ cursor: Cursor, to last: UnsafePointer<ProducerRecord>, stop: UnsafeMutableRawPointer, baseTimestamp: Int64
    ) -> Cursor {
        writeCommonRecords(
            cursor, lengthSize: 2, twoByteOffsetDeltas: true, to: last, stop: stop, baseTimestamp: baseTimestamp)
    }

    /// The loop for records of the common shape: no headers, and a key and value (each maybe null)
    /// of at most 254 bytes, so that the record's body is under 8192 bytes and its length prefix
    /// takes one or two bytes. Writes such records from `cursor.record` on (at least that one)
    /// while the writer is before `stop`, guessing that each prefix takes `lengthSize` bytes (a
    /// constant in each copy of this loop); stops after a record whose prefix did not. With
    /// `twoByteOffsetDeltas`, the caller sees to it that every offset delta is in 64...8191.
    @inline(__always)
    private static func writeCommonRecords(
        _ cursor: Cursor, lengthSize: Int, twoByteOffsetDeltas: Bool, to last: UnsafePointer<ProducerRecord>,
        stop: UnsafeMutableRawPointer, baseTimestamp: Int64
    ) -> Cursor {
        var writer = cursor.writer
        var record = cursor.record
        var count = cursor.count
        var maxTimestamp = cursor.maxTimestamp
        repeat {
            // Everything is read before anything is written: the compiler cannot tell that the
            // writes never reach the records, and holding a record across them costs a retain
            // and release of each of its arrays. The pointers stay valid because the caller's
            // records outlive the encoding and are not mutated.
            let (key, keyLength) = span(record.pointee.key)
            let (value, valueLength) = span(record.pointee.value)
            let headerCount = record.pointee.headers.count
            let timestamp = record.pointee.timestamp
            // Never true for the first record: the caller checked it.
            if headerCount != 0 || !isCommonShape(keyLength: keyLength, valueLength: valueLength) { break }
            // Early, so that the timestamp need not be kept until the end.
            maxTimestamp = max(maxTimestamp, timestamp)
            let start = writer.position
            writer.skip(lengthSize)
            writer.writeByte(0)  // attributes
            writer.writeVarint(timestamp &- baseTimestamp)
            if twoByteOffsetDeltas {
                assert(count >= 64 && count < 8192)
                writer.writeTwoByteVarint(UInt64(truncatingIfNeeded: count) << 1)
            } else {
                writer.writeUnsignedVarint(UInt64(truncatingIfNeeded: count) << 1)
            }
            writer.writeSmallKey(from: key, count: keyLength)
            writer.writeSmallValue(from: value, count: valueLength)
            writer.writeByte(0)  // header count
            let body = writer.position - (start + lengthSize)
            count &+= 1
            record += 1
            // Under 8192 bytes: the prefix takes one byte under 64, else two. After a wrong guess,
            // the caller continues with the other copy of this loop.
            assert(body < 8192)
            if body < 64 {
                let prefix = UInt8(truncatingIfNeeded: body << 1)
                if lengthSize != 1 {
                    writer = moveBody(of: writer, from: start + lengthSize, to: start + 1)
                    start.storeBytes(of: prefix, as: UInt8.self)
                    return Cursor(
                        record: record, writer: writer, count: count, maxTimestamp: maxTimestamp, lengthSize: 1)
                }
                start.storeBytes(of: prefix, as: UInt8.self)
            } else {
                let prefix = ByteWriter.twoByteVarint(UInt64(truncatingIfNeeded: body) << 1)
                if lengthSize != 2 {
                    writer = moveBody(of: writer, from: start + lengthSize, to: start + 2)
                    start.storeBytes(of: prefix, as: UInt16.self)
                    return Cursor(
                        record: record, writer: writer, count: count, maxTimestamp: maxTimestamp, lengthSize: 2)
                }
                start.storeBytes(of: prefix, as: UInt16.self)
            }
        } while record < last && writer.position < stop
        return Cursor(record: record, writer: writer, count: count, maxTimestamp: maxTimestamp, lengthSize: lengthSize)
    }

    /// One record of any shape (headers, keys or values over 254 bytes), taking and returning the
    /// loop's writer and length prefix size rather than through `inout`s that would keep them in
    /// memory in the loop.
    @inline(never)
    private static func writeRecord(
        _ record: UnsafePointer<ProducerRecord>, timestampDelta: Int64, offsetDelta: Int, lengthSize: Int,
        to output: ByteWriter
    ) -> (ByteWriter, Int) {
        var writer = output
        var lengthSize = lengthSize
        let start = writer.position
        writer.skip(lengthSize)
        writer.writeByte(0)  // attributes
        writer.writeVarint(timestampDelta)
        writer.writeUnsignedVarint(UInt64(truncatingIfNeeded: offsetDelta) << 1)
        writer.writeNullableBytes(record.pointee.key?.withUnsafeBytes { $0 })
        writer.writeNullableBytes(record.pointee.value?.withUnsafeBytes { $0 })
        if record.pointee.headers.isEmpty {
            writer.writeByte(0)  // header count
        } else {
            writeHeaders(record.pointee.headers, to: &writer)
        }
        let body = writer.position - (start + lengthSize)
        let size = Varint.size(unsigned: UInt64(truncatingIfNeeded: body) << 1)
        if size != lengthSize {
            writer.moveTail(from: start + lengthSize, to: start + size)
            lengthSize = size
        }
        ByteWriter.storeUnsignedVarint(UInt64(truncatingIfNeeded: body) << 1, at: start)
        return (writer, lengthSize)
    }

    /// ``ByteWriter/moveTail(from:to:)`` out of line, for the same reason.
    @inline(never)
    private static func moveBody(
        of output: ByteWriter, from start: UnsafeMutableRawPointer, to newStart: UnsafeMutableRawPointer
    ) -> ByteWriter {
        var writer = output
        writer.moveTail(from: start, to: newStart)
        return writer
    }

    /// Where a key or value starts and its length, -1 for null (so that one varint store writes
    /// either).
    @inline(__always)
    private static func span(_ bytes: [UInt8]?) -> (UnsafeRawPointer, Int) {
        // Never read when the length is 0 or -1.
        let nowhere = UnsafeRawPointer(bitPattern: 1)!
        guard let bytes else { return (nowhere, -1) }
        return bytes.withUnsafeBytes { ($0.baseAddress ?? nowhere, $0.count) }
    }

    /// Appends a header whose length, last offset delta, max timestamp, count and CRC are
    /// placeholders for ``finishBatch(start:lastOffsetDelta:maxTimestamp:recordCount:in:)``.
    /// Returns the batch's start index.
    package static func beginBatch(_ fields: Fields, baseTimestamp: Int64, into out: inout [UInt8]) -> Int {
        let start = out.count
        append(RecordBatchHeader.size, to: &out) { writeHeader(fields, baseTimestamp: baseTimestamp, to: &$0) }
        return start
    }

    private static func writeHeader(_ fields: Fields, baseTimestamp: Int64, to writer: inout ByteWriter) {
        writer.reserve(RecordBatchHeader.size)
        writer.writeBigEndian(fields.baseOffset)
        writer.writeBigEndian(Int32(0))  // batchLength
        writer.writeBigEndian(fields.partitionLeaderEpoch)
        writer.writeByte(UInt8(bitPattern: RecordBatchHeader.magicValue))
        writer.writeBigEndian(UInt32(0))  // crc
        writer.writeBigEndian(fields.attributes.rawValue)
        writer.writeBigEndian(Int32(0))  // lastOffsetDelta
        writer.writeBigEndian(baseTimestamp)
        writer.writeBigEndian(Int64(0))  // maxTimestamp
        writer.writeBigEndian(fields.producerId)
        writer.writeBigEndian(fields.producerEpoch)
        writer.writeBigEndian(fields.baseSequence)
        writer.writeBigEndian(Int32(0))  // recordCount
    }

    /// Fills in the header fields that depend on the records, then the CRC over the finished batch.
    package static func finishBatch(
        start: Int, lastOffsetDelta: Int32, maxTimestamp: Int64, recordCount: Int32, in out: inout [UInt8]
    ) {
        out.withUnsafeMutableBytes { raw in
            finishBatch(
                UnsafeMutableRawBufferPointer(rebasing: raw[start...]), lastOffsetDelta: lastOffsetDelta,
                maxTimestamp: maxTimestamp, recordCount: recordCount)
        }
    }

    private static func finishBatch(
        _ batch: UnsafeMutableRawBufferPointer, lastOffsetDelta: Int32, maxTimestamp: Int64, recordCount: Int32
    ) {
        let length = Int32(batch.count - RecordBatchHeader.logOverhead)
        batch.storeBytes(of: length.bigEndian, toByteOffset: RecordBatchHeader.lengthOffset, as: Int32.self)
        batch.storeBytes(
            of: lastOffsetDelta.bigEndian, toByteOffset: RecordBatchHeader.lastOffsetDeltaOffset, as: Int32.self)
        batch.storeBytes(of: maxTimestamp.bigEndian, toByteOffset: RecordBatchHeader.maxTimestampOffset, as: Int64.self)
        batch.storeBytes(of: recordCount.bigEndian, toByteOffset: RecordBatchHeader.recordCountOffset, as: Int32.self)
        let crc = RecordBatchHeader.computeChecksum(UnsafeRawBufferPointer(batch))
        batch.storeBytes(of: crc.bigEndian, toByteOffset: RecordBatchHeader.crcOffset, as: UInt32.self)
    }

    /// Appends one length-prefixed record.
    package static func appendRecord(
        attributes: Int8 = 0, timestampDelta: Int64, offsetDelta: Int32, key: [UInt8]?, value: [UInt8]?,
        headers: [Header], to out: inout [UInt8]
    ) {
        let body = bodySize(
            timestampDelta: timestampDelta, offsetDelta: Int64(offsetDelta), keyCount: key?.count,
            valueCount: value?.count, headersSize: headersSize(headers))
        append(Varint.size(Int64(body)) + body, to: &out) { writer in
            writer.writeVarint(Int64(body))
            writer.writeByte(UInt8(bitPattern: attributes))
            writer.writeVarint(timestampDelta)
            writer.writeVarint(Int64(offsetDelta))
            writeNullable(key, to: &writer)
            writeNullable(value, to: &writer)
            writeHeaders(headers, to: &writer)
        }
    }

    // MARK: - Record layout

    /// A record's size after its length prefix.
    @inline(__always)
    static func bodySize(timestampDelta: Int64, offsetDelta: Int64, keyCount: Int?, valueCount: Int?, headersSize: Int)
        -> Int
    {
        1 + Varint.size(timestampDelta) + Varint.size(offsetDelta) + nullableSize(keyCount) + nullableSize(valueCount)
            + headersSize
    }

    @inline(__always)
    private static func nullableSize(_ count: Int?) -> Int {
        guard let count else { return 1 }
        return Varint.size(Int64(count)) + count
    }

    /// The header count and the headers.
    @inline(__always)
    private static func headersSize(_ headers: [Header]) -> Int {
        if headers.isEmpty { return 1 }
        var size = Varint.size(Int64(headers.count))
        for header in headers {
            let keyLength = header.key.utf8.count
            size += Varint.size(Int64(keyLength)) + keyLength + nullableSize(header.value?.count)
        }
        return size
    }

    @inline(__always)
    private static func writeNullable(_ bytes: [UInt8]?, to writer: inout ByteWriter) {
        guard let bytes else { return writer.writeVarint(-1) }
        writer.writeVarint(Int64(bytes.count))
        bytes.withUnsafeBytes { writer.writeBytes($0) }
    }

    @inline(__always)
    private static func writeHeaders(_ headers: [Header], to writer: inout ByteWriter) {
        writer.writeVarint(Int64(headers.count))
        for header in headers {
            var key = header.key
            key.withUTF8 { utf8 in
                // Checked again here: the record's reservation counted `utf8.count` of the key.
                writer.reserve(Varint.size(Int64(utf8.count)) + utf8.count + nullableSize(header.value?.count))
                writer.writeVarint(Int64(utf8.count))
                writer.writeBytes(UnsafeRawBufferPointer(utf8))
            }
            writeNullable(header.value, to: &writer)
        }
    }

    /// Grows `out` by `count` bytes and lets `body` write exactly them (the slow paths: whole-batch
    /// encoding for tools and tests, and compaction).
    private static func append(_ count: Int, to out: inout [UInt8], _ body: (inout ByteWriter) -> Void) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: count))
        out.withUnsafeMutableBytes { raw in
            let region = UnsafeMutableRawBufferPointer(rebasing: raw[start...])
            var writer = ByteWriter(region)
            writer.reserve(count)
            body(&writer)
            precondition(writer.position == region.baseAddress! + count, "encoder sized a record wrong")
        }
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
            let body = bodySize(
                timestampDelta: timestampDelta, offsetDelta: offsetDelta, keyCount: record.key?.count,
                valueCount: record.value?.count,
                headersSize: Varint.size(Int64(record.headerCount)) + record.headerBytes.count)
            append(Varint.size(Int64(body)) + body, to: &out) { writer in
                writer.writeVarint(Int64(body))
                writer.writeByte(UInt8(bitPattern: record.attributes))
                writer.writeVarint(timestampDelta)
                writer.writeVarint(offsetDelta)
                writer.writeNullableBytes(record.key)
                writer.writeNullableBytes(record.value)
                writer.writeVarint(Int64(record.headerCount))
                writer.writeBytes(record.headerBytes)
            }
            maxTimestamp = max(maxTimestamp, record.timestamp)
        }
        finishBatch(
            start: start, lastOffsetDelta: header.lastOffsetDelta, maxTimestamp: maxTimestamp,
            recordCount: Int32(records.count), in: &out)
    }
}
