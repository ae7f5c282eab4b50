import Foundation
import Testing

@testable import SluiceSQL

/// Keeps `Grammar/` true to the lexer: the keyword lists match the keyword table exactly, every
/// keyword is used by a rule or marked unused, and every quoted word in a rule is a keyword or a
/// base type name.
@Suite struct GrammarTests {
    static let grammar = URL(fileURLWithPath: #filePath).deletingLastPathComponent().resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Grammar")

    /// Entries of a keyword list: word and whether it is marked unused.
    private func list(_ name: String) throws -> [String: Bool] {
        let text = try String(contentsOf: Self.grammar.appendingPathComponent("keywords/\(name)"), encoding: .utf8)
        var entries: [String: Bool] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let word = line.split(separator: " ").first.map(String.init) ?? ""
            guard !word.isEmpty else { continue }
            #expect(entries[word] == nil, "\(word) listed twice in \(name)")
            entries[word] = line.contains("# unused")
        }
        return entries
    }

    private func ebnfText() throws -> String {
        let files = FileManager.default.enumerator(atPath: Self.grammar.path)?.compactMap { $0 as? String } ?? []
        return try files.filter { $0.hasSuffix(".ebnf") }.sorted().map {
            try String(contentsOf: Self.grammar.appendingPathComponent($0), encoding: .utf8)
        }.joined(separator: "\n")
    }

    /// Words in single quotes made only of capital letters and underscores (`'SELECT'`).
    private func quotedWords(_ text: String) -> Set<String> {
        let characters = Array(text)
        var words: Set<String> = []
        for (index, character) in characters.enumerated() where character == "'" {
            var end = index + 1
            while end < characters.count, characters[end].isUppercase || characters[end] == "_" { end += 1 }
            if end < characters.count, characters[end] == "'", end - index > 2 {
                words.insert(String(characters[(index + 1)..<end]))
            }
        }
        return words
    }

    @Test func keywordListsMatchTheLexer() throws {
        let reserved = try list("reserved.list")
        let nonReserved = try list("non-reserved.list")
        #expect(Set(reserved.keys) == Set(Keyword.allCases.filter(\.isReserved).map(\.rawValue)))
        #expect(Set(nonReserved.keys) == Set(Keyword.allCases.filter { !$0.isReserved }.map(\.rawValue)))
    }

    @Test func everyKeywordAppearsInARuleOrIsMarkedUnused() throws {
        let used = quotedWords(try ebnfText())
        let marks = try list("reserved.list").merging(try list("non-reserved.list")) { a, _ in a }
        for keyword in Keyword.allCases {
            let inRule = used.contains(keyword.rawValue)
            #expect(
                inRule != marks[keyword.rawValue, default: false],
                "\(keyword.rawValue): \(inRule ? "used by a rule but marked unused" : "in no rule and not marked unused")"
            )
        }
    }

    @Test func everyQuotedWordInTheGrammarIsAKeywordOrABaseType() throws {
        let baseTypes = Set(Parser.builtInTypes.keys)
        for word in quotedWords(try ebnfText()) {
            #expect(
                Keyword(rawValue: word) != nil || baseTypes.contains(word), "'\(word)' is neither a keyword nor a type")
        }
    }

    /// Reserving a word breaks every script that uses it as a name: this pins the set.
    @Test func reservedWordsArePinned() {
        let reserved = Keyword.allCases.filter(\.isReserved).map(\.rawValue).sorted()
        #expect(reserved.count == 86)
        #expect(reserved.contains("SELECT") && reserved.contains("SIZE") && reserved.contains("TOPIC"))
        for word in ["KEY", "TIMESTAMP", "DATE", "TIME", "ID", "SOURCE", "EMIT", "PARTITION", "PAUSE", "RESUME"] {
            #expect(Keyword(rawValue: word)?.isReserved == false, "\(word) must stay usable as a name")
        }
    }
}
