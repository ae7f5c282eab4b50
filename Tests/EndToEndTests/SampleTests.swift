import Foundation
import Testing

/// Every `samples/*.sql` runs with `sluice run --until-idle`; some outputs are checked in detail.
@Suite struct SampleTests {
    static let samples: [String] = {
        let directory = Sluice.repositoryRoot.appendingPathComponent("samples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".sql") }.sorted()
    }()

    static func path(_ sample: String) -> String {
        Sluice.repositoryRoot.appendingPathComponent("samples").appendingPathComponent(sample).path
    }

    @Test func samplesExist() {
        #expect(Self.samples.contains("tumbling-window.sql"))
        #expect(Self.samples.contains("hot-readings.sql"))
    }

    @Test(arguments: SampleTests.samples)
    func sampleRunsCleanly(sample: String) throws {
        let data = try TemporaryDirectory()
        let result = try Sluice.run(["run", "--until-idle", "--data-dir", data.path, Self.path(sample)])
        #expect(result.status == 0, "\(sample): \(result.stderr)")
        #expect(!result.stderr.contains("error"), "\(sample): \(result.stderr)")
        #expect(!result.stdout.isEmpty)
    }

    @Test func tumblingWindowSumsAre27And22And8() throws {
        let data = try TemporaryDirectory()
        let run = try Sluice.run(["run", "--until-idle", "--data-dir", data.path, Self.path("tumbling-window.sql")])
        #expect(run.status == 0, "\(run.stderr)")

        // The push query at the end of the file lists every change; the last row per window is final.
        var finalTotals: [String: String] = [:]
        var windowOrder: [String] = []
        for row in tableRows(run.stdout) where row.count == 4 && row[0] == "s1" {
            if finalTotals[row[1]] == nil { windowOrder.append(row[1]) }
            finalTotals[row[1]] = row[3]
        }
        #expect(windowOrder.map { finalTotals[$0]! } == ["27", "22", "8"], "\(run.stdout)")

        // The same totals are in the table's topic: the last value written per window.
        let consumed = try Sluice.run(["consume", "SUMS", "--from-beginning", "--data-dir", data.path])
        #expect(consumed.status == 0, "\(consumed.stderr)")
        let totals = consumed.stdout.split(separator: "\n").compactMap { line -> Int? in
            guard let range = line.range(of: "\"TOTAL\":") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
        // Caching is off: every change is written, so each window's total grows to its final value.
        #expect(totals == [9, 15, 23, 27, 7, 10, 18, 22, 2, 3, 6, 8], "\(consumed.stdout)")
    }

    @Test func hotReadingsKeepsReadingsAbove41() throws {
        let data = try TemporaryDirectory()
        let run = try Sluice.run(["run", "--until-idle", "--data-dir", data.path, Self.path("hot-readings.sql")])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = tableRows(run.stdout).filter { $0.first?.hasPrefix("sensor-") == true }
        // LIMIT 3 on the push query.
        #expect(rows.map { Array($0.prefix(3)) } == [
            ["sensor-1", "wheel", "45"], ["sensor-1", "wheel", "42"], ["sensor-3", "muffler", "43"],
        ])

        let consumed = try Sluice.run(["consume", "HOT", "--from-beginning", "--data-dir", data.path])
        let readings = consumed.stdout.split(separator: "\n").filter { $0.contains("READING") }
        #expect(readings.count == 4, "\(consumed.stdout)")
        #expect(readings.last?.contains("\"READING\":50") == true)
    }

    @Test func loadedReadingsAreFiltered() throws {
        let data = try TemporaryDirectory()
        let file = Sluice.repositoryRoot.appendingPathComponent("samples/data/readings.txt")
        let input = try String(contentsOf: file, encoding: .utf8)
        let produce = try Sluice.run(["produce", "readings", "--key-separator", "|", "--data-dir", data.path], input: input)
        #expect(produce.status == 0, "\(produce.stderr)")
        #expect(produce.stdout.contains("Produced 7 records"))

        let run = try Sluice.run(["run", "--until-idle", "--data-dir", data.path, Self.path("filter-loaded-readings.sql")])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = tableRows(run.stdout).filter { $0.first?.hasPrefix("sensor-") == true }
        #expect(rows.map { $0.last ?? "" } == ["45", "42", "43", "50"], "\(run.stdout)")
    }
}
