/// Turns an ``SQLError`` into the text every door shows (shell, `sluice run`, `sluice fmt`, tests).
///
/// ```
/// error: hot.sql:3:8: unknown column 'valeu' in stream READINGS
///   3 | SELECT valeu FROM readings EMIT CHANGES;
///     |        ^^^^^ did you mean 'VALUE'?
/// ```
///
/// The carets cover the whole range on its first line (an empty range, such as the end of the
/// statement, gets one caret). When the range spans several lines, every line is shown, numbered,
/// with carets under the covered part of each.
public enum DiagnosticRenderer {
    /// Renders one error: the header line, then the source lines with carets and the help text.
    public static func render(_ error: SQLError, fileName: String? = nil) -> String {
        let diagnostic = error.diagnostic
        let severity = diagnostic.category == .internalBug ? "internal error" : "error"
        guard let range = diagnostic.range, range != .none || !error.source.isEmpty else {
            var text = "\(severity): "
            if let fileName { text += "\(fileName): " }
            text += diagnostic.message
            if let help = diagnostic.help { text += "\n  help: \(help)" }
            return text
        }
        let locator = SourceLocator(error.source)
        let (line, column) = locator.lineAndColumn(of: range.start)
        var text = "\(severity): "
        if let fileName { text += "\(fileName):" }
        text += "\(line):\(column): \(diagnostic.message)"

        let lastLine = Swift.max(line, locator.lineAndColumn(of: Swift.max(range.start, range.end - 1)).line)
        let shownLast = Swift.min(lastLine, line + 5)
        let gutterWidth = String(shownLast).count
        for current in line...shownLast {
            let number = String(current)
            let padding = String(repeating: " ", count: gutterWidth - number.count)
            text += "\n  \(padding)\(number) | \(locator.lineText(current))"
            let lineStart = current == line ? range.start : locator.lineStart(current)
            let lineStop = Swift.min(range.end, locator.lineEnd(current))
            let indent = locator.lineAndColumn(of: lineStart).column - 1
            let width = Swift.max(1, locator.scalarCount(from: lineStart, to: lineStop))
            text += "\n  \(String(repeating: " ", count: gutterWidth)) | "
            text += String(repeating: " ", count: indent) + String(repeating: "^", count: width)
            if current == shownLast, let help = diagnostic.help { text += " \(help)" }
        }
        return text
    }
}
