import SluiceFunctions
import SluiceLog
import SluicePlanner
import SluiceTypes

/// The end of a persistent query: encodes rows into its sink topic's format and buffers them
/// until the task commits them together with its input offsets.
///
/// Deletes (table rows without a value) are written as tombstones. Keys are placed with Kafka's
/// partitioner, so a record lands where it would in Kafka; keyless records stay in the input
/// partition's number.
final class SinkOperator: Operator {
    let topic: String
    let partitions: Int
    let keyCodec: any RowCodec
    let valueCodec: any RowCodec
    /// Key and value encoders, resolved once: a codec that can say "null" (``NullablePayloadEncoding``)
    /// encodes through that, others through `encode`. Closures rather than optional existentials,
    /// which would be copied on every record.
    let encodeKey: ([Value]) throws(RecordError) -> [UInt8]?
    let encodeValue: ([Value]) throws(RecordError) -> [UInt8]?
    let windowing: Windowing?
    let hasKey: Bool
    let keyFormat: FormatKind
    private var output: PartitionedOutput
    var written = 0

    init(sink: SourceDescription, partitions: Int) throws(RecordError) {
        topic = sink.topic
        self.partitions = max(1, partitions)
        keyCodec = try Codecs.make(format: sink.keyFormat, columns: sink.keyColumns, options: sink.keyOptions, isKey: true)
        valueCodec = try Codecs.make(
            format: sink.valueFormat, columns: sink.valueColumns, options: sink.valueOptions, isKey: false)
        encodeKey = SinkOperator.encoder(keyCodec)
        encodeValue = SinkOperator.encoder(valueCodec)
        windowing = sink.windowing
        keyFormat = sink.keyFormat
        hasKey = !sink.keyColumns.isEmpty
        output = PartitionedOutput(topic: sink.topic, partitions: self.partitions)
        timestampValueIndex = sink.timestampColumn.flatMap { name in sink.valueColumns.firstIndex { $0.name == name } }
        timestampKeyIndex = sink.timestampColumn.flatMap { name in sink.keyColumns.firstIndex { $0.name == name } }
        if let format = sink.timestampFormat {
            // A text timestamp column is read with its TIMESTAMP_FORMAT, as STRINGTOTIMESTAMP reads it.
            let parse = try? FunctionRegistry.standard.resolveScalar(
                name: "STRINGTOTIMESTAMP", arguments: [.value(.string), .value(.string)],
                constantArguments: [nil, .string(format)], lambdaReturnType: { _ in .string })
            parseTimestamp = parse.map { call in
                { text in
                    switch try? call.invoke([.string(text), .string(format)], []) {
                    case .bigint(let ms)?, .timestamp(let ms)?: return ms
                    default: return nil
                    }
                }
            }
        } else {
            parseTimestamp = nil
        }
    }

    /// Reads a STRING timestamp column; nil when the text does not match the format.
    let parseTimestamp: ((String) -> Int64?)?

    /// `WITH (TIMESTAMP='col')` on the sink: the record's timestamp comes from that column.
    let timestampValueIndex: Int?
    let timestampKeyIndex: Int?

    /// The record's timestamp, or nil when a text timestamp column cannot be read.
    private func outputTimestamp(_ row: RuntimeRow) -> Int64? {
        var v: Value?
        if let i = timestampValueIndex, let values = row.value { v = values[i] }
        if let i = timestampKeyIndex { v = row.key[i] }
        switch v {
        case .bigint(let ms), .timestamp(let ms): return ms
        case .string(let text): return parseTimestamp.flatMap { $0(text) }
        default: return row.timestamp
        }
    }

    override func process(_ row: inout RuntimeRow, _ context: TaskContext) {
        guard let timestamp = outputTimestamp(row) else {
            context.report("cannot read the record's timestamp with the sink's TIMESTAMP_FORMAT")
            return
        }
        // Kafka refuses a negative record timestamp; ksqlDB logs the row and goes on.
        if timestamp < 0 {
            context.report("cannot write a record with the negative timestamp \(timestamp)")
            return
        }
        var keyBytes: [UInt8]?
        // A single NULL key column is a null key; several are written even when all NULL, except in
        // DELIMITED (where an all-NULL key is a null key) and when the record had no key at all.
        if hasKey && !(row.key.allSatisfy(\.isNull) && (row.key.count == 1 || keyFormat == .delimited || row.keyIsNull)) {
            do {
                keyBytes = try encodeKey(row.key)
            } catch {
                context.report("cannot encode key: \(error.message)")
                return
            }
        }
        if let windowing, let window = row.window {
            keyBytes = WindowedKeyBytes.wrap(keyBytes ?? [], window: window, windowing: windowing)
        }
        var valueBytes: [UInt8]?
        if let value = row.value {
            do {
                valueBytes = try encodeValue(value)
            } catch {
                context.report("cannot encode value: \(error.message)")
                return
            }
        }
        let partition = keyBytes.map { Partitioner.partition(forKey: $0, partitionCount: partitions) }
            ?? (row.partition % partitions)
        output.append(ProducerRecord(key: keyBytes, value: valueBytes, timestamp: timestamp, headers: row.headers), to: partition)
        written += 1
    }

    private static func encoder(_ codec: any RowCodec) -> ([Value]) throws(RecordError) -> [UInt8]? {
        if let nullable = codec as? any NullablePayloadEncoding {
            return { (values) throws(RecordError) -> [UInt8]? in try nullable.encodePayload(values) }
        }
        return { (values) throws(RecordError) -> [UInt8]? in try codec.encode(values) }
    }

    /// Takes the buffered records, per partition.
    func drain() -> [(TopicPartition, [ProducerRecord])] { output.drain() }

    /// A topic record carries only the new row.
    override var needsOldValues: Bool { false }
}

/// The end of a transient push query: renders rows as text cells for the shell and stops at LIMIT.
final class ResultOperator: Operator {
    let emit: ([String]) -> Void
    let limit: Int?
    let isTable: Bool
    private(set) var count = 0

    init(limit: Int?, isTable: Bool, emit: @escaping ([String]) -> Void) {
        self.limit = limit
        self.isTable = isTable
        self.emit = emit
    }

    var isDone: Bool { limit.map { count >= $0 } ?? false }

    override func process(_ row: inout RuntimeRow, _ context: TaskContext) {
        guard !isDone else { return }
        guard let value = row.value else { return }
        emit(value.map(\.sqlText))
        count += 1
    }
}

/// The end of a pull query: collects rendered rows; for tables, only the latest row per key and
/// window survives (a delete removes it).
final class SnapshotOperator: Operator {
    let isTable: Bool
    private(set) var streamRows: [[String]] = []
    private var tableRows: [[Value]: [String]] = [:]
    private var tableOrder: [[Value]] = []

    init(isTable: Bool) {
        self.isTable = isTable
    }

    override func process(_ row: inout RuntimeRow, _ context: TaskContext) {
        guard isTable else {
            if let value = row.value { streamRows.append(value.map(\.sqlText)) }
            return
        }
        let key = row.window.map { row.key + [.bigint($0.start), .bigint($0.end)] } ?? row.key
        if let value = row.value {
            if tableRows.updateValue(value.map(\.sqlText), forKey: key) == nil { tableOrder.append(key) }
        } else {
            tableRows.removeValue(forKey: key)
        }
    }

    var rows: [[String]] {
        isTable ? tableOrder.compactMap { tableRows[$0] } : streamRows
    }
}
