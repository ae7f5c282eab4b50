/// A half-open range of UTF-8 byte offsets into the statement text it came from.
///
/// Line and column are computed only when a diagnostic is rendered (see ``SourceLocator``), so
/// tokens and AST nodes stay two integers wide.
public struct SourceRange: Hashable, Sendable, Codable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// A range that carries no position (nodes built by the planner rather than parsed).
    public static let none = SourceRange(start: 0, end: 0)

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(start: Swift.min(start, other.start), end: Swift.max(end, other.end))
    }
}
