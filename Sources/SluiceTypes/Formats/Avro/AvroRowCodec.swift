/// The AVRO format for keys and values, in Confluent's wire format: magic byte 0, the 4-byte
/// big-endian schema id, then the Avro binary encoding of the record.
///
/// Layout: a record with one field per column (see `AvroSchema.ksql(columns:unwrapped:fullName:)`
/// for the schema ksqlDB derives), or for a single key column, or a single value column with
/// `WRAP_SINGLE_VALUE=false`, the bare (non-optional) value of that column; a NULL there has no
/// payload at all (`encodePayload` returns nil).
///
/// There is no schema registry: records are read with the schema they are assumed to have been
/// written with — the derived one, or `physicalSchema` when given (a registered schema, e.g. from
/// a test's topic definition). Reading follows ksqlDB's conversions from that schema to the
/// columns (see `AvroReadNode`); writing uses the same schema, and `schemaID` in the header.
public struct AvroRowCodec: RowCodec, NullablePayloadEncoding {
    public let columns: [Column]
    public let isKey: Bool
    /// Whether the record is the bare value of the single column.
    public let isUnwrapped: Bool
    /// The schema records are written with and assumed to be read with.
    public let schema: AvroSchema
    public let schemaID: UInt32

    private enum ReadPlan: Sendable {
        case row(AvroRecordPlan)
        case single(AvroReadNode)
        case failure(String)
    }

    private let readPlan: ReadPlan
    private let writePlan: AvroWriteNode
    /// Whether some struct field name has a `.` (read as `_` and renamed back).
    private let hasDottedNames: Bool

    public init(columns: [Column], options: FormatOptions, isKey: Bool) throws(RecordError) {
        try self.init(columns: columns, options: options, isKey: isKey, schemaID: 1)
    }

    /// `fullSchemaName` is `KEY_SCHEMA_FULL_NAME`/`VALUE_SCHEMA_FULL_NAME`; `physicalSchema`
    /// replaces the derived schema for reading and writing.
    public init(
        columns: [Column], options: FormatOptions, isKey: Bool, schemaID: UInt32,
        fullSchemaName: String = AvroSchema.ksqlFullName, physicalSchema: AvroSchema? = nil
    ) throws(RecordError) {
        if !isKey, options.wrapSingleValue == false, columns.count != 1 {
            throw RecordError("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas")
        }
        guard !AvroRowCodec.trimmed(fullSchemaName).isEmpty else { throw RecordError("the schema name cannot be empty") }
        let unwrapped = columns.count == 1 && (isKey || options.wrapSingleValue == false)
        let derived = try AvroSchema.ksql(columns: columns, unwrapped: unwrapped, fullName: AvroRowCodec.trimmed(fullSchemaName))
        let schema = physicalSchema ?? derived
        self.columns = columns
        self.isKey = isKey
        self.isUnwrapped = unwrapped
        self.schema = schema
        self.schemaID = schemaID
        hasDottedNames = columns.contains { AvroRowCodec.hasDottedField($0.type) }
        if unwrapped {
            readPlan = .single(AvroReadNode.build(writer: schema, target: AvroRowCodec.compatible(columns[0].type), path: ""))
            writePlan = AvroWriteNode.build(writer: schema, source: AvroRowCodec.compatible(columns[0].type))
        } else {
            let rowType = AvroRowCodec.compatible(.structure(columns.map { StructField(name: $0.name, type: $0.type) }))
            switch AvroReadNode.build(writer: schema, target: rowType, path: "") {
            case .record(let plan): readPlan = .row(plan)
            case .mismatch(let message): readPlan = .failure(message)
            default: readPlan = .failure("Cannot deserialize type \(schema.connectTypeName) as type struct for path: ")
            }
            // A schema that cannot hold the row fails when a row is written, as in ksqlDB.
            let plan = AvroWriteNode.build(writer: schema, source: rowType)
            if case .record = plan {
                writePlan = plan
            } else {
                writePlan = .unsupported("Avro schema \(schema.jsonText) cannot hold the columns \(columns.map(\.name))")
            }
        }
    }

