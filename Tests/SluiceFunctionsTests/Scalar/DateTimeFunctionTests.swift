import SluiceTypes
import Testing

@testable import SluiceFunctions

@Suite struct DateTimeFunctionTests {
    static let cases: [ScalarCase] = [
        // Formatting.
        ScalarCase("TIMESTAMPTOSTRING", [.bigint(1_526_075_913_000), .string("yyyy-MM-dd HH:mm:ss zzz"),
            .string("America/Los_Angeles")], .string("2018-05-11 14:58:33 PDT")),
        ScalarCase("TIMESTAMPTOSTRING", [.bigint(1_526_075_913_000), .string("yyyy-MM-dd HH:mm:ss zzz"),
            .string("Europe/London")], .string("2018-05-11 22:58:33 BST")),
        ScalarCase("TIMESTAMPTOSTRING", [.bigint(1_515_000_000_000), .string("yyyy-MM-dd HH:mm zzz"),
            .string("America/Los_Angeles")], .string("2018-01-03 09:20 PST")),
        ScalarCase("FORMAT_TIMESTAMP", [.timestamp(1_526_075_913_123), .string("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")],
            .string("2018-05-11T21:58:33.123Z")),
        ScalarCase("FORMAT_TIMESTAMP", [.timestamp(1_526_075_913_123), .string("yyyy-MM-dd'T'HH:mm:ss.SSSXXX"),
            .string("+05:30")], .string("2018-05-12T03:28:33.123+05:30")),
        ScalarCase("FORMAT_TIMESTAMP", [.timestamp(-1), .string("yyyy-MM-dd HH:mm:ss.SSS")], .string("1969-12-31 23:59:59.999")),
        ScalarCase("FORMAT_TIMESTAMP", [.timestamp(0), .string("EEEE, MMMM d, yyyy h:mm a")],
            .string("Thursday, January 1, 1970 12:00 AM")),
        ScalarCase("FORMAT_TIMESTAMP", [.timestamp(0), .string("EEE MMM dd yy Z O")], .string("Thu Jan 01 70 +0000 GMT")),
        ScalarCase("FORMAT_DATE", [.date(17662), .string("yyyy-MM-dd")], .string("2018-05-11")),
        ScalarCase("FORMAT_DATE", [.date(18993), .string("dd-MMM-yyyy")], .string("01-Jan-2022")),
        ScalarCase("FORMAT_DATE", [.date(-1), .string("dd-MM-yyyy'Sophia'")], .string("31-12-1969Sophia")),
        ScalarCase("FORMAT_DATE", [.date(0), .string("D 'q'Q w")], .string("1 q1 1")),
        ScalarCase("DATETOSTRING", [.integer(18027), .string("dd/MM/yyyy")], .string("11/05/2019")),
        ScalarCase("FORMAT_TIME", [.time(65000), .string("HH_mm_ss_SSS")], .string("00_01_05_000")),
        ScalarCase("FORMAT_TIME", [.time(1_234_567), .string("HHmmss'AAAAA'")], .string("002034AAAAA")),
        ScalarCase("FORMAT_TIME", [.null, .string("HH:mm:ss")], .null, types: [.time, .string]),
        ScalarCase("FORMAT_TIME", [.time(46_800_000), .string("hh:mm a, k K")], .string("01:00 PM, 13 1")),
        // Parsing.
        ScalarCase("STRINGTOTIMESTAMP", [.string("2018-05-11T21:58:33Z"), .string("yyyy-MM-dd'T'HH:mm:ssX")],
            .bigint(1_526_075_913_000)),
        ScalarCase("STRINGTOTIMESTAMP", [.string("2020-05-11T21:58:33z"), .string("yyyy-MM-dd'T'HH:mm:ssX")],
            .bigint(1_589_234_313_000)),
        ScalarCase("STRINGTOTIMESTAMP", [.string("2019-08-27T13:31:09.2+0000"), .string("yyyy-MM-dd'T'HH:mm:ss.SX")],
            .bigint(1_566_912_669_200)),
        ScalarCase("PARSE_TIMESTAMP", [.string("2018-05-11T21:58:33"), .string("yyyy-MM-dd'T'HH:mm:ss")],
            .timestamp(1_526_075_913_000)),
        ScalarCase("PARSE_TIMESTAMP", [.string("2018-05-11T21:58:33 PST"), .string("yyyy-MM-dd'T'HH:mm:ss zzz")],
            .timestamp(1_526_101_113_000)),
        ScalarCase("PARSE_TIMESTAMP", [.string("2018-05-11 21:58:33"), .string("yyyy-MM-dd HH:mm:ss"),
            .string("America/Los_Angeles")], .timestamp(1_526_101_113_000)),
        ScalarCase("PARSE_TIMESTAMP", [.string("2021"), .string("yyyy")], .timestamp(1_609_459_200_000)),
        ScalarCase("PARSE_TIMESTAMP", [.string("10:15"), .string("HH:mm")], .timestamp(36_900_000)),
        ScalarCase("PARSE_TIMESTAMP", [.string("20210315"), .string("yyyyMMdd")], .timestamp(1_615_766_400_000)),
        ScalarCase("STRINGTODATE", [.string("2018-05-11Lit"), .string("yyyy-MM-dd'Lit'")], .integer(17662)),
        ScalarCase("STRINGTODATE", [.string("11/05/2019"), .string("dd/MM/yyyy")], .integer(18027)),
        ScalarCase("PARSE_DATE", [.string("01-Jan-2022"), .string("dd-MMM-yyyy")], .date(18993)),
        ScalarCase("PARSE_DATE", [.string("01-JAN-2022"), .string("dd-MMM-yyyy")], .date(18993)),
        ScalarCase("PARSE_DATE", [.string("2021-02-31"), .string("yyyy-MM-dd")], .date(18686)),
        ScalarCase("STRINGTODATE", [.string("20200101"), .string("yyyyMMdd")], .integer(18262)),
        ScalarCase("PARSE_TIME", [.string("10:15:30.5"), .string("HH:mm:ss.S")], .time(36_930_500)),
        ScalarCase("PARSE_TIME", [.string("01:30 PM"), .string("hh:mm a")], .time(48_600_000)),
        ScalarCase("PARSE_TIME", [.string("13"), .string("HH")], .time(46_800_000)),
        // Other conversions.
        ScalarCase("FROM_UNIXTIME", [.bigint(1000)], .timestamp(1000)),
        ScalarCase("UNIX_TIMESTAMP", [.timestamp(1_589_234_313_000)], .bigint(1_589_234_313_000)),
        ScalarCase("UNIX_DATE", [.date(10)], .integer(10)),
        ScalarCase("FROM_DAYS", [.integer(-10)], .date(-10)),
        ScalarCase("CONVERT_TZ", [.timestamp(1_526_075_913_000), .string("UTC"), .string("America/Los_Angeles")],
            .timestamp(1_526_050_713_000)),
        // Arithmetic with unit keywords.
        ScalarCase("DATEADD", [.string("DAYS"), .integer(10), .date(10)], .date(20)),
        ScalarCase("DATEADD", [.string("DAYS"), .integer(-5), .date(2)], .date(-3)),
        ScalarCase("DATESUB", [.string("DAYS"), .integer(-5), .date(-5)], .date(0)),
        ScalarCase("DATEADD", [.string("MILLISECONDS"), .null, .date(5)], .null, types: [.string, .integer, .date]),
        ScalarCase("TIMEADD", [.string("MILLISECONDS"), .integer(-5), .time(2)], .time(86_399_997)),
        ScalarCase("TIMESUB", [.string("MILLISECONDS"), .integer(10), .time(5)], .time(86_399_995)),
        ScalarCase("TIMESUB", [.string("HOURS"), .integer(-1), .time(0)], .time(3_600_000)),
        ScalarCase("TIMESTAMPADD", [.string("MILLISECONDS"), .integer(-5), .timestamp(2)], .timestamp(-3)),
        ScalarCase("TIMESTAMPSUB", [.string("days"), .integer(1), .timestamp(86_400_000)], .timestamp(0)),
    ]

