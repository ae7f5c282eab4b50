import Testing

@testable import SluiceLog

/// ``RecordBatchEncoder/encode(_:fields:maxBatchBytes:maxRecordBytes:into:)`` against the
/// record-by-record encoding (``RecordBatch/encoded()``, through
/// ``RecordBatchEncoder/appendRecord(attributes:timestampDelta:offsetDelta:key:value:headers:to:)``),
/// with random records around the limits of its fast loop: keys and values of 0...300 bytes
/// (the loop takes up to 254, copies by size classes split at 16, 32, 64 and 128, and writes
/// lengths of one byte below 64), null keys and values, headers now and then, bodies on either
/// side of the one-byte length prefix (64 bytes), and batches closed at many sizes.
@Suite struct RecordBatchEncoderTests {
    /// Records that mostly have the common shape; `headerEvery` in 0 means none have headers.
    static func records(_ count: Int, seed: UInt64, headerEvery: Int = 0, maxLength: Int = 300) -> [ProducerRecord] {
        var generator = SplitMix(seed: seed)
        func bytes() -> [UInt8]? {
            switch generator.next() % 16 {
            case 0: return nil
            case 1: return []
            // Short ones, so that bodies fall on either side of 64 bytes.
            case 2...5: return (0..<Int(generator.next() % 40)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            default:
                return (0..<Int(generator.next() % UInt64(maxLength + 1))).map { _ in
                    UInt8(truncatingIfNeeded: generator.next())
                }
            }
        }
        return (0..<count).map { index in
            let headers =
                headerEvery > 0 && index % headerEvery == 0
                ? (0..<Int(1 + generator.next() % 2)).map { Header(key: "h\($0)", value: bytes()) } : []
            // Deltas of one to ten bytes, negative ones and ones that overflow included.
            let timestamp: Int64 =
                switch generator.next() % 8 {
                case 0: Int64(bitPattern: generator.next())
                case 1: 1_000_000 - Int64(generator.next() % 100_000)
                case 2: 1_000_000 + Int64(generator.next() % (1 << 40))
                default: 1_000_000 + Int64(generator.next() % 64)
                }
            return ProducerRecord(key: bytes(), value: bytes(), timestamp: timestamp, headers: headers)
        }
    }

    /// Encodes `records` and checks every batch against the reference encoding, and that each
    /// batch but the last closed at the first record that took it to `maxBatchBytes`.
    static func check(
        _ records: [ProducerRecord], maxBatchBytes: Int, maxRecordBytes: Int = .max, baseOffset: Int64 = 7,
        prefix: [UInt8] = []
    ) throws {
        var out = prefix
        let batches = try RecordBatchEncoder.encode(
            records, fields: RecordBatchEncoder.Fields(baseOffset: baseOffset), maxBatchBytes: maxBatchBytes,
            maxRecordBytes: maxRecordBytes, into: &out)
        #expect(Array(out.prefix(prefix.count)) == prefix)
        var index = 0
        var position = prefix.count
        for (number, batch) in batches.enumerated() {
            let slice = Array(records[index..<index + batch.recordCount])
            let expected = RecordBatch(baseOffset: baseOffset + Int64(index), records: slice).encoded()
            #expect(batch.start == position)
            #expect(batch.baseOffset == baseOffset + Int64(index))
            #expect(batch.maxTimestamp == slice.map(\.timestamp).max())
            #expect(
                Array(out[batch.start..<batch.start + batch.size]) == expected,
                "batch \(number) of \(batches.count), records \(index)..<\(index + batch.recordCount)")
            if number < batches.count - 1 {
                #expect(expected.count >= maxBatchBytes)
                if slice.count > 1 {
                    let shorter = RecordBatch(baseOffset: 0, records: Array(slice.dropLast())).encoded()
                    #expect(shorter.count < maxBatchBytes, "batch \(number) closed late")
                }
            }
            index += batch.recordCount
            position += batch.size
        }
        #expect(index == records.count)
        #expect(position == out.count)
    }

