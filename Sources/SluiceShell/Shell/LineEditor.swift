import SluiceEngine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The interactive shell's line editor: it owns the terminal while a line is read, feeds keys to
/// ``EditorState`` and draws what that decides with ``LineView``.
///
/// Keys: Left/Right (Ctrl-B/F), Home/End (Ctrl-A/E), Alt-B/F or Ctrl-Left/Right by word, Backspace,
/// Delete, Ctrl-K / Ctrl-U / Ctrl-W / Alt-D to delete to the end / the start / the previous word /
/// the next word, Ctrl-T to swap characters, Up/Down (Ctrl-P/N) through history, Ctrl-R to search
/// it, Tab to complete, Ctrl-L to clear the screen, Ctrl-C to abandon the line and Ctrl-D on an empty
/// line to end input. Bracketed paste is switched on while a line is read, so a pasted block
/// (newlines included) lands in the line as text and runs only when Enter is pressed.
///
/// The editor only browses ``history``; the caller decides what to record (the shell records whole
/// statements, so a statement typed over several lines comes back as one line).
///
/// The terminal is in raw mode while a line is being read, and in "type-ahead" mode between lines
/// (raw, but Ctrl-C raises SIGINT so it stops a running push query): keys typed while a statement
/// runs reach the editor untouched. ``close()`` restores the terminal's own settings.
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
    private let completionNames: (() -> CompletionNames)?
    private let reader: TerminalReader
    /// The terminal's settings before the editor first changed them, restored by ``close()``.
    private var original: termios?

    /// - Parameters:
    ///   - completionNames: the live catalog's names for Tab; nil offers keywords only.
    ///   - shouldStop: asked while waiting for a key; returning true ends input (SIGTERM).
    public init(
        inputDescriptor: Int32 = 0, output: TextOutput, history: History,
        completionNames: (() -> CompletionNames)? = nil,
        shouldStop: @escaping @Sendable () -> Bool = { false }
    ) {
        self.inputDescriptor = inputDescriptor
        self.output = output
        self.history = history
        self.completionNames = completionNames
        reader = TerminalReader(fd: inputDescriptor, shouldStop: shouldStop)
    }

    /// Reads one line after showing `prompt`. `earlier` is the text of the statement typed so far
    /// on previous lines, which completion uses for context.
    public func readLine(prompt: String, earlier: String = "") -> ReadResult {
        // Raw mode first, so keys typed as soon as the prompt shows are read by the editor.
        guard let saved = Terminal.enableRawMode(inputDescriptor) else {
            output.write(prompt)
            output.flush()
            return readPlainLine()
        }
        // Bracketed paste on after the prompt and off before the final newline, so the output
        // still reads "\nsluice> " and "...\n     > " around the mode switches.
        output.write(prompt + Self.bracketedPasteOn)
        output.flush()
        if original == nil { original = saved }
        defer { Terminal.enableTypeAhead(inputDescriptor, base: original ?? saved) }

        let reader = reader
        var decoder = KeyDecoder(read: { reader.read(betweenKeys: $0) })
        var state = EditorState(history: history.entries)
        var view = LineView()
        let names = completionNames
        let complete: (EditBuffer) -> Completion = { buffer in
            Completer(names: names?() ?? CompletionNames())
                .complete(line: buffer.characters, cursor: buffer.cursor, earlier: earlier)
        }

        while let key = decoder.next() {
            switch state.handle(key, complete: complete) {
            case .submit(let text):
                // Show the end of the line before leaving it, so the screen keeps what ran.
                var shown = state.buffer
                shown.cursor = shown.characters.count
                draw(prompt: prompt, buffer: shown, view: &view)
                output.write(Self.bracketedPasteOff + "\n")
                output.flush()
                return .line(text)
            case .interrupt:
                output.write("^C" + Self.bracketedPasteOff + "\n")
                output.flush()
                return .interrupted
            case .endOfInput:
                output.write(Self.bracketedPasteOff + "\n")
                output.flush()
                return .endOfInput
            case .clearScreen:
                output.write("\u{1B}[H\u{1B}[2J")
                draw(prompt: state.promptOverride ?? prompt, buffer: state.buffer, view: &view)
            case .list(let candidates):
                output.write("\r\n")
                for line in CandidateList.lines(candidates, width: terminalWidth) { output.write(line + "\r\n") }
                view = LineView()
                draw(prompt: state.promptOverride ?? prompt, buffer: state.buffer, view: &view)
            case .redraw:
                // Inside a paste the line is drawn once, when the paste ends.
                if !state.pasting { draw(prompt: state.promptOverride ?? prompt, buffer: state.buffer, view: &view) }
            case .nothing:
                break
            }
        }
        output.write(Self.bracketedPasteOff + "\n")
        output.flush()
        return state.buffer.characters.isEmpty ? .endOfInput : .line(state.buffer.text)
    }

    static let bracketedPasteOn = "\u{1B}[?2004h"
    static let bracketedPasteOff = "\u{1B}[?2004l"

    /// Gives the terminal its original settings back; call once the shell is done with it.
    public func close() {
        if let original { Terminal.restore(inputDescriptor, original) }
        original = nil
    }

    /// The terminal's width now (it is read again on every redraw, so a resize takes effect at
    /// once), or 80 when it cannot be known or is reported as zero.
    private var terminalWidth: Int {
        Terminal.width(inputDescriptor) ?? Terminal.width(output.fileDescriptor) ?? 80
    }

    private func draw(prompt: String, buffer: EditBuffer, view: inout LineView) {
        output.write(view.render(prompt: prompt, characters: buffer.characters, cursor: buffer.cursor, width: terminalWidth))
        output.flush()
    }

    /// Fallback when the terminal refuses raw mode: read bytes up to a newline.
    private func readPlainLine() -> ReadResult {
        var bytes: [UInt8] = []
        reading: while true {
            switch reader.read(betweenKeys: true) {
            case .byte(UInt8(ascii: "\n")): return .line(String(decoding: bytes, as: UTF8.self))
            case .byte(let byte): bytes.append(byte)
            case .resized, .timeout: continue
            case .end: break reading
            }
        }
        return bytes.isEmpty ? .endOfInput : .line(String(decoding: bytes, as: UTF8.self))
    }
}

/// Candidates listed by a second Tab: in columns across the terminal, in order down each column.
enum CandidateList {
    static func lines(_ candidates: [String], width: Int) -> [String] {
        guard !candidates.isEmpty else { return [] }
        let cell = (candidates.map { displayWidth($0) }.max() ?? 1) + 2
        let columns = max(1, min(candidates.count, max(1, width - 1) / cell))
        let rows = (candidates.count + columns - 1) / columns
        var lines: [String] = []
        for row in 0..<rows {
            var line = ""
            for column in 0..<columns {
                let index = column * rows + row
                guard index < candidates.count else { continue }
                let text = candidates[index]
                line += text
                if column < columns - 1 { line += String(repeating: " ", count: max(0, cell - displayWidth(text))) }
            }
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines
    }
}
