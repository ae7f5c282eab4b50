import SluiceEngine
import SluiceSQL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a push query's rows are awaited.
public enum PushWaitPolicy {
    /// Rows arrive from the engine's background thread; wait until the query ends (its LIMIT, its
    /// source dropped) or the user presses Ctrl-C. Used by the interactive shell and `sluice run`.
    case live
    /// Nothing runs in the background: call `step` (the engine's `runUntilIdle`) to process every
    /// record available now, print what the query produced, and end the query once it has caught up
    /// and nothing new arrived for `quietPeriod` seconds. Used when the shell reads a pipe and by
    /// `sluice run --until-idle`, so scripts always terminate.
    case catchUp(step: () throws -> Void, quietPeriod: Double)
}

/// Renders statement results and errors to the shell's outputs.
///
/// Messages and tables go to standard output; errors go to standard error so a script's output
/// stays clean when redirected. Streamed rows are flushed one by one. Everything printed is also
/// copied to the spool file while one is open (`spool FILE` in the shell).
///
/// Tables follow ``format``: in `table` format a table wider than the terminal is first narrowed
/// (long cells wrap) and, if it still does not fit, printed as vertical records; on a pipe (no
/// terminal width) tables are never narrowed.
public final class ResultPrinter {
    public let output: TextOutput
    public let errors: TextOutput
    public var renderer = TableRenderer()
    public var format: OutputFormat = .table
    /// Counts Ctrl-C presses; a push query ends when the count moves past the value seen at its start.
    public let signals: SignalWatcher?
    /// Print "Press CTRL-C to interrupt" above push queries.
    public var showsInterruptHint = false
    /// The width tables must fit in: the terminal's, read at each table (it may have been
    /// resized), or nil when output is not a terminal.
    public var terminalWidth: () -> Int?
    /// The file output is copied to, and its path.
    public private(set) var spoolPath: String?
    private var spool: TextOutput?

    public init(output: TextOutput, errors: TextOutput, signals: SignalWatcher?) {
        self.output = output
        self.errors = errors
        self.signals = signals
        let descriptor = output.fileDescriptor
        terminalWidth = { Terminal.width(descriptor) }
    }

    deinit { stopSpooling() }

    // MARK: - Lines

    /// Prints one line of output (and spools it).
    public func line(_ text: String = "") {
        output.line(text)
        spool?.line(text)
    }

    /// Prints a line that is not a result row: as is, or as `{"message": ...}` in JSON format.
    public func message(_ text: String) {
        line(format == .json ? JSONLines.object("message", text) : text)
    }

    public func flush() {
        output.flush()
        spool?.flush()
    }

    // MARK: - Spooling

