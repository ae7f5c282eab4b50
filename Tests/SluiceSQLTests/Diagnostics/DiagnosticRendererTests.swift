import SluiceSQL
import Testing

@Suite struct DiagnosticRendererTests {
    private func error(_ source: String, _ range: SourceRange?, help: String? = nil) -> SQLError {
        SQLError(
            Diagnostic(category: .semantic, id: "sql.test", message: "something is wrong", range: range, help: help),
            source: source)
    }

    @Test func rendersFileLineColumnSourceLineAndCarets() {
        let source = "SELECT a\nFROM s\nWHERE valeu > 1;"
        let text = DiagnosticRenderer.render(
            error(source, SourceRange(start: 22, end: 27), help: "did you mean 'VALUE'?"), fileName: "hot.sql")
        #expect(
            text == """
                error: hot.sql:3:7: something is wrong
                  3 | WHERE valeu > 1;
                    |       ^^^^^ did you mean 'VALUE'?
                """)
    }

    @Test func omitsTheFileWhenThereIsNone() {
        let text = DiagnosticRenderer.render(error("SELECT x", SourceRange(start: 7, end: 8)))
        #expect(text == "error: 1:8: something is wrong\n  1 | SELECT x\n    |        ^")
    }

    @Test func anEmptyRangeGetsOneCaret() {
        let text = DiagnosticRenderer.render(error("SELECT", SourceRange(start: 6, end: 6)))
        #expect(text.hasSuffix("  1 | SELECT\n    |       ^"))
    }

    @Test func multiLineRangesNumberEveryLine() {
        let source = String(repeating: "x\n", count: 8) + "'abc\ndef\nghi"
        let start = 16
        let text = DiagnosticRenderer.render(error(source, SourceRange(start: start, end: source.utf8.count)))
        #expect(
            text == """
                error: 9:1: something is wrong
                   9 | 'abc
                     | ^^^^
                  10 | def
                     | ^^^
                  11 | ghi
                     | ^^^
                """)
    }

    @Test func columnsCountCharactersNotBytes() {
        let source = "SELECT 'é', x"
        let offset = source.utf8.count - 1
        let text = DiagnosticRenderer.render(error(source, SourceRange(start: offset, end: offset + 1)))
        #expect(text.hasPrefix("error: 1:13: "))
        #expect(text.hasSuffix("\n    |             ^"))
    }

    @Test func diagnosticsWithoutARangeRenderOnOneLine() {
        #expect(DiagnosticRenderer.render(error("", nil), fileName: "a.sql") == "error: a.sql: something is wrong")
        let bug = SQLError(Diagnostic(category: .internalBug, id: "x", message: "oops"), source: "")
        #expect(DiagnosticRenderer.render(bug).hasPrefix("internal error: oops"))
    }

    @Test func locatorMapsOffsetsToLinesAndColumns() {
        let locator = SourceLocator("ab\ncd\r\nef")
        #expect(locator.lineAndColumn(of: 0) == (1, 1))
        #expect(locator.lineAndColumn(of: 4) == (2, 2))
        #expect(locator.lineAndColumn(of: 7) == (3, 1))
        #expect(locator.lineAndColumn(of: 100) == (3, 3))
        #expect(locator.lineText(2) == "cd")
    }
}
