import Testing

@testable import SluiceLog

@Suite struct RecordBatchTests {
    /// A batch produced by an independent Kafka client library (kafka-python's
    /// `DefaultRecordBatchBuilder`): partition leader epoch 0, no producer id, three records:
    /// ("k1", "hello", headers h=v and n=null) at 1700000000000, (null, null) at +5 ms, and
    /// ("", "x") at -10 ms.
    static let golden = hexBytes(
        "00000000000000000000005500000000027a4ceb630000000000020000018bcfe568000000018bcfe56805"
            + "ffffffffffffffffffffffffffff0000000328000000046b310a68656c6c6f0402680276026e010c000a"
            + "020101000e00130400027800")

    static let goldenRecords = [
        ProducerRecord(
            key: bytes("k1"), value: bytes("hello"), timestamp: 1_700_000_000_000,
            headers: [Header(key: "h", value: bytes("v")), Header(key: "n", value: nil)]),
        ProducerRecord(key: nil, value: nil, timestamp: 1_700_000_000_005),
        ProducerRecord(key: [], value: bytes("x"), timestamp: 1_699_999_999_990),
    ]

    @Test func encodesExactlyAsKafkaDoes() {
        var batch = RecordBatch(baseOffset: 0, records: Self.goldenRecords)
        batch.partitionLeaderEpoch = 0
        #expect(batch.encoded() == Self.golden)
    }

    @Test func decodesAKafkaBatch() throws {
        let (batch, size) = try RecordBatch.decode(Self.golden)
        #expect(size == Self.golden.count)
        #expect(batch.baseOffset == 0)
        #expect(batch.lastOffsetDelta == 2)
        #expect(batch.maxTimestamp == 1_700_000_000_005)
        #expect(batch.producerId == -1)
        #expect(batch.consumedRecords.map(\.offset) == [0, 1, 2])
        #expect(batch.consumedRecords.map(\.key) == Self.goldenRecords.map(\.key))
        #expect(batch.consumedRecords.map(\.value) == Self.goldenRecords.map(\.value))
        #expect(batch.consumedRecords.map(\.timestamp) == Self.goldenRecords.map(\.timestamp))
        #expect(batch.consumedRecords.map(\.headers) == Self.goldenRecords.map(\.headers))
    }

    @Test func headerLayoutMatchesTheDocumentedOffsets() throws {
        let header = try Self.golden.withUnsafeBytes { try RecordBatchHeader(parsing: $0) }
        #expect(header.totalSize == Self.golden.count)
        #expect(header.batchLength == Int32(Self.golden.count - 12))
        #expect(header.magic == 2)
        #expect(header.recordCount == 3)
        #expect(header.crc == 0x7A4C_EB63)
        #expect(Self.golden.withUnsafeBytes { RecordBatchHeader.computeChecksum($0) } == 0x7A4C_EB63)
    }

