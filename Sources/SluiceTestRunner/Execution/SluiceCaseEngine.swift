import SluiceEngine
import SluiceLog
import SluiceTypes

/// The runner's view of the real ``Engine``: one engine over an in-memory topic store per case.
final class SluiceCaseEngine: CaseEngine {
    private let engine: Engine

    init(properties: [String: String], store: any TopicStore) throws {
        engine = try Engine(store: store, configuration: EngineConfiguration(properties: properties))
    }

    func execute(_ statement: String) throws -> [StatementResult] {
        try engine.execute(statement)
    }

    func runUntilIdle() throws {
        try engine.runUntilIdle()
    }

    func layout(forTopic topic: String) -> TopicLayout? {
        guard let format = engine.topicFormat(forTopic: topic) else { return nil }
        var windowing: TopicLayout.Windowing?
        switch format.windowing {
        case .time(let size)?: windowing = .time(sizeMs: size)
        case .session?: windowing = .session
        case nil: windowing = nil
        }
        return TopicLayout(
            keyFormat: format.keyFormat, valueFormat: format.valueFormat, keyColumns: format.keyColumns,
            valueColumns: format.valueColumns, windowing: windowing, keyOptions: format.keyOptions,
            valueOptions: format.valueOptions)
    }

    /// Kind, formats and topic come from `SHOW STREAMS` / `SHOW TABLES` (name, topic, key format,
    /// value format, windowed); the columns from the topic's format when that source is the one
    /// the engine reports for the topic.
    func describeSource(_ name: String) -> SourceInfo? {
        for (statement, isTable) in [("SHOW STREAMS;", false), ("SHOW TABLES;", true)] {
            guard let results = try? engine.execute(statement) else { continue }
            for case .table(let table) in results {
                guard let row = table.rows.first(where: { $0.first == name }), row.count >= 4,
                    let keyFormat = FormatKind(rawValue: row[2].uppercased()),
                    let valueFormat = FormatKind(rawValue: row[3].uppercased())
                else { continue }
                var columns: [Column]?
                if let format = engine.topicFormat(forTopic: row[1]), format.sourceName == name {
                    columns = format.keyColumns + format.valueColumns
                }
                return SourceInfo(isTable: isTable, keyFormat: keyFormat, valueFormat: valueFormat, columns: columns)
            }
        }
        return nil
    }

    func close() {
        engine.close()
    }

    var schemaRegistry: SchemaRegistry? { engine.schemaRegistry }

    func declaredTopicSchemas(_ statement: String) -> DeclaredTopicSchemas? {
        engine.declaredTopicSchemas(statement)
    }

    /// Fresh in-memory stores and real engines.
    static let environment = RunnerEnvironment(
        makeStore: { MemoryTopicStore() },
        makeEngine: { properties, store in try SluiceCaseEngine(properties: properties, store: store) }
    )
}
