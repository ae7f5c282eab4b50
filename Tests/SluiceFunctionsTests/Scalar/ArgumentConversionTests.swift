import SluiceTypes
import Testing

@testable import SluiceFunctions

/// Conversions ksqlDB applies to arguments before a function sees them, and the leniencies some
/// functions have about their input text.
@Suite struct ArgumentConversionTests {
    @Test func textStandsInForTemporalArguments() throws {
        // 2022-06-14 is day 19157; the text is parsed once the DATE overload is chosen.
        let greatest = try call(
            "GREATEST", [.date(19071), .null, .string("2022-06-14")], types: [.date, nil, .string])
        #expect(greatest == .date(19157))
        let least = try call("LEAST", [.time(3_600_000), .string("00:30:00")], types: [.time, .string])
        #expect(least == .time(1_800_000))
        let latest = try call(
            "GREATEST", [.timestamp(0), .string("1970-01-01T00:00:01")], types: [.timestamp, .string])
        #expect(latest == .timestamp(1000))
    }

    @Test func decimalExtremesIgnoreNullLiteralsAndKeepTheirScale() throws {
        let d93 = SQLType.decimal(precision: 9, scale: 3)
        let least = try resolve("LEAST", [dec("1.500"), dec("-2.250"), .null], types: [d93, d93, nil])
        #expect(least.returnType == d93)
        let widened = try resolve(
            "GREATEST", [dec("1234567.89"), dec("0.123456")],
            types: [.decimal(precision: 9, scale: 2), .decimal(precision: 7, scale: 6)])
        #expect(widened.returnType == .decimal(precision: 13, scale: 6))
        // The winner comes back as it was read, not padded to the result's scale.
        guard case .decimal(let d) = try widened.invoke([dec("1234567.89"), dec("0.123456")], []) else {
            Issue.record("expected a decimal")
            return
        }
        #expect(d.scale == 2)
    }

    @Test func oddHexDigitsAfterZeroXGetALeadingZero() throws {
        #expect(try call("ENCODE", [.string("0x578"), .string("hex"), .string("base64")]) == .string("BXg="))
        #expect(throws: FunctionError.self) {
            try call("ENCODE", [.string("578"), .string("hex"), .string("base64")])
        }
    }

    @Test func parseDateIgnoresTrailingTextAndDefaultsTheDay() throws {
        let format = Value.string("yyyy-MM-dd")
        #expect(try call("PARSE_DATE", [.string("2003-12-24-01-01"), format]) == .date(12410))
        #expect(try call("PARSE_DATE", [.string("JAN-2022"), .string("MMM-yyyy")]) == .date(18993))
        // STRINGTODATE stays strict.
        #expect(throws: FunctionError.self) {
            try call("STRINGTODATE", [.string("2003-12-24-01-01"), format])
        }
    }
}
