/// A name as written in SQL, already case-normalised.
///
/// Unquoted identifiers are upper-cased (ksqlDB's rule); back-quoted ones keep their case.
/// Equality is on the normalised ``value``; ``range`` is ignored so that ASTs compare equal across
/// a format/parse round trip.
public struct Identifier: Hashable, Sendable, CustomStringConvertible {
    public var value: String
    /// True when the source wrote it in back-quotes (the formatter keeps the quotes).
    public var quoted: Bool
    public var range: SourceRange

    public init(_ value: String, quoted: Bool = false, range: SourceRange = .none) {
        self.value = value
        self.quoted = quoted
        self.range = range
    }

    public var description: String { value }

    public static func == (lhs: Identifier, rhs: Identifier) -> Bool { lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
