/// The SQL types of Avro schemas, as ksqlDB infers columns from a registered Avro schema: Connect's
/// `AvroData.toConnectSchema`, then `ConnectKsqlSchemaTranslator` (see `SchemaInference`).
extension AvroSchema {
    /// The SQL type of values of this schema, or nil when ksqlDB has none (the `null` type, or a
    /// map whose keys are neither integers, booleans nor strings). `upperCase`: record field
    /// names are upper-cased.
    ///
    /// Optional unions (`["null", T]`) are T; other unions are Connect's union STRUCT with one
    /// field per non-null branch, named after the branch. Enums are STRING, `fixed` BYTES (or
    /// DECIMAL with logical type decimal), arrays of Connect map-entry records MAP.
    public func inferredSQLType(upperCase: Bool) -> SQLType? {
        switch self {
        case .null: return nil
        case .boolean: return .boolean
        case .int: return .integer
        case .long: return .bigint
        case .float, .double: return .double
        case .bytes: return .bytes
        case .string, .enumeration: return .string
        case .date: return .date
        case .timeMillis: return .time
        case .timestampMillis: return .timestamp
        case .decimal(let p, let s): return .decimal(precision: p, scale: s)
        case .fixed(let f):
            if let p = f.decimalPrecision { return .decimal(precision: p, scale: f.decimalScale) }
            return .bytes
        case .array(let items):
            if case .record(let entry) = items, entry.readsAsMapEntry {
                guard Self.isMapKey(entry.fields[0].schema),
                    let value = entry.fields[1].schema.inferredSQLType(upperCase: upperCase)
                else { return nil }
                return .map(key: .string, value: value)
            }
            return items.inferredSQLType(upperCase: upperCase).map(SQLType.array)
        case .map(let values):
            return values.inferredSQLType(upperCase: upperCase).map { .map(key: .string, value: $0) }
        case .record(let r):
            return .structure(
                r.fields.compactMap { f in
                    f.schema.inferredSQLType(upperCase: upperCase).map {
                        StructField(name: SchemaInference.name(f.name, upperCase: upperCase), type: $0)
                    }
                })
        case .union(let branches):
            let nonNull = branches.filter { $0 != .null }
            if nonNull.isEmpty { return nil }
            if nonNull.count == 1 { return nonNull[0].inferredSQLType(upperCase: upperCase) }
            return .structure(
                nonNull.compactMap { b in
                    b.inferredSQLType(upperCase: upperCase).map {
                        StructField(name: SchemaInference.name(b.unionBranchName, upperCase: upperCase), type: $0)
                    }
                })
        }
    }

    /// Connect accepts map keys of the integer types, boolean and string (read as STRING).
    private static func isMapKey(_ schema: AvroSchema) -> Bool {
        let key = schema.nonNullBranchOfOptional ?? schema
        switch key {
        case .int, .long, .boolean, .string, .enumeration: return true
        default: return false
        }
    }
}

extension AvroRowCodec {
    /// A codec for records written with `schema` itself, the way a schema-registry client reads
    /// them without knowing any stream's columns: the columns are the record's fields, with the
    /// names the schema gives them; a key, or a schema that is not a record, is one bare column
    /// (named ROWKEY or ROWVAL).
    public static func forWriterSchema(
        _ schema: AvroSchema, isKey: Bool, schemaID: UInt32
    ) throws(RecordError) -> (codec: AvroRowCodec, columns: [Column], unwrapped: Bool) {
        var unwrapped = isKey
        if case .record = schema {} else { unwrapped = true }
        if !isKey, case .union = schema { unwrapped = true }
        let columns: [Column]
        if unwrapped {
            guard let type = schema.inferredSQLType(upperCase: false) else {
                throw RecordError("Unsupported type at root of schema: \(schema.jsonText)")
            }
            columns = [
                Column(
                    name: isKey ? SchemaInference.keyColumnName : SchemaInference.valueColumnName, type: type,
                    namespace: isKey ? .key : .value)
            ]
        } else {
            guard case .structure(let fields) = schema.inferredSQLType(upperCase: false) else {
                throw RecordError("KSQL stream/table schema must be structured")
            }
            columns = fields.map { Column(name: $0.name, type: $0.type, namespace: .value) }
        }
        let options = FormatOptions(wrapSingleValue: unwrapped ? false : nil)
        let codec = try AvroRowCodec(
            columns: columns, options: options, isKey: isKey, schemaID: schemaID, physicalSchema: schema)
        return (codec, columns, unwrapped)
    }
}
