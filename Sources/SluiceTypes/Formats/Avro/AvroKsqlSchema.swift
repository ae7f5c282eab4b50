/// The Avro schema ksqlDB derives for a list of columns and registers for a topic (ksqlDB's
/// `AvroSchemas.getAvroCompatibleConnectSchema`, then Connect's `AvroData.fromConnectSchema`
/// with `connect.meta.data=false`):
///
/// - Wrapped: a record named `KsqlDataSourceSchema` in namespace `io.confluent.ksql.avro_schemas`
///   (or the `*_SCHEMA_FULL_NAME` given) with one field per column. Unwrapped (single keys, or
///   `WRAP_SINGLE_VALUE=false`): the bare schema of the column. The top level is never optional.
/// - Everything below the top level is optional: `["null", T]` with default null (array items,
///   map values, struct fields included).
/// - STRUCT is a record named after its path: `KsqlDataSourceSchema_COL`, `..._COL_FIELD`.
/// - ARRAY is an Avro array; array elements share the array's name.
/// - MAP (ksqlDB's map keys are optional strings) is an array of records named after the map's
///   path, with fields `key` and `value` and property `connect.internal.type: MapEntry`; struct
///   values are named `..._MapValue`.
/// - DECIMAL is `bytes` with logical type decimal, DATE `int`/date, TIME `int`/time-millis,
///   TIMESTAMP `long`/timestamp-millis, BYTES `bytes`.
/// - Field names have `.` replaced with `_`, then must be valid Avro names.
extension AvroSchema {
    public static let ksqlNamespace = "io.confluent.ksql.avro_schemas"
    public static let ksqlRecordName = "KsqlDataSourceSchema"
    public static let ksqlFullName = ksqlNamespace + "." + ksqlRecordName

    /// The schema ksqlDB registers for `columns`; `unwrapped` requires exactly one column.
    public static func ksql(columns: [Column], unwrapped: Bool, fullName: String = ksqlFullName) throws(RecordError) -> AvroSchema {
        for c in columns { try checkKsqlType(c.type) }
        if unwrapped {
            guard columns.count == 1 else { throw RecordError("Unwrapped Avro schemas need exactly one column") }
            return try ksql(type: columns[0].type, context: fullName, optional: false)
        }
        return try ksql(type: .structure(columns.map { StructField(name: $0.name, type: $0.type) }), context: fullName, optional: false)
    }

    /// Types Avro cannot carry: maps with non-STRING keys (checked before anything else, as
    /// ksqlDB does when the statement is prepared), and decimals beyond Sluice's 38 digits.
    static func checkKsqlType(_ type: SQLType) throws(RecordError) {
        switch type {
        case .map(let key, let value):
            guard key == .string else { throw RecordError("Avro only supports MAPs with STRING keys") }
            try checkKsqlType(value)
        case .array(let element): try checkKsqlType(element)
        case .structure(let fields): for f in fields { try checkKsqlType(f.type) }
        case .decimal(let p, let s): try SQLDecimal.validateType(precision: p, scale: s)
        default: break
        }
    }

    private static func ksql(type: SQLType, context: String, optional: Bool) throws(RecordError) -> AvroSchema {
        let base: AvroSchema
        switch type {
        case .boolean: base = .boolean
        case .integer: base = .int
        case .bigint: base = .long
        case .double: base = .double
        case .string: base = .string
        case .bytes: base = .bytes
        case .decimal(let p, let s): base = .decimal(precision: p, scale: s)
        case .date: base = .date
        case .time: base = .timeMillis
        case .timestamp: base = .timestampMillis
        case .array(let element):
            base = .array(try ksql(type: element, context: context, optional: true))
        case .map(_, let value):
            let name = AvroName(fullName: context)
            try validateAvroName(name.name)
            let entry = AvroRecord(
                name: name,
                fields: [
                    AvroField(name: "key", schema: .optional(.string), defaultJSON: "null"),
                    AvroField(name: "value", schema: try ksql(type: value, context: context + "_MapValue", optional: true), defaultJSON: "null"),
                ],
                isMapEntry: true)
            base = .array(.record(entry))
        case .structure(let fields):
            let name = AvroName(fullName: context)
            try validateAvroName(name.name)
            var avroFields: [AvroField] = []
            for f in fields {
                let schema = try ksql(type: f.type, context: context + "_" + f.name, optional: true)
                let fieldName = String(f.name.map { $0 == "." ? "_" : $0 })
                try validateAvroName(fieldName)
                avroFields.append(AvroField(name: fieldName, schema: schema, defaultJSON: "null"))
            }
            base = .record(AvroRecord(name: name, fields: avroFields))
        }
        return optional ? .optional(base) : base
    }

    /// Avro's name rule (`Schema.validateName`): a letter or `_`, then letters, digits or `_`,
    /// with Java's `Character.isLetter`/`isLetterOrDigit` on UTF-16 units.
    static func validateAvroName(_ name: String) throws(RecordError) {
        guard !name.isEmpty else { throw RecordError("Schema is not compatible with Avro: Empty name") }
        var first = true
        for scalar in name.unicodeScalars {
            let ok: Bool
            if scalar == "_" {
                ok = true
            } else if scalar.value > 0xFFFF {
                ok = false
            } else {
                switch scalar.properties.generalCategory {
                case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: ok = true
                case .decimalNumber: ok = !first
                default: ok = false
                }
            }
            if !ok {
                throw RecordError(
                    first ? "Schema is not compatible with Avro: Illegal initial character: \(name)"
                        : "Schema is not compatible with Avro: Illegal character in: \(name)")
            }
            first = false
        }
    }
}
