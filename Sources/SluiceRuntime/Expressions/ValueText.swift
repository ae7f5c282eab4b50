import SluiceTypes

/// The text `CAST(value AS STRING)` gives: Java's `toString` of the value ksqlDB holds. Scalars
/// read as the shell shows them (``Value/sqlText``); containers differ: `[1, 2]`, `{k=v}`,
/// `Struct{A=1}`.
enum ValueText {
    static func render(_ v: Value) -> String {
        switch v {
        case .array(let items): return "[" + items.map(render).joined(separator: ", ") + "]"
        case .map(let entries): return "{" + entries.map { "\(render($0.key))=\(render($0.value))" }.joined(separator: ", ") + "}"
        case .structure(let entries):
            return "Struct{" + entries.filter { !$0.value.isNull }.map { "\($0.name)=\(render($0.value))" }.joined(separator: ",") + "}"
        default: return v.sqlText
        }
    }
}
