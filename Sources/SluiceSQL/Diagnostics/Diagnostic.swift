/// A problem found in SQL text, with the range it points at.
///
/// The kind of a problem is kept apart from its rendering: the parser and the planner throw
/// ``SQLError`` values, and ``DiagnosticRenderer`` turns them into text for every door (shell,
/// `sluice run`, `sluice fmt`, tests).
public struct Diagnostic: Error, Hashable, Sendable {
    public enum Category: String, Hashable, Sendable {
        case syntax
        case semantic
        case notSupported = "not-supported"
        case badRecord = "bad-record"
        case io
        case internalBug = "internal"
    }

    public var category: Category
    /// A stable id such as `sql.unexpected-token`, independent of wording.
    public var id: String
    /// Lowercase, no final period, source text in single quotes.
    public var message: String
    public var range: SourceRange?
    /// Text printed after the carets on the same line (e.g. "did you mean 'VALUE'?").
    public var help: String?

    public init(category: Category, id: String, message: String, range: SourceRange? = nil, help: String? = nil) {
        self.category = category
        self.id = id
        self.message = message
        self.range = range
        self.help = help
    }
}

/// The error thrown by the front end and the planner: a diagnostic plus the text it points into.
public struct SQLError: Error, Sendable, CustomStringConvertible {
    public var diagnostic: Diagnostic
    /// The statement or script text that ``Diagnostic/range`` indexes into (UTF-8 offsets).
    public var source: String

    public init(_ diagnostic: Diagnostic, source: String) {
        self.diagnostic = diagnostic
        self.source = source
    }

    public var description: String { DiagnosticRenderer.render(self) }
}
