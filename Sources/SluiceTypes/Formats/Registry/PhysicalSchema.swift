/// The kinds of schema a Confluent-style schema registry holds (its `schemaType`).
public enum RegisteredSchemaType: String, Hashable, Sendable, CaseIterable {
    case avro = "AVRO"
    case protobuf = "PROTOBUF"
    /// JSON Schema, used by the JSON_SR format.
    case json = "JSON"

    /// The schema type a format registers, or nil for formats without a registry.
    public init?(format: FormatKind) {
        switch format {
        case .avro: self = .avro
        case .protobuf: self = .protobuf
        case .jsonSR: self = .json
        default: return nil
        }
    }
}

/// A schema another schema imports by name (a protobuf `import "event.proto"`), with its text.
public struct SchemaReferenceText: Hashable, Sendable {
    public var name: String
    public var schema: String

    public init(name: String, schema: String) {
        self.name = name
        self.schema = schema
    }
}

/// A schema registered in a schema registry that a format reads and writes records with, in place
/// of the schema it derives from the columns (ksqlDB's "physical" schema: the one a topic's
/// producers used, or the one `KEY_SCHEMA_ID` / `VALUE_SCHEMA_ID` name).
///
/// AVRO reads and writes through it (see `AvroRowCodec`'s `physicalSchema`); JSON_SR and
/// PROTOBUF write its id in the record header and lay records out from the columns inferred from
/// it.
public struct PhysicalSchema: Hashable, Sendable {
    /// The registry's id for the schema, written in the 5-byte Confluent header.
    public var id: UInt32
    public var type: RegisteredSchemaType
    /// The schema as registered: Avro JSON, JSON Schema JSON, or `.proto` text.
    public var text: String
    /// Imported schemas, for PROTOBUF.
    public var references: [SchemaReferenceText]
    /// `KEY_SCHEMA_FULL_NAME` / `VALUE_SCHEMA_FULL_NAME`: the message a multi-message PROTOBUF
    /// schema uses (nil: the first).
    public var fullName: String?

    public init(
        id: UInt32, type: RegisteredSchemaType, text: String, references: [SchemaReferenceText] = [],
        fullName: String? = nil
    ) {
        self.id = id
        self.type = type
        self.text = text
        self.references = references
        self.fullName = fullName
    }
}
