/// One key press, decoded from the bytes a terminal sends in raw mode.
enum Key: Equatable {
    case character(Character)
    case enter
    case backspace
    case delete
    case left, right, up, down
    case home, end
    case wordLeft, wordRight
    case killToEnd, killToStart, killWordBefore
    case interrupt  // Ctrl-C
    case endOfInput  // Ctrl-D
    case clearScreen  // Ctrl-L
    case swapCharacters  // Ctrl-T
    case ignored
}

/// The text being edited and the cursor in it: a value type whose mutating methods apply one key.
///
/// Kept apart from the terminal so its behaviour can be reasoned about (and tested) without one;
/// ``LineEditor`` does the I/O and redraws after each key.
struct EditBuffer: Equatable {
    var characters: [Character] = []
    /// 0...characters.count
    var cursor = 0

    var text: String { String(characters) }

    init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    mutating func insert(_ character: Character) {
        characters.insert(character, at: cursor)
        cursor += 1
    }

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
        case .wordLeft:
            while cursor > 0 && !isWordCharacter(characters[cursor - 1]) { cursor -= 1 }
            while cursor > 0 && isWordCharacter(characters[cursor - 1]) { cursor -= 1 }
        case .wordRight:
            while cursor < characters.count && !isWordCharacter(characters[cursor]) { cursor += 1 }
            while cursor < characters.count && isWordCharacter(characters[cursor]) { cursor += 1 }
        case .killToEnd: characters.removeSubrange(cursor...)
        case .killToStart:
            characters.removeSubrange(..<cursor)
            cursor = 0
        case .killWordBefore:
            var start = cursor
            while start > 0 && characters[start - 1] == " " { start -= 1 }
            while start > 0 && characters[start - 1] != " " { start -= 1 }
            characters.removeSubrange(start..<cursor)
            cursor = start
        case .swapCharacters:
            guard characters.count >= 2, cursor > 0 else { return }
            let at = cursor == characters.count ? cursor - 1 : cursor
            characters.swapAt(at - 1, at)
            cursor = min(characters.count, at + 1)
        case .enter, .up, .down, .interrupt, .endOfInput, .clearScreen, .ignored:
            break
        }
    }

    private func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
}

/// Decodes terminal input bytes into keys: control bytes, UTF-8 characters and the common ANSI /
/// VT100 escape sequences for arrows, Home, End and Delete.
struct KeyDecoder {
    /// Supplies the next input byte; nil at end of input.
    var nextByte: () -> UInt8?

    /// The next key, or nil at end of input.
    mutating func next() -> Key? {
        guard let byte = nextByte() else { return nil }
        switch byte {
        case 1: return .home  // Ctrl-A
        case 2: return .left  // Ctrl-B
        case 3: return .interrupt
        case 4: return .endOfInput
        case 5: return .end  // Ctrl-E
        case 6: return .right  // Ctrl-F
        case 8, 127: return .backspace
        case 9: return .character(" ")
        case 10, 13: return .enter
        case 11: return .killToEnd  // Ctrl-K
        case 12: return .clearScreen
        case 14: return .down  // Ctrl-N
        case 16: return .up  // Ctrl-P
        case 20: return .swapCharacters
        case 21: return .killToStart  // Ctrl-U
        case 23: return .killWordBefore  // Ctrl-W
        case 27: return escapeSequence()
        case 0..<32: return .ignored
        case 0x80...:
            return utf8Character(startingWith: byte)
        default:
            return .character(Character(Unicode.Scalar(byte)))
        }
    }

    private mutating func escapeSequence() -> Key {
        guard let first = nextByte() else { return .ignored }
        switch first {
        case UInt8(ascii: "["):
            // CSI: parameters (digits and ';') then one final byte.
            var parameters = ""
            while let byte = nextByte() {
                if (0x30...0x3F).contains(byte) {
                    parameters.append(Character(Unicode.Scalar(byte)))
                    continue
                }
                let modifiers = parameters.split(separator: ";").dropFirst().first
                let withControl = modifiers == "5" || modifiers == "3"
                switch byte {
                case UInt8(ascii: "A"): return .up
                case UInt8(ascii: "B"): return .down
                case UInt8(ascii: "C"): return withControl ? .wordRight : .right
                case UInt8(ascii: "D"): return withControl ? .wordLeft : .left
                case UInt8(ascii: "H"): return .home
                case UInt8(ascii: "F"): return .end
                case UInt8(ascii: "~"):
                    switch parameters.split(separator: ";").first ?? "" {
                    case "1", "7": return .home
                    case "4", "8": return .end
                    case "3": return .delete
                    default: return .ignored
                    }
                default: return .ignored
                }
            }
            return .ignored
        case UInt8(ascii: "O"):
            switch nextByte() {
            case UInt8(ascii: "H"): return .home
            case UInt8(ascii: "F"): return .end
            case UInt8(ascii: "A"): return .up
            case UInt8(ascii: "B"): return .down
            case UInt8(ascii: "C"): return .right
            case UInt8(ascii: "D"): return .left
            default: return .ignored
            }
        case UInt8(ascii: "b"): return .wordLeft  // Alt-B
        case UInt8(ascii: "f"): return .wordRight  // Alt-F
        default: return .ignored
        }
    }