    @Test func aFlippedBitInTheChecksummedRegionIsDetected() {
        for index in [21, 30, 61, Self.golden.count - 1] {
            var damaged = Self.golden
            damaged[index] ^= 0x01
            #expect("byte \(index)") {
                try RecordBatch.decode(damaged)
            } throws: {
                ($0 as? FormatError)?.kind == .checksumMismatch
            }
        }
    }

    @Test func theBaseOffsetIsOutsideTheChecksum() throws {
        var moved = Self.golden
        moved.storeBigEndian(Int64(1234), at: 0)
        let (batch, _) = try RecordBatch.decode(moved)
        #expect(batch.consumedRecords.map(\.offset) == [1234, 1235, 1236])
    }

    @Test func truncatedBytesThrowTruncated() {
        for length in [0, 11, 60, Self.golden.count - 1] {
            #expect("length \(length)") {
                try RecordBatch.decode(Array(Self.golden.prefix(length)))
            } throws: {
                ($0 as? FormatError)?.kind == .truncated
            }
        }
    }

    @Test func anotherMagicIsUnsupported() {
        var other = Self.golden
        other[16] = 1
        #expect { try RecordBatch.decode(other, verifyingChecksum: false) } throws: {
            ($0 as? FormatError)?.kind == .unsupported
        }
    }

    @Test func compressedBatchesAreRejectedNotMisread() {
        var batch = RecordBatch(baseOffset: 0, records: Self.goldenRecords)
        batch.attributes = RecordBatchAttributes(rawValue: 1)  // gzip
        #expect { try RecordBatch.decode(batch.encoded()) } throws: { ($0 as? FormatError)?.kind == .unsupported }
    }

    @Test func roundTripsManyShapes() throws {
        var generator = SplitMix(seed: 7)
        var records: [ProducerRecord] = []
        for index in 0..<300 {
            let key: [UInt8]? = index % 7 == 0 ? nil : (0..<Int(generator.next() % 20)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let value: [UInt8]? = index % 11 == 0 ? nil : (0..<Int(generator.next() % 300)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let headers = (0..<Int(generator.next() % 3)).map { Header(key: "h\($0)é", value: $0 == 1 ? nil : [UInt8($0)]) }
            let timestamp = 1_000_000 + Int64(generator.next() % 100_000) - 50_000
            records.append(ProducerRecord(key: key, value: value, timestamp: timestamp, headers: headers))
        }
        let batch = RecordBatch(baseOffset: 77, records: records, attributes: .transactional)
        let (decoded, _) = try RecordBatch.decode(batch.encoded())
        #expect(decoded == batch)
        #expect(decoded.consumedRecords.map(\.offset) == Array(77..<377))
        #expect(decoded.consumedRecords.map(\.timestamp) == records.map(\.timestamp))
        #expect(decoded.consumedRecords.map(\.headers) == records.map(\.headers))
    }

    /// Keys and values up to 128 bytes are copied inline, by size class; every length round-trips.
    @Test func everyShortLengthRoundTrips() throws {
        let records = (0...140).map { length in
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ length) }
            return ProducerRecord(key: Array(bytes.reversed()), value: bytes, timestamp: Int64(length))
        }
        var out: [UInt8] = []
        _ = try RecordBatchEncoder.encode(records, fields: RecordBatchEncoder.Fields(), maxBatchBytes: .max, into: &out)
        let (decoded, _) = try RecordBatch.decode(out)
        #expect(decoded.consumedRecords.map(\.key) == records.map(\.key))
        #expect(decoded.consumedRecords.map(\.value) == records.map(\.value))
    }

    @Test func theEncoderSplitsLargeAppendsIntoDenseBatches() throws {
        let records = (0..<50).map { record("key-\($0)", String(repeating: "v", count: 40)) }
        var out: [UInt8] = []
        let batches = try RecordBatchEncoder.encode(
            records, fields: RecordBatchEncoder.Fields(baseOffset: 10), maxBatchBytes: 300, into: &out)
        #expect(batches.count > 1)
        #expect(batches.reduce(0) { $0 + $1.recordCount } == 50)
        var offsets: [Int64] = []
        var position = 0
        while position < out.count {
            let (batch, size) = try RecordBatch.decode(Array(out[position...]))
            offsets += batch.consumedRecords.map(\.offset)
            position += size
        }
        #expect(offsets == Array(10..<60))
    }

    /// The append path's encoder against the record-by-record one, byte for byte, over sizes that
    /// cross every varint length class of the record length, key and value lengths and deltas.
    @Test func theEncoderMatchesTheRecordByRecordEncoding() throws {
        var generator = SplitMix(seed: 11)
        let lengths = [0, 1, 7, 8, 16, 17, 50, 63, 64, 100, 127, 128, 1000, 8100, 8191, 8192, 20_000, 70_000]
        var records: [ProducerRecord] = []
        for index in 0..<400 {
            func bytes() -> [UInt8]? {
                let pick = Int(generator.next() % UInt64(lengths.count + 2))
                guard pick < lengths.count else { return pick == lengths.count ? nil : [] }
                return (0..<lengths[pick]).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            }
            let headers =
                index % 5 == 0 ? (0..<Int(generator.next() % 3)).map { Header(key: "h\($0)", value: bytes()) } : []
            let jump: Int64 = index % 13 == 0 ? Int64(generator.next() % (1 << 40)) : Int64(generator.next() % 1000)
            records.append(
                ProducerRecord(key: bytes(), value: bytes(), timestamp: 1_000_000 - 500 + jump, headers: headers))
        }
        // In runs whose offset deltas cross the one- and two-byte varint limits (64 and 8192).
        for range in [0..<1, 0..<3, 3..<70, 70..<400] {
            let slice = Array(records[range])
            var out: [UInt8] = []
            let batches = try RecordBatchEncoder.encode(
                slice, fields: RecordBatchEncoder.Fields(baseOffset: 5), maxBatchBytes: .max, into: &out)
            #expect(batches.count == 1)
            #expect(out == RecordBatch(baseOffset: 5, records: slice).encoded(), "records \(range)")
        }
        // The output is sized for records like the first: a small one before large ones makes it grow,
        // here in the middle of a batch.
        let growing =
            [ProducerRecord(key: nil, value: nil, timestamp: 0)]
            + (1..<40).map { ProducerRecord(key: [1], value: Array(repeating: UInt8($0), count: 100 * $0), timestamp: 0) }
        var grown: [UInt8] = []
        _ = try RecordBatchEncoder.encode(growing, fields: RecordBatchEncoder.Fields(), maxBatchBytes: .max, into: &grown)
        #expect(grown == RecordBatch(baseOffset: 0, records: growing).encoded())
        let many = (0..<9000).map { ProducerRecord(key: nil, value: [UInt8($0 % 256)], timestamp: Int64($0)) }
        var out: [UInt8] = []
        _ = try RecordBatchEncoder.encode(many, fields: RecordBatchEncoder.Fields(), maxBatchBytes: .max, into: &out)
        #expect(out == RecordBatch(baseOffset: 0, records: many).encoded())
    }

    @Test func filteringKeepsOffsetsAndTheOffsetSpan() throws {
        let original = RecordBatch(baseOffset: 100, records: (0..<5).map { record("k\($0)", "v\($0)", at: 50 + Int64($0)) })
        let bytes = original.encoded()
        var out: [UInt8] = []
        try bytes.withUnsafeBytes { raw in
            let header = try RecordBatchHeader(parsing: raw)
            var iterator = try RecordIterator(batch: raw, header: header)
            var kept: [RecordView] = []
            while let view = try iterator.next() {
                if view.offset % 2 == 1 { kept.append(view) }
            }
            RecordBatchEncoder.appendFiltered(kept, of: header, to: &out)
        }
        let (filtered, _) = try RecordBatch.decode(out)
        #expect(filtered.lastOffsetDelta == 4)
        #expect(filtered.baseOffset == 100)
        #expect(filtered.consumedRecords.map(\.offset) == [101, 103])
        #expect(values(filtered.consumedRecords) == ["v1", "v3"])
        #expect(filtered.maxTimestamp == 53)
    }
}

