import SluiceSQL
import Testing

/// Every statement of ksqlDB's conformance corpus parses, and survives a format round trip.
@Suite(.enabled(if: Corpus.isAvailable, "conformance corpus not found next to the repository (../shared/qtt)"))
struct CorpusTests {
    /// Statements the corpus keeps because ksqlDB rejects them while preparing them; the parser
    /// must reject them too, with the given diagnostic id.
    static let expectedRejections: [String: String] = [
        // rest-query-validation-tests/pull-queries-with-limit-clause.json, "error on non-integer limit"
        "SELECT * FROM riderLocations LIMIT 2.5;": "sql.integer-required"
    ]

    @Test func everyCorpusStatementParses() {
        var total = 0
        var rejected = 0
        var failures: [String] = []
        Corpus.forEachParsed { statement, text, result in
            total += 1
            if case .failure = result { rejected += 1 }
            let rejection = Self.expectedRejections[text]
            switch result {
            case .success where rejection != nil:
                failures.append("\(statement.origin)\nparsed, but ksqlDB rejects it: \(text)")
            case .failure(let error) where rejection != error.diagnostic.id:
                failures.append("\(statement.origin)\n\(DiagnosticRenderer.render(error))")
            default:
                break
            }
        }
        print(
            "corpus: parsed \(total - rejected) of \(total) statements; \(rejected) rejected "
                + "(\(Self.expectedRejections.count) rejected by ksqlDB too); \(failures.count) failures")
        #expect(total > 3_000)
        #expect(failures.isEmpty, "\(failures.count) statements failed:\n\(failures.joined(separator: "\n\n"))")
    }

    /// parse → format → parse gives an equal AST, and formatting the result again changes nothing.
    @Test func formattingRoundTripsEveryCorpusStatement() {
        var checked = 0
        var failures: [String] = []
        Corpus.forEachParsed { statement, text, result in
            guard case .success(let parsed) = result else { return }
            checked += 1
            let formatted = SQLFormatter.format(parsed)
            do {
                let reparsed = try SQLParser.parseStatement(formatted)
                if reparsed != parsed {
                    failures.append("\(statement.origin)\nAST changed:\n  \(text)\n  \(formatted)")
                    return
                }
                let again = SQLFormatter.format(reparsed)
                if again != formatted {
                    failures.append("\(statement.origin)\nnot idempotent:\n  \(formatted)\n  \(again)")
                }
            } catch {
                failures.append("\(statement.origin)\nformatted text does not parse:\n\(error)")
            }
        }
        print("corpus: \(checked) statements round-tripped through the formatter")
        #expect(checked > 3_000)
        #expect(failures.isEmpty, "\(failures.count) round trips failed:\n\(failures.joined(separator: "\n\n"))")
    }
}
