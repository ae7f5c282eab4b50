/// A strict RFC 8259 parser from UTF-8 bytes to `JSONValue`.
///
/// Rejects comments, trailing commas, leading zeros, `NaN`, unescaped control characters and
/// invalid UTF-8; errors carry the byte offset. A leading UTF-8 byte order mark is skipped.
public struct JSONParser: Sendable {
    /// Jackson's default nesting limit.
    public static let defaultMaxDepth = 1000

    public var maxDepth: Int
    /// Whether bytes after the first value are ignored (Jackson's `readTree` ignores them) rather
    /// than rejected.
    public var allowTrailingContent: Bool

    public init(maxDepth: Int = JSONParser.defaultMaxDepth, allowTrailingContent: Bool = false) {
        self.maxDepth = maxDepth
        self.allowTrailingContent = allowTrailingContent
    }

    public func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (buf) throws(JSONParseError) -> JSONValue in try parse(buf) }
    }

    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    public func parse(_ buffer: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        try parse(buffer.assumingMemoryBound(to: UInt8.self))
    }

    public func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        var cursor = JSONCursor(buffer, maxDepth: maxDepth)
        cursor.skipByteOrderMark()
        cursor.skipWhitespace()
        let value = try cursor.parseValue()
        if !allowTrailingContent {
            cursor.skipWhitespace()
            if !cursor.atEnd { throw cursor.unexpected("the end of input after the JSON value") }
        }
        return value
    }

    /// Parses with the default settings.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try JSONParser().parse(bytes)
    }

    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try JSONParser().parse(text)
    }
}
