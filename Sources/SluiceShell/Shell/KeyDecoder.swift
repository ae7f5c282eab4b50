/// What reading the terminal produced: a byte, or one of the reasons no byte came.
enum InputEvent: Equatable {
    case byte(UInt8)
    /// The window size changed; only reported between keys.
    case resized
    /// No byte arrived in time inside an escape or UTF-8 sequence: the sequence is over.
    case timeout
    case end
}

/// Decodes terminal input bytes into keys: control bytes, UTF-8 characters, the common ANSI / VT100
/// escape sequences (arrows, Home, End, Delete, with Ctrl modifiers), Alt-letter pairs and
/// bracketed paste.
///
/// Robust by construction: an unknown or truncated sequence, an invalid UTF-8 byte or a byte
/// arriving after a lone Escape all decode to ``Key/ignored`` (or the key the byte starts), never
/// to a crash or a stuck read. Inside a bracketed paste, Enter and Tab arrive as the characters
/// `"\n"` and `"\t"` so they are inserted rather than acted on.
struct KeyDecoder {
    /// Supplies the next event. The argument is true between keys (resizes may be reported then)
    /// and false inside a sequence (the reader may time out then).
    var read: (_ betweenKeys: Bool) -> InputEvent

    /// True between `ESC[200~` and `ESC[201~`.
    private(set) var inPaste = false
    /// A byte read too far (it ended a UTF-8 sequence early) to decode next.
    private var pushedBack: UInt8?
    /// Set after a pasted "\r", so a "\n" right after it does not add a second newline.
    private var afterPastedReturn = false

    /// The longest CSI parameter string kept; longer garbage is skipped.
    private static let maxParameterLength = 16

    init(read: @escaping (_ betweenKeys: Bool) -> InputEvent) {
        self.read = read
    }

    /// Decodes keys from a fixed list of bytes (for tests): the list's end is the input's end.
    init(bytes: [UInt8]) {
        var index = 0
        self.init(read: { _ in
            guard index < bytes.count else { return .end }
            defer { index += 1 }
            return .byte(bytes[index])
        })
    }

    /// The next key, or nil at end of input.
    mutating func next() -> Key? {
        let byte: UInt8
        if let pending = pushedBack {
            pushedBack = nil
            byte = pending
        } else {
            switch read(true) {
            case .byte(let b): byte = b
            case .resized: return .resize
            case .timeout: return .ignored
            case .end: return nil
            }
        }
        let wasAfterReturn = afterPastedReturn
        afterPastedReturn = false
        if inPaste { return pasted(byte, afterReturn: wasAfterReturn) }
        switch byte {
        case 1: return .home  // Ctrl-A
        case 2: return .left  // Ctrl-B
        case 3: return .interrupt
        case 4: return .endOfInput
        case 5: return .end  // Ctrl-E
        case 6: return .right  // Ctrl-F
        case 7: return .cancel  // Ctrl-G
        case 8, 127: return .backspace
        case 9: return .tab
        case 10, 13: return .enter
        case 11: return .killToEnd  // Ctrl-K
        case 12: return .clearScreen
        case 14: return .down  // Ctrl-N
        case 16: return .up  // Ctrl-P
        case 18: return .reverseSearch  // Ctrl-R
        case 20: return .swapCharacters
        case 21: return .killToStart  // Ctrl-U
        case 23: return .killWordBefore  // Ctrl-W
        case 27: return escapeSequence()
        case 0..<32: return .ignored
        case 0x80...: return utf8Character(startingWith: byte)
        default: return .character(Character(Unicode.Scalar(byte)))
        }
    }

    /// A byte inside a bracketed paste: text, newlines and tabs literally; only ESC is special,
    /// since the paste ends with `ESC[201~`.
    private mutating func pasted(_ byte: UInt8, afterReturn: Bool) -> Key {
        switch byte {
        case 13:
            afterPastedReturn = true
            return .character("\n")
        case 10: return afterReturn ? .ignored : .character("\n")
        case 9: return .character("\t")
        case 27: return escapeSequence()
        case 0..<32, 127: return .ignored
        case 0x80...: return utf8Character(startingWith: byte)
        default: return .character(Character(Unicode.Scalar(byte)))
        }
    }

