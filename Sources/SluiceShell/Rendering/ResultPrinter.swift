import SluiceEngine
import SluiceSQL

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
/// stays clean when redirected. Streamed rows are flushed one by one.
public final class ResultPrinter {
    public let output: TextOutput
    public let errors: TextOutput
    public var renderer = TableRenderer()
    /// Counts Ctrl-C presses; a push query ends when the count moves past the value seen at its start.
    public let signals: SignalWatcher?
    /// Print "Press CTRL-C to interrupt" above push queries.
    public var showsInterruptHint = false

    public init(output: TextOutput, errors: TextOutput, signals: SignalWatcher?) {
        self.output = output
        self.errors = errors
        self.signals = signals
    }

    public func print(_ result: StatementResult, policy: PushWaitPolicy) throws {
        switch result {
        case .message(let text):
            // Statements with nothing to say (INSERT ... VALUES) return an empty message.
            if !text.isEmpty { output.line(text) }
        case .table(let table):
            printTable(table)
        case .stream(let handle):
            try printStream(handle, policy: policy)
        }
        output.flush()
    }

    public func printTable(_ table: ResultTable) {
        if let title = table.title { output.line(title) }
        for line in renderer.render(headers: table.headers, rows: table.rows) { output.line(line) }
        if !table.headers.isEmpty && table.rows.isEmpty { output.line("(no rows)") }
        for line in table.footer { output.line(line) }
    }

    /// Prints a push query's rows until it ends; returns the number of rows printed.
    ///
    /// Live, the columns get fixed widths up front (spread over the terminal's width) and each row
    /// is printed as it arrives. Catching up, the rows are gathered until the query has caught up
    /// and printed as one table sized to its contents.
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
            if showsInterruptHint { output.line("Press CTRL-C to interrupt") }
            let widths = renderer.streamWidths(
                headers: handle.headers, terminalWidth: Terminal.width(output.fileDescriptor))
            if tabular {
                output.line(renderer.separator(widths))
                for line in renderer.rowLines(handle.headers, widths: widths) { output.line(line) }
                output.line(renderer.separator(widths))
            }
            output.flush()
            var rows = 0
            loop: while true {
                if interrupted() {
                    handle.cancel()
                    endReason = .some("cancelled")
                    break
                }
                switch handle.next(timeout: 0.1) {
                case .row(let cells):
                    if tabular {
                        for line in renderer.rowLines(cells, widths: widths) { output.line(line) }
                    } else {
                        output.line(cells.joined(separator: " "))
                    }
                    output.flush()
                    rows += 1
                case .waiting:
                    continue loop
                case .end(let reason):
                    endReason = .some(reason)
                    break loop
                }
            }
            if tabular { output.line(renderer.separator(widths)) }
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
                for line in renderer.render(headers: handle.headers, rows: rows) { output.line(line) }
            } else {
                for row in rows { output.line(row.joined(separator: " ")) }
            }
            printEnd(endReason)
            return rows.count
        }
    }

    private func printEnd(_ endReason: String??) {
        switch endReason {
        case .some(.some("cancelled")):
            output.line("Query terminated")
        case .some(.some(let reason)):
            output.line(reason)
        default:
            break
        }
        output.flush()
    }

    /// Renders an error from executing SQL (a diagnostic with carets) or anything else.
    public func printError(_ error: any Error, fileName: String? = nil) {
        output.flush()
        if let sqlError = error as? SQLError {
            errors.line(DiagnosticRenderer.render(sqlError, fileName: fileName))
        } else {
            var text = "error: "
            if let fileName { text += "\(fileName): " }
            text += String(describing: error)
            errors.line(text)
        }
        errors.flush()
    }
}
