import SluiceLog
import SluicePlanner
import SluiceRuntime
import SluiceSQL
import SluiceTypes

extension Engine {
    var offsetReset: QueryBuilder.OffsetReset {
        properties["auto.offset.reset"].flatMap { QueryBuilder.OffsetReset(rawValue: $0.lowercased()) } ?? .earliest
    }

    var builder: QueryBuilder {
        var b = QueryBuilder(store: store, log: processingLog, offsetReset: offsetReset)
        // How often a stateful task snapshots its state (records processed); see TaskSnapshot.
        if let every = properties["sluice.state.snapshot.records"].flatMap(Int.init), every > 0 { b.snapshotEveryRecords = every }
        // Records a query drops (undecodable, late, null key, bad timestamp) are copied here.
        if let topic = properties["sluice.dead.letter.topic"], !topic.isEmpty { b.deadLetterTopic = topic }
        // Bounds on memory: records in flight per input, and the state a task may keep.
        if let n = properties["sluice.max.poll.records"].flatMap(Int.init), n > 0 { b.maxPollRecords = n }
        if let n = properties["sluice.state.max.bytes"].flatMap(Int.init), n > 0 { b.maxStateBytes = n }
        b.failOnInvalidTimestamp = properties["ksql.timestamp.throw.on.invalid"]?.lowercased() == "true"
        return b
    }

    /// The id the next persistent query gets. The counter moves only when a query starts, so ids
    /// are the same when the command log is replayed (committed offsets are kept under them).
    func newQueryID(_ prefix: String, _ name: String?) -> String {
        name.map { "\(prefix)_\($0)_\(nextQueryNumber)" } ?? "\(prefix)_\(nextQueryNumber)"
    }

    /// A planner over the catalog, with the session's planning properties.
    var planner: QueryPlanner {
        var p = QueryPlanner(catalog: catalog, functions: functions)
        p.newPlanner = properties["ksql.new.query.planner.enabled"]?.lowercased() == "true"
        return p
    }

    /// The processing guarantee a new persistent query gets: `processing.guarantee` (or ksqlDB's
    /// `ksql.streams.processing.guarantee`), default at_least_once. The embedded log commits a
    /// task's outputs, offsets and state in one transaction either way, so both run exactly once.
    func processingGuarantee() throws -> String {
        let raw = (properties["processing.guarantee"] ?? properties["ksql.streams.processing.guarantee"] ?? "at_least_once")
            .lowercased()
        switch raw {
        case "at_least_once": return raw
        case "exactly_once", "exactly_once_v2", "exactly_once_beta": return "exactly_once"
        default:
            throw EngineErrors.semantic(
                "processing-guarantee",
                "'\(raw)' is not a processing guarantee: use 'at_least_once' or 'exactly_once'")
        }
    }

