/// Draws one edited line on a single terminal row, scrolling sideways when it is wider than the
/// terminal.
///
/// One row whatever the line's length keeps a redraw a matter of `\r`, the text and "erase to end
/// of line", which stays right when the terminal is resized (a wrapped line would leave stale rows
/// that depend on the old width). The window keeps the cursor visible and the row full.
///
/// Each character takes one cell: a newline (from a paste) shows as `↵`, a tab as a space, other
/// control characters as `?`, so nothing written can move the terminal's cursor unexpectedly.
struct LineView {
    /// The first character shown.
    private(set) var scroll = 0

    /// The bytes that redraw the row: the prompt (cut if the terminal is narrower than it), the
    /// visible part of `characters`, and the cursor put back at `cursor`.
    mutating func render(prompt: String, characters: [Character], cursor: Int, width: Int) -> String {
        let width = max(1, width)
        var shownPrompt = prompt
        // One column stays free so the cursor never sits past the last column (no auto-wrap).
        var room = width - displayWidth(prompt) - 1
        if room < 4 {
            // A terminal narrower than the prompt: give the line the whole row.
            shownPrompt = ""
            room = max(1, width - 1)
        }
        let cursor = min(max(0, cursor), characters.count)
        if cursor < scroll { scroll = cursor }
        if cursor > scroll + room { scroll = cursor - room }
        if characters.count - scroll < room { scroll = max(0, characters.count - room) }
        scroll = min(scroll, cursor)
        let visibleEnd = min(characters.count, scroll + room)
        var text = "\r" + shownPrompt
        for character in characters[scroll..<visibleEnd] { text.append(Self.cell(character)) }
        text += "\u{1B}[K"
        let back = visibleEnd - cursor
        if back > 0 { text += "\u{1B}[\(back)D" }
        return text
    }

    /// What one character shows as.
    static func cell(_ character: Character) -> Character {
        switch character {
        case "\n", "\r\n", "\r": return "↵"
        case "\t": return " "
        default:
            if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
                scalar.value < 32 || scalar.value == 127
            {
                return "?"
            }
            return character
        }
    }
}
