import SluiceLog
import SluicePlanner
import SluiceTypes

/// Turns a source topic's records into rows: key and value codecs, header columns, windowed keys,
/// the `TIMESTAMP=` column, and, for tables, the last row per key (so a change knows the row it
/// replaces).
///
/// A record that cannot be decoded is logged and skipped; it never stops the query.
final class SourceDecoder {
    let source: SourceDescription
    let keyCodec: any RowCodec
    let valueCodec: any RowCodec
    let valueColumnCount: Int
    /// `source.keyColumns.count`, read once: the schema computes its key columns on each access.
    let keyColumnCount: Int
    let headerColumns: [ColumnNamespace]
    let timestamp: CompiledExpr?
    let timestampValueIndex: Int?
    let isTable: Bool
    private var tableRows: [[Value]: [Value]] = [:]
    /// The values of the last decoded record (see `decode`).
    private var lastValues: [Value] = []

    init(_ scan: ScanNode) throws(RecordError) {
        source = scan.source
        keyCodec = try Codecs.make(
            format: source.keyFormat, columns: source.keyColumns, options: source.keyOptions, isKey: true)
        let codec = try Codecs.make(
            format: source.valueFormat, columns: source.valueColumns, options: source.valueOptions, isKey: false)
        if let read = scan.readValueColumns, let json = codec as? JSONRowCodec {
            valueCodec = json.skippingUnreadStrings(read)
        } else {
            valueCodec = codec
        }
        valueColumnCount = source.valueColumns.count
        keyColumnCount = source.keyColumns.count
        headerColumns = source.headerColumns.map(\.namespace)
        timestamp = scan.timestampExpr.map(ExpressionCompiler.compile)
        // The usual TIMESTAMP='column' reads the decoded value directly, without an evaluation row.
        if case .column(let i, _)? = scan.timestampExpr, i >= scan.layout.keyCount,
            i < scan.layout.keyCount + scan.layout.valueCount
        {
            timestampValueIndex = i - scan.layout.keyCount
        } else {
            timestampValueIndex = nil
        }
        isTable = source.kind == .table
    }

    /// The row of a record borrowed from the log (``TopicStore/scan``): the codecs read the key
    /// and value bytes where they lie.
    func decode(_ record: RecordView, partition: Int, _ context: TaskContext) -> RuntimeRow? {
        var window: WindowBounds?
        var windowedKey: [UInt8]?
        if let windowing = source.windowing, let bytes = record.key {
            guard let (inner, bounds) = WindowedKeyBytes.unwrap([UInt8](bytes), windowing: windowing) else {
                context.report("windowed key is too short")
                return nil
            }
            windowedKey = inner
            window = bounds
        }
        var keyValues: [Value]
        if let keyBytes = record.key, keyColumnCount > 0 {
            do {
                if let windowedKey {
                    keyValues = try keyCodec.decode(windowedKey)
                } else {
                    keyValues = try keyCodec.decode(borrowing: keyBytes)
                }
            } catch {
                context.report("cannot decode key: \(error.message)")
                return nil
            }
        } else {
            keyValues = .nulls(keyColumnCount)
        }
        let headers = record.headers()
        var values: [Value]?
        if let bytes = record.value {
            do {
                // The previous record's array: its storage is reused when nothing downstream
                // kept that row (a stateless chain lets go of it), else copy-on-write gives a new one.
                var decoded = lastValues
                lastValues = []
                try valueCodec.decode(borrowing: bytes, into: &decoded)
                for namespace in headerColumns { decoded.append(headerValue(namespace, headers)) }
                lastValues = decoded
                values = decoded
            } catch {
                context.report("cannot decode value: \(error.message)")
                return nil
            }
        }
        var row = RuntimeRow(
            key: keyValues, value: values, oldValue: nil, timestamp: record.timestamp, window: window,
            partition: partition, offset: record.offset, headers: headers)
        row.keyIsNull = record.key == nil && keyColumnCount > 1
        if let timestamp, let v = values {
            let t: Value
            if let i = timestampValueIndex {
                t = v[i]
            } else {
                t = timestamp(row.evaluationRow(v), context.eval)
                context.flushEvaluationErrors()
            }
            switch t {
            case .bigint(let ms), .timestamp(let ms): row.timestamp = ms
            default:
                if context.failOnInvalidTimestamp {
                    context.fatal =
                        "the TIMESTAMP column of \(context.currentPartition) offset \(context.currentOffset) is NULL or invalid, and ksql.timestamp.throw.on.invalid is set"
                    return nil
                }
                context.report("the TIMESTAMP column is NULL or invalid: record dropped")
                return nil
            }
        }
        if row.timestamp < 0 {
            context.report("negative timestamp \(row.timestamp): record dropped")
            return nil
        }
        if isTable {
            if keyValues.contains(where: \.isNull) && keyColumnCount > 0 {
                context.report("a table record needs a key: record dropped")
                return nil
            }
            let stateKey = window.map { keyValues + [.bigint($0.start), .bigint($0.end)] } ?? keyValues
            row.oldValue = tableRows[stateKey]
            if let v = values { tableRows[stateKey] = v } else { tableRows.removeValue(forKey: stateKey) }
            if row.value == nil && row.oldValue == nil { return nil }
        }
        return row
    }

    private func headerValue(_ namespace: ColumnNamespace, _ headers: [Header]) -> Value {
        guard case .header(let key) = namespace else { return .null }
        if let key {
            guard let h = headers.last(where: { $0.key == key }), let v = h.value else { return .null }
            return .bytes(v)
        }
        return .array(
            headers.map {
                .structure([StructEntry(name: "KEY", value: .string($0.key)), StructEntry(name: "VALUE", value: $0.value.map(Value.bytes) ?? .null)])
            })
    }
}

/// Snapshots of a table source: the last row per key, which changes need to carry as old rows.
extension SourceDecoder: StatefulComponent {
    func writeState(into out: inout [Value]) -> Bool {
        out.append(.array(tableRows.map { key, row in .array([.array(key), .array(row)]) }))
        return true
    }

    func readState(_ reader: inout StateReader) -> Bool {
        guard let entries = reader.array() else { return false }
        var rows: [[Value]: [Value]] = [:]
        for entry in entries {
            guard case .array(let pair) = entry, pair.count == 2, case .array(let key) = pair[0],
                case .array(let row) = pair[1]
            else { return false }
            rows[key] = row
        }
        tableRows = rows
        return true
    }
}
