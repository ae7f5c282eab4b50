import SluiceSQL
import SluiceTypes

/// How a source's records are windowed (the key carries window bounds).
public enum Windowing: Sendable, Hashable {
    /// Tumbling or hopping windows of a fixed size: the key stores the window start only.
    case time(sizeMs: Int64)
    /// Session windows: the key stores start and end.
    case session
}

/// A stream or table the catalog knows: its schema, topic and serialization.
public struct SourceDescription: Sendable, Hashable {
    public var name: String
    public var kind: SourceKind
    public var topic: String
    public var schema: LogicalSchema
    public var keyFormat: FormatKind
    public var valueFormat: FormatKind
    public var keyOptions: FormatOptions
    public var valueOptions: FormatOptions
    /// The value column whose content is the record's event time (`WITH (TIMESTAMP=...)`).
    public var timestampColumn: String?
    /// `TIMESTAMP_FORMAT`, for a STRING timestamp column.
    public var timestampFormat: String?
    public var windowing: Windowing?
    /// `CREATE SOURCE STREAM|TABLE`: read-only.
    public var isReadOnly: Bool
    /// The statement that created it, for `DESCRIBE EXTENDED` and the command log.
    public var statementText: String
    /// Set when a `CREATE ... AS SELECT` query writes this source.
    public var writerQueryID: String?

    public init(
        name: String, kind: SourceKind, topic: String, schema: LogicalSchema, keyFormat: FormatKind,
        valueFormat: FormatKind, keyOptions: FormatOptions = FormatOptions(),
        valueOptions: FormatOptions = FormatOptions(), timestampColumn: String? = nil, timestampFormat: String? = nil,
        windowing: Windowing? = nil, isReadOnly: Bool = false, statementText: String = "", writerQueryID: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.topic = topic
        self.schema = schema
        self.keyFormat = keyFormat
        self.valueFormat = valueFormat
        self.keyOptions = keyOptions
        self.valueOptions = valueOptions
        self.timestampColumn = timestampColumn
        self.timestampFormat = timestampFormat
        self.windowing = windowing
        self.isReadOnly = isReadOnly
        self.statementText = statementText
        self.writerQueryID = writerQueryID
    }

    public var keyColumns: [Column] { schema.keyColumns }
    public var valueColumns: [Column] { schema.valueColumns }
    public var headerColumns: [Column] { schema.headerColumns }
}