    /// Starts copying output and errors to `path` (appending; the file is created if missing).
    public func startSpooling(to path: String) throws(CommandFailure) {
        stopSpooling()
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CommandFailure("cannot open '\(path)' for spooling: \(String(cString: strerror(errno)))")
        }
        spool = TextOutput(fileDescriptor: fd)
        spoolPath = path
    }

    /// Stops spooling and closes the file; does nothing when not spooling.
    public func stopSpooling() {
        guard let spool else { return }
        spool.flush()
        close(spool.fileDescriptor)
        self.spool = nil
        spoolPath = nil
    }

    /// Copies a statement about to run into the spool, so the file reads as a transcript.
    public func spoolStatement(_ text: String) {
        spool?.line("sluice> " + text + ";")
    }

    // MARK: - Results

    public func print(_ result: StatementResult, policy: PushWaitPolicy) throws {
        switch result {
        case .message(let text):
            // Statements with nothing to say (INSERT ... VALUES) return an empty message.
            if !text.isEmpty { message(text) }
        case .table(let table):
            printTable(table)
        case .stream(let handle):
            try printStream(handle, policy: policy)
        }
        flush()
    }

    public func printTable(_ table: ResultTable) {
        if format == .json {
            for row in table.rows { line(JSONLines.row(headers: table.headers, cells: row)) }
            return
        }
        if let title = table.title { line(title) }
        for text in tableLines(headers: table.headers, rows: table.rows) { line(text) }
        if !table.headers.isEmpty && table.rows.isEmpty { line("(no rows)") }
        for text in table.footer { line(text) }
    }

    /// A finished set of rows in the current format (JSON aside): boxed, narrowed to the
    /// terminal, or vertical.
    func tableLines(headers: [String], rows: [[String]]) -> [String] {
        let width = terminalWidth()
        switch format {
        case .json:
            return rows.map { JSONLines.row(headers: headers, cells: $0) }
        case .vertical:
            return VerticalRenderer(width: width).render(headers: headers, rows: rows)
        case .table:
            guard let width, width > 0 else { return renderer.render(headers: headers, rows: rows) }
            if let fitted = renderer.render(headers: headers, rows: rows, fitting: width) { return fitted }
            return VerticalRenderer(width: width).render(headers: headers, rows: rows)
        }
    }

    /// Prints a push query's rows until it ends; returns the number of rows printed.
    ///
    /// Live, the columns get fixed widths up front (spread over the terminal's width) and each row
    /// is printed as it arrives, as a vertical record when even those widths are wider than the
    /// terminal. Catching up, the rows are gathered until the query has caught up and printed as
    /// one table sized to its contents.
    @discardableResult
    public func printStream(_ handle: PushQueryHandle, policy: PushWaitPolicy) throws -> Int {
        // PRINT (and any stream without columns) shows its lines as they are; queries get a table.
        let tabular = !handle.headers.isEmpty
        let interruptsAtStart = signals?.interruptCount ?? 0
        func interrupted() -> Bool {
            guard let signals else { return false }
            return signals.interruptCount != interruptsAtStart || signals.terminated
        }
        var endReason: String?? = nil

        switch policy {
        case .live:
            if showsInterruptHint && format != .json { line("Press CTRL-C to interrupt") }
            let width = terminalWidth()
            let widths = renderer.streamWidths(headers: handle.headers, terminalWidth: width)
            var layout = format
            if layout == .table, let width, renderer.tableWidth(widths) > width { layout = .vertical }
            let boxed = tabular && layout == .table
            if boxed {
                line(renderer.separator(widths))
                for text in renderer.rowLines(handle.headers, widths: widths) { line(text) }
                line(renderer.separator(widths))
            }
            flush()
            var rows = 0
            loop: while true {
                if interrupted() {
                    handle.cancel()
                    endReason = .some("cancelled")
                    break
                }
                switch handle.next(timeout: 0.1) {
                case .row(let cells):
                    rows += 1
                    if !tabular {
                        let text = cells.joined(separator: " ")
                        line(format == .json ? JSONLines.object("line", text) : text)
                    } else if layout == .json {
                        line(JSONLines.row(headers: handle.headers, cells: cells))
                    } else if layout == .vertical {
                        for text in VerticalRenderer(width: width).record(headers: handle.headers, row: cells, number: rows) {
                            line(text)
                        }
                    } else {
                        for text in renderer.rowLines(cells, widths: widths) { line(text) }
                    }
                    flush()
                case .waiting:
                    continue loop
                case .end(let reason):
                    endReason = .some(reason)
                    break loop
                }
            }
            if boxed { line(renderer.separator(widths)) }
            printEnd(endReason)
            return rows

        case .catchUp(let step, let quietPeriod):
            var rows: [[String]] = []
            loop: while true {
                try step()
                var sawRow = false
                // Drain what the step produced, then give late rows a short quiet period.
                drain: while true {
                    if interrupted() {
                        handle.cancel()
                        endReason = .some("cancelled")
                        break loop
                    }
                    switch handle.next(timeout: sawRow ? 0 : quietPeriod) {
                    case .row(let cells):
                        rows.append(cells)
                        sawRow = true
                    case .waiting:
                        break drain
                    case .end(let reason):
                        endReason = .some(reason)
                        break loop
                    }
                }
                if !sawRow {
                    handle.cancel()
                    endReason = .some(nil)
                    break loop
                }
            }
            if tabular {
                for text in tableLines(headers: handle.headers, rows: rows) { line(text) }
            } else {
                for row in rows {
                    let text = row.joined(separator: " ")
                    line(format == .json ? JSONLines.object("line", text) : text)
                }
            }
            printEnd(endReason)
            return rows.count
        }
    }

    private func printEnd(_ endReason: String??) {
        switch endReason {
        case .some(.some("cancelled")):
            message("Query terminated")
        case .some(.some(let reason)):
            message(reason)
        default:
            break
        }
        flush()
    }

    /// Renders an error from executing SQL (a diagnostic with carets) or anything else.
    public func printError(_ error: any Error, fileName: String? = nil) {
        flush()
        let text: String
        if let sqlError = error as? SQLError {
            text = DiagnosticRenderer.render(sqlError, fileName: fileName)
        } else {
            text = "error: " + (fileName.map { "\($0): " } ?? "") + String(describing: error)
        }
        errors.line(text)
        errors.flush()
        spool?.line(text)
        spool?.flush()
    }
}
