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