    /// The schema text ksqlDB registers for these columns (`wrap` is `WRAP_SINGLE_VALUE`; single
    /// keys are always unwrapped).
    public static func schemaJSON(columns: [Column], isKey: Bool, wrap: Bool?, fullName: String = AvroSchema.ksqlFullName) throws(RecordError) -> String {
        let unwrapped = columns.count == 1 && (isKey || wrap == false)
        return try AvroSchema.ksql(columns: columns, unwrapped: unwrapped, fullName: fullName).jsonText
    }

    /// ksqlDB reads and writes Avro through a copy of the schema whose struct field names have `.`
    /// replaced by `_` (`AvroSchemas.avroCompatibleFieldName`); fields are matched on those names.
    static func compatible(_ type: SQLType) -> SQLType {
        switch type {
        case .array(let e): return .array(compatible(e))
        case .map(let k, let v): return .map(key: k, value: compatible(v))
        case .structure(let fields):
            return .structure(fields.map { StructField(name: String($0.name.map { $0 == "." ? "_" : $0 }), type: compatible($0.type)) })
        default: return type
        }
    }

    public func decode(_ bytes: [UInt8]) throws(RecordError) -> [Value] {
        if columns.isEmpty { return [] }
        return try bytes.withUnsafeBufferPointer { (buf) throws(RecordError) -> [Value] in try decode(buf) }
    }

    public func decode(_ buf: UnsafeBufferPointer<UInt8>) throws(RecordError) -> [Value] {
        if columns.isEmpty { return [] }
        try ConfluentFraming.checkHeader(buf)
        var d = AvroDecoder(buf, position: ConfluentFraming.headerSize)
        switch readPlan {
        case .row(let plan):
            let row = try plan.readRow(&d)
            return hasDottedNames ? AvroRowCodec.restoreNames(row, columns) : row
        case .single(let node):
            let value = try node.read(&d)
            return [hasDottedNames ? AvroRowCodec.restoreNames(value, columns[0].type) : value]
        case .failure(let message):
            throw RecordError(message)
        }
    }

    public func encode(_ values: [Value]) throws(RecordError) -> [UInt8] {
        try encodePayload(values) ?? []
    }

    public func encodePayload(_ values: [Value]) throws(RecordError) -> [UInt8]? {
        guard values.count == columns.count else {
            throw RecordError("Column count mismatch on serialization. expected: \(columns.count), got: \(values.count)")
        }
        if columns.isEmpty { return nil }
        if isUnwrapped, case .null = values[0] { return nil }
        var e = AvroEncoder(capacity: 16 + 16 * columns.count)
        ConfluentFraming.appendHeader(schemaID: schemaID, to: &e.bytes)
        if isUnwrapped {
            try writePlan.write(values[0], to: &e)
        } else {
            try writePlan.writeRow(values, to: &e)
        }
        return e.bytes
    }

    /// Without leading and trailing spaces and controls (Java's `trim()`).
    private static func trimmed(_ s: String) -> String {
        let u = Array(s.utf8)
        var a = 0
        var b = u.count
        while a < b && u[a] <= 0x20 { a += 1 }
        while b > a && u[b - 1] <= 0x20 { b -= 1 }
        return String(decoding: u[a..<b], as: UTF8.self)
    }

    /// Struct values are read under their Avro-compatible names; give them back the SQL names.
    private static func restoreNames(_ row: [Value], _ columns: [Column]) -> [Value] {
        var out = row
        for i in 0..<out.count { out[i] = restoreNames(out[i], columns[i].type) }
        return out
    }

    private static func restoreNames(_ value: Value, _ type: SQLType) -> Value {
        guard hasDottedField(type) else { return value }
        switch (value, type) {
        case (.array(let items), .array(let e)): return .array(items.map { restoreNames($0, e) })
        case (.map(let entries), .map(_, let v)):
            return .map(entries.map { MapEntry(key: $0.key, value: restoreNames($0.value, v)) })
        case (.structure(let entries), .structure(let fields)) where entries.count == fields.count:
            return .structure((0..<entries.count).map { StructEntry(name: fields[$0].name, value: restoreNames(entries[$0].value, fields[$0].type)) })
        default: return value
        }
    }

    private static func hasDottedField(_ type: SQLType) -> Bool {
        switch type {
        case .array(let e): hasDottedField(e)
        case .map(_, let v): hasDottedField(v)
        case .structure(let fields): fields.contains { $0.name.contains(".") || hasDottedField($0.type) }
        default: false
        }
    }
}
