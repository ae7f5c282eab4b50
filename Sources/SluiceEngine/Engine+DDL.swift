import SluiceLog
import SluicePlanner
import SluiceRuntime
import SluiceSQL
import SluiceTypes

extension Engine {
    var defaultKeyFormat: FormatKind {
        properties["ksql.persistence.default.format.key"].flatMap { FormatKind(rawValue: $0.uppercased()) } ?? .kafka
    }

    var defaultValueFormat: FormatKind? {
        properties["ksql.persistence.default.format.value"].flatMap { FormatKind(rawValue: $0.uppercased()) }
    }

    /// Checks that the formats can carry the columns, before anything is registered.
    func validateFormats(_ source: SourceDescription) throws {
        do {
            _ = try Codecs.make(
                format: source.keyFormat, columns: source.keyColumns, options: source.keyOptions, isKey: true)
            _ = try Codecs.make(
                format: source.valueFormat, columns: source.valueColumns, options: source.valueOptions, isKey: false)
        } catch {
            let category: Diagnostic.Category = error.message.hasPrefix("not supported yet") ? .notSupported : .semantic
            throw Diagnostic(category: category, id: "engine.format", message: error.message)
        }
    }

    func createSource(_ create: CreateSource, text: String) throws -> StatementResult {
        // Schema registry (Engine+SchemaRegistry.swift): columns the statement leaves out come
        // from the schemas registered for its topic.
        let inference = try inferRegistryColumns(create)
        let create = inference.statement
        let planner = CreateSourcePlanner(
            types: TypeResolver(customTypes: catalog.types), defaultKeyFormat: defaultKeyFormat,
            defaultValueFormat: defaultValueFormat)
        try refuseCleanupPolicy(create.properties)
        var (source, props) = try planner.plan(create, text: text, range: create.name.range)
        if props.wrapSingleValue == nil, let wrap = wrapDefault, source.valueColumns.count == 1 {
            source.valueOptions.wrapSingleValue = wrap
        }
        applyRegistrySchemas(inference, to: &source)  // schema registry
        for column in source.keyColumns where Self.containsMap(column.type) {
            throw EngineErrors.semantic(
                "map-key", "key column '\(column.name)' has type \(column.type): maps cannot be part of a key (their serialization is not stable)")
        }
        let kindName = create.kind == .stream ? "Stream" : "Table"
        if create.orReplace && create.isSource {
            throw EngineErrors.semantic(
                "replace-source",
                "cannot add \(kindName.lowercased()) '\(source.name)': CREATE OR REPLACE is not supported on SOURCE \(kindName.lowercased())s",
                create.name.range)
        }
        if let existing = catalog.source(source.name) {
            if create.ifNotExists {
                return .message("A \(existing.kind == .stream ? "stream" : "table") with the name '\(source.name)' already exists.")
            }
            if create.orReplace && existing.isReadOnly {
                throw EngineErrors.semantic(
                    "replace-source",
                    "cannot replace \(kindName.lowercased()) '\(source.name)': CREATE OR REPLACE is not supported on read-only (SOURCE) \(kindName.lowercased())s",
                    create.name.range)
            }
            guard create.orReplace, existing.kind == create.kind else {
                throw EngineErrors.semantic(
                    "source-exists",
                    "cannot add \(kindName.lowercased()) '\(source.name)': a \(existing.kind == .stream ? "stream" : "table") with the same name already exists",
                    create.name.range)
            }
        }
        try validateFormats(source)
        if store.describeTopic(source.topic) == nil {
            let autoCreate = properties["sluice.topic.auto.create"] == "true"
            guard let partitions = props.partitions ?? (autoCreate ? 1 : nil) else {
                throw EngineErrors.semantic(
                    "missing-topic",
                    "topic '\(source.topic)' does not exist: give PARTITIONS in the WITH clause to create it",
                    create.name.range)
            }
            let config = try topicConfig(
                for: source, partitions: partitions, retentionMs: props.retentionMs, range: create.name.range)
            try store.createTopic(source.topic, config: config)
        }
        // Over an existing topic PARTITIONS is not checked: ksqlDB only uses it to create the topic.
        catalog.register(source)
        registerDeclaredSchemas(source, always: false)  // schema registry
        if inference.inferredKey || inference.inferredValue {
            // The registry is not persisted: the command log keeps the columns it supplied, so the
            // source comes back after a restart.
            var logged = create
            logged.properties.removeAll { $0.name == "KEY_SCHEMA_ID" || $0.name == "VALUE_SCHEMA_ID" }
            try remember(SQLFormatter.format(.createSource(logged)))
        } else {
            try remember(text)
        }
        return .message("\(kindName) created")
    }

