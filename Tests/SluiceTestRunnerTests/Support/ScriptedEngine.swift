import SluiceEngine
import SluiceLog
import SluiceSQL
import SluiceTypes

@testable import SluiceTestRunner

/// A stand-in engine for testing the runner's own logic: statements are accepted unless a
/// rejection rule matches them, topic layouts are given up front, and "processing" applies a
/// transform to every new record of one source topic and appends the results to one sink topic.
final class ScriptedEngine: CaseEngine, @unchecked Sendable {
    struct Rule {
        var containing: String
        var error: any Error
    }

    let store: any TopicStore
    var layouts: [String: TopicLayout]
    var rejections: [Rule]
    var source: String
    var sink: String
    var transform: (ConsumedRecord) -> [ProducerRecord]
    private var position: Int64 = 0
    private(set) var executed: [String] = []
    private(set) var processedCount = 0

    init(
        store: any TopicStore, layouts: [String: TopicLayout], rejections: [Rule] = [], source: String = "input",
        sink: String = "OUTPUT", transform: @escaping (ConsumedRecord) -> [ProducerRecord] = ScriptedEngine.copy
    ) {
        self.store = store
        self.layouts = layouts
        self.rejections = rejections
        self.source = source
        self.sink = sink
        self.transform = transform
    }

    static func copy(_ record: ConsumedRecord) -> [ProducerRecord] {
        [ProducerRecord(key: record.key, value: record.value, timestamp: record.timestamp, headers: record.headers)]
    }

    func execute(_ statement: String) throws -> [StatementResult] {
        if let rule = rejections.first(where: { statement.contains($0.containing) }) { throw rule.error }
        executed.append(statement)
        return [.message("ok")]
    }

    func runUntilIdle() throws {
        guard store.describeTopic(source) != nil else { return }
        let records = try store.read(TopicPartition(source, 0), from: position, maxRecords: .max)
        if store.describeTopic(sink) == nil { try store.createTopic(sink, config: TopicConfig()) }
        for record in records {
            processedCount += 1
            let produced = transform(record)
            if !produced.isEmpty { try store.append(produced, to: TopicPartition(sink, 0)) }
            position = record.offset + 1
        }
    }

    func layout(forTopic topic: String) -> TopicLayout? { layouts[topic] }

    /// Sources the test declares: name to what `describeSource` answers.
    var sources: [String: SourceInfo] = [:]

    func describeSource(_ name: String) -> SourceInfo? { sources[name] }

    func close() {}

    /// A registry for cases that register schemas; nil: the engine has none.
    var registry: SchemaRegistry?
    var schemaRegistry: SchemaRegistry? { registry }

    static func sqlError(_ category: Diagnostic.Category, _ message: String) -> SQLError {
        SQLError(Diagnostic(category: category, id: "test.\(category.rawValue)", message: message), source: "")
    }

    static let jsonStream = TopicLayout(
        keyFormat: .kafka, valueFormat: .json,
        keyColumns: [Column(name: "ID", type: .bigint, namespace: .key)],
        valueColumns: [Column(name: "V", type: .integer)])

    /// An environment whose engines are scripted by `configure`.
    static func environment(
        layouts: [String: TopicLayout] = ["input": jsonStream, "OUTPUT": jsonStream],
        configure: @escaping @Sendable (ScriptedEngine) -> Void = { _ in }
    ) -> RunnerEnvironment {
        RunnerEnvironment(
            makeStore: { MemoryTopicStore() },
            makeEngine: { _, store in
                let engine = ScriptedEngine(store: store, layouts: layouts)
                configure(engine)
                return engine
            })
    }
}
