import Testing

@testable import SluiceTypes

/// Timestamp text as ksqlDB accepts it where a string stands for ROWTIME.
@Suite struct TemporalParsingTests {
    @Test(arguments: [
        ("2019-01-01T00:00:00Z", 1_546_300_800_000),
        ("2019-01-01T00:00:00", 1_546_300_800_000),
        ("2019-01-01T00:00:00+0445", 1_546_300_800_000 - 285 * 60_000),
        ("2019-01-01T00:00:00+04:45", 1_546_300_800_000 - 285 * 60_000),
        ("2019-01-01T00:00:00-02", 1_546_300_800_000 + 120 * 60_000),
        ("2019-01-01T00:00:00.250-0130", 1_546_300_800_250 + 90 * 60_000),
        ("2019-01-01", 1_546_300_800_000),
    ] as [(String, Int64)])
    func zoneOffsetsInEveryFormJavasXPatternReads(text: String, millis: Int64) {
        #expect(TemporalParsing.parseTimestamp(text) == millis)
    }

    @Test(arguments: ["2019-01-01T00:00:00+4", "2019-01-01T00:00:00+04:7", "2019-01-01T00:00:00+0475", "nope"])
    func malformedOffsetsAreRejected(text: String) {
        #expect(TemporalParsing.parseTimestamp(text) == nil)
    }
}