    private mutating func utf8Character(startingWith lead: UInt8) -> Key {
        let length: Int
        switch lead {
        case 0xC0...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF7: length = 4
        default: return .ignored
        }
        var bytes = [lead]
        while bytes.count < length, let byte = nextByte() {
            bytes.append(byte)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let character = text.first, text.count == 1, character != "\u{FFFD}" else { return .ignored }
        return .character(character)
    }
}

/// A small line editor for the interactive shell: cursor movement, editing keys, history.
///
/// Keys: Left/Right (Ctrl-B/F), Home/End (Ctrl-A/E), Alt-B/F or Ctrl-Left/Right by word, Backspace,
/// Delete, Ctrl-K / Ctrl-U / Ctrl-W to delete to the end / the start / the previous word, Ctrl-T to
/// swap characters, Up/Down (Ctrl-P/N) through history, Ctrl-L to clear the screen, Ctrl-C to abandon
/// the line and Ctrl-D on an empty line to end input.
///
/// The editor only browses ``history``; the caller decides what to record (the shell records whole
/// statements, so a statement typed over several lines comes back as one line).
///
/// The terminal is in raw mode only while a line is being read, so query output and Ctrl-C during a
/// running push query behave as usual. A line wider than the terminal scrolls horizontally rather
/// than wrapping, which keeps redrawing a matter of one `\r`.
public final class LineEditor {
    public enum ReadResult: Equatable {
        case line(String)
        /// Ctrl-C: the line was abandoned.
        case interrupted
        /// Ctrl-D on an empty line, or the input closed.
        case endOfInput
    }

    private let inputDescriptor: Int32
    private let output: TextOutput
    public let history: History

    private let shouldStop: @Sendable () -> Bool

    /// - Parameter shouldStop: asked while waiting for a key; returning true ends input (SIGTERM).
    public init(
        inputDescriptor: Int32 = 0, output: TextOutput, history: History,
        shouldStop: @escaping @Sendable () -> Bool = { false }
    ) {
        self.inputDescriptor = inputDescriptor
        self.output = output
        self.history = history
        self.shouldStop = shouldStop
    }

    public func readLine(prompt: String) -> ReadResult {
        // Raw mode first, so keys typed as soon as the prompt shows are read by the editor.
        guard let saved = Terminal.enableRawMode(inputDescriptor) else {
            output.write(prompt)
            output.flush()
            return readPlainLine()
        }
        output.write(prompt)
        output.flush()
        defer { Terminal.restore(inputDescriptor, saved) }

        let fd = inputDescriptor
        let stop = shouldStop
        var decoder = KeyDecoder(nextByte: { Terminal.readByte(fd, shouldStop: stop) })
        var buffer = EditBuffer()
        // Browsing history: index into history.entries, and the line being typed before browsing.
        var historyIndex = history.entries.count
        var draft = ""
        var scroll = 0

        while let key = decoder.next() {
            switch key {
            case .enter:
                output.write("\n")
                output.flush()
                return .line(buffer.text)
            case .interrupt:
                output.write("^C\n")
                output.flush()
                return .interrupted
            case .endOfInput:
                if buffer.characters.isEmpty {
                    output.write("\n")
                    output.flush()
                    return .endOfInput
                }
                buffer.apply(.delete)
            case .up:
                guard historyIndex > 0 else { continue }
                if historyIndex == history.entries.count { draft = buffer.text }
                historyIndex -= 1
                buffer = EditBuffer(history.entries[historyIndex])
            case .down:
                guard historyIndex < history.entries.count else { continue }
                historyIndex += 1
                buffer = EditBuffer(historyIndex == history.entries.count ? draft : history.entries[historyIndex])
            case .clearScreen:
                output.write("\u{1B}[H\u{1B}[2J")
            default:
                buffer.apply(key)
            }
            redraw(prompt: prompt, buffer: buffer, scroll: &scroll)
        }
        output.write("\n")
        output.flush()
        return buffer.characters.isEmpty ? .endOfInput : .line(buffer.text)
    }

    /// Shows the prompt and the visible window of the line, and puts the cursor in place.
    private func redraw(prompt: String, buffer: EditBuffer, scroll: inout Int) {
        let width = Terminal.width(inputDescriptor) ?? Terminal.width(output.fileDescriptor) ?? 80
        let room = max(8, width - displayWidth(prompt) - 1)
        if buffer.cursor < scroll { scroll = buffer.cursor }
        if buffer.cursor > scroll + room { scroll = buffer.cursor - room }
        if buffer.characters.count - scroll < room { scroll = max(0, buffer.characters.count - room) }
        let visibleEnd = min(buffer.characters.count, scroll + room)
        let visible = String(buffer.characters[scroll..<visibleEnd])
        var text = "\r" + prompt + visible + "\u{1B}[K"
        let back = visibleEnd - buffer.cursor
        if back > 0 { text += "\u{1B}[\(back)D" }
        output.write(text)
        output.flush()
    }

    /// Fallback when the terminal refuses raw mode: read bytes up to a newline.
    private func readPlainLine() -> ReadResult {
        var bytes: [UInt8] = []
        while let byte = Terminal.readByte(inputDescriptor, shouldStop: shouldStop) {
            if byte == UInt8(ascii: "\n") { return .line(String(decoding: bytes, as: UTF8.self)) }
            bytes.append(byte)
        }
        return bytes.isEmpty ? .endOfInput : .line(String(decoding: bytes, as: UTF8.self))
    }
}
