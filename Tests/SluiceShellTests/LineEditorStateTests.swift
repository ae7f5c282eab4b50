import SluiceEngine
import Testing

@testable import SluiceShell

/// The line editor without a terminal: bytes through ``KeyDecoder``, keys through ``EditorState``.
/// (Suite names start with `ShellUnit` so `--filter ShellUnit` picks them.)
@Suite struct ShellUnitEditorTests {
    /// Types `bytes` into a fresh editor and returns its state and the last action.
    func type(
        _ bytes: String, history: [String] = [], names: CompletionNames = CompletionNames()
    ) -> (EditorState, EditorState.Action) {
        var decoder = KeyDecoder(bytes: Array(bytes.utf8))
        var state = EditorState(history: history)
        var last = EditorState.Action.nothing
        while let key = decoder.next() {
            last = state.handle(key) { buffer in
                Completer(names: names).complete(line: buffer.characters, cursor: buffer.cursor)
            }
            if case .submit = last { break }
        }
        return (state, last)
    }

    @Test func movesByCharacterWordAndLine() {
        // Ctrl-A, Ctrl-E, Alt-B, Alt-F, Ctrl-Left, Ctrl-Right, Home/End escapes.
        #expect(type("abc def\u{01}X").0.buffer.text == "Xabc def")
        #expect(type("abc def\u{01}\u{05}X").0.buffer.text == "abc defX")
        #expect(type("abc def\u{1B}bX").0.buffer.text == "abc Xdef")
        #expect(type("abc def\u{01}\u{1B}fX").0.buffer.text == "abcX def")
        #expect(type("abc def\u{1B}[1;5DX").0.buffer.text == "abc Xdef")
        #expect(type("abc def\u{1B}[H\u{1B}[1;5CX").0.buffer.text == "abcX def")
        #expect(type("abc\u{1B}[D\u{1B}[DX\u{1B}[FY").0.buffer.text == "aXbcY")
    }

    @Test func deletesWordsAndToTheEnds() {
        #expect(type("SELECT a FROM s\u{17}").0.buffer.text == "SELECT a FROM ")  // Ctrl-W
        #expect(type("SELECT a FROM s  \u{17}\u{17}").0.buffer.text == "SELECT a ")
        #expect(type("SELECT a FROM s\u{1B}b\u{1B}b\u{15}").0.buffer.text == "FROM s")  // Ctrl-U
        #expect(type("SELECT a FROM s\u{1B}b\u{1B}b\u{0B}").0.buffer.text == "SELECT a ")  // Ctrl-K
        #expect(type("SELECT a FROM s\u{01}\u{1B}d").0.buffer.text == " a FROM s")  // Alt-D
        #expect(type("ab\u{1B}[D\u{1B}[3~").0.buffer.text == "a")  // Delete
    }

    @Test func browsesHistoryAndKeepsTheDraft() {
        let history = ["SHOW STREAMS", "SHOW TOPICS"]
        #expect(type("x\u{1B}[A", history: history).0.buffer.text == "SHOW TOPICS")
        #expect(type("x\u{1B}[A\u{1B}[A\u{1B}[A", history: history).0.buffer.text == "SHOW STREAMS")
        #expect(type("x\u{1B}[A\u{1B}[B", history: history).0.buffer.text == "x")
    }

    @Test func searchesHistoryBackwardsIncrementally() {
        let history = ["SELECT * FROM a", "SHOW STREAMS", "SELECT * FROM b"]
        var (state, action) = type("\u{12}SEL", history: history)
        #expect(state.buffer.text == "SELECT * FROM b")
        #expect(state.promptOverride == "(reverse-i-search)`SEL': ")
        #expect(action == .redraw)
        (state, _) = type("\u{12}SEL\u{12}", history: history)
        #expect(state.buffer.text == "SELECT * FROM a")
        (state, _) = type("\u{12}zzz", history: history)
        #expect(state.promptOverride?.hasPrefix("(failed reverse-i-search)") == true)
        // Enter runs the match; Ctrl-G restores the line; another key edits the match.
        #expect(type("\u{12}STR\r", history: history).1 == .submit("SHOW STREAMS"))
        #expect(type("draft\u{12}STR\u{07}", history: history).0.buffer.text == "draft")
        let edited = type("\u{12}STR\u{05};", history: history).0
        #expect(edited.buffer.text == "SHOW STREAMS;")
        #expect(edited.promptOverride == nil)
    }

    @Test func pastesTextLiterally() {
        // Newlines and tabs inside a paste are text; nothing is submitted until Enter.
        let (state, action) = type("\u{1B}[200~SELECT *\r\nFROM s\tWHERE;\n\u{1B}[201~")
        #expect(state.buffer.text == "SELECT *\nFROM s\tWHERE;\n")
        #expect(action == .redraw)
        #expect(!state.pasting)
        #expect(type("\u{1B}[200~a\nb\u{1B}[201~\r").1 == .submit("a\nb"))
    }

