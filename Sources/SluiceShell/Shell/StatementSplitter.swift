/// Finds where statements end in SQL text: at each `;` outside quotes and comments.
///
/// Single-quoted strings (with `''` escapes), double-quoted and back-quoted identifiers, `--` line
/// comments and `/* */` block comments are skipped, so a `;` inside any of them does not end a
/// statement. The splitter only cuts; the engine's parser judges each piece.
public struct StatementSplitter {
    /// One complete statement: its text without the `;`, and where it starts in the script.
    public struct Piece: Equatable, Sendable {
        public var text: String
        /// UTF-8 offset of the statement's first byte in the text that was split.
        public var offset: Int
    }

    /// Splits `script` into complete statements and the unfinished text after the last `;`.
    ///
    /// Pieces holding only whitespace and comments (such as the gap in `a;;b`) are dropped.
    public static func split(_ script: String) -> (statements: [Piece], remainder: String, remainderOffset: Int) {
        let bytes = Array(script.utf8)
        var pieces: [Piece] = []
        var start = 0
        var i = 0
        var quote: UInt8? = nil
        var inLineComment = false
        var inBlockComment = false
        while i < bytes.count {
            let byte = bytes[i]
            let next: UInt8? = i + 1 < bytes.count ? bytes[i + 1] : nil
            if inLineComment {
                if byte == UInt8(ascii: "\n") { inLineComment = false }
            } else if inBlockComment {
                if byte == UInt8(ascii: "*") && next == UInt8(ascii: "/") {
                    inBlockComment = false
                    i += 1
                }
            } else if let open = quote {
                if byte == open {
                    if next == open {
                        i += 1  // doubled quote: an escaped quote character
                    } else {
                        quote = nil
                    }
                }
            } else {
                switch byte {
                case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                    quote = byte
                case UInt8(ascii: "-") where next == UInt8(ascii: "-"):
                    inLineComment = true
                    i += 1
                case UInt8(ascii: "/") where next == UInt8(ascii: "*"):
                    inBlockComment = true
                    i += 1
                case UInt8(ascii: ";"):
                    let first = skipBlank(bytes, from: start, to: i)
                    if first < i {
                        var last = i
                        while last > first, isSpace(bytes[last - 1]) { last -= 1 }
                        pieces.append(Piece(text: String(decoding: bytes[first..<last], as: UTF8.self), offset: first))
                    }
                    start = i + 1
                default:
                    break
                }
            }
            i += 1
        }
        let remainderStart = skipBlank(bytes, from: start, to: bytes.count)
        let remainder = String(decoding: bytes[remainderStart...], as: UTF8.self)
        return (pieces, remainder, remainderStart)
    }

    /// True if `text` holds nothing but whitespace and comments.
    public static func isBlank(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return skipBlank(bytes, from: 0, to: bytes.count) == bytes.count
    }

    /// The first offset in `start..<end` that is not whitespace or inside a comment (`end` if none).
    static func skipBlank(_ bytes: [UInt8], from start: Int, to end: Int) -> Int {
        var i = start
        while i < end {
            let byte = bytes[i]
            let next: UInt8? = i + 1 < end ? bytes[i + 1] : nil
            if isSpace(byte) {
                i += 1
            } else if byte == UInt8(ascii: "-") && next == UInt8(ascii: "-") {
                while i < end && bytes[i] != UInt8(ascii: "\n") { i += 1 }
            } else if byte == UInt8(ascii: "/") && next == UInt8(ascii: "*") {
                let opening = i
                i += 2
                while i < end && !(bytes[i] == UInt8(ascii: "*") && i + 1 < end && bytes[i + 1] == UInt8(ascii: "/")) {
                    i += 1
                }
                // An unterminated comment is not blank: the shell keeps reading until it closes.
                if i >= end { return opening }
                i += 2
            } else {
                return i
            }
        }
        return end
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }
}
