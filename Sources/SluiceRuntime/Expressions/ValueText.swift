import SluiceTypes

/// The text ksqlDB gives a value in `CAST(... AS STRING)` and in the shell's result tables:
/// Java's `toString` of the value ksqlDB holds.
public enum ValueText {
    public static func render(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .boolean(let b): return b ? "true" : "false"
        case .integer(let x): return String(x)
        case .bigint(let x): return String(x)
        case .double(let x): return JavaDoubleFormat.string(x)
        case .decimal(let d): return DecimalOps.text(d)
        case .string(let s): return s
        case .bytes(let b): return Base64.encode(b)
        case .date(let d): return TemporalText.date(days: Int64(d))
        case .time(let t): return TemporalText.time(millis: Int64(t))
        case .timestamp(let ms): return TemporalText.timestamp(millis: ms)
        case .array(let items): return "[" + items.map(render).joined(separator: ", ") + "]"
        case .map(let entries): return "{" + entries.map { "\(render($0.key))=\(render($0.value))" }.joined(separator: ", ") + "}"
        case .structure(let entries):
            return "Struct{" + entries.filter { !$0.value.isNull }.map { "\($0.name)=\(render($0.value))" }.joined(separator: ",") + "}"
        }
    }
}

