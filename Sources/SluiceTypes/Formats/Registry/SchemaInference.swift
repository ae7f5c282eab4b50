/// ksqlDB's schema inference: the columns a schema from the schema registry gives the key or the
/// value of a stream or table created without them (`CREATE STREAM s WITH (format='AVRO', ...)`).
///
/// The registered schema is read as Kafka Connect reads it (Avro through `AvroData`, JSON Schema
/// through `JsonSchemaData`, protobuf through `ProtobufData`), then each Connect type becomes its
/// SQL type as `ConnectKsqlSchemaTranslator` maps it: 8-, 16- and 32-bit integers INT, 64-bit
/// BIGINT (Connect's Timestamp TIMESTAMP, Date DATE, Time TIME), both floating types DOUBLE,
/// Connect decimals DECIMAL, other bytes BYTES, strings and enums STRING, arrays ARRAY, maps
/// MAP<STRING, ...> (keys of any integer, boolean or string type), records STRUCT. Fields of types
/// with no SQL equivalent are left out.
///
/// Field names are upper-cased, at every depth, unless the statement names the schema by id
/// (`KEY_SCHEMA_ID` / `VALUE_SCHEMA_ID`), in which case they keep their spelling.
public enum SchemaInference {
    public enum FieldNames: Sendable {
        case upperCased
        case original
    }

    /// The column an unwrapped key schema becomes.
    public static let keyColumnName = "ROWKEY"
    /// The column an unwrapped (non-record) value schema becomes.
    public static let valueColumnName = "ROWVAL"

    /// The SQL type of the whole schema (for PROTOBUF, of the message `fullName` selects).
    public static func type(of schema: PhysicalSchema, names: FieldNames) throws(RecordError) -> SQLType {
        let upper = names == .upperCased
        let type: SQLType?
        switch schema.type {
        case .avro:
            type = try AvroSchema.parse(schema.text).inferredSQLType(upperCase: upper)
        case .json:
            type = try JSONSchemaInference.type(ofSchemaText: schema.text, upperCase: upper)
        case .protobuf:
            let file = try ProtoSchemaFile.parse(schema.text, references: schema.references)
            type = try file.inferredSQLType(message: schema.fullName, upperCase: upper)
        }
        guard let type else { throw RecordError("Unsupported type at root of schema: \(schema.text)") }
        return type
    }

    /// The key or value columns of `schema`. `unwrapped`: the whole schema is one column, named
    /// ROWKEY for keys and ROWVAL for values; otherwise the schema must be a record (a message for
    /// protobuf, an object for JSON Schema) whose fields are the columns.
    public static func columns(
        of schema: PhysicalSchema, isKey: Bool, unwrapped: Bool, names: FieldNames
    ) throws(RecordError) -> [StructField] {
        let whole = try type(of: schema, names: names)
        if unwrapped {
            return [StructField(name: isKey ? keyColumnName : valueColumnName, type: whole)]
        }
        guard case .structure(let fields) = whole else {
            throw RecordError("KSQL stream/table schema must be structured")
        }
        guard !fields.isEmpty else {
            throw RecordError("Schema does not include any columns with types that ksqlDB supports.")
        }
        return fields
    }

    /// Whether a key in `format` is inferred as one (unwrapped) column: the formats that can
    /// write a single key column bare (AVRO, JSON_SR), not PROTOBUF, whose keys are messages.
    public static func unwrapsKeys(_ format: FormatKind) -> Bool {
        format == .avro || format == .jsonSR
    }

    /// The names of the top-level schemas a registered schema defines (protobuf files may define
    /// several messages; Avro and JSON schemas define one).
    public static func definedNames(_ schema: PhysicalSchema) throws(RecordError) -> [String] {
        switch schema.type {
        case .protobuf:
            return try ProtoSchemaFile.parse(schema.text, references: schema.references).topLevelMessageNames
        case .avro:
            if case .record(let r) = try AvroSchema.parse(schema.text) { return [r.name.fullName] }
            return []
        case .json:
            return []
        }
    }

    /// `text` with insignificant differences removed, so that two registrations of the same schema
    /// compare equal: JSON is re-written compactly (Avro also through its parser, so `"int"` and
    /// `{"type": "int"}` agree); protobuf text has its whitespace runs collapsed.
    public static func canonicalText(_ text: String, type: RegisteredSchemaType) -> String {
        switch type {
        case .avro:
            if let schema = try? AvroSchema.parse(text) { return schema.jsonText }
            return (try? JSONParser.parse(text)).map(JSONWriter.string) ?? text
        case .json:
            return (try? JSONParser.parse(text)).map(JSONWriter.string) ?? text
        case .protobuf:
            var out = ""
            var space = false
            for ch in text {
                if ch == " " || ch == "\n" || ch == "\t" || ch == "\r" {
                    space = true
                } else {
                    if space && !out.isEmpty { out.append(" ") }
                    space = false
                    out.append(ch)
                }
            }
            return out
        }
    }

    static func name(_ name: String, upperCase: Bool) -> String {
        upperCase ? name.uppercased() : name
    }
}
