import Foundation
import SluiceSQL

/// The ksqlDB conformance statements in `../shared/qtt`, expanded and ready to parse.
///
/// Each case's statements are taken in order; `{FORMAT}`-style placeholders are expanded once per
/// value of the case's `format` array, and `${var}` references are substituted with the values of
/// the `DEFINE` statements seen so far in the same case (ksqlDB's session semantics).
struct CorpusStatement: Sendable, CustomStringConvertible {
    /// `file#case` or `file` for `.sql` files.
    var origin: String
    var text: String

    var description: String { "\(origin): \(text)" }
}

enum Corpus {
    /// `repo/../shared/qtt`, found from this file's path.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .resolvingSymlinksInPath()
        .deletingLastPathComponent()  // SluiceSQLTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repo
        .deletingLastPathComponent()
        .appendingPathComponent("shared/qtt")

    static var isAvailable: Bool { FileManager.default.fileExists(atPath: root.path) }

    /// Statement groups (one per case and format), each in execution order.
    static let cases: [[CorpusStatement]] = loadCases()

    static var statements: [CorpusStatement] { cases.flatMap { $0 } }

    private static func loadCases() -> [[CorpusStatement]] {
        guard isAvailable else { return [] }
        var groups: [[CorpusStatement]] = []
        for folder in ["query-validation-tests", "rest-query-validation-tests"] {
            let directory = root.appendingPathComponent(folder)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for file in files.sorted() where file.hasSuffix(".json") {
                guard let data = try? Data(contentsOf: directory.appendingPathComponent(file)),
                    let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                    let tests = json["tests"] as? [[String: Any]]
                else { continue }
                for test in tests {
                    // Cases expecting an exception may hold statements ksqlDB itself rejects.
                    if folder == "query-validation-tests" && test["expectedException"] != nil { continue }
                    guard let statements = test["statements"] as? [String] else { continue }
                    let name = test["name"] as? String ?? "?"
                    let formats = (test["format"] as? [String]) ?? [""]
                    for format in formats {
                        let origin = "\(folder)/\(file)#\(name)" + (format.isEmpty ? "" : " [\(format)]")
                        groups.append(
                            statements.map {
                                CorpusStatement(
                                    origin: origin, text: $0.replacingOccurrences(of: "{FORMAT}", with: format))
                            })
                    }
                }
            }
        }
        for file in sqlFiles() {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            let origin = file.path.replacingOccurrences(of: root.path + "/", with: "")
            groups.append(SQLParser.splitStatements(text).map { CorpusStatement(origin: origin, text: $0.text) })
        }
        return groups
    }

    /// Every `test-runner/**/statements.sql`.
    static func sqlFiles() -> [URL] {
        let runner = root.appendingPathComponent("test-runner")
        guard let enumerator = FileManager.default.enumerator(atPath: runner.path) else { return [] }
        var files: [URL] = []
        for case let path as String in enumerator where path.hasSuffix("statements.sql") {
            files.append(runner.appendingPathComponent(path))
        }
        return files.sorted { $0.path < $1.path }
    }
}

extension Corpus {
    /// Walks every case in order, substituting the variables DEFINEd so far, and hands each
    /// statement's final text to `body` together with the parse result.
    static func forEachParsed(_ body: (CorpusStatement, String, Result<Statement, SQLError>) -> Void) {
        for group in cases {
            var variables: [String: String] = [:]
            for statement in group {
                let text: String
                do {
                    text = try VariableSubstitution.substitute(statement.text, variables: variables)
                } catch {
                    body(statement, statement.text, .failure(error as! SQLError))
                    continue
                }
                do {
                    let parsed = try SQLParser.parseStatement(text)
                    switch parsed {
                    case .defineVariable(let name, let value): variables[name] = value
                    case .undefineVariable(let name): variables[name] = nil
                    default: break
                    }
                    body(statement, text, .success(parsed))
                } catch {
                    body(statement, text, .failure(error as! SQLError))
                }
            }
        }
    }
}
