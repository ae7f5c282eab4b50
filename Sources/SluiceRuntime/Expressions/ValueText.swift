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

/// Parsing of ISO-8601 temporal text (UTC), for casts from STRING.
enum TemporalParsing {
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
    static func parseDate(_ s: String) -> Int32? {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let y = Int64(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        return Int32(TemporalText.days(year: y, month: m, day: d))
    }

    static func parseTime(_ s: String) -> Int32? {
        let main = s.split(separator: ".", maxSplits: 1)
        let hms = main[0].split(separator: ":")
        guard hms.count >= 2, hms.count <= 3, let h = Int32(hms[0]), let m = Int32(hms[1]) else { return nil }
        let sec = hms.count == 3 ? Int32(hms[2]) : 0
        guard let sec, h < 24, m < 60, sec < 60 else { return nil }
        var ms: Int32 = 0
        if main.count == 2 {
            let digits = String(main[1].prefix(3))
            guard let f = Int32(digits) else { return nil }
            ms = f * (digits.count == 1 ? 100 : digits.count == 2 ? 10 : 1)
        }
        return ((h * 60 + m) * 60 + sec) * 1000 + ms
    }

    /// `yyyy-MM-ddTHH:mm:ss[.SSS]` with an optional `Z` or `±HH:mm` offset; a bare date is midnight.
    static func parseTimestamp(_ s: String) -> Int64? {
        var text = Substring(s)
        var offsetMs: Int64 = 0
        if text.hasSuffix("Z") {
            text = text.dropLast()
        } else if text.count > 6, let signIndex = text.index(text.endIndex, offsetBy: -6, limitedBy: text.startIndex),
            text[signIndex] == "+" || text[signIndex] == "-", text.contains("T")
        {
            let offset = text[text.index(after: signIndex)...].split(separator: ":")
            if offset.count == 2, let h = Int64(offset[0]), let m = Int64(offset[1]) {
                offsetMs = (h * 60 + m) * 60_000 * (text[signIndex] == "-" ? -1 : 1)
                text = text[..<signIndex]
            }
        }
        let parts = text.split(separator: "T", maxSplits: 1)
        guard let d = parseDate(String(parts[0])) else { return nil }
        var t: Int32 = 0
        if parts.count == 2 {
            guard let parsed = parseTime(String(parts[1])) else { return nil }
            t = parsed
        }
        return Int64(d) * 86_400_000 + Int64(t) - offsetMs
    }
}
