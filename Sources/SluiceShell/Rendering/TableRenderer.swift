/// Draws boxed ASCII tables, the way the shell shows `SHOW`, `DESCRIBE` and query rows.
///
/// ```
/// +-------------+-------------+
/// | Stream Name | Kafka Topic |
/// +-------------+-------------+
/// | HOT         | hot         |
/// +-------------+-------------+
/// ```
///
/// A finished table sizes each column to its widest cell, capped by ``maxColumnWidth``; a streamed
/// table (push query rows that keep arriving) fixes the widths from the headers up front. Cells too
/// wide for their column wrap onto extra lines inside the cell, so no value is ever cut off.
public struct TableRenderer: Sendable {
    /// The widest a column grows before its cells wrap.
    public var maxColumnWidth: Int

    public init(maxColumnWidth: Int = 60) {
        self.maxColumnWidth = max(4, maxColumnWidth)
    }

    /// The lines of a whole table, each column as wide as its widest cell (up to ``maxColumnWidth``).
    public func render(headers: [String], rows: [[String]]) -> [String] {
        render(headers: headers, rows: rows, widths: naturalWidths(headers: headers, rows: rows))
    }

    /// The table narrowed to fit `width` terminal columns, or nil when it cannot fit without
    /// squeezing a column below ``minimumFittedWidth`` (the caller then prints it vertically).
    ///
    /// Narrowing lowers one cap for all columns, so the widest columns give up room first and
    /// narrow ones keep their width; cells over the cap wrap inside their column.
    public func render(headers: [String], rows: [[String]], fitting width: Int) -> [String]? {
        let natural = naturalWidths(headers: headers, rows: rows)
        guard !natural.isEmpty else { return [] }
        func total(_ cap: Int) -> Int { natural.reduce(1) { $0 + min($1, cap) + 3 } }
        var cap = natural.max() ?? 1
        while total(cap) > width {
            guard cap > Self.minimumFittedWidth else { return nil }
            cap -= 1
        }
        return render(headers: headers, rows: rows, widths: natural.map { min($0, cap) })
    }

    /// The narrowest a column is squeezed to make a table fit the terminal.
    public static let minimumFittedWidth = 20

    /// Each column's width: its widest header or cell line, capped at ``maxColumnWidth``.
    func naturalWidths(headers: [String], rows: [[String]]) -> [Int] {
        let columns = max(headers.count, rows.map(\.count).max() ?? 0)
        guard columns > 0 else { return [] }
        var widths = Array(repeating: 1, count: columns)
        for (i, header) in headers.enumerated() { widths[i] = max(widths[i], displayWidth(header)) }
        for row in rows {
            for (i, cell) in row.enumerated() {
                let widest = cell.split(separator: "\n", omittingEmptySubsequences: false).map { displayWidth(String($0)) }.max() ?? 0
                widths[i] = max(widths[i], widest)
            }
        }
        return widths.map { min($0, maxColumnWidth) }
    }

    func render(headers: [String], rows: [[String]], widths: [Int]) -> [String] {
        guard !widths.isEmpty else { return [] }
        var lines = [separator(widths)]
        if !headers.isEmpty {
            lines += rowLines(headers, widths: widths)
            lines.append(separator(widths))
        }
        for row in rows { lines += rowLines(row, widths: widths) }
        if !rows.isEmpty { lines.append(separator(widths)) }
        return lines
    }

    /// The width of a table with these column widths, borders included.
    public func tableWidth(_ widths: [Int]) -> Int { widths.reduce(1) { $0 + $1 + 3 } }

    /// Column widths for a streamed table, fixed before any row arrives: each at least its header,
    /// and otherwise an even share of the terminal's width (12 to 32 characters), or 16 when the
    /// width is unknown. Longer cells wrap inside their column.
    public func streamWidths(headers: [String], terminalWidth: Int?) -> [Int] {
        // Wide enough for a millisecond timestamp (WINDOWSTART, ROWTIME) without wrapping.
        var minimum = 16
        if let terminalWidth, !headers.isEmpty {
            // Each column costs its width plus "| " and " ", and the table ends with "|".
            let share = (terminalWidth - 1) / headers.count - 3
            minimum = max(12, min(share, 32))
        }
        return headers.map { min(max(displayWidth($0), minimum), max(maxColumnWidth, displayWidth($0))) }
    }

    /// `+------+-----+`
    public func separator(_ widths: [Int]) -> String {
        "+" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "+"
    }

    /// The lines of one row: one unless some cell wraps or holds a newline.
    public func rowLines(_ cells: [String], widths: [Int]) -> [String] {
        let pieces: [[String]] = widths.indices.map { i in
            wrap(i < cells.count ? cells[i] : "", width: widths[i])
        }
        let height = pieces.map(\.count).max() ?? 1
        var lines: [String] = []
        for lineIndex in 0..<height {
            var line = "|"
            for (i, width) in widths.enumerated() {
                let piece = lineIndex < pieces[i].count ? pieces[i][lineIndex] : ""
                line += " " + piece + String(repeating: " ", count: max(0, width - displayWidth(piece))) + " |"
            }
            lines.append(line)
        }
        return lines
    }

    /// Splits a cell at newlines, then into pieces of at most `width` characters, breaking after a
    /// space where there is one in the piece so words stay whole.
    func wrap(_ text: String, width: Int) -> [String] {
        var result: [String] = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = Substring(rawLine.replacingTabs())
            if line.isEmpty { result.append("") }
            while !line.isEmpty {
                var chunk = line.prefix(width)
                if chunk.count < line.count, let space = chunk.lastIndex(of: " "), space > chunk.startIndex {
                    chunk = line[..<line.index(after: space)]
                }
                result.append(String(chunk.count > 1 && chunk.last == " " ? chunk.dropLast() : chunk))
                line = line.dropFirst(chunk.count)
            }
        }
        return result.isEmpty ? [""] : result
    }
}

/// The number of terminal cells a string takes, counting each character as one.
///
/// East Asian wide characters and emoji take two cells on most terminals; they are rare in query
/// output and counting them as one only misaligns the row that holds them.
func displayWidth(_ text: String) -> Int { text.count }

extension Substring {
    fileprivate func replacingTabs() -> String {
        contains("\t") ? String(map { $0 == "\t" ? " " : $0 }) : String(self)
    }
}
