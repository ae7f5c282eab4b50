/// One key press, decoded from the bytes a terminal sends in raw mode (see ``KeyDecoder``).
enum Key: Equatable {
    case character(Character)
    case enter
    case backspace
    case delete
    case left, right, up, down
    case home, end
    case wordLeft, wordRight
    /// Ctrl-K, Ctrl-U, Ctrl-W, Alt-D.
    case killToEnd, killToStart, killWordBefore, killWordAfter
    case tab
    /// Ctrl-R: reverse incremental search through history.
    case reverseSearch
    /// Ctrl-G: leave a search, restoring the line.
    case cancel
    /// A lone Escape (no sequence followed in time).
    case escape
    case interrupt  // Ctrl-C
    case endOfInput  // Ctrl-D
    case clearScreen  // Ctrl-L
    case swapCharacters  // Ctrl-T
    /// Bracketed paste markers, `ESC[200~` and `ESC[201~`; between them text is inserted literally.
    case pasteStart, pasteEnd
    /// The terminal changed size (SIGWINCH): only a redraw.
    case resize
    /// Any sequence the editor does not use: unknown escapes, stray control bytes, bad UTF-8.
    case ignored
}
