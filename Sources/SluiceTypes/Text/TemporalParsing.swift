/// Parsing of ISO-8601 dates, times and timestamps (UTC unless an offset is given): what
/// `CAST(... AS TIMESTAMP)` and ksqlDB's comparison of `ROWTIME` with text accept.
public enum TemporalParsing {
    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    public static func parseDate(_ s: String) -> Int32? {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let y = Int64(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        return Int32(TemporalText.days(year: y, month: m, day: d))
    }

    public static func parseTime(_ s: String) -> Int32? {
        let main = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard !s.isEmpty, !main.isEmpty else { return nil }
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
    public static func parseTimestamp(_ s: String) -> Int64? {
        var text = Substring(s)
        var offsetMs: Int64 = 0
        if text.hasSuffix("Z") {
            text = text.dropLast()
        } else if let t = text.firstIndex(of: "T"),
            let signIndex = text[t...].lastIndex(where: { $0 == "+" || $0 == "-" }),
            let offset = parseOffsetMinutes(text[text.index(after: signIndex)...])
        {
            // A zone offset as Java's `X` pattern reads it: +hh, +hhmm or +hh:mm.
            offsetMs = offset * 60_000 * (text[signIndex] == "-" ? -1 : 1)
            text = text[..<signIndex]
        }
        let parts = text.split(separator: "T", maxSplits: 1)
        guard !parts.isEmpty, let d = parseDate(String(parts[0])) else { return nil }
        var t: Int32 = 0
        if parts.count == 2 {
            guard let parsed = parseTime(String(parts[1])) else { return nil }
            t = parsed
        }
        return Int64(d) * 86_400_000 + Int64(t) - offsetMs
    }

    /// Minutes of a zone offset without its sign: `hh`, `hhmm` or `hh:mm`.
    static func parseOffsetMinutes(_ text: Substring) -> Int64? {
        let digits = text.filter { $0 != ":" }
        guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        let colon = text.firstIndex(of: ":")
        switch digits.count {
        case 2 where colon == nil:
            return Int64(digits)! * 60
        case 4 where colon == nil || text.distance(from: text.startIndex, to: colon!) == 2:
            let h = Int64(digits.prefix(2))!, m = Int64(digits.suffix(2))!
            return m < 60 ? h * 60 + m : nil
        default:
            return nil
        }
    }
}
