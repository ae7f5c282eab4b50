import SluiceTypes

/// What executing one statement produced, for the shell, `sluice run` and tests to render.
public enum StatementResult: Sendable {
    /// A one-line confirmation such as "Created query with ID CSAS_HOT_1".
    case message(String)
    /// A finished listing: `SHOW`, `DESCRIBE`, `EXPLAIN`, a pull query.
    case table(ResultTable)
    /// Rows that keep arriving: a push query (`SELECT ... EMIT CHANGES`) or `PRINT`.
    case stream(PushQueryHandle)
}

/// A rectangular result, already rendered to text cell by cell.
public struct ResultTable: Sendable, Hashable {
    public var title: String?
    public var headers: [String]
    public var rows: [[String]]
    /// Lines printed after the table (e.g. DESCRIBE's "For runtime statistics ..." hint).
    public var footer: [String]

    public init(title: String? = nil, headers: [String], rows: [[String]], footer: [String] = []) {
        self.title = title
        self.headers = headers
        self.rows = rows
        self.footer = footer
    }
}

/// One event of a streaming result.
public enum PushEvent: Sendable, Hashable {
    /// One row, its cells rendered to text (PRINT gives one cell holding the whole line).
    case row([String])
    /// Nothing new arrived before the timeout; the query is still running.
    case waiting
    /// The query ended (its LIMIT was reached, it was cancelled, or its source was dropped);
    /// the string says why, or is nil for a normal end.
    case end(String?)
}
