import Foundation
import Testing

/// `sluice test` runs QTT files through the conformance runner and reports by exit status.
@Suite struct ConformanceCommandTests {
    static func fixture(_ name: String) -> String {
        Sluice.repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/qtt/\(name)").path
    }

    @Test func passingFileExitsZero() throws {
        let result = try Sluice.run(["test", Self.fixture("filter-pass.json")])
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(!result.stdout.isEmpty)
    }

    @Test func failingCaseExitsNonZeroAndWritesAReport() throws {
        let dir = try TemporaryDirectory()
        let report = dir.url.appendingPathComponent("report.txt")
        let result = try Sluice.run(["test", Self.fixture("filter-wrong-expectation.json"), "--report", report.path])
        #expect(result.status != 0, "stdout: \(result.stdout)")
        #expect(FileManager.default.fileExists(atPath: report.path))

        // With --min-pass 0 the same failure is tolerated.
        let tolerated = try Sluice.run(["test", Self.fixture("filter-wrong-expectation.json"), "--min-pass", "0"])
        #expect(tolerated.status == 0, "stdout: \(tolerated.stdout)\nstderr: \(tolerated.stderr)")
    }

    @Test func directoryRunsEveryFile() throws {
        let result = try Sluice.run(["test", Sluice.repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/qtt").path, "--min-pass", "1"])
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(result.stdout.contains("filter with a wrong expected value") || result.stdout.contains("filter-wrong-expectation"))
    }
}
