import Foundation
import SluiceSQL

/// Parse throughput over the ksqlDB conformance statements (`../shared/qtt`).
///
/// Prints statements per second and MB per second for: splitting scripts, parsing each statement,
/// and formatting the parsed ASTs. Each phase runs for a fixed number of rounds after a warm-up,
/// and the best round is reported (the least disturbed by the machine's other work).
struct Corpus {
    var statements: [String] = []

    init(root: URL) {
        for folder in ["query-validation-tests", "rest-query-validation-tests"] {
            let directory = root.appendingPathComponent(folder)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for file in files.sorted() where file.hasSuffix(".json") {
                guard let data = try? Data(contentsOf: directory.appendingPathComponent(file)),
                    let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                    let tests = json["tests"] as? [[String: Any]]
                else { continue }
                for test in tests where test["expectedException"] == nil {
                    let format = (test["format"] as? [String])?.first ?? ""
                    for statement in test["statements"] as? [String] ?? [] {
                        statements.append(statement.replacingOccurrences(of: "{FORMAT}", with: format))
                    }
                }
            }
        }
    }
}

func measure(_ name: String, rounds: Int, statements: Int, bytes: Int, _ body: () -> Int) {
    _ = body()  // warm-up
    var best = Swift.Duration.seconds(1_000)
    var checksum = 0
    for _ in 0..<rounds {
        let clock = ContinuousClock()
        let elapsed = clock.measure { checksum &+= body() }
        best = min(best, elapsed)
    }
    let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
    let perSecond = Double(statements) / seconds
    let megabytes = Double(bytes) / 1_048_576 / seconds
    print(
        "\(name.padding(toLength: 10, withPad: " ", startingAt: 0)) "
            + String(
                format: "%10.0f statements/s  %7.2f MB/s  (best of %d rounds, %.1f ms/round, checksum %d)",
                perSecond, megabytes, rounds, seconds * 1_000, checksum))
}

let arguments = CommandLine.arguments
let defaultRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/qtt")
let root = arguments.count > 1 ? URL(fileURLWithPath: arguments[1]) : defaultRoot
let corpus = Corpus(root: root)
guard !corpus.statements.isEmpty else {
    print("no statements found under \(root.path); pass the qtt folder as the first argument")
    exit(1)
}
let statements = corpus.statements
let bytes = statements.reduce(0) { $0 + $1.utf8.count }
let script = statements.joined(separator: "\n")
var parsed: [Statement] = []
for text in statements {
    if let statement = try? SQLParser.parseStatement(text) { parsed.append(statement) }
}
print("corpus: \(statements.count) statements, \(bytes) bytes, \(parsed.count) parse")

let rounds = 20
measure("split", rounds: rounds, statements: statements.count, bytes: bytes) {
    SQLParser.splitStatements(script).count
}
measure("parse", rounds: rounds, statements: statements.count, bytes: bytes) {
    var count = 0
    for text in statements where (try? SQLParser.parseStatement(text)) != nil { count += 1 }
    return count
}
measure("script", rounds: rounds, statements: statements.count, bytes: bytes) {
    SQLParser.parseScriptRecovering(script).statements.count
}
measure("format", rounds: rounds, statements: parsed.count, bytes: bytes) {
    var total = 0
    for statement in parsed { total &+= SQLFormatter.format(statement).utf8.count }
    return total
}
