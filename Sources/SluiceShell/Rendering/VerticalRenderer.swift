/// Prints rows one field per line, the way psql's expanded mode (`\x`) does:
///
/// ```
/// -[ RECORD 1 ]+--------
/// ID           | 1
/// NAME         | sensor-1
/// ```
///
/// Used when a table would be wider than the terminal: a row with many or long columns stays
/// readable instead of wrapping into a mess. A value wider than the room left wraps onto
/// continuation lines (`             | ...`), so nothing is cut.
struct VerticalRenderer {
    /// The terminal's width, or nil to never wrap values.
    var width: Int?

    func render(headers: [String], rows: [[String]], firstNumber: Int = 1) -> [String] {
        var lines: [String] = []
        for (index, row) in rows.enumerated() {
            lines += record(headers: headers, row: row, number: firstNumber + index)
        }
        return lines
    }

    /// The lines of one record.
    func record(headers: [String], row: [String], number: Int) -> [String] {
        let columns = max(headers.count, row.count)
        let names = (0..<columns).map { $0 < headers.count ? headers[$0] : "column \($0 + 1)" }
        let labelWidth = max(1, names.map(displayWidth).max() ?? 1)
        let valueWidth = width.map { max(8, $0 - labelWidth - 3) }
        let title = "-[ RECORD \(number) ]"
        var header = title + String(repeating: "-", count: max(0, labelWidth + 1 - displayWidth(title)))
        header += "+" + String(repeating: "-", count: max(1, min(valueWidth ?? 8, 8)))
        var lines = [header]
        let wrapper = TableRenderer()
        for (index, name) in names.enumerated() {
            let value = index < row.count ? row[index] : ""
            let pieces = valueWidth.map { wrapper.wrap(value, width: $0) }
                ?? value.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let label = name + String(repeating: " ", count: labelWidth - displayWidth(name))
            let blank = String(repeating: " ", count: labelWidth)
            for (lineIndex, piece) in (pieces.isEmpty ? [""] : pieces).enumerated() {
                lines.append((lineIndex == 0 ? label : blank) + " | " + piece)
            }
        }
        return lines
    }
}
