/// A Kafka record batch (magic 2) as a value: the format of Sluice's log segments and of Kafka's
/// produce and fetch requests.
///
/// The byte layout is documented on ``RecordBatchHeader`` (the 61-byte header) and
/// ``RecordBatchEncoder`` (each record). The log itself does not build these values on its hot
/// paths: it encodes ``ProducerRecord``s directly and decodes through a borrowing iterator. This type
/// is the complete, inspectable form for tools, tests and a future wire client.
public struct RecordBatch: Hashable, Sendable {
    /// One record as stored: offsets and timestamps relative to the batch.
    public struct Record: Hashable, Sendable {
        public var attributes: Int8
        public var timestampDelta: Int64
        public var offsetDelta: Int32
        public var key: [UInt8]?
        public var value: [UInt8]?
        public var headers: [Header]

        public init(
            attributes: Int8 = 0, timestampDelta: Int64, offsetDelta: Int32, key: [UInt8]?, value: [UInt8]?,
            headers: [Header] = []
        ) {
            self.attributes = attributes
            self.timestampDelta = timestampDelta
            self.offsetDelta = offsetDelta
            self.key = key
            self.value = value
            self.headers = headers
        }
    }

    public var baseOffset: Int64
    public var partitionLeaderEpoch: Int32
    public var attributes: RecordBatchAttributes
    public var lastOffsetDelta: Int32
    public var baseTimestamp: Int64
    public var maxTimestamp: Int64
    public var producerId: Int64
    public var producerEpoch: Int16
    public var baseSequence: Int32
    public var records: [Record]

    public init(
        baseOffset: Int64, partitionLeaderEpoch: Int32 = -1, attributes: RecordBatchAttributes = [],
        lastOffsetDelta: Int32, baseTimestamp: Int64, maxTimestamp: Int64, producerId: Int64 = -1,
        producerEpoch: Int16 = -1, baseSequence: Int32 = -1, records: [Record]
    ) {
        self.baseOffset = baseOffset
        self.partitionLeaderEpoch = partitionLeaderEpoch
        self.attributes = attributes
        self.lastOffsetDelta = lastOffsetDelta
        self.baseTimestamp = baseTimestamp
        self.maxTimestamp = maxTimestamp
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.records = records
    }

    /// A batch of `records` with dense offsets from `baseOffset`; the base timestamp is the first
    /// record's. `records` must not be empty.
    public init(baseOffset: Int64, records: [ProducerRecord], attributes: RecordBatchAttributes = []) {
        precondition(!records.isEmpty, "a record batch needs at least one record")
        let baseTimestamp = records[0].timestamp
        self.init(
            baseOffset: baseOffset, attributes: attributes, lastOffsetDelta: Int32(records.count - 1),
            baseTimestamp: baseTimestamp, maxTimestamp: records.map(\.timestamp).max()!,
            records: records.enumerated().map { index, record in
                Record(
                    timestampDelta: record.timestamp &- baseTimestamp, offsetDelta: Int32(index), key: record.key,
                    value: record.value, headers: record.headers)
            })
    }

    /// The records with absolute offsets and timestamps.
    public var consumedRecords: [ConsumedRecord] {
        records.map {
            ConsumedRecord(
                offset: baseOffset + Int64($0.offsetDelta), key: $0.key, value: $0.value,
                timestamp: baseTimestamp &+ $0.timestampDelta, headers: $0.headers)
        }
    }

    /// The batch's bytes, CRC included.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        let fields = RecordBatchEncoder.Fields(
            baseOffset: baseOffset, partitionLeaderEpoch: partitionLeaderEpoch, attributes: attributes,
            producerId: producerId, producerEpoch: producerEpoch, baseSequence: baseSequence)
        let start = RecordBatchEncoder.beginBatch(fields, baseTimestamp: baseTimestamp, into: &out)
        for record in records {
            RecordBatchEncoder.appendRecord(
                attributes: record.attributes, timestampDelta: record.timestampDelta, offsetDelta: record.offsetDelta,
                key: record.key, value: record.value, headers: record.headers, to: &out)
        }
        RecordBatchEncoder.finishBatch(
            start: start, lastOffsetDelta: lastOffsetDelta, maxTimestamp: maxTimestamp,
            recordCount: Int32(records.count), in: &out)
        return out
    }

    /// Decodes the batch at the start of `bytes`.
    ///
    /// - Parameter verifyingChecksum: check the CRC-32C first (on by default).
    /// - Returns: the batch and the number of bytes it occupied.
    /// - Throws: ``FormatError`` if the bytes are short, corrupt or use a feature Sluice lacks
    ///   (compression).
    public static func decode(_ bytes: UnsafeRawBufferPointer, verifyingChecksum: Bool = true) throws(FormatError)
        -> (batch: RecordBatch, size: Int)
    {
        let header = try RecordBatchHeader(parsing: bytes)
        guard header.totalSize <= bytes.count else {
            throw FormatError(.truncated, "record batch needs \(header.totalSize) bytes, have \(bytes.count)")
        }
        let batchBytes = UnsafeRawBufferPointer(rebasing: bytes[0..<header.totalSize])
        if verifyingChecksum { try header.verifyChecksum(batchBytes) }
        var iterator = try RecordIterator(batch: batchBytes, header: header)
        var records: [Record] = []
        records.reserveCapacity(Int(header.recordCount))
        while let view = try iterator.next() {
            records.append(
                Record(
                    attributes: view.attributes, timestampDelta: view.timestamp &- header.baseTimestamp,
                    offsetDelta: Int32(view.offset - header.baseOffset), key: view.key.map { Array($0) },
                    value: view.value.map { Array($0) }, headers: view.headers()))
        }
        let batch = RecordBatch(
            baseOffset: header.baseOffset, partitionLeaderEpoch: header.partitionLeaderEpoch,
            attributes: header.attributes, lastOffsetDelta: header.lastOffsetDelta,
            baseTimestamp: header.baseTimestamp, maxTimestamp: header.maxTimestamp, producerId: header.producerId,
            producerEpoch: header.producerEpoch, baseSequence: header.baseSequence, records: records)
        return (batch, header.totalSize)
    }

    /// Decodes the batch at the start of `bytes`.
    public static func decode(_ bytes: [UInt8], verifyingChecksum: Bool = true) throws(FormatError)
        -> (batch: RecordBatch, size: Int)
    {
        var result: Result<(batch: RecordBatch, size: Int), FormatError>!
        bytes.withUnsafeBytes { raw in
            result = Result { () throws(FormatError) in try decode(raw, verifyingChecksum: verifyingChecksum) }
        }
        return try result.get()
    }
}