func hexBytes(_ hex: String) -> [UInt8] {
    var result: [UInt8] = []
    var iterator = hex.makeIterator()
    while let high = iterator.next(), let low = iterator.next() {
        result.append(UInt8(String([high, low]), radix: 16)!)
    }
    return result
}

/// Record framing as Kafka checks it: a record's length must match what its fields, headers
/// included, use, so malformed headers fail when the batch is read rather than later.
@Suite struct RecordFramingTests {
    /// A one-record batch whose record carries `headerCount` and then `headerBytes` verbatim.
    func batch(headerCount: Int64, headerBytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        let start = RecordBatchEncoder.beginBatch(RecordBatchEncoder.Fields(), baseTimestamp: 0, into: &out)
        var body: [UInt8] = [0, 0, 0, 1, 1]  // attributes, timestamp delta, offset delta, null key and value
        Varint.append(headerCount, to: &body)
        body += headerBytes
        Varint.append(Int64(body.count), to: &out)
        out += body
        RecordBatchEncoder.finishBatch(start: start, lastOffsetDelta: 0, maxTimestamp: 0, recordCount: 1, in: &out)
        return out
    }

    func firstRecordError(_ bytes: [UInt8]) -> FormatError? {
        bytes.withUnsafeBytes { raw in
            do throws(FormatError) {
                let header = try RecordBatchHeader(parsing: raw)
                var iterator = try RecordIterator(batch: raw, header: header)
                _ = try iterator.next()
                return nil
            } catch {
                return error
            }
        }
    }

    @Test func wellFormedHeadersPass() {
        // One header: key "a", value "b".
        #expect(firstRecordError(batch(headerCount: 1, headerBytes: [2, 0x61, 2, 0x62])) == nil)
    }

    @Test func headersThatOverrunTheRecordAreRejected() {
        // Claims two headers but holds one (the record is the batch's last, so this reads past its end).
        #expect(firstRecordError(batch(headerCount: 2, headerBytes: [2, 0x61, 2, 0x62])) != nil)
    }

    @Test func bytesLeftAfterTheHeadersAreRejected() {
        #expect(firstRecordError(batch(headerCount: 1, headerBytes: [2, 0x61, 2, 0x62, 0x00]))?.kind == .malformed)
        #expect(firstRecordError(batch(headerCount: 0, headerBytes: [0x00]))?.kind == .malformed)
    }

    @Test func aNegativeHeaderKeyLengthIsRejected() {
        #expect(firstRecordError(batch(headerCount: 1, headerBytes: [1, 1]))?.kind == .malformed)
    }
}
