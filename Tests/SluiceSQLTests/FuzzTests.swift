import Testing

@testable import SluiceSQL

/// A small seeded generator (SplitMix64), so every run mutates the same way.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Mutated corpus statements must end in an AST or a positioned error: never a crash or a hang.
///
/// Every mutant that parses must also survive the formatter round trip, which fuzzes the
/// formatter's quoting and parenthesization with shapes the corpus never shows.
@Suite struct FuzzTests {
    static let caseCount = 100_000

    @Test func mutatedStatementsParseOrFailWithAPosition() throws {
        var seeds = Corpus.statements.map(\.text)
        if seeds.isEmpty {
            // Without the corpus, fuzz a built-in sample so the test still means something.
            seeds = Self.builtInSeeds
        }
        var random = SeededGenerator(seed: 0x5EED_CAFE)
        var parsed = 0
        var rejected = 0
        var problems: [String] = []
        for index in 0..<Self.caseCount {
            let seed = seeds[Int.random(in: 0..<seeds.count, using: &random)]
            let text = Self.mutate(seed, index: index, using: &random)
            switch Self.check(text) {
            case .parsed: parsed += 1
            case .rejected: rejected += 1
            case .problem(let message):
                if problems.count < 20 { problems.append("\(message)\n  input: \(text.prefix(300))") }
            }
        }
        for text in Self.deepInputs {
            if case .problem(let message) = Self.check(text) {
                problems.append("\(message)\n  input: \(text.prefix(80))...")
            }
        }
        print(
            "fuzz: \(Self.caseCount + Self.deepInputs.count) cases, \(parsed) parsed, \(rejected) rejected with a position"
        )
        #expect(parsed > 1_000 && rejected > 1_000, "mutations should produce both outcomes")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    enum Outcome {
        case parsed
        case rejected
        case problem(String)
    }

    static func check(_ text: String) -> Outcome {
        // Variable substitution walks the same tokens: it must never crash, and its errors point
        // into the text too.
        do {
            _ = try VariableSubstitution.substitute(text, variables: ["x": "1", "X_Y": "'it''s'"])
        } catch let error as SQLError {
            guard let range = error.diagnostic.range, range.start >= 0, range.end <= text.utf8.count else {
                return .problem("substitution error without a valid range: \(error.diagnostic)")
            }
        } catch {
            return .problem("unexpected substitution error type: \(error)")
        }
        do {
            let statement = try SQLParser.parseStatement(text)
            let formatted = SQLFormatter.format(statement)
            do {
                let again = try SQLParser.parseStatement(formatted)
                if again != statement { return .problem("round trip changed the AST: \(formatted)") }
            } catch {
                return .problem("formatted text does not parse: \(formatted)\n\(error)")
            }
            return .parsed
        } catch let error as SQLError {
            guard let range = error.diagnostic.range else {
                return .problem("error without a range: \(error.diagnostic)")
            }
            let length = text.utf8.count
            guard range.start >= 0 && range.start <= range.end && range.end <= length else {
                return .problem("range \(range) outside the text (\(length) bytes)")
            }
            guard error.source == text else { return .problem("error source is not the input") }
            _ = DiagnosticRenderer.render(error)
            return .rejected
        } catch {
            return .problem("unexpected error type: \(error)")
        }
    }

    // MARK: - Mutations

