import Foundation
import Testing

/// `sluice test` runs QTT files through the conformance runner and reports by exit status.
///
/// The test files are written to a temporary directory by each test (keeping data files out of the
/// test target, where SwiftPM would ask for them to be declared as resources).
@Suite struct ConformanceCommandTests {
    /// A case sluice must get right: a filter and a projection.
    static let passing = #"""
{
  "comments": "A filter and a projection that sluice must get right (used by EndToEndTests).",
  "tests": [
    {
      "name": "filter keeps rows above a threshold",
      "statements": [
        "CREATE STREAM readings (sensor STRING KEY, value INT) WITH (kafka_topic='readings', value_format='JSON');",
        "CREATE STREAM hot AS SELECT sensor, value FROM readings WHERE value > 5;"
      ],
      "inputs": [
        {"topic": "readings", "key": "s1", "value": {"VALUE": 9}, "timestamp": 1000},
        {"topic": "readings", "key": "s2", "value": {"VALUE": 3}, "timestamp": 2000},
        {"topic": "readings", "key": "s3", "value": {"VALUE": 12}, "timestamp": 3000}
      ],
      "outputs": [
        {"topic": "HOT", "key": "s1", "value": {"VALUE": 9}, "timestamp": 1000},
        {"topic": "HOT", "key": "s3", "value": {"VALUE": 12}, "timestamp": 3000}
      ]
    }
  ]
}
"""#

    /// The same query with a deliberately wrong expected value: `sluice test` must report it.
    static let failing = #"""
{
  "comments": "The expected output is deliberately wrong: sluice test must report a failure.",
  "tests": [
    {
      "name": "filter with a wrong expected value",
      "statements": [
        "CREATE STREAM readings (sensor STRING KEY, value INT) WITH (kafka_topic='readings', value_format='JSON');",
        "CREATE STREAM hot AS SELECT sensor, value FROM readings WHERE value > 5;"
      ],
      "inputs": [
        {"topic": "readings", "key": "s1", "value": {"VALUE": 9}, "timestamp": 1000}
      ],
      "outputs": [
        {"topic": "HOT", "key": "s1", "value": {"VALUE": 10}, "timestamp": 1000}
      ]
    }
  ]
}
"""#

    @Test func passingFileExitsZero() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.file("filter-pass.json", contents: Self.passing)
        let result = try Sluice.run(["test", file.path])
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(result.stdout.contains("filter keeps rows above a threshold"))
    }

    @Test func failingCaseExitsNonZeroAndWritesAReport() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.file("filter-wrong-expectation.json", contents: Self.failing)
        let report = dir.url.appendingPathComponent("report.json")
        let result = try Sluice.run(["test", file.path, "--report", report.path])
        #expect(result.status == 1, "stdout: \(result.stdout)")
        #expect(result.stdout.contains("filter with a wrong expected value"))
        #expect(FileManager.default.fileExists(atPath: report.path))

        // With --min-pass 0 the same failure is tolerated.
        let tolerated = try Sluice.run(["test", file.path, "--min-pass", "0"])
        #expect(tolerated.status == 0, "stdout: \(tolerated.stdout)\nstderr: \(tolerated.stderr)")
    }

    @Test func directoryRunsEveryFile() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.file("filter-pass.json", contents: Self.passing)
        _ = try dir.file("filter-wrong-expectation.json", contents: Self.failing)
        let all = try Sluice.run(["test", dir.path])
        #expect(all.status == 1)
        let atLeastOne = try Sluice.run(["test", dir.path, "--min-pass", "1"])
        #expect(atLeastOne.status == 0, "stdout: \(atLeastOne.stdout)\nstderr: \(atLeastOne.stderr)")
        #expect(atLeastOne.stdout.contains("filter keeps rows above a threshold"))
        #expect(atLeastOne.stdout.contains("filter with a wrong expected value"))
    }
}
