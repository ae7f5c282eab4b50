import SluiceEngine
import SluiceLog
import SluiceTypes

/// How records of one topic are laid out, as far as the runner needs to write inputs and read
/// outputs: formats, the columns of key and value, and the key's window.
public struct TopicLayout: Sendable {
    public enum Windowing: Hashable, Sendable {
        case time(sizeMs: Int64)
        case session
    }

    public var keyFormat: FormatKind
    public var valueFormat: FormatKind
    public var keyColumns: [Column]
    public var valueColumns: [Column]
    public var windowing: Windowing?
    /// Options of the formats (single-value wrapping, delimiters), for the schema-driven formats.
    public var keyOptions: FormatOptions
    public var valueOptions: FormatOptions

    public init(
        keyFormat: FormatKind, valueFormat: FormatKind, keyColumns: [Column], valueColumns: [Column],
        windowing: Windowing? = nil, keyOptions: FormatOptions = FormatOptions(),
        valueOptions: FormatOptions = FormatOptions()
    ) {
        self.keyFormat = keyFormat
        self.valueFormat = valueFormat
        self.keyColumns = keyColumns
        self.valueColumns = valueColumns
        self.windowing = windowing
        self.keyOptions = keyOptions
        self.valueOptions = valueOptions
    }
}

/// The engine as the runner drives it: one fresh instance per case.
///
/// ``SluiceCaseEngine`` adapts the real ``Engine``; tests plug in scripted fakes to check the
/// runner's own logic without depending on what the engine supports today.
public protocol CaseEngine: AnyObject {
    /// Runs one statement; throws (usually an `SQLError`) when the statement is rejected.
    func execute(_ statement: String) throws -> [StatementResult]
    /// Processes everything the persistent queries can process now, on the calling thread.
    func runUntilIdle() throws
    /// The layout of the stream or table declared over `topic` (sinks included), if any.
    func layout(forTopic topic: String) -> TopicLayout?
    /// What the engine knows about the stream or table `name`, for `post` checks; nil when there
    /// is no such source.
    func describeSource(_ name: String) -> SourceInfo?
    func close()
    /// The engine's schema registry, which the runner fills with the test's schemas; nil when the
    /// engine has none (cases that register schemas are then unsupported).
    var schemaRegistry: SchemaRegistry? { get }
    /// The schemas a `CREATE STREAM/TABLE` statement with columns declares for its topic.
    func declaredTopicSchemas(_ statement: String) -> DeclaredTopicSchemas?
}

extension CaseEngine {
    public var schemaRegistry: SchemaRegistry? { nil }
    public func declaredTopicSchemas(_ statement: String) -> DeclaredTopicSchemas? { nil }
}

/// Builds a case's engine from its properties over the store the runner filled with topics.
public typealias CaseEngineFactory = (_ properties: [String: String], _ store: any TopicStore) throws -> any CaseEngine
