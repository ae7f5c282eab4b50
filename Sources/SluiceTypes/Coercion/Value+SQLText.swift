extension Value {
    /// The value as ksqlDB shows it in a CLI table cell: strings as they are, DOUBLE as Java's
    /// `Double.toString` (`1.0E10`, `0.001`), DECIMAL as `BigDecimal.toString()` with its scale
    /// (`10.50`), DATE `2020-01-01`, TIME `00:00:01.5`, TIMESTAMP `2020-01-01T00:00:00.000` (UTC),
    /// BYTES as Base64, NULL as `null`, arrays, maps and structs as compact JSON.
    public var sqlText: String {
        switch self {
        case .null: "null"
        case .boolean(let b): b ? "true" : "false"
        case .integer(let v): String(v)
        case .bigint(let v): String(v)
        case .double(let d): JavaDoubleFormat.string(d)
        case .decimal(let d): d.javaString
        case .string(let s): s
        case .bytes(let b): Base64.encode(b)
        case .date(let days): TemporalText.date(days: Int64(days))
        case .time(let ms): TemporalText.time(millis: Int64(ms))
        case .timestamp(let ms): TemporalText.timestamp(millis: ms)
        case .array, .map, .structure: JSONWriter.string(jsonValue)
        }
    }
}