    @Test(arguments: cases)
    func evaluates(_ c: ScalarCase) throws {
        #expect(try call(c.name, c.args, types: c.types) == c.expected)
        // Per-record pattern and zone compilation gives the same result.
        let r = try resolve(c.name, c.args, types: c.types, constants: c.name.hasSuffix("ADD") || c.name.hasSuffix("SUB"))
        #expect(try r.invoke(c.args, []) == c.expected)
    }

    @Test(arguments: [
        ("PARSE_DATE", [Value.string("2004"), .string("yyyy-MM-dd")]),
        ("PARSE_DATE", [.string("2004-01-01 10"), .string("yyyy-MM-dd HH")]),
        ("PARSE_DATE", [.string("2004"), .string("yyyy")]),
        ("PARSE_TIME", [.string("10:15"), .string("hh:mm")]),
        ("PARSE_TIME", [.string("2020-01-01 10:15"), .string("yyyy-MM-dd HH:mm")]),
        ("STRINGTODATE", [.string("foo"), .string("yyyyMMdd")]),
        ("PARSE_TIMESTAMP", [.string("2018-05-11 25:00"), .string("yyyy-MM-dd HH:mm")]),
        ("PARSE_TIMESTAMP", [.string("2018-05-11"), .string("yyyy-MM-dd bb")]),
        ("FORMAT_DATE", [.date(0), .string("HH:mm")]),
        ("FORMAT_TIME", [.time(0), .string("yyyy")]),
        ("FORMAT_TIMESTAMP", [.timestamp(0), .string("yyyy"), .string("Mars/Olympus_Mons")]),
        ("PARSE_DATE", [.string("2021-01-01 Monday"), .string("yyyy-MM-dd EEEE")]),
    ])
    func failsTheRecord(name: String, args: [Value]) throws {
        #expect(throws: FunctionError.self) { try call(name, args) }
    }