    func createAsSelect(_ create: CreateAsSelect, text: String) throws -> StatementResult {
        let name = create.name.value
        _ = try processingGuarantee()
        if let existing = catalog.source(name) {
            if create.ifNotExists {
                return .message("A \(existing.kind == .stream ? "stream" : "table") with the name '\(name)' already exists.")
            }
            if create.orReplace { throw EngineErrors.notSupported("CREATE OR REPLACE ... AS SELECT", create.name.range) }
            throw EngineErrors.semantic(
                "source-exists",
                "cannot add \(create.kind == .stream ? "stream" : "table") '\(name)': a \(existing.kind == .stream ? "stream" : "table") with the same name already exists",
                create.name.range)
        }
        let props = try SourceProperties(create.properties)
        try refuseCleanupPolicy(create.properties)
        var plan = try planner.plan(create.query, purpose: .persistent)
        let resultKind: SourceKind = plan.layout.isTable ? .table : .stream
        guard resultKind == create.kind else {
            throw EngineErrors.semantic(
                "wrong-result-kind",
                "the query produces a \(resultKind == .table ? "TABLE" : "STREAM"): use CREATE \(resultKind.rawValue) AS SELECT",
                create.name.range)
        }
        guard let firstInput = plan.inputs.first.flatMap(catalog.source) else {
            throw EngineErrors.semantic("no-input", "the query reads no source")
        }
        try checkPersistentQuery(plan, properties: props, sinkValueFormat: props.valueFormat ?? firstInput.valueFormat)
        let id = newQueryID(create.kind == .stream ? "CSAS" : "CTAS", name)
        var keyFormat = props.keyFormat ?? firstInput.keyFormat
        if keyFormat == .none && !plan.layout.keyColumns.isEmpty { keyFormat = defaultKeyFormat }
        if plan.layout.keyColumns.isEmpty { keyFormat = .none }
        // Delimiters carry over from the input when the format does; wrapping does not.
        var keyOptions = keyFormat == firstInput.keyFormat ? firstInput.keyOptions : FormatOptions()
        if let d = props.keyDelimiter { keyOptions.delimiter = d }
        let valueFormat = props.valueFormat ?? firstInput.valueFormat
        var valueOptions = valueFormat == firstInput.valueFormat ? firstInput.valueOptions : FormatOptions()
        valueOptions.wrapSingleValue = props.wrapSingleValue ?? (plan.layout.valueColumns.count == 1 ? wrapDefault : nil)
        if let d = props.valueDelimiter { valueOptions.delimiter = d }
        if let ts = props.timestampColumn {
            guard let column = plan.layout.valueColumns.first(where: { $0.name == ts }) ?? plan.layout.keyColumns.first(where: { $0.name == ts }) else {
                throw EngineErrors.semantic("unknown-timestamp-column", "TIMESTAMP column '\(ts)' is not in the query's output")
            }
            guard column.type == .bigint || column.type == .timestamp || (column.type == .string && props.timestampFormat != nil)
            else {
                throw EngineErrors.semantic(
                    "bad-timestamp-column",
                    "TIMESTAMP column '\(ts)' has type \(column.type): it must be BIGINT, TIMESTAMP, or STRING with a TIMESTAMP_FORMAT")
            }
        }
        var sink = SourceDescription(
            name: name, kind: create.kind, topic: props.topic ?? (properties["ksql.output.topic.name.prefix"] ?? "") + name,
            schema: LogicalSchema(columns: plan.layout.keyColumns + plan.layout.valueColumns),
            keyFormat: keyFormat, valueFormat: valueFormat, keyOptions: keyOptions,
            valueOptions: valueOptions, timestampColumn: props.timestampColumn,
            timestampFormat: props.timestampColumn == nil ? nil : props.timestampFormat, windowing: plan.layout.windowing,
            statementText: text, writerQueryID: id)
        // Schema registry (Engine+SchemaRegistry.swift): the sink writes the schema KEY_/VALUE_SCHEMA_ID
        // name, else its own, which is registered for its topic.
        try applySinkRegistrySchemas(create.properties, to: &sink)
        try validateFormats(sink)
        registerDeclaredSchemas(sink, always: true)
        plan.sink = sink
        let topicCreated = try ensureSinkTopic(
            sink, partitions: props.partitions, retentionMs: props.retentionMs,
            windowRetentionMs: create.query.window?.retention?.milliseconds, like: firstInput, range: create.name.range)
        catalog.register(sink)
        do {
            try startPersistent(id: id, plan: plan, text: text, sinkName: name)
        } catch {
            catalog.remove(name)
            if topicCreated { try? store.deleteTopic(sink.topic) }
            throw error
        }
        try remember(text)
        return .message("Created query with ID \(id)")
    }

