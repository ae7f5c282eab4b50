/// Splits the first record of DELIMITED bytes into fields the way Apache Commons CSV's
/// `CSVFormat.DEFAULT` (with a custom delimiter) does for ksqlDB:
/// - a field starting with `"` is quoted: `""` inside is one quote, line breaks and delimiters are
///   literal, and after the closing quote only whitespace may come before the delimiter or the end;
/// - any other field runs to the next delimiter or line break, quotes included as they are;
/// - empty lines before the record are skipped; records after the first are checked and ignored.
struct CSVRecordParser {
    let delimiter: UInt8

    struct Field {
        var start: Int
        var end: Int
        /// Quoted with doubled quotes inside: the content needs `""` → `"`.
        var hasEscapedQuotes: Bool
    }

    /// The fields of the first record; empty when there is no record at all.
    func firstRecord(_ buf: UnsafeBufferPointer<UInt8>) throws(RecordError) -> [Field] {
        var pos = 0
        let first = try record(buf, at: &pos)
        // ksqlDB parses every record before taking the first: later malformed ones still fail.
        while pos < buf.count { _ = try record(buf, at: &pos) }
        return first
    }

    private func isLineBreak(_ c: UInt8) -> Bool { c == 0x0A || c == 0x0D }

    /// Commons CSV's whitespace between a closing quote and the delimiter (Java's
    /// `Character.isWhitespace`, ASCII part), never the delimiter itself.
    private func isWhitespace(_ c: UInt8) -> Bool {
        c != delimiter && (c == 0x20 || c == 0x09 || c == 0x0B || c == 0x0C || (c >= 0x1C && c <= 0x1F))
    }

    private func record(_ buf: UnsafeBufferPointer<UInt8>, at pos: inout Int) throws(RecordError) -> [Field] {
        let n = buf.count
        while pos < n && isLineBreak(buf[pos]) { pos += 1 }
        if pos >= n { return [] }
        var fields: [Field] = []
        while true {
            if pos < n && buf[pos] == 0x22 {
                let open = pos
                pos += 1
                let start = pos
                var escaped = false
                while true {
                    guard pos < n else {
                        throw RecordError("Error deserializing delimited: EOF reached before encapsulated token finished (quote at byte \(open))")
                    }
                    if buf[pos] == 0x22 {
                        if pos + 1 < n && buf[pos + 1] == 0x22 {
                            escaped = true
                            pos += 2
                            continue
                        }
                        break
                    }
                    pos += 1
                }
                fields.append(Field(start: start, end: pos, hasEscapedQuotes: escaped))
                pos += 1
                while pos < n && isWhitespace(buf[pos]) { pos += 1 }
                if pos < n && buf[pos] != delimiter && !isLineBreak(buf[pos]) {
                    throw RecordError("Error deserializing delimited: invalid char between encapsulated token and delimiter at byte \(pos)")
                }
            } else {
                let start = pos
                while pos < n && buf[pos] != delimiter && !isLineBreak(buf[pos]) { pos += 1 }
                fields.append(Field(start: start, end: pos, hasEscapedQuotes: false))
            }
            if pos >= n { return fields }
            if buf[pos] == delimiter {
                pos += 1
                continue
            }
            // Line break: CR LF counts as one.
            if buf[pos] == 0x0D && pos + 1 < n && buf[pos + 1] == 0x0A { pos += 1 }
            pos += 1
            return fields
        }
    }
}
