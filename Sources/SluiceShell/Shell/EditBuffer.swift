/// The text being edited and the cursor in it: a value type whose mutating methods apply one
/// editing key.
///
/// Kept apart from the terminal so its behaviour can be reasoned about (and tested) without one;
/// ``EditorState`` adds history, search and completion on top, and ``LineEditor`` does the I/O.
struct EditBuffer: Equatable {
    var characters: [Character] = []
    /// 0...characters.count
    var cursor = 0

    var text: String { String(characters) }

    init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    init(_ text: String, cursor: Int) {
        characters = Array(text)
        self.cursor = min(max(0, cursor), characters.count)
    }

    mutating func insert(_ character: Character) {
        characters.insert(character, at: cursor)
        cursor += 1
    }

    /// Replaces `range` (clamped to the text) with `text` and puts the cursor after it.
    mutating func replace(_ range: Range<Int>, with text: String) {
        let lower = min(max(0, range.lowerBound), characters.count)
        let upper = min(max(lower, range.upperBound), characters.count)
        let inserted = Array(text)
        characters.replaceSubrange(lower..<upper, with: inserted)
        cursor = lower + inserted.count
    }

    /// Applies an editing or movement key; keys that are not about the text do nothing.
    mutating func apply(_ key: Key) {
        switch key {
        case .character(let c): insert(c)
        case .backspace:
            if cursor > 0 {
                characters.remove(at: cursor - 1)
                cursor -= 1
            }
        case .delete:
            if cursor < characters.count { characters.remove(at: cursor) }
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home: cursor = 0
        case .end: cursor = characters.count
        case .wordLeft: cursor = wordStart(before: cursor)
        case .wordRight: cursor = wordEnd(after: cursor)
        case .killToEnd: characters.removeSubrange(cursor...)
        case .killToStart:
            characters.removeSubrange(..<cursor)
            cursor = 0
        case .killWordBefore:
            // Ctrl-W as in a shell: back over blanks, then over everything up to the previous blank.
            var start = cursor
            while start > 0 && characters[start - 1].isWhitespace { start -= 1 }
            while start > 0 && !characters[start - 1].isWhitespace { start -= 1 }
            characters.removeSubrange(start..<cursor)
            cursor = start
        case .killWordAfter:
            // Alt-D as in readline: to the end of the next word.
            let end = wordEnd(after: cursor)
            characters.removeSubrange(cursor..<end)
        case .swapCharacters:
            guard characters.count >= 2, cursor > 0 else { return }
            let at = cursor == characters.count ? cursor - 1 : cursor
            characters.swapAt(at - 1, at)
            cursor = min(characters.count, at + 1)
        case .enter, .up, .down, .interrupt, .endOfInput, .clearScreen, .ignored, .tab, .reverseSearch, .cancel,
            .escape, .pasteStart, .pasteEnd, .resize:
            break
        }
    }

    /// Where the word before `index` starts (skipping non-word characters first), as Alt-B moves.
    func wordStart(before index: Int) -> Int {
        var i = index
        while i > 0 && !Self.isWordCharacter(characters[i - 1]) { i -= 1 }
        while i > 0 && Self.isWordCharacter(characters[i - 1]) { i -= 1 }
        return i
    }

    /// Where the word after `index` ends (skipping non-word characters first), as Alt-F moves.
    func wordEnd(after index: Int) -> Int {
        var i = index
        while i < characters.count && !Self.isWordCharacter(characters[i]) { i += 1 }
        while i < characters.count && Self.isWordCharacter(characters[i]) { i += 1 }
        return i
    }

    static func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
}