    /// ksqlDB's rules for what a persistent query may read and write, checked before it starts.
    func checkPersistentQuery(_ plan: QueryPlan, properties props: SourceProperties, sinkValueFormat: FormatKind) throws {
        let inputs = plan.inputs.compactMap(catalog.source)
        if let windowedTable = inputs.first(where: { $0.kind == .table && $0.windowing != nil }) {
            // ksqlDB refuses these too (a windowed table's rows are per window, not per key).
            throw EngineErrors.semantic(
                "windowed-table-query",
                "persistent queries on windowed tables are not supported by ksqlDB either: '\(windowedTable.name)' is windowed; query it with a pull or push query instead")
        }
        let (grouped, joined) = Self.shape(plan.root)
        let kafkaValues = inputs.filter { $0.valueFormat == .kafka }.map(\.name)
        if (grouped || joined) && !kafkaValues.isEmpty {
            throw EngineErrors.semantic(
                "kafka-value-format",
                "\(kafkaValues.joined(separator: ", ")) use\(kafkaValues.count == 1 ? "s" : "") the 'KAFKA' value format, which does not support \(grouped ? "GROUP BY" : "JOIN") yet")
        }
        if sinkValueFormat == .delimited, let call = Self.aggregateCalls(plan.root).first(where: { call in
            switch call.function.intermediateType {
            case .structure, .array, .map: return true
            default: return false
            }
        }) {
            throw EngineErrors.semantic(
                "intermediate-format",
                "the aggregate '\(call.name)' keeps an intermediate value the DELIMITED format cannot hold: use another value format")
        }
        for column in plan.layout.keyColumns where Self.containsMap(column.type) {
            throw EngineErrors.semantic(
                "map-key", "key column '\(column.name)' has type \(column.type): maps cannot be part of a key (their serialization is not stable)")
        }
        if let f = props.keyFormat, f != .none, plan.layout.keyColumns.isEmpty {
            throw EngineErrors.semantic("key-format-without-key", "KEY_FORMAT is given, but the result has no key columns")
        }
        if props.wrapSingleValue != nil && plan.layout.valueColumns.count != 1 {
            throw EngineErrors.semantic(
                "wrap-single-value", "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas")
        }
    }

    static func shape(_ node: PlanNode) -> (grouped: Bool, joined: Bool) {
        switch node {
        case .scan: return (false, false)
        case .aggregate(let i, _):
            return (true, shape(i).joined)
        case .filter(let i, _, _), .project(let i, _), .rekey(let i, _), .flatMap(let i, _): return shape(i)
        case .join(let j):
            let l = shape(j.left)
            let r = shape(j.right)
            return (l.grouped || r.grouped, true)
        }
    }

    static func aggregateCalls(_ node: PlanNode) -> [AggregateCall] {
        switch node {
        case .scan: return []
        case .aggregate(let i, let a): return a.calls + aggregateCalls(i)
        case .filter(let i, _, _), .project(let i, _), .rekey(let i, _), .flatMap(let i, _): return aggregateCalls(i)
        case .join(let j): return aggregateCalls(j.left) + aggregateCalls(j.right)
        }
    }

    static func containsMap(_ t: SQLType) -> Bool {
        switch t {
        case .map: true
        case .array(let e): containsMap(e)
        case .structure(let fields): fields.contains { containsMap($0.type) }
        default: false
        }
    }

    /// `ksql.persistence.wrap.single.values`, when set.
    var wrapDefault: Bool? {
        properties["ksql.persistence.wrap.single.values"].map { $0.lowercased() == "true" }
    }

    /// Creates the sink topic unless it exists; returns whether it did. Partitions and, for streams and
    /// windowed tables, retention default to the input topic's, as in ksqlDB; the rest of the settings
    /// follow from the sink's kind (``topicConfig(for:partitions:retentionMs:windowRetentionMs:range:)``).
    func ensureSinkTopic(
        _ sink: SourceDescription, partitions: Int?, retentionMs: Int64?, windowRetentionMs: Int64?,
        like input: SourceDescription, range: SourceRange?
    ) throws -> Bool {
        if store.describeTopic(sink.topic) != nil { return false }
        let inputConfig = store.describeTopic(input.topic)?.config
        let count = partitions ?? inputConfig?.partitions ?? 1
        let inherited = sink.kind == .table && sink.windowing == nil ? nil : inputConfig?.retentionMs
        let config = try topicConfig(
            for: sink, partitions: count, retentionMs: retentionMs ?? inherited, windowRetentionMs: windowRetentionMs,
            range: range)
        try store.createTopic(sink.topic, config: config)
        return true
    }

    func startPersistent(id: String, plan: QueryPlan, text: String, sinkName: String?) throws {
        let running = try builder.persistent(id: id, plan: plan)
        nextQueryNumber += 1
        queries[id] = QueryInfo(
            id: id, statementText: text, sinkName: sinkName, running: running,
            guarantee: (try? processingGuarantee()) ?? "at_least_once")
        queryOrder.append(id)
        for input in plan.inputs { catalog.addReader(query: id, of: input) }
    }

