import Foundation
import SluiceTypes
import Testing

@testable import SluiceTestRunner

@Suite struct ConformanceCommandTests {
    static let goldenDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Golden/qtt").path

    /// Two cases for a copying engine: one matches, one expects a different value.
    static let file = #"""
        {"tests": [
          {"name": "copies", "statements": ["CREATE STREAM INPUT (ID BIGINT KEY, V INT) WITH (kafka_topic='input', value_format='JSON');"],
           "inputs": [{"topic": "input", "key": 1, "value": {"V": 1}}],
           "outputs": [{"topic": "OUTPUT", "key": 1, "value": {"V": 1}}]},
          {"name": "differs", "statements": ["CREATE STREAM INPUT (ID BIGINT KEY, V INT) WITH (kafka_topic='input', value_format='JSON');"],
           "inputs": [{"topic": "input", "key": 1, "value": {"V": 1}}],
           "outputs": [{"topic": "OUTPUT", "key": 1, "value": {"V": 2}}]}
        ]}
        """#

    /// A scratch directory holding `sub/cases.json` and a testing-tool directory `tool/ok`.
    static func makeTree() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-qtt-\(UUID().uuidString)")
        let sub = root.appendingPathComponent("sub")
        let tool = root.appendingPathComponent("tool/ok")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: tool, withIntermediateDirectories: true)
        try file.write(to: sub.appendingPathComponent("cases.json"), atomically: true, encoding: .utf8)
        try "CREATE STREAM INPUT (ID BIGINT KEY, V INT) WITH (kafka_topic='input', value_format='JSON');\n"
            .write(to: tool.appendingPathComponent("statements.sql"), atomically: true, encoding: .utf8)
        try #"{"inputs": [{"topic": "input", "key": 3, "value": {"V": 9}}]}"#
            .write(to: tool.appendingPathComponent("input.json"), atomically: true, encoding: .utf8)
        try #"{"outputs": [{"topic": "OUTPUT", "key": 3, "value": {"V": 9}}]}"#
            .write(to: tool.appendingPathComponent("output.json"), atomically: true, encoding: .utf8)
        return root.path
    }

    static func run(_ arguments: [String]) -> (status: Int32, lines: [String]) {
        var lines: [String] = []
        let status = ConformanceCommand.run(arguments: arguments, environment: ScriptedEngine.environment()) {
            lines.append($0)
        }
        return (status, lines)
    }

    @Test func printsOneLinePerCaseThenTheSummary() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (status, lines) = Self.run([root, "--no-isolation"])
        #expect(
            lines == [
                "PASS  \(root)/sub/cases.json: copies",
                "FAIL  \(root)/sub/cases.json: differs — topic 'OUTPUT' record 1: expected <1, {\"V\":2}> but was <1, {\"V\":1}> ts=0",
                "PASS  \(root)/tool/ok: ok",
                "conformance: 2 of 3 cases pass (1 fail, 0 error, 0 unsupported)",
            ])
        #expect(status == 1)
        #expect(Self.run([root, "--no-isolation", "--min-pass", "2"]).status == 0)
        #expect(Self.run([root, "--no-isolation", "--min-pass", "3"]).status == 1)
    }

    @Test func writesTheReportWithPathsAsGiven() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let reportPath = root + "/report.json"
        _ = Self.run([root + "/", "--no-isolation", "--report", reportPath])
        let report = try JSONParser.parse(try String(contentsOfFile: reportPath, encoding: .utf8))
        let cases = try #require(report["cases"]?.arrayValue)
        #expect(
            cases.map { $0["file"]?.stringValue } == [
                "\(root)/sub/cases.json", "\(root)/sub/cases.json", "\(root)/tool/ok",
            ])
        #expect(cases.map { $0["status"]?.stringValue } == ["pass", "fail", "pass"])
        #expect(cases[1]["reason"]?.stringValue?.contains("record 1") == true)
    }

    @Test func selectsCasesByNameOrFilter() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let one = Self.run(["\(root)/sub/cases.json:differs", "--no-isolation"])
        #expect(one.lines.count == 2 && one.lines[0].hasPrefix("FAIL") && one.status == 1)
        let filtered = Self.run([root, "--no-isolation", "--filter", "copies"])
        #expect(filtered.lines.count == 2 && filtered.status == 0)
        let none = Self.run([root, "--no-isolation", "--filter", "no such case"])
        #expect(
            none.status == 1 && none.lines.last == "conformance: 0 of 0 cases pass (0 fail, 0 error, 0 unsupported)")
    }

    @Test func usageErrorsExitWithTwo() {
        #expect(Self.run([]).status == 2)
        #expect(Self.run(["/no/such/path"]).status == 2)
        #expect(Self.run([Self.goldenDirectory, "--min-pass", "many"]).status == 2)
        #expect(Self.run([Self.goldenDirectory, "--bogus"]).status == 2)
        #expect(Self.run([Self.goldenDirectory, "--report"]).status == 2)
    }

    @Test func parsesOptions() throws {
        let options = try ConformanceCommand.parse([
            "a", "--report", "r.json", "--min-pass", "5", "--filter", "x", "--jobs", "3", "--timeout", "2.5",
            "--no-isolation", "b",
        ])
        #expect(options.paths == ["a", "b"])
        #expect(options.reportPath == "r.json" && options.minimumPassing == 5 && options.filters == ["x"])
        #expect(options.jobs == 3 && options.timeoutSeconds == 2.5 && !options.isolated)
    }

    @Test func goldenFilesLoadCleanly() throws {
        let sources = try TestDiscovery.sources(for: Self.goldenDirectory)
        let cases = sources.flatMap(TestDiscovery.cases(in:))
        #expect(sources.count >= 3)
        #expect(cases.allSatisfy { $0.loadError == nil && $0.unsupportedReason == nil })
        #expect(
            cases.contains {
                $0.name == "hot readings pass the filter - JSON" && $0.statements[0].contains("key_format='JSON'")
            })
        #expect(cases.contains { $0.expectsRejection })
        #expect(cases.contains { $0.outputs.contains { $0.window != nil } })
    }
}

@Suite struct GoldenConformanceTests {
    /// Our own QTT files, run on the real engine: they hold only what Sluice already supports, so
    /// any case that stops passing is a regression.
    @Test func goldenFilesPassOnTheEngine() {
        var lines: [String] = []
        let status = ConformanceCommand.run(arguments: [ConformanceCommandTests.goldenDirectory, "--no-isolation"]) {
            lines.append($0)
        }
        #expect(status == 0, "\(lines.joined(separator: "\n"))")
        #expect(lines.last?.hasPrefix("conformance: ") == true)
    }
}
