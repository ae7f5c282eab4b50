/// Maps UTF-8 offsets in a text to 1-based line and column numbers, and back to line text.
///
/// Built once per rendered diagnostic: tokens and AST nodes carry only offsets. Columns count
/// Unicode scalars from the start of the line, so a caret under `é` moves one column, not two.
public struct SourceLocator: Sendable {
    private let bytes: [UInt8]
    /// Offset of the first byte of each line.
    private let lineStarts: [Int]

    public init(_ text: String) {
        bytes = Array(text.utf8)
        var starts = [0]
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            starts.append(index + 1)
        }
        lineStarts = starts
    }

    /// The 1-based line and column of `offset` (clamped into the text).
    public func lineAndColumn(of offset: Int) -> (line: Int, column: Int) {
        let clamped = Swift.max(0, Swift.min(offset, bytes.count))
        let lineIndex = self.lineIndex(of: clamped)
        let column = scalarCount(from: lineStarts[lineIndex], to: clamped) + 1
        return (lineIndex + 1, column)
    }

    /// The text of a 1-based line, without its line break.
    public func lineText(_ line: Int) -> String {
        guard line >= 1 && line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start && bytes[end - 1] == 0x0D { end -= 1 }
        return String(decoding: bytes[start..<Swift.max(start, end)], as: UTF8.self)
    }

    /// Number of lines in the text (a text without a line break has one).
    public var lineCount: Int { lineStarts.count }

    /// Offset of the first byte of a 1-based line.
    func lineStart(_ line: Int) -> Int {
        guard line >= 1 && line <= lineStarts.count else { return bytes.count }
        return lineStarts[line - 1]
    }

    /// Offset one past the last byte of a 1-based line, before its line break.
    func lineEnd(_ line: Int) -> Int {
        guard line >= 1 && line <= lineStarts.count else { return bytes.count }
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > lineStarts[line - 1] && bytes[end - 1] == 0x0D { end -= 1 }
        return end
    }

    /// Number of Unicode scalars between two offsets on one line.
    func scalarCount(from start: Int, to end: Int) -> Int {
        var count = 0
        var index = start
        while index < end && index < bytes.count {
            if bytes[index] & 0xC0 != 0x80 { count += 1 }
            index += 1
        }
        return count
    }

    private func lineIndex(of offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset {
                low = middle
            } else {
                high = middle - 1
            }
        }
        return low
    }
}