    func dropSource(kind: SourceKind, name: Identifier, ifExists: Bool, deleteTopic: Bool, text: String) throws -> StatementResult {
        let kindName = kind == .stream ? "stream" : "table"
        guard let source = catalog.source(name.value) else {
            if ifExists { return .message("Source '\(name.value)' does not exist.") }
            throw PlannerErrorsBridge.unknownSource(name, catalog: catalog)
        }
        guard source.kind == kind else {
            throw EngineErrors.semantic(
                "wrong-kind", "'\(name.value)' is a \(source.kind == .stream ? "stream" : "table"), not a \(kindName)",
                name.range, help: "use DROP \(source.kind.rawValue) \(name.value)")
        }
        if deleteTopic && source.isReadOnly {
            throw EngineErrors.semantic(
                "delete-read-only-topic", "cannot delete the topic of read-only source '\(source.name)'", name.range)
        }
        let readers = queryOrder.filter { id in
            guard let q = queries[id] else { return false }
            return q.running.plan.inputs.contains(source.name) && q.sinkName != source.name
        }
        if !readers.isEmpty {
            throw EngineErrors.semantic(
                "source-in-use",
                "cannot drop \(source.name): the following queries read from it: \(readers.joined(separator: ", "))",
                name.range, help: "terminate them first")
        }
        for id in queryOrder where queries[id]?.sinkName == source.name { stopQuery(id) }
        catalog.remove(source.name)
        if deleteTopic && catalog.sources(onTopic: source.topic).isEmpty {
            try? store.deleteTopic(source.topic)
        }
        try remember(text)
        return .message("Source `\(source.name)` (topic: \(source.topic)) was dropped.")
    }

    func stopQuery(_ id: String) {
        guard let q = queries.removeValue(forKey: id) else { return }
        queryOrder.removeAll { $0 == id }
        q.running.stop()
        catalog.removeReader(query: id)
        for topic in q.running.internalTopics { try? store.deleteTopic(topic) }
    }

    func terminate(_ id: String?, text: String) throws -> StatementResult {
        guard let id else {
            for q in queryOrder { stopQuery(q) }
            for work in transients { work.cancel() }
            try remember(text)
            return .message("All queries terminated.")
        }
        let key = id.uppercased()
        if let transient = transients.first(where: { ($0 as? TransientQuery)?.id.uppercased() == key }) {
            transient.cancel()
            return .message("Query terminated.")
        }
        guard queries[key] != nil else {
            throw EngineErrors.semantic("unknown-query", "unknown query id '\(id)'", nil,
                help: EditDistance.nearest(to: key, among: queryOrder).map { "did you mean '\($0)'?" })
        }
        stopQuery(key)
        try remember(text)
        return .message("Query terminated.")
    }

    func pauseOrResume(_ id: String?, pause: Bool) throws -> StatementResult {
        let ids = id.map { [$0.uppercased()] } ?? queryOrder
        for q in ids {
            guard let info = queries[q] else { throw EngineErrors.semantic("unknown-query", "unknown query id '\(q)'") }
            if pause { info.running.pause() } else { info.running.resume() }
        }
        return .message(pause ? "Query paused." : "Query resumed.")
    }
}

enum PlannerErrorsBridge {
    static func unknownSource(_ name: Identifier, catalog: Catalog) -> Diagnostic {
        Diagnostic(
            category: .semantic, id: "plan.unknown-source", message: "unknown stream or table '\(name.value)'",
            range: name.range, help: catalog.nearestSourceName(to: name.value).map { "did you mean '\($0)'?" })
    }
}