    @Test func completesFromTheCatalog() {
        let names = CompletionNames(
            sources: [
                .init(name: "READINGS", isTable: false, topic: "readings", columns: ["SENSOR", "READING_VALUE"]),
                .init(name: "REGIONS", isTable: true, topic: "regions", columns: ["REGION_ID"]),
            ],
            topics: ["readings", "regions-v2"], functions: ["UCASE", "UNIX_TIMESTAMP"])
        #expect(type("sel\t", names: names).0.buffer.text == "select ")
        #expect(type("SELECT * FROM READI\t", names: names).0.buffer.text == "SELECT * FROM READINGS ")
        #expect(type("SELECT SENS\t", names: names).0.buffer.text == "SELECT SENSOR")
        #expect(type("SELECT UCA\t", names: names).0.buffer.text == "SELECT UCASE(")
        #expect(type("PRINT 'regions-\t", names: names).0.buffer.text == "PRINT 'regions-v2' ")
        // Several: the common prefix first, the list on the second Tab.
        let (once, _) = type("SELECT * FROM R\t", names: names)
        #expect(once.buffer.text == "SELECT * FROM RE")
        let (_, twice) = type("SELECT * FROM R\t\t", names: names)
        #expect(twice == .list(["READINGS", "REGIONS"]))
    }

    @Test func oddInputNeverBreaksTheEditor() {
        // Unknown and truncated escapes, stray controls, invalid UTF-8, a lone ESC at the end.
        let bytes: [UInt8] = [0x1B, 0x5B, 0x39, 0x39, 0x7A, 0x61, 0xFF, 0xC3, 0x62, 0x1B, 0x5B, 0x31, 0x3B, 0x1B, 0x00, 0x63, 0xE2, 0x82, 0xAC, 0x1B]
        var decoder = KeyDecoder(bytes: bytes)
        var state = EditorState(history: [])
        while let key = decoder.next() {
            _ = state.handle(key) { _ in Completion(start: 0, candidates: []) }
        }
        #expect(state.buffer.text == "abc€")
    }

    @Test func historyKeepsMultiLineEntries() {
        #expect(History.decode(History.encode("a\nb \\ c")) == "a\nb \\ c")
        #expect(!History.encode("a\nb").contains("\n"))
        #expect(Shell.historyEntry(["SELECT *", "  FROM s;"]) == "SELECT * FROM s;")
        #expect(Shell.historyEntry(["SELECT * -- all", "FROM s;"]) == "SELECT * -- all\nFROM s;")
    }
}

@Suite struct ShellUnitRenderingTests {
    @Test func aLongLineScrollsWithinTheWidth() {
        var view = LineView()
        let text = Array(String(repeating: "x", count: 100) + "END")
        let drawn = view.render(prompt: "sluice> ", characters: text, cursor: text.count, width: 40)
        let visible = drawn.dropFirst().prefix { $0 != "\u{1B}" }
        #expect(visible.count <= 39)
        #expect(visible.hasSuffix("END"))
        // Narrower than the prompt, or zero: still one row, no crash.
        #expect(!view.render(prompt: "sluice> ", characters: text, cursor: 0, width: 5).isEmpty)
        #expect(!view.render(prompt: "sluice> ", characters: [], cursor: 0, width: 0).isEmpty)
    }

    @Test func wideTablesNarrowThenTurnVertical() {
        let renderer = TableRenderer()
        let long = String(repeating: "word ", count: 20)
        let fitted = renderer.render(headers: ["A", "B"], rows: [[long, long]], fitting: 80)
        #expect(fitted != nil && fitted!.allSatisfy { $0.count <= 80 })
        let headers = (1...10).map { "COLUMN_\($0)" }
        #expect(renderer.render(headers: headers, rows: [headers], fitting: 80) == nil)
        let vertical = VerticalRenderer(width: 80).render(headers: ["ID", "NAME"], rows: [["1", "x"]])
        #expect(vertical.first?.hasPrefix("-[ RECORD 1 ]") == true)
        #expect(vertical.dropFirst().map { $0 } == ["ID   | 1", "NAME | x"])
    }

    @Test func jsonLinesKeepNumbersAndQuoteText() {
        #expect(JSONLines.row(headers: ["A", "B", "C"], cells: ["1.5", "he said \"hi\"", "{\"x\":1}"])
            == "{\"A\":1.5,\"B\":\"he said \\\"hi\\\"\",\"C\":{\"x\":1}}")
        #expect(JSONLines.value("007") == "\"007\"")
        #expect(JSONLines.value("-1e5") == "-1e5")
    }

    @Test func shellCommandsParse() {
        #expect(ShellCommand("spool /tmp/x.txt;") == .spool("/tmp/x.txt"))
        #expect(ShellCommand("SPOOL off") == .spool(nil))
        #expect(ShellCommand("output json") == .output(.json))
        #expect(ShellCommand("history") == .history)
        #expect(ShellCommand("help me") == nil)
        #expect(ShellCommand("SELECT 1") == nil)
        if case .misuse = ShellCommand("output xml") {} else { Issue.record("output xml accepted") }
    }
}