    static func mutate(_ seed: String, index: Int, using random: inout SeededGenerator) -> String {
        var bytes = Array(seed.utf8)
        let tokens = bytes.withUnsafeBufferPointer { Lexer.tokenize($0) }.dropLast().map { $0.start..<$0.end }
        var pieces = tokens.map { Array(bytes[$0]) }
        let rounds = Int.random(in: 1...3, using: &random)
        for _ in 0..<rounds {
            switch Int.random(in: 0..<8, using: &random) {
            case 0 where !pieces.isEmpty:
                pieces.remove(at: Int.random(in: 0..<pieces.count, using: &random))
            case 1 where !pieces.isEmpty:
                let at = Int.random(in: 0..<pieces.count, using: &random)
                pieces.insert(pieces[at], at: Int.random(in: 0...pieces.count, using: &random))
            case 2 where pieces.count > 1:
                let a = Int.random(in: 0..<pieces.count, using: &random)
                let b = Int.random(in: 0..<pieces.count, using: &random)
                pieces.swapAt(a, b)
            case 3 where !pieces.isEmpty:
                let word = Keyword.allCases.randomElement(using: &random)!.rawValue
                pieces[Int.random(in: 0..<pieces.count, using: &random)] = Array(word.utf8)
            case 4 where !pieces.isEmpty:
                pieces[Int.random(in: 0..<pieces.count, using: &random)] = Array(
                    fragments.randomElement(using: &random)!.utf8)
            default:
                break
            }
        }
        bytes = Array(pieces.joined(separator: [UInt8(ascii: " ")]))
        switch index % 5 {
        case 0 where !bytes.isEmpty:
            // Cut anywhere, even inside a multi-byte character.
            bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
        case 1:
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let byte = randomBytes.randomElement(using: &random)!
                bytes.insert(contentsOf: byte, at: Int.random(in: 0...bytes.count, using: &random))
            }
        default:
            break
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static let fragments = [
        "(", ")", "[", "]", ",", ";", "'", "`", "\"", "${x}", "${", "->", "=>", ":=", "*", "-", "--", "/*", "*/", "1e",
        ".5", "99999999999999999999999", "ARRAY[", "MAP(", "STRUCT<", "CASE WHEN", "CAST(", "x =>", "(a, b) =>",
        "EMIT CHANGES", "WITHIN (1 SECOND,", "GRACE PERIOD", "é", "𝄞", "IS NOT", "NOT", "BETWEEN 1 AND",
    ]

    static let randomBytes: [[UInt8]] = [
        [0x00], [0x27], [0x60], [0x22], [0x3B], [0x28], [0x29], [0x2D, 0x2D], [0x2F, 0x2A], [0xFF], [0xC3],
        [0xE2, 0x82],
        [0xF0, 0x9F, 0x98, 0x80], [0x0A], [0x0D], [0x09], [0x24, 0x7B], [0x7D], [0x5C],
    ]

    /// Inputs far past the nesting limits, each in a different grammar rule.
    static let deepInputs: [String] = [
        "SELECT " + String(repeating: "(", count: 100_000) + "1 FROM t;",
        "SELECT " + String(repeating: "(", count: 100_000),
        String(repeating: "(", count: 100_000),
        "SELECT " + String(repeating: "-", count: 100_000) + "1 FROM t;",
        "SELECT " + String(repeating: "NOT ", count: 50_000) + "a FROM t;",
        "SELECT " + String(repeating: "f(", count: 50_000) + " FROM t;",
        "SELECT " + String(repeating: "ARRAY[", count: 50_000) + " FROM t;",
        "SELECT " + String(repeating: "CASE WHEN ", count: 50_000) + " FROM t;",
        "SELECT " + Array(repeating: "a", count: 100_000).joined(separator: " || ") + " FROM t;",
        "SELECT * FROM t WHERE " + Array(repeating: "a = 1", count: 50_000).joined(separator: " AND ") + ";",
        "SELECT a" + String(repeating: "[0]", count: 100_000) + " FROM t;",
        "SELECT a" + String(repeating: "->b", count: 100_000) + " FROM t;",
        "CREATE STREAM s (a " + String(repeating: "STRUCT<a ", count: 50_000) + "INT",
        "CREATE TYPE t AS " + String(repeating: "INT ARRAY ", count: 50_000),
        "SELECT * FROM t " + String(repeating: "JOIN u ON a = b ", count: 20_000) + ";",
        "EXPLAIN " + String(repeating: "EXPLAIN ", count: 100_000) + "SHOW STREAMS;",
        String(repeating: "'", count: 100_001),
        String(repeating: "/*", count: 50_000),
    ]

    static let builtInSeeds = [
        "CREATE STREAM s (id STRING KEY, v ARRAY<STRUCT<a INT>>) WITH (kafka_topic='t', value_format='JSON');",
        "SELECT id, COUNT(*) FROM s WINDOW TUMBLING (SIZE 1 MINUTE) WHERE v[1]->a > 2 GROUP BY id EMIT CHANGES;",
        "INSERT INTO s (id, v) VALUES ('a', ARRAY[STRUCT(a := 1)]);",
        "SELECT TRANSFORM(v, x => x->a + 1), CASE WHEN id LIKE 'a%' THEN 1 ELSE 2 END FROM s a JOIN t b WITHIN 1 HOUR ON a.id = b.id;",
    ]
}
