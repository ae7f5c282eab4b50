import SluiceShell
import Testing

@Suite("Statement splitter")
struct StatementSplitterTests {
    @Test func splitsAtSemicolonsOutsideQuotesAndComments() {
        let script = "SELECT 'a;b' FROM s; -- c;d\nSELECT `x;y` FROM t; /* ; */ SELECT 1"
        let (pieces, remainder, _) = StatementSplitter.split(script)
        #expect(pieces.map(\.text).map { $0.trimmingCharacters(in: " \n") } == [
            "SELECT 'a;b' FROM s", "SELECT `x;y` FROM t",
        ])
        #expect(remainder.contains("SELECT 1"))
    }

    /// Leading blanks and comments are not part of a statement: its offset is its first real byte,
    /// which is where error positions count from.
    @Test func dropsEmptyPiecesAndReportsOffsets() {
        let (pieces, remainder, _) = StatementSplitter.split("a;;  b;")
        #expect(pieces.map(\.text) == ["a", "b"])
        #expect(pieces.map(\.offset) == [0, 5])
        #expect(StatementSplitter.isBlank(remainder))
    }

    @Test func anUnterminatedStringIsStillOpen() {
        let (pieces, remainder, _) = StatementSplitter.split("SELECT 'it''s;")
        #expect(pieces.isEmpty)
        #expect(remainder == "SELECT 'it''s;")
    }
}

@Suite("Table renderer")
struct TableRendererTests {
    @Test func boxesCellsToTheWidestOne() {
        let lines = TableRenderer().render(headers: ["A", "LONGER"], rows: [["xyz", "1"]])
        #expect(lines == [
            "+-----+--------+",
            "| A   | LONGER |",
            "+-----+--------+",
            "| xyz | 1      |",
            "+-----+--------+",
        ])
    }

    @Test func wrapsCellsWiderThanTheLimit() {
        let lines = TableRenderer(maxColumnWidth: 10).render(headers: ["Q"], rows: [["one two three four"]])
        #expect(lines.allSatisfy { $0.count <= 14 })
        #expect(lines.count > 5)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
