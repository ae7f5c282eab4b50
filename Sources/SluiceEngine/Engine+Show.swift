import Foundation
import SluiceFunctions
import SluiceLog
import SluicePlanner
import SluiceRuntime
import SluiceSQL
import SluiceTypes

extension Engine {
    func show(_ target: ShowTarget, extended: Bool) throws -> StatementResult {
        switch target {
        case .streams, .tables:
            let kind: SourceKind = target == .streams ? .stream : .table
            let rows = catalog.sources.values.filter { $0.kind == kind }.sorted { $0.name < $1.name }.map {
                [$0.name, $0.topic, $0.keyFormat.rawValue, $0.valueFormat.rawValue, $0.windowing == nil ? "false" : "true"]
            }
            let title = kind == .stream ? "Stream Name" : "Table Name"
            return .table(ResultTable(headers: [title, "Kafka Topic", "Key Format", "Value Format", "Windowed"], rows: rows))
        case .topics, .allTopics:
            let rows = store.topicNames().filter { target == .allTopics || !$0.hasPrefix("_sluice-") }.map { name in
                [name, String(store.describeTopic(name)?.config.partitions ?? 0), "1"]
            }
            return .table(ResultTable(headers: ["Kafka Topic", "Partitions", "Partition Replicas"], rows: rows))
        case .queries:
            let rows = queryOrder.compactMap { id -> [String]? in
                guard let q = queries[id] else { return nil }
                let sink = q.sinkName.flatMap(catalog.source)
                return [id, "PERSISTENT", q.running.state.rawValue, q.sinkName ?? "", sink?.topic ?? "", q.statementText]
            } + transients.compactMap { work -> [String]? in
                guard let t = work as? TransientQuery else { return nil }
                return [t.id, "PUSH", t.running.state.rawValue, "", "", ""]
            }
            return .table(
                ResultTable(
                    headers: ["Query ID", "Query Type", "Status", "Sink Name", "Sink Kafka Topic", "Query String"], rows: rows))
        case .properties:
            return .table(
                ResultTable(headers: ["Property", "Value"], rows: properties.keys.sorted().map { [$0, properties[$0]!] }))
        case .functions:
            let rows = functions.functionNames().sorted { $0.name < $1.name }.map { [$0.name, $0.category] }
            return .table(ResultTable(headers: ["Function Name", "Category"], rows: rows))
        case .types:
            let rows = catalog.types.keys.sorted().map { [$0, catalog.types[$0]!.description] }
            return .table(ResultTable(headers: ["Type Name", "Schema"], rows: rows))
        case .variables:
            let rows = variables.keys.sorted().map { [$0, variables[$0]!] }
            return .table(ResultTable(headers: ["Variable Name", "Value"], rows: rows))
        case .connectors, .sourceConnectors, .sinkConnectors, .connectorPlugins:
            throw EngineErrors.notSupported("connectors")
        }
    }

    func describe(name: Identifier?, listKind: SourceKind?, extended: Bool) throws -> StatementResult {
        guard let name else {
            let kind = listKind ?? .stream
            return try show(kind == .stream ? .streams : .tables, extended: extended)
        }
        guard let source = catalog.source(name.value) else {
            throw PlannerErrorsBridge.unknownSource(name, catalog: catalog)
        }
        let rows = source.schema.columns.map { column -> [String] in
            var type = Self.describeType(column.type)
            switch column.namespace {
            case .key: type += source.kind == .table ? "  (primary key)" : "  (key)"
            case .header(nil): type += "  (headers)"
            case .header(let k?): type += "  (header('\(k)'))"
            case .value: break
            }
            return [column.name, type]
        }
        var footer: [String] = []
        if extended {
            footer.append("Type                 : \(source.kind.rawValue)")
            footer.append("Timestamp field      : \(source.timestampColumn ?? "Not set - using <ROWTIME>")")
            footer.append("Key format           : \(source.keyFormat.rawValue)")
            footer.append("Value format         : \(source.valueFormat.rawValue)")
            footer.append("Kafka topic          : \(source.topic) (partitions: \(store.describeTopic(source.topic)?.config.partitions ?? 0))")
            if let w = source.windowing {
                switch w {
                case .time(let size): footer.append("Window               : time (\(size) ms)")
                case .session: footer.append("Window               : session")
                }
            }
            let writers = queryOrder.filter { queries[$0]?.sinkName == source.name }
            let readers = queryOrder.filter {
                queries[$0]?.running.plan.inputs.contains(source.name) == true && queries[$0]?.sinkName != source.name
            }
            footer.append("Queries that write from this \(source.kind.rawValue): \(writers.joined(separator: ", "))")
            footer.append("Queries that read from this \(source.kind.rawValue): \(readers.joined(separator: ", "))")
            footer.append("Processing log entries: \(processingLog.total)")
            for id in writers {
                guard let q = queries[id] else { continue }
                footer.append("")
                footer.append("Query \(id):")
                footer += runtimeLines(q)
            }
        } else {
            footer.append("For runtime statistics and query details run: DESCRIBE \(source.name) EXTENDED;")
        }
        return .table(
            ResultTable(title: "Name                 : \(source.name)", headers: ["Field", "Type"], rows: rows, footer: footer))
    }

