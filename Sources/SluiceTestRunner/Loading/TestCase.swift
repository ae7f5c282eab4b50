import SluiceLog
import SluiceTypes

/// The window of a windowed key: `{"start": ..., "end": ..., "type": "time" | "session"}`.
public struct WindowData: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        case time = "TIME"
        case session = "SESSION"
    }

    public var start: Int64
    public var end: Int64
    public var kind: Kind

    public init(start: Int64, end: Int64, kind: Kind) {
        self.start = start
        self.end = end
        self.kind = kind
    }

    public var description: String { "\(kind.rawValue.lowercased())[\(start), \(end))" }
}

/// A record a test feeds into a topic.
public struct InputRecord: Sendable {
    public var topic: String
    public var key: JSONValue
    public var value: JSONValue
    /// Milliseconds; 0 when the test gives none.
    public var timestamp: Int64
    public var window: WindowData?
    public var headers: [Header]
    /// An explicit partition; otherwise the record goes to partition 0, as ksqlDB's test driver
    /// puts every input record there.
    public var partition: Int?

    public init(
        topic: String, key: JSONValue = .null, value: JSONValue, timestamp: Int64 = 0, window: WindowData? = nil,
        headers: [Header] = [], partition: Int? = nil
    ) {
        self.topic = topic
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.window = window
        self.headers = headers
        self.partition = partition
    }
}

/// A record a test expects on an output topic.
public struct ExpectedRecord: Sendable {
    public var topic: String
    public var key: JSONValue
    public var value: JSONValue
    /// Compared only when given.
    public var timestamp: Int64?
    public var window: WindowData?
    /// nil means "no headers" (ksqlDB compares against an empty list when none are given).
    public var headers: [Header]?

    public init(
        topic: String, key: JSONValue = .null, value: JSONValue, timestamp: Int64? = nil, window: WindowData? = nil,
        headers: [Header]? = nil
    ) {
        self.topic = topic
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.window = window
        self.headers = headers
    }
}

/// A schema a test registers for a topic's keys or values in the schema registry.
public struct TopicSchema: Sendable, Hashable {
    public var type: RegisteredSchemaType
    /// The schema text: Avro or JSON Schema JSON, or `.proto` text.
    public var text: String
    /// `keySchemaId` / `valueSchemaId`: the id to register it with; nil for the next free id.
    public var id: Int?
    /// Imported schemas (`keySchemaReferences` / `valueSchemaReferences`), for protobuf.
    public var references: [SchemaReferenceText]

    public init(type: RegisteredSchemaType, text: String, id: Int? = nil, references: [SchemaReferenceText] = []) {
        self.type = type
        self.text = text
        self.id = id
        self.references = references
    }
}

/// A topic the test declares up front (its `topics` section).
public struct TopicSpec: Sendable {
    public var name: String
    public var partitions: Int
    public var format: String?
    public var keySchema: TopicSchema?
    public var valueSchema: TopicSchema?

    /// True when the test registers a key or value schema for the topic in a schema registry.
    public var hasRegisteredSchema: Bool { keySchema != nil || valueSchema != nil }

    public init(
        name: String, partitions: Int = 1, format: String? = nil, keySchema: TopicSchema? = nil,
        valueSchema: TopicSchema? = nil
    ) {
        self.name = name
        self.partitions = partitions
        self.format = format
        self.keySchema = keySchema
        self.valueSchema = valueSchema
    }
}

/// One runnable test case, after `format` / `config` expansion.
public struct ConformanceCase: Sendable {
    public enum Kind: String, Sendable {
        /// A `query-validation-tests` case: statements, then inputs, then outputs.
        case queryValidation
        /// A `rest-query-validation-tests` case: admin statements, inputs, then queries whose
        /// responses are checked.
        case rest
        /// A `statements.sql` / `input.json` / `output.json` directory.
        case testingTool
    }

    /// The file as reported: the command-line path joined with the file's path below it.
    public var file: String
    public var name: String
    public var kind: Kind
    public var statements: [String]
    public var properties: [String: String]
    public var topics: [TopicSpec]
    public var inputs: [InputRecord]
    public var outputs: [ExpectedRecord]
    /// `expectedException` (or REST `expectedError`): some statement, or the run, must fail.
    public var expectsRejection: Bool
    /// A testing-tool case under an `incorrect` directory: the run as a whole must fail.
    public var expectsFailure: Bool
    /// REST responses, one per statement, when given.
    public var responses: [JSONValue]?
    /// Sources expected to exist afterwards (`post.sources`), checked once the outputs match.
    public var postSources: [ExpectedSource]
    /// Set when the test file itself cannot be run (malformed case): reported as an error.
    public var loadError: String?
    /// Set when the case needs something the runner cannot provide.
    public var unsupportedReason: String?

    public init(
        file: String, name: String, kind: Kind = .queryValidation, statements: [String] = [],
        properties: [String: String] = [:], topics: [TopicSpec] = [], inputs: [InputRecord] = [],
        outputs: [ExpectedRecord] = [], expectsRejection: Bool = false, expectsFailure: Bool = false,
        responses: [JSONValue]? = nil, postSources: [ExpectedSource] = [], loadError: String? = nil,
        unsupportedReason: String? = nil
    ) {
        self.file = file
        self.name = name
        self.kind = kind
        self.statements = statements
        self.properties = properties
        self.topics = topics
        self.inputs = inputs
        self.outputs = outputs
        self.expectsRejection = expectsRejection
        self.expectsFailure = expectsFailure
        self.responses = responses
        self.postSources = postSources
        self.loadError = loadError
        self.unsupportedReason = unsupportedReason
    }

    /// `file: name`, the way result lines and `--filter` see a case.
    public var qualifiedName: String { "\(file): \(name)" }
}