    @Test func unitMustBeAKnownLiteral() {
        #expect(throws: FunctionResolutionError.self) {
            try resolve("DATEADD", [.string("FORTNIGHTS"), .integer(1), .date(0)])
        }
        #expect(throws: FunctionResolutionError.self) {
            try resolve("DATEADD", [.string("DAYS"), .integer(1), .date(0)], constants: false)
        }
        #expect(throws: FunctionResolutionError.self) {
            try FunctionRegistry.standard.resolveScalar(
                name: "DATEADD", arguments: [.value(.date), .value(.integer), .value(.date)]) { _ in .string }
        }
    }

    @Test func parsedFieldTableHoldsEveryKey() {
        #expect(ParsedTemporal.Key.allCases.count <= 24)
        var table = ParsedTemporal.FieldTable()
        for key in ParsedTemporal.Key.allCases { table[key] = Int64(key.rawValue) * 1000 - 7 }
        for key in ParsedTemporal.Key.allCases { #expect(table[key] == Int64(key.rawValue) * 1000 - 7) }
        table[.month] = nil
        #expect(table[.month] == nil)
        #expect(table.keys.count == ParsedTemporal.Key.allCases.count - 1)
    }

    @Test func currentTimeIsRecent() throws {
        guard case .bigint(let now) = try call("UNIX_TIMESTAMP", []) else { Issue.record(); return }
        #expect(now > 1_700_000_000_000)
        guard case .integer(let today) = try call("UNIX_DATE", []) else { Issue.record(); return }
        #expect(Int64(today) == now / 86_400_000)
    }
}

@Suite struct TimeZoneTests {
    @Test func losAngelesOffsetsFollowDaylightSaving() throws {
        let la = try #require(TimeZoneRules.named("America/Los_Angeles"))
        #expect(la.offset(atUTC: 1_526_075_913) == -7 * 3600)
        #expect(la.offset(atUTC: 1_515_000_000) == -8 * 3600)
        // Far future: from the POSIX rule.
        #expect(la.offset(atUTC: 4_102_444_800 + 180 * 86_400) == -7 * 3600)
        #expect(la.type(atUTC: 4_102_444_800).abbreviation == "PST")
    }

    @Test func southernHemisphere() throws {
        let sydney = try #require(TimeZoneRules.named("Australia/Sydney"))
        // January is summer (AEDT, +11), July winter (AEST, +10), also past the table's end.
        #expect(sydney.offset(atUTC: 1_642_000_000) == 11 * 3600)
        #expect(sydney.offset(atUTC: 1_657_000_000) == 10 * 3600)
        #expect(sydney.offset(atUTC: 4_102_444_800 + 10 * 86_400) == 11 * 3600)
    }

    @Test(arguments: [("UTC", 0), ("Z", 0), ("+05:30", 19800), ("-08", -28800), ("GMT+2", 7200), ("UTC-03:00", -10800)])
    func fixedOffsets(id: String, seconds: Int) throws {
        let z = try #require(TimeZoneRules.named(id))
        #expect(z.offset(atUTC: 0) == seconds)
    }

    @Test func localTimesInGapsAndOverlaps() throws {
        let la = try #require(TimeZoneRules.named("America/Los_Angeles"))
        // 2021-03-14 02:30 does not exist: moved forward to 03:30 PDT (10:30 UTC).
        let gap = CivilTime.days(year: 2021, month: 3, day: 14) * 86_400 + 9_000
        #expect(la.utc(fromLocal: gap) == CivilTime.days(year: 2021, month: 3, day: 14) * 86_400 + 10 * 3600 + 1800)
        // 2021-11-07 01:30 happens twice: the earlier (PDT) instant.
        let overlap = CivilTime.days(year: 2021, month: 11, day: 7) * 86_400 + 5_400
        #expect(la.utc(fromLocal: overlap) == overlap + 7 * 3600)
    }

    @Test func unknownZones() {
        #expect(TimeZoneRules.named("Mars/Olympus_Mons") == nil)
        #expect(TimeZoneRules.named("../../etc/passwd") == nil)
        #expect(TimeZoneRules.named("+25:00") == nil)
    }
}