    /// ksqlDB's DESCRIBE spelling of a type.
    static func describeType(_ type: SQLType) -> String {
        type == .string ? "VARCHAR(STRING)" : type.description
    }

    func describeFunction(_ name: Identifier) throws -> StatementResult {
        guard let info = functions.describe(name.value) else {
            throw EngineErrors.semantic("unknown-function", "unknown function '\(name.value)'", name.range)
        }
        return .table(
            ResultTable(
                title: "Name        : \(info.name)\nType        : \(info.kind.rawValue)\nCategory    : \(info.category)\nDescription : \(info.description)",
                headers: ["Variation"], rows: info.signatures.map { [$0] }))
    }

    func explainQuery(_ id: String) throws -> StatementResult {
        guard let q = queries[id.uppercased()] else {
            throw EngineErrors.semantic("unknown-query", "unknown query id '\(id)'")
        }
        var lines = ["Query ID: \(q.id)", "Query: \(q.statementText)", "Status: \(q.running.state.rawValue)"]
        if let failure = q.running.failure { lines.append("Error: \(failure)") }
        lines.append("Execution plan:")
        lines += PlanPrinter.lines(q.running.plan)
        return .table(ResultTable(headers: ["Plan"], rows: lines.map { [$0] }, footer: runtimeLines(q)))
    }

    /// A query's runtime picture, per task: what a user whose query emits nothing needs to see why.
    func runtimeLines(_ q: QueryInfo) -> [String] {
        var lines = ["Processing guarantee : \(q.guarantee)"]
        let drops = processingLog.counts(forQuery: q.id)
        let dropText = ProcessingLog.Reason.allCases.compactMap { r in drops[r].map { "\(r.rawValue) \($0)" } }
        lines.append("Records dropped      : " + (dropText.isEmpty ? "none" : dropText.joined(separator: ", ")))
        if q.running.restoredStateBytes > 0 {
            let ms = Double(q.running.restoreDuration.components.attoseconds) / 1e15 + Double(q.running.restoreDuration.components.seconds) * 1000
            lines.append("State restored       : \(q.running.restoredStateBytes) bytes from snapshots in \(String(format: "%.1f", ms)) ms")
        }
        let header = ["task", "input", "offset", "lag", "stream time", "in", "out", "open windows", "next close", "state bytes"]
        var rows: [[String]] = []
        for t in q.running.statistics(store) {
            let inputs = t.inputs.isEmpty ? [nil] : t.inputs.map { Optional($0) }
            for (i, input) in inputs.enumerated() {
                let first = i == 0
                rows.append([
                    first ? (t.task.isEmpty ? "-" : t.task) : "",
                    input.map { "\($0.partition.topic)-\($0.partition.partition)" } ?? "-",
                    input.map { "\($0.position)" } ?? "-",
                    input.map { "\($0.lag)" } ?? "-",
                    first ? (t.streamTime.map { "\($0)" } ?? "-") : "",
                    first ? "\(t.recordsIn)" : "",
                    first ? "\(t.recordsOut)" : "",
                    first ? (t.openWindows.map { "\($0)" } ?? "-") : "",
                    first ? (t.earliestClose.map { "\($0)" } ?? "-") : "",
                    first ? "\(t.stateBytes)" : "",
                ])
            }
        }
        let widths = header.indices.map { c in ([header[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        lines.append("Tasks:")
        lines.append(line(header))
        lines += rows.map(line)
        return lines
    }

    func explainStatement(_ statement: Statement) throws -> StatementResult {
        let plan: QueryPlan
        switch statement {
        case .select(let q): plan = try planner.plan(q, purpose: .transient)
        case .createAsSelect(let c): plan = try planner.plan(c.query, purpose: .persistent)
        case .insertInto(_, let q): plan = try planner.plan(q, purpose: .persistent)
        default: throw EngineErrors.semantic("explain", "EXPLAIN needs a query, a CREATE ... AS SELECT or an INSERT INTO ... SELECT")
        }
        return .table(ResultTable(headers: ["Plan"], rows: PlanPrinter.lines(plan).map { [$0] }))
    }
}