    func insertSelect(target: Identifier, query: Query, text: String) throws -> StatementResult {
        _ = try processingGuarantee()
        guard let sink = catalog.source(target.value) else {
            throw PlannerErrorsBridge.unknownSource(target, catalog: catalog)
        }
        if sink.isReadOnly {
            throw EngineErrors.semantic("read-only", "cannot insert into read-only source '\(sink.name)'", target.range)
        }
        let query = InsertImplicitCasts.apply(to: query, target: sink.keyColumns + sink.valueColumns)
        var plan = try planner.plan(query, purpose: .persistent)
        if plan.inputs.contains(sink.name) {
            throw EngineErrors.semantic("insert-into-self", "cannot insert into '\(sink.name)' from itself", target.range)
        }
        let resultKind: SourceKind = plan.layout.isTable ? .table : .stream
        guard resultKind == sink.kind, sink.kind == .stream else {
            throw EngineErrors.semantic(
                "insert-kind", "INSERT INTO ... SELECT needs a stream target and a query producing a stream", target.range)
        }
        let produced = (plan.layout.keyColumns + plan.layout.valueColumns).map { [$0.name: $0.type] }
        let expected = (sink.keyColumns + sink.valueColumns).map { [$0.name: $0.type] }
        guard produced == expected else {
            let shown = (sink.keyColumns + sink.valueColumns).map { "\($0.name) \($0.type)" }.joined(separator: ", ")
            throw EngineErrors.semantic(
                "incompatible-schema", "the query's columns do not match the schema of '\(sink.name)' (\(shown))",
                target.range)
        }
        plan.sink = sink
        try checkPersistentQuery(plan, properties: try SourceProperties([]), sinkValueFormat: sink.valueFormat)
        let id = newQueryID("INSERTQUERY", nil)
        try startPersistent(id: id, plan: plan, text: text, sinkName: sink.name)
        try remember(text)
        return .message("Created query with ID \(id)")
    }

    func select(_ query: Query, text: String) throws -> StatementResult {
        let plan = try planner.plan(query, purpose: .transient)
        let headers = plan.layout.valueColumns.map(\.name)
        let source = plan.inputs.first ?? "QUERY"
        if query.emit == nil {
            let rows = try builder.snapshot(id: "pull_\(source)", plan: plan)
            return .table(ResultTable(headers: headers, rows: rows))
        }
        transientCount += 1
        let id = "transient_\(source)_\(transientCount)"
        let handle = PushQueryHandle(queryID: id, headers: headers)
        let running = try builder.transient(id: id, plan: plan) { row in handle.push(row) }
        let work = TransientQuery(id: id, running: running, handle: handle, store: store)
        return startTransient(work, handle: handle)
    }
}

extension Engine {
    /// Registers a push query or PRINT with the scheduler; cancelling its handle stops it.
    func startTransient(_ work: some TransientWork & Sendable, handle: PushQueryHandle) -> StatementResult {
        transients.append(work)
        handle.setCancelHook { [weak self, weak work] in
            guard let self, let work else { return }
            self.lock.lock()
            work.cancel()
            self.lock.unlock()
        }
        return .stream(handle)
    }
}

/// A push query's running state, polled by the scheduler, feeding its ``PushQueryHandle``.
final class TransientQuery: TransientWork, @unchecked Sendable {
    let id: String
    let running: RunningQuery
    let handle: PushQueryHandle
    let store: any TopicStore

    init(id: String, running: RunningQuery, handle: PushQueryHandle, store: any TopicStore) {
        self.id = id
        self.running = running
        self.handle = handle
        self.store = store
        running.setFinishHandler { [handle] reason in handle.finish(reason) }
    }

    var isFinished: Bool { running.state == .done || running.state == .failed }
    var positions: [TopicPartition: Int64] { running.positions }

    func poll() -> Bool {
        if handle.isCancelled {
            running.stop()
            return false
        }
        return running.poll(store)
    }

    func cancel() {
        running.stop()
        handle.finish("cancelled")
    }
}

extension Engine {
    /// Where each input of a persistent query reads next (nil for an unknown query id).
    public func inputPositions(ofQuery id: String) -> [TopicPartition: Int64]? {
        lock.lock()
        defer { lock.unlock() }
        return queries[id]?.running.positions
    }
}