    /// The byte after a lead byte inside a sequence, or nil if the sequence ended (timeout, end).
    private mutating func continuation() -> UInt8? {
        if case .byte(let b) = read(false) { return b }
        return nil
    }

    private mutating func escapeSequence() -> Key {
        guard let first = continuation() else { return .escape }
        switch first {
        case UInt8(ascii: "["):
            return controlSequence()
        case UInt8(ascii: "O"):
            switch continuation() {
            case UInt8(ascii: "H"): return .home
            case UInt8(ascii: "F"): return .end
            case UInt8(ascii: "A"): return .up
            case UInt8(ascii: "B"): return .down
            case UInt8(ascii: "C"): return .right
            case UInt8(ascii: "D"): return .left
            default: return .ignored
            }
        case _ where inPaste:
            return .ignored
        case UInt8(ascii: "b"), UInt8(ascii: "B"): return .wordLeft  // Alt-B
        case UInt8(ascii: "f"), UInt8(ascii: "F"): return .wordRight  // Alt-F
        case UInt8(ascii: "d"), UInt8(ascii: "D"): return .killWordAfter  // Alt-D
        case 8, 127: return .killWordBefore  // Alt-Backspace
        case 27:
            // ESC ESC: the first was a lone Escape; decode the second as the start of a key.
            pushedBack = 27
            return .escape
        default: return .ignored
        }
    }

    /// `ESC [` parameters (0x30–0x3F), intermediates (0x20–0x2F) and one final byte (0x40–0x7E).
    private mutating func controlSequence() -> Key {
        var parameters = ""
        while let byte = continuation() {
            switch byte {
            case 0x30...0x3F:
                if parameters.count < Self.maxParameterLength {
                    parameters.append(Character(Unicode.Scalar(byte)))
                }
            case 0x20...0x2F:
                continue
            case 0x40...0x7E:
                return finalKey(byte, parameters: parameters)
            default:
                // Not part of any sequence: the sequence was broken; drop it.
                return .ignored
            }
        }
        return .ignored
    }

    private mutating func finalKey(_ final: UInt8, parameters: String) -> Key {
        let fields = parameters.split(separator: ";", omittingEmptySubsequences: false)
        let modifiers = fields.count > 1 ? Int(fields[1]) ?? 1 : 1
        // xterm modifier codes: 1 + (shift 1 | alt 2 | ctrl 4); Ctrl or Alt move by word.
        let byWord = modifiers > 1 && ((modifiers - 1) & 6) != 0
        if inPaste {
            if final == UInt8(ascii: "~") && fields.first == "201" {
                inPaste = false
                return .pasteEnd
            }
            return .ignored
        }
        switch final {
        case UInt8(ascii: "A"): return .up
        case UInt8(ascii: "B"): return .down
        case UInt8(ascii: "C"): return byWord ? .wordRight : .right
        case UInt8(ascii: "D"): return byWord ? .wordLeft : .left
        case UInt8(ascii: "H"): return .home
        case UInt8(ascii: "F"): return .end
        case UInt8(ascii: "~"):
            switch fields.first ?? "" {
            case "1", "7": return .home
            case "4", "8": return .end
            case "3": return byWord ? .killWordAfter : .delete
            case "200":
                inPaste = true
                return .pasteStart
            default: return .ignored
            }
        default: return .ignored
        }
    }

    private mutating func utf8Character(startingWith lead: UInt8) -> Key {
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return .ignored
        }
        var bytes = [lead]
        while bytes.count < length {
            guard let byte = continuation() else { return .ignored }
            guard (0x80...0xBF).contains(byte) else {
                // Not a continuation byte: the sequence is invalid, but the byte starts a key.
                pushedBack = byte
                return .ignored
            }
            bytes.append(byte)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let character = text.first, text.count == 1, character != "\u{FFFD}" else { return .ignored }
        return .character(character)
    }
}
