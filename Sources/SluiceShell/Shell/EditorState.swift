import Foundation

/// The line editor's state machine: the buffer, history browsing, Ctrl-R search, Tab completion and
/// bracketed paste, advanced one ``Key`` at a time.
///
/// Pure: it never touches the terminal. It returns an ``Action`` that tells ``LineEditor`` what to
/// do (redraw, submit the line, list candidates...), which is what lets the unit tests drive every
/// key without a terminal.
struct EditorState {
    enum Action: Equatable {
        /// The line (or the search prompt) changed: draw it again.
        case redraw
        /// Enter: the line is done.
        case submit(String)
        /// Ctrl-C: abandon the line.
        case interrupt
        /// Ctrl-D on an empty line.
        case endOfInput
        /// Ctrl-L: clear the screen, then draw the line.
        case clearScreen
        /// A second Tab with several candidates: show them, then draw the line.
        case list([String])
        /// Nothing changed.
        case nothing
    }

    /// A Ctrl-R search in progress.
    struct Search: Equatable {
        var query = ""
        /// The history entry shown, if any matched.
        var match: Int?
        var failed = false
        /// The line before the search, restored by Ctrl-G.
        var original: EditBuffer
    }

    private(set) var buffer = EditBuffer()
    let history: [String]
    private(set) var search: Search?
    /// True inside a bracketed paste; the editor need not redraw until it ends.
    private(set) var pasting = false
    /// Index into `history` while browsing with Up/Down; `history.count` is the line being typed.
    private var historyIndex: Int
    /// The line being typed before browsing started.
    private var draft = EditBuffer()
    private var consecutiveTabs = 0

    init(history: [String], text: String = "") {
        self.history = history
        historyIndex = history.count
        buffer = EditBuffer(text)
    }

    /// The prompt to show in place of the normal one (during a search), or nil.
    var promptOverride: String? {
        guard let search else { return nil }
        return "(\(search.failed ? "failed " : "")reverse-i-search)`\(search.query)': "
    }

    /// Applies one key. `complete` is asked for candidates when Tab is pressed.
    mutating func handle(_ key: Key, complete: (EditBuffer) -> Completion) -> Action {
        if key != .tab { consecutiveTabs = 0 }
        if search != nil { return handleSearching(key, complete: complete) }
        switch key {
        case .enter:
            return .submit(buffer.text)
        case .interrupt:
            return .interrupt
        case .endOfInput:
            if buffer.characters.isEmpty { return .endOfInput }
            buffer.apply(.delete)
            return .redraw
        case .up:
            guard historyIndex > 0 else { return .nothing }
            if historyIndex == history.count { draft = buffer }
            historyIndex -= 1
            buffer = EditBuffer(history[historyIndex])
            return .redraw
        case .down:
            guard historyIndex < history.count else { return .nothing }
            historyIndex += 1
            buffer = historyIndex == history.count ? draft : EditBuffer(history[historyIndex])
            return .redraw
        case .clearScreen:
            return .clearScreen
        case .reverseSearch:
            search = Search(original: buffer)
            return .redraw
        case .tab:
            consecutiveTabs += 1
            return completeWord(complete(buffer))
        case .pasteStart:
            pasting = true
            return .nothing
        case .pasteEnd:
            pasting = false
            return .redraw
        case .resize:
            return .redraw
        case .cancel, .escape, .ignored:
            return .nothing
        default:
            let before = buffer
            buffer.apply(key)
            return buffer == before ? .nothing : .redraw
        }
    }

    // MARK: - Completion

    private mutating func completeWord(_ completion: Completion) -> Action {
        let candidates = completion.candidates
        let start = min(completion.start, buffer.cursor)
        guard !candidates.isEmpty else { return .nothing }
        let typed = String(buffer.characters[start..<buffer.cursor])
        if candidates.count == 1 {
            buffer.replace(start..<buffer.cursor, with: candidates[0].text + candidates[0].suffix)
            consecutiveTabs = 0
            return .redraw
        }
        let common = completion.commonPrefix
        if common.count > typed.count {
            buffer.replace(start..<buffer.cursor, with: common)
            return .redraw
        }
        return consecutiveTabs >= 2 ? .list(candidates.map(\.text)) : .nothing
    }

    // MARK: - Reverse search

    private mutating func handleSearching(_ key: Key, complete: (EditBuffer) -> Completion) -> Action {
        guard var current = search else { return .nothing }
        switch key {
        case .character(let c):
            current.query.append(c)
            find(&current, from: current.match ?? history.count - 1)
        case .backspace:
            guard !current.query.isEmpty else { return .nothing }
            current.query.removeLast()
            current.match = nil
            find(&current, from: history.count - 1)
        case .reverseSearch:
            guard !current.query.isEmpty else { return .nothing }
            find(&current, from: (current.match ?? history.count) - 1)
        case .cancel:
            buffer = current.original
            search = nil
            return .redraw
        case .interrupt:
            search = nil
            return .interrupt
        case .resize, .ignored, .pasteStart, .pasteEnd:
            return key == .resize ? .redraw : .nothing
        case .enter:
            search = nil
            return .submit(buffer.text)
        default:
            // Any other key accepts the match as the line and then does what it does.
            search = nil
            let action = handle(key, complete: complete)
            return action == .nothing ? .redraw : action
        }
        search = current
        return .redraw
    }

    /// Shows the newest entry at or before `index` that contains the query (ignoring case), with
    /// the cursor where the query starts in it; marks the search failed if there is none.
    private mutating func find(_ current: inout Search, from index: Int) {
        guard !current.query.isEmpty else {
            current.failed = false
            return
        }
        var i = min(index, history.count - 1)
        while i >= 0 {
            let entry = history[i]
            if let range = entry.range(of: current.query, options: .caseInsensitive) {
                current.match = i
                current.failed = false
                buffer = EditBuffer(entry, cursor: entry.distance(from: entry.startIndex, to: range.lowerBound))
                return
            }
            i -= 1
        }
        current.failed = true
    }
}
