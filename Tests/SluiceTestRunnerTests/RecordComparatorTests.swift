import SluiceTypes
import Testing

@testable import SluiceTestRunner

@Suite struct RecordComparatorTests {
    static func json(_ text: String) -> JSONValue { try! JSONParser.parse(text) }
    static func decimal(_ text: String) -> ActualValue { .decimal(JavaDecimal(text)!) }

    /// (actual, expected JSON, matches?) following ksqlDB's ExpectedRecordComparator.
    static let numberCases: [(ActualValue, String, Bool)] = [
        (.int(1), "1", true),
        (.int(1), "2", false),
        // Integer actuals compare with the expected number's truncated int value.
        (.int(1), "1.0", true),
        (.int(1), "1.9", true),
        (.int(-1), "-1.9", true),
        (.long(5_000_000_000), "5000000000", true),
        (.long(7), "7", true),
        (.long(7), "7.00", true),
        (.double(1.5), "1.5", true),
        (.double(0.1), "0.1", true),
        (.double(2), "2", true),
        (.double(1.5), "1.50", true),
        (.double(1.5), "1.6", false),
        // BigDecimal actuals compare exactly, scale included.
        (decimal("1.5"), "1.5", true),
        (decimal("1.50"), "1.5", false),
        (decimal("1.5"), "1.50", false),
        (decimal("1.0"), "1", false),
        (decimal("1E+2"), "100", true),
        (decimal("-0.0"), "0.0", true),
        // BigInteger actuals never match.
        (.bigInteger("123456789012345678901234567890"), "123456789012345678901234567890", false),
        (.string("1"), "1", false),
        (.null, "0", false),
    ]

    @Test(arguments: numberCases)
    func numbersFollowTheActualType(_ actual: ActualValue, _ expected: String, _ result: Bool) {
        #expect(RecordComparator.matches(actual, Self.json(expected)) == result)
    }

    @Test func stringsMatchStringsAndEqualDecimals() {
        #expect(RecordComparator.matches(.string("a"), .string("a")))
        #expect(!RecordComparator.matches(.string("a"), .string("A")))
        #expect(RecordComparator.matches(Self.decimal("12.30"), .string("12.30")))
        #expect(!RecordComparator.matches(Self.decimal("12.30"), .string("12.3")))
        #expect(!RecordComparator.matches(Self.decimal("12.30"), .string("not a number")))
        #expect(!RecordComparator.matches(.int(1), .string("1")))
    }

    @Test func nullMatchesOnlyNull() {
        #expect(RecordComparator.matches(.null, .null))
        #expect(!RecordComparator.matches(.string(""), .null))
        #expect(!RecordComparator.matches(.null, .string("")))
        #expect(RecordComparator.matches(.boolean(true), .bool(true)))
        #expect(!RecordComparator.matches(.boolean(true), .bool(false)))
        #expect(!RecordComparator.matches(.string("true"), .bool(true)))
    }

    @Test func objectsMatchMapsByNameWithUpperCaseFallback() {
        let actual = ActualValue(json: Self.json(#"{"ID": 1, "NAME": "x", "GONE": null}"#))
        #expect(RecordComparator.matches(actual, Self.json(#"{"ID": 1, "NAME": "x", "GONE": null}"#)))
        // Expected lower-case names find upper-case fields.
        #expect(RecordComparator.matches(actual, Self.json(#"{"id": 1, "name": "x", "gone": null}"#)))
        // Same size, but a field the map lacks only matches an expected null.
        #expect(RecordComparator.matches(actual, Self.json(#"{"ID": 1, "NAME": "x", "OTHER": null}"#)))
        #expect(!RecordComparator.matches(actual, Self.json(#"{"ID": 1, "NAME": "x", "OTHER": 2}"#)))
        // Field counts must agree.
        #expect(!RecordComparator.matches(actual, Self.json(#"{"ID": 1, "NAME": "x"}"#)))
        #expect(!RecordComparator.matches(actual, Self.json(#"{"ID": 2, "NAME": "x", "GONE": null}"#)))
        // Upper-case expectations do not find lower-case fields.
        let lower = ActualValue(json: Self.json(#"{"id": 1}"#))
        #expect(!RecordComparator.matches(lower, Self.json(#"{"ID": 1}"#)))
        #expect(!RecordComparator.matches(.list([]), Self.json("{}")))
    }

    @Test func arraysMatchElementwise() {
        let actual = ActualValue(json: Self.json("[1, 2.50, \"a\", null, [true]]"))
        #expect(RecordComparator.matches(actual, Self.json("[1, 2.50, \"a\", null, [true]]")))
        #expect(!RecordComparator.matches(actual, Self.json("[1, 2.5, \"a\", null, [true]]")))
        #expect(!RecordComparator.matches(actual, Self.json("[1, 2.50, \"a\", null]")))
        #expect(!RecordComparator.matches(.map([]), Self.json("[]")))
    }

    @Test func jsonNumbersBecomeJavaTypes() {
        #expect(ActualValue(json: Self.json("2147483647")) == .int(Int32.max))
        #expect(ActualValue(json: Self.json("2147483648")) == .long(2_147_483_648))
        #expect(ActualValue(json: Self.json("-9223372036854775808")) == .long(Int64.min))
        #expect(ActualValue(json: Self.json("9223372036854775808")) == .bigInteger("9223372036854775808"))
        #expect(ActualValue(json: Self.json("1.25")) == Self.decimal("1.25"))
        #expect(ActualValue(json: Self.json(#"{"a": 1, "a": 2}"#)) == .map([ActualValue.Field("a", .int(2))]))
    }
}

@Suite struct JavaDecimalTests {
    @Test func parsesUnscaledValueAndScale() throws {
        let plain = try #require(JavaDecimal("-12.340"))
        #expect(plain.isNegative && plain.digits == "12340" && plain.scale == 3)
        let exponent = try #require(JavaDecimal("1.5E+2"))
        #expect(exponent.digits == "15" && exponent.scale == -1)
        let small = try #require(JavaDecimal("2e-3"))
        #expect(small.digits == "2" && small.scale == 3)
        let zero = try #require(JavaDecimal("-0.00"))
        #expect(!zero.isNegative && zero.digits == "0" && zero.scale == 2)
        #expect(JavaDecimal("abc") == nil)
        #expect(JavaDecimal("1.2.3") == nil)
        #expect(JavaDecimal("") == nil)
    }

    @Test func truncatesLikeJava() throws {
        #expect(try #require(JavaDecimal("-7.9")).truncatedInt64 == -7)
        #expect(try #require(JavaDecimal("1E+3")).truncatedInt64 == 1000)
        // Out of range: the low 64 bits, as BigDecimal.longValue() gives.
        #expect(try #require(JavaDecimal("18446744073709551617")).truncatedInt64 == 1)
        #expect(try #require(JavaDecimal("4294967297.5")).truncatedInt32 == 1)
        #expect(try #require(JavaDecimal("9223372036854775808")).exactInt64 == nil)
        #expect(try #require(JavaDecimal("-9223372036854775808")).exactInt64 == Int64.min)
        #expect(try #require(JavaDecimal("3.10")).exactInt64 == nil)
        #expect(try #require(JavaDecimal("3.00")).exactInt64 == 3)
        #expect(try #require(JavaDecimal("0.1")).doubleValue == 0.1)
    }

    @Test func printsPlainNotation() throws {
        #expect(try #require(JavaDecimal("0.0012")).description == "0.0012")
        #expect(try #require(JavaDecimal("-12.5")).description == "-12.5")
        #expect(try #require(JavaDecimal("42")).description == "42")
    }
}
