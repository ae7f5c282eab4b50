import SluicePlanner
import SluiceTypes

/// How an ``Engine`` starts.
public struct EngineConfiguration: Sendable {
    /// Initial values for `SET`-able properties (e.g. `auto.offset.reset`).
    public var properties: [String: String]
    /// Where the command log lives; nil keeps the catalog in memory only.
    public var dataDirectory: String?

    public init(properties: [String: String] = [:], dataDirectory: String? = nil) {
        self.properties = properties
        self.dataDirectory = dataDirectory
    }

    /// Sluice's defaults. `auto.offset.reset` is `earliest` (ksqlDB's is `latest`), so a query
    /// created after data was inserted sees that data, which is what a script or a tour expects.
    public static let defaultProperties: [String: String] = [
        "auto.offset.reset": "earliest",
        "processing.guarantee": "at_least_once",
        "ksql.persistence.default.format.key": "KAFKA",
    ]
}

/// The formats and schema of the source declared over a topic, for tools that write or read its
/// records (the test runner, `sluice produce`/`consume`).
public struct TopicFormat: Sendable, Hashable {
    public var sourceName: String
    public var keyFormat: FormatKind
    public var valueFormat: FormatKind
    public var keyColumns: [Column]
    /// Value columns, without header columns.
    public var valueColumns: [Column]
    public var keyOptions: FormatOptions
    public var valueOptions: FormatOptions
    public var windowing: Windowing?
    public var isTable: Bool

    init(_ s: SourceDescription) {
        sourceName = s.name
        keyFormat = s.keyFormat
        valueFormat = s.valueFormat
        keyColumns = s.keyColumns
        valueColumns = s.valueColumns
        keyOptions = s.keyOptions
        valueOptions = s.valueOptions
        windowing = s.windowing
        isTable = s.kind == .table
    }
}
