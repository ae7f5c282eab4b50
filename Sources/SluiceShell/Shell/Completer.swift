import SluiceEngine
import SluiceSQL

/// What Tab offers for the word before the cursor.
struct Completion: Equatable {
    /// One possible completion: the word to put in place of the typed one, and what follows it
    /// when it is the only candidate (a space after a keyword, `(` after a function).
    struct Candidate: Equatable {
        var text: String
        var suffix: String
    }

    /// Where the word being completed starts (a character index in the line).
    var start: Int
    var candidates: [Candidate]

    /// The longest text every candidate starts with (compared exactly, case included).
    var commonPrefix: String {
        guard var prefix = candidates.first.map({ Array($0.text) }) else { return "" }
        for candidate in candidates.dropFirst() {
            let other = Array(candidate.text)
            var length = 0
            while length < prefix.count && length < other.count && prefix[length] == other[length] { length += 1 }
            prefix.removeSubrange(length...)
        }
        return String(prefix)
    }
}

/// Tab completion for SQL in the shell: keywords, stream and table names, topics, column names and
/// function names, from a snapshot of the live catalog (``CompletionNames``).
///
/// A little context narrows the offer so one Tab usually suffices:
/// - after `FROM`, `JOIN`, `INTO`, `DESCRIBE`, `STREAM`, `TABLE` (and `EXISTS`): stream and table names;
/// - after `PRINT`, or inside a quote after it: topic names;
/// - after `name.`: that source's columns;
/// - elsewhere: columns (of the sources the statement names, or of all if it names none),
///   functions, sources and keywords; at the start of a statement also the shell's own commands.
///
/// Candidates follow the case the user typed: `sel` completes to `select`, `SEL` to `SELECT`
/// (unquoted identifiers are case-insensitive, so both are right). Pure: no terminal, no engine.
struct Completer {
    var names: CompletionNames

    static let keywords: [String] = Keyword.allCases.map(\.rawValue).sorted()

    private static let sourceContext: Set<String> = ["FROM", "JOIN", "INTO", "DESCRIBE", "STREAM", "TABLE", "EXISTS"]

    /// - Parameters:
    ///   - line: the line being edited; `cursor` is where Tab was pressed.
    ///   - earlier: the statement's earlier lines (typed before this one), for context.
    func complete(line: [Character], cursor: Int, earlier: String = "") -> Completion {
        let cursor = min(max(0, cursor), line.count)
        var start = cursor
        while start > 0 && Self.isNameCharacter(line[start - 1]) { start -= 1 }
        let previous = previousWord(line, before: start)

        // Topic names may hold '-' and '.', which are not identifier characters.
        var topicStart = cursor
        while topicStart > 0 && Self.isTopicCharacter(line[topicStart - 1]) { topicStart -= 1 }
        let quoted = topicStart > 0 && line[topicStart - 1] == "'"
        if previousWord(line, before: topicStart) == "PRINT" || (quoted && previousWord(line, before: topicStart - 1) == "PRINT") {
            let prefix = String(line[topicStart..<cursor]).lowercased()
            let found = names.topics.filter { $0.lowercased().hasPrefix(prefix) }
            return Completion(start: topicStart, candidates: found.map { .init(text: $0, suffix: quoted ? "' " : " ") })
        }

        let prefix = String(line[start..<cursor])
        if start > 0 && line[start - 1] == "." {
            // `alias.` or `source.`: the columns of that source, if the qualifier names one.
            var qualifierStart = start - 1
            while qualifierStart > 0 && Self.isNameCharacter(line[qualifierStart - 1]) { qualifierStart -= 1 }
            let qualifier = String(line[qualifierStart..<(start - 1)]).uppercased()
            let columns = names.sources.first { $0.name.uppercased() == qualifier }?.columns
                ?? referencedColumns(in: earlier + " " + String(line))
            return Completion(start: start, candidates: matching(prefix, columns, suffix: ""))
        }

        if let previous, Self.sourceContext.contains(previous) {
            return Completion(start: start, candidates: matching(prefix, names.sources.map(\.name), suffix: " "))
        }
        guard !prefix.isEmpty else { return Completion(start: start, candidates: []) }

        var candidates = matching(prefix, referencedColumns(in: earlier + " " + String(line)), suffix: "")
        candidates += matching(prefix, names.sources.map(\.name), suffix: " ")
        candidates += matching(prefix, names.functions, suffix: "(")
        candidates += matching(prefix, Self.keywords, suffix: " ")
        if line[..<start].allSatisfy(\.isWhitespace) && StatementSplitter.isBlank(earlier) {
            candidates += matching(prefix, ShellCommand.names, suffix: " ")
        }
        // One entry per text: the first (a column before a function of the same name) wins.
        var seen = Set<String>()
        candidates = candidates.filter { seen.insert($0.text).inserted }
        return Completion(start: start, candidates: candidates)
    }

    /// The columns of the sources `text` mentions, or of every source when it mentions none.
    private func referencedColumns(in text: String) -> [String] {
        let words = Set(text.split { !Self.isNameCharacter($0) }.map { $0.uppercased() })
        let mentioned = names.sources.filter { words.contains($0.name.uppercased()) }
        let sources = mentioned.isEmpty ? names.sources : mentioned
        var seen = Set<String>()
        return sources.flatMap(\.columns).filter { seen.insert($0).inserted }
    }

    /// The words starting with `prefix` (ignoring case), in the case the user is typing in.
    private func matching(_ prefix: String, _ words: [String], suffix: String) -> [Completion.Candidate] {
        let lowered = prefix.lowercased()
        let typesLowercase = prefix.contains { $0.isLetter } && !prefix.contains { $0.isUppercase }
        return words.filter { $0.lowercased().hasPrefix(lowered) }.sorted().map { word in
            // Only names that are all upper case (unquoted identifiers, keywords) change case.
            let text = typesLowercase && !word.contains { $0.isLowercase } ? word.lowercased() : word
            return .init(text: text, suffix: suffix)
        }
    }

    /// The word before `index`, upper-cased, skipping blanks; nil at the start of the line.
    private func previousWord(_ line: [Character], before index: Int) -> String? {
        var end = min(max(0, index), line.count)
        while end > 0 && line[end - 1].isWhitespace { end -= 1 }
        var start = end
        while start > 0 && Self.isNameCharacter(line[start - 1]) { start -= 1 }
        return start < end ? String(line[start..<end]).uppercased() : nil
    }

    static func isNameCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
    static func isTopicCharacter(_ c: Character) -> Bool { isNameCharacter(c) || c == "-" || c == "." }
}
