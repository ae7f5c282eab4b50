import SluiceTypes
import Testing

@testable import SluiceTestRunner

@Suite struct ConformanceReportTests {
    static func results(_ statuses: [CaseStatus]) -> [CaseResult] {
        statuses.enumerated().map {
            CaseResult(file: "dir/f.json", name: "case \($0)", status: $1, reason: $1 == .pass ? "" : "why \($0)")
        }
    }

    @Test func summaryCountsEveryStatusAndAvoidsTheTestSuiteForm() {
        let report = ConformanceReport(
            results: Self.results([.pass, .pass, .fail, .error, .unsupported, .unsupported]))
        #expect(report.summaryLine == "conformance: 2 of 6 cases pass (1 fail, 1 error, 2 unsupported)")
        // CI reads "N passed, N failed" as a test suite's result; the summary must never look like it.
        #expect(!report.summaryLine.contains("passed,"))
        #expect(!report.summaryLine.contains("failed"))
    }

    @Test func exitStatusRequiresAllOrTheMinimum() {
        #expect(ConformanceReport(results: Self.results([.pass, .pass])).exitStatus(minimumPassing: nil) == 0)
        #expect(ConformanceReport(results: Self.results([.pass, .unsupported])).exitStatus(minimumPassing: nil) == 1)
        #expect(ConformanceReport(results: []).exitStatus(minimumPassing: nil) == 1)
        let mixed = ConformanceReport(results: Self.results([.pass, .pass, .fail, .error]))
        #expect(mixed.exitStatus(minimumPassing: 2) == 0)
        #expect(mixed.exitStatus(minimumPassing: 3) == 1)
        #expect(mixed.exitStatus(minimumPassing: 0) == 0)
    }

    @Test func reportIsJSONWithOneEntryPerCase() throws {
        var results = Self.results([.pass, .fail, .error, .unsupported])
        results[1].reason = "expected \"x\"\nbut was \\ y"
        let parsed = try JSONParser.parse(ConformanceReport(results: results).json)
        let cases = try #require(parsed["cases"]?.arrayValue)
        #expect(cases.count == 4)
        #expect(cases.map { $0["status"]?.stringValue } == ["pass", "fail", "error", "unsupported"])
        #expect(cases[1]["reason"]?.stringValue == "expected \"x\"\nbut was \\ y")
        #expect(cases.allSatisfy { $0["file"]?.stringValue == "dir/f.json" && $0["name"]?.stringValue != nil })
        let empty = try JSONParser.parse(ConformanceReport(results: []).json)
        #expect(empty["cases"]?.arrayValue?.isEmpty == true)
    }

    @Test func resultLinesStartWithTheStatus() {
        #expect(CaseResult(file: "a.json", name: "x", status: .pass).line == "PASS  a.json: x")
        #expect(
            CaseResult(file: "a.json", name: "x", status: .fail, reason: "two\nlines").line
                == "FAIL  a.json: x — two lines")
        #expect(
            CaseResult(file: "a.json", name: "x", status: .unsupported, reason: "AVRO").line
                == "UNSUPPORTED  a.json: x — AVRO")
    }
}