    @Test(arguments: [0, 1, 2, 3, 4, 5])
    func randomRecordsMatchTheRecordByRecordEncoding(seed: UInt64) throws {
        let records = Self.records(600, seed: seed, headerEvery: seed % 2 == 0 ? 0 : 7)
        try Self.check(records, maxBatchBytes: .max)
        // Batches closed every few records, and at sizes around those of a record or two.
        var generator = SplitMix(seed: 100 + seed)
        for _ in 0..<12 {
            try Self.check(records, maxBatchBytes: 61 + Int(generator.next() % 3000))
        }
        try Self.check(records, maxBatchBytes: 1)
        // Into a buffer that already holds bytes.
        try Self.check(Array(records.prefix(50)), maxBatchBytes: 4000, prefix: [1, 2, 3])
    }

    /// Keys and values of every length the fast loop takes and a little beyond, each with every
    /// other length class, so that every size class of the copy meets every length prefix.
    @Test func everyLengthUpToTheLimit() throws {
        let lengths = Array(0...260)
        var records: [ProducerRecord] = []
        for (index, length) in lengths.enumerated() {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
            let other = lengths[(index * 37) % lengths.count]
            let otherBytes = (0..<other).map { UInt8(truncatingIfNeeded: $0 &+ 7) }
            records.append(ProducerRecord(key: bytes, value: otherBytes, timestamp: Int64(index)))
            records.append(ProducerRecord(key: otherBytes, value: bytes, timestamp: Int64(index)))
            records.append(ProducerRecord(key: nil, value: bytes, timestamp: -Int64(index)))
            records.append(ProducerRecord(key: bytes, value: nil, timestamp: 0))
        }
        try Self.check(records, maxBatchBytes: .max)
        try Self.check(records, maxBatchBytes: 5000)
    }

    /// A record over the size limit stops the encoding wherever it is, fast loop or not; with a
    /// limit under 2 * 254 bytes the records take the checked path.
    @Test func sizeLimitsHoldAroundTheFastLoop() throws {
        let records = Self.records(300, seed: 9, maxLength: 200)
        for limit in [1, 100, 200, 399, 400, 507, 508, 509] {
            let over = records.firstIndex { RecordBatchEncoder.payloadSize($0) > limit }
            var out: [UInt8] = []
            do {
                _ = try RecordBatchEncoder.encode(
                    records, fields: RecordBatchEncoder.Fields(), maxBatchBytes: 2000, maxRecordBytes: limit, into: &out)
                #expect(over == nil, "limit \(limit)")
            } catch {
                #expect(error.index == over, "limit \(limit)")
                #expect(error.size == RecordBatchEncoder.payloadSize(records[error.index]))
            }
        }
        let small = records.filter { RecordBatchEncoder.payloadSize($0) <= 300 }
        try Self.check(small, maxBatchBytes: 3000, maxRecordBytes: 300)
        try Self.check(small, maxBatchBytes: 3000, maxRecordBytes: 508)
    }

    /// Long runs of alike records: the output is sized for the first, so a first record much
    /// smaller than the rest makes it grow mid-batch; and offset deltas reach three bytes.
    @Test func longRunsAndGrowing() throws {
        var growing = [ProducerRecord(key: nil, value: nil, timestamp: 0)]
        for index in 1..<3000 {
            let value = [UInt8](repeating: 1, count: index % 250)
            growing.append(ProducerRecord(key: [UInt8(index % 256)], value: value, timestamp: 0))
        }
        try Self.check(growing, maxBatchBytes: .max)
        try Self.check(growing, maxBatchBytes: 100_000)
        let many = (0..<9000).map { (index: Int) -> ProducerRecord in
            let key: [UInt8]? = index % 3 == 0 ? nil : [1, 2, 3, 4, 5, 6, 7, 8]
            return ProducerRecord(key: key, value: [UInt8(index % 256)], timestamp: Int64(index))
        }
        try Self.check(many, maxBatchBytes: .max)
    }
}
