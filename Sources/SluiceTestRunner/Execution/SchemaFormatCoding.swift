import SluiceEngine
import SluiceTypes

/// AVRO and PROTOBUF records for the runner. Unlike JSON, their bytes depend on the schema, so test
/// values go through the source's columns: JSON → values (ksqlDB's JSON coercion) → the format's
/// codec, and back: bytes → values → the Java objects ksqlDB's test framework compares
/// (`Integer`, `Long`, `Double`, `BigDecimal`, `String`, lists and maps).
enum SchemaFormatCoding {
    static func codec(_ format: FormatKind, _ columns: [Column], _ options: FormatOptions, isKey: Bool, what: String)
        throws(CodingFailure) -> any RowCodec
    {
        do {
            return try Codecs.make(format: format, columns: columns, options: options, isKey: isKey)
        } catch {
            throw CodingFailure("cannot build the \(format.rawValue) \(what) codec: \(error.message)")
        }
    }

    /// Whether the format writes the single column bare rather than as a record.
    static func isUnwrapped(_ format: FormatKind, _ columns: [Column], _ options: FormatOptions, isKey: Bool) -> Bool {
        guard columns.count == 1, format == .avro else { return false }
        return isKey ? options.wrapSingleValue != true : options.wrapSingleValue == false
    }

    static func encode(
        _ json: JSONValue, format: FormatKind, columns: [Column], options: FormatOptions, isKey: Bool, what: String
    ) throws(CodingFailure) -> [UInt8]? {
        let codec = try codec(format, columns, options, isKey: isKey, what: what)
        do {
            let values: [Value]
            if case .object = json,
                !(columns.count == 1 && ((isKey && format == .avro) || isUnwrapped(format, columns, options, isKey: isKey)))
            {
                values = try JSONCoercion.row(json, columns: columns)
            } else if columns.count == 1 {
                values = [try JSONCoercion.value(json, as: columns[0].type)]
            } else {
                throw RecordError("a \(what) with \(columns.count) columns must be a JSON object")
            }
            return try codec.encodePayload(values)
        } catch {
            throw CodingFailure("cannot write \(JSONWriter.string(json)) as a \(format.rawValue) \(what): \(error)")
        }
    }

    static func decode(
        _ bytes: [UInt8], format: FormatKind, columns: [Column], options: FormatOptions, isKey: Bool, what: String
    ) throws(CodingFailure) -> ActualValue {
        let codec = try codec(format, columns, options, isKey: isKey, what: what)
        let values: [Value]
        do {
            values = try codec.decode(bytes)
        } catch {
            throw CodingFailure("cannot read the \(format.rawValue) \(what): \(error.message)")
        }
        // A single AVRO key column is shown bare, as is an unwrapped single value; PROTOBUF keys
        // are always messages, shown as objects.
        if columns.count == 1 && ((isKey && format == .avro) || isUnwrapped(format, columns, options, isKey: isKey)) {
            return actual(values.first ?? .null)
        }
        return .map(zip(columns, values).map { ActualValue.Field($0.0.name, actual($0.1)) })
    }

    // MARK: Registered (physical) Avro schemas

    /// The AVRO schema registered for the topic's keys or values, when it is not the one the
    /// columns derive (then the columns' codec writes the same bytes and is used instead).
    static func registeredWriterSchema(
        _ registry: SchemaRegistry, topic: String, isKey: Bool, layout: TopicLayout
    ) -> PhysicalSchema? {
        let format = isKey ? layout.keyFormat : layout.valueFormat
        guard format == .avro,
            let latest = registry.latest(subject: SchemaRegistry.subject(topic: topic, isKey: isKey)),
            latest.schema.type == .avro
        else { return nil }
        let columns = isKey ? layout.keyColumns : layout.valueColumns
        let wrap = isKey ? nil : layout.valueOptions.wrapSingleValue
        if !columns.isEmpty, let derived = try? AvroRowCodec.schemaJSON(columns: columns, isKey: isKey, wrap: wrap),
            SchemaInference.canonicalText(derived, type: .avro) == SchemaInference.canonicalText(latest.schema.text, type: .avro)
        {
            return nil
        }
        return latest.schema.physical()
    }

    /// Writes a test value with a registered Avro schema, the way ksqlDB's test serializer turns
    /// the JSON into Connect data of that schema: a record's fields by name, anything else (and
    /// any key) as one bare value.
    static func encode(_ json: JSONValue, writer: PhysicalSchema, isKey: Bool, what: String) throws(CodingFailure) -> [UInt8]? {
        do {
            let (codec, columns, unwrapped) = try AvroRowCodec.forWriterSchema(
                try AvroSchema.parse(writer.text), isKey: isKey, schemaID: writer.id)
            let values: [Value]
            if unwrapped {
                values = [try JSONCoercion.value(json, as: columns[0].type)]
            } else {
                values = try JSONCoercion.row(json, columns: columns)
            }
            return try codec.encodePayload(values)
        } catch {
            throw CodingFailure(
                "cannot write \(JSONWriter.string(json)) as an AVRO \(what) with registered schema \(writer.id): \(error)")
        }
    }

    /// Reads an AVRO key or value with the schema its header names (looked up in `registry`, else
    /// `registered`), independently of any stream's columns: a record becomes a map of its fields.
    static func decode(
        _ bytes: [UInt8], registered: PhysicalSchema, registry: SchemaRegistry?, isKey: Bool, what: String
    ) throws(CodingFailure) -> ActualValue {
        var writer = registered
        if bytes.count >= 5, bytes[0] == 0 {
            let id = bytes[1...4].reduce(0) { $0 << 8 | Int($1) }
            if let schema = registry?.schema(id: id), schema.type == .avro { writer = schema.physical() }
        }
        let values: [Value]
        let columns: [Column]
        let unwrapped: Bool
        do {
            let codec: AvroRowCodec
            (codec, columns, unwrapped) = try AvroRowCodec.forWriterSchema(
                try AvroSchema.parse(writer.text), isKey: isKey, schemaID: writer.id)
            values = try codec.decode(bytes)
        } catch {
            throw CodingFailure("cannot read the AVRO \(what) with registered schema \(writer.id): \(error.message)")
        }
        if unwrapped { return actual(values.first ?? .null) }
        return .map(zip(columns, values).map { ActualValue.Field($0.0.name, actual($0.1)) })
    }

    /// The Java object ksqlDB's deserializers produce for a value.
    static func actual(_ v: Value) -> ActualValue {
        switch v {
        case .null: return .null
        case .boolean(let b): return .boolean(b)
        case .integer(let x): return .int(x)
        case .bigint(let x): return .long(x)
        case .double(let x): return .double(x)
        case .decimal(let d): return JavaDecimal(d.javaString).map(ActualValue.decimal) ?? .string(d.javaString)
        case .string(let s): return .string(s)
        case .bytes(let b): return .string(Base64.encode(b))
        case .date(let d): return .int(d)
        case .time(let t): return .int(t)
        case .timestamp(let t): return .long(t)
        case .array(let items): return .list(items.map(actual))
        case .map(let entries): return .map(entries.map { ActualValue.Field($0.key.sqlText, actual($0.value)) })
        case .structure(let fields): return .map(fields.map { ActualValue.Field($0.name, actual($0.value)) })
        }
    }
}
