/// AVRO with a schema from the schema registry (`FormatOptions.physicalSchema`): an
/// `AvroRowCodec` reading and writing with that schema, which also fills the record fields no
/// column feeds with their declared defaults when writing, as Avro's serializer does for ksqlDB
/// sinks whose `VALUE_SCHEMA_ID` schema has more fields than the query (`"default": 100` is
/// written as 100, not rejected or nulled). Fields without a default stay as `AvroRowCodec`
/// writes them: NULL when nullable, else an error for the record.
struct AvroRegisteredCodec: RowCodec, NullablePayloadEncoding {
    let inner: AvroRowCodec
    let columnCount: Int
    /// Values for the extra trailing columns of `inner`, one per defaulted field.
    let defaults: [Value]

    init(columns: [Column], options: FormatOptions, isKey: Bool, physical: PhysicalSchema) throws(RecordError) {
        let schema = try AvroSchema.parse(physical.text)
        var extra: [Column] = []
        var defaults: [Value] = []
        let unwrapped = columns.count == 1 && (isKey || options.wrapSingleValue == false)
        if !unwrapped, case .record(let record) = schema {
            let names = Set(columns.map { String($0.name.map { $0 == "." ? "_" : $0 }) })
            for field in record.fields where !names.contains(field.name) && !names.contains(field.name.uppercased()) {
                guard let json = field.defaultJSON, let defaultValue = try? JSONParser.parse(json), !defaultValue.isNull,
                    let type = field.schema.inferredSQLType(upperCase: false),
                    let value = try? JSONCoercion.value(defaultValue, as: type),
                    !names.contains(field.name), !extra.contains(where: { $0.name == field.name })
                else { continue }
                extra.append(Column(name: field.name, type: type, namespace: isKey ? .key : .value))
                defaults.append(value)
            }
        }
        inner = try AvroRowCodec(
            columns: columns + extra, options: options, isKey: isKey, schemaID: physical.id, physicalSchema: schema)
        columnCount = columns.count
        self.defaults = defaults
    }

    func decode(_ bytes: [UInt8]) throws(RecordError) -> [Value] {
        let values = try inner.decode(bytes)
        return defaults.isEmpty ? values : Array(values.prefix(columnCount))
    }

    func encode(_ values: [Value]) throws(RecordError) -> [UInt8] {
        try encodePayload(values) ?? []
    }

    func encodePayload(_ values: [Value]) throws(RecordError) -> [UInt8]? {
        guard values.count == columnCount else {
            throw RecordError("Column count mismatch on serialization. expected: \(columnCount), got: \(values.count)")
        }
        return try inner.encodePayload(defaults.isEmpty ? values : values + defaults)
    }
}
