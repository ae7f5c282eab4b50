import Foundation
import SluiceLog
import SluicePlanner
import SluiceRuntime
import SluiceSQL
import SluiceTypes

extension Engine {
    /// `INSERT INTO source [(columns)] VALUES (...)`: one record, encoded in the source's formats,
    /// appended to the partition its key belongs to. `ROWTIME` sets the record's timestamp (the
    /// wall clock otherwise).
    func insertValues(_ insert: InsertValues) throws -> StatementResult {
        guard let source = catalog.source(insert.target.value) else {
            throw PlannerErrorsBridge.unknownSource(insert.target, catalog: catalog)
        }
        if source.isReadOnly {
            throw EngineErrors.semantic("read-only", "cannot insert into read-only source '\(source.name)'", insert.target.range)
        }
        let names: [(String, SourceRange?)] =
            insert.columns.isEmpty
            ? (source.keyColumns + source.valueColumns).map { ($0.name, nil) }
            : insert.columns.map { ($0.value, $0.range) }
        guard names.count == insert.values.count else {
            throw EngineErrors.semantic(
                "value-count", "expected \(names.count) values but got \(insert.values.count)", insert.target.range)
        }
        var keys = [Value](repeating: .null, count: source.keyColumns.count)
        var values = [Value](repeating: .null, count: source.valueColumns.count)
        var timestamp = Int64(Date().timeIntervalSince1970 * 1000)
        var seen: Set<String> = []
        var binder = ExpressionBinder(
            scope: Scope(entries: []), functions: functions, types: TypeResolver(customTypes: catalog.types),
            scopeDescription: "INSERT VALUES (which reads no columns)")
        for ((name, range), expr) in zip(names, insert.values) {
            guard seen.insert(name).inserted else {
                throw EngineErrors.semantic("duplicate-column", "column '\(name)' is given twice", range)
            }
            let bound = try binder.bind(expr)
            if name == "ROWTIME" {
                let v = try constant(bound, as: .bigint, column: name, range: expr.range)
                guard case .bigint(let ms) = v else {
                    throw EngineErrors.semantic("bad-rowtime", "ROWTIME cannot be NULL", expr.range)
                }
                timestamp = ms
                continue
            }
            if let k = source.keyColumns.firstIndex(where: { $0.name == name }) {
                keys[k] = try constant(bound, as: source.keyColumns[k].type, column: name, range: expr.range)
            } else if let v = source.valueColumns.firstIndex(where: { $0.name == name }) {
                values[v] = try constant(bound, as: source.valueColumns[v].type, column: name, range: expr.range)
            } else if source.headerColumns.contains(where: { $0.name == name }) {
                throw EngineErrors.semantic("header-column", "cannot insert into header column '\(name)'", range)
            } else {
                throw EngineErrors.semantic(
                    "unknown-column", "unknown column '\(name)' in '\(source.name)'", range,
                    help: EditDistance.nearest(
                        to: name, among: (source.keyColumns + source.valueColumns).map(\.name)).map { "did you mean '\($0)'?" })
            }
        }
        if source.windowing != nil {
            throw EngineErrors.notSupported("INSERT VALUES into a windowed source", insert.target.range)
        }
        let keyCodec = try Codecs.make(
            format: source.keyFormat, columns: source.keyColumns, options: source.keyOptions, isKey: true)
        let valueCodec = try Codecs.make(
            format: source.valueFormat, columns: source.valueColumns, options: source.valueOptions, isKey: false)
        let keyBytes: [UInt8]? = source.keyColumns.isEmpty || keys.allSatisfy(\.isNull) ? nil : try keyCodec.encodePayload(keys)
        let valueBytes = try valueCodec.encodePayload(values)
        let partitions = store.describeTopic(source.topic)?.config.partitions ?? 1
        let partition = keyBytes.map { Partitioner.partition(forKey: $0, partitionCount: partitions) } ?? 0
        try store.append(
            [ProducerRecord(key: keyBytes, value: valueBytes, timestamp: timestamp)],
            to: TopicPartition(source.topic, partition))
        return .message("")
    }

    /// Evaluates a constant expression converted to a column's type.
    func constant(_ bound: BoundExpr, as type: SQLType, column: String, range: SourceRange) throws -> Value {
        var e = bound
        if e.isNullLiteral { return .null }
        if e.type != type {
            let literalTimestamp = (type == .bigint && e.type == .timestamp)
            guard TypeRules.castable(from: e.type, to: type) || literalTimestamp else {
                throw EngineErrors.semantic(
                    "insert-type", "expected a value of type \(type) for column '\(column)', not \(e.type)", range)
            }
            e = .cast(e, to: type)
        }
        switch ConstantEvaluator.evaluate(e) {
        case .success(let v): return v
        case .failure(let error):
            throw EngineErrors.semantic("insert-value", "cannot compute the value of '\(column)': \(error)", range)
        }
    }
}
