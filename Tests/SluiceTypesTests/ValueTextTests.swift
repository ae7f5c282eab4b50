import SluiceTypes
import Testing

@Suite struct ValueTextTests {
    @Test func rendersValuesAsTheCLIShowsThem() {
        #expect(Value.string("hi").sqlText == "hi")
        #expect(Value.null.sqlText == "null")
        #expect(Value.double(1e10).sqlText == "1.0E10")
        #expect(Value.double(0.001).sqlText == "0.001")
        #expect(Value.double(1).sqlText == "1.0")
        #expect(dec(1050, 2).sqlText == "10.50")
        #expect(Value.bigint(-5).sqlText == "-5")
        #expect(Value.boolean(false).sqlText == "false")
        #expect(Value.bytes([0x61, 0x62, 0x63]).sqlText == "YWJj")
        #expect(Value.timestamp(1_577_836_800_000).sqlText == "2020-01-01T00:00:00.000")
        #expect(Value.timestamp(-1).sqlText == "1969-12-31T23:59:59.999")
        #expect(Value.date(18262).sqlText == "2020-01-01")
        #expect(Value.time(1000).sqlText == "00:00:01")
        #expect(Value.time(3_723_450).sqlText == "01:02:03.45")
        #expect(Value.array([.integer(1), .string("a")]).sqlText == #"[1,"a"]"#)
        #expect(Value.structure([StructEntry(name: "A", value: .double(1))]).sqlText == #"{"A":1.0}"#)
    }

    @Test func temporalText() {
        #expect(TemporalText.date(days: 0) == "1970-01-01")
        #expect(TemporalText.date(days: -1) == "1969-12-31")
        #expect(TemporalText.date(days: 11016) == "2000-02-29")
        #expect(TemporalText.date(days: 2_932_897) == "+10000-01-01")
        #expect(TemporalText.days(year: 2020, month: 1, day: 1) == 18262)
        for d: Int64 in [-800_000, -1, 0, 59, 60, 365, 10_957, 2_932_896] {
            let c = TemporalText.civil(fromDays: d)
            #expect(TemporalText.days(year: c.year, month: c.month, day: c.day) == d)
        }
        #expect(TemporalText.timestamp(millis: 1_700_000_000_123) == "2023-11-14T22:13:20.123")
        #expect(TemporalText.time(millis: 86_399_999) == "23:59:59.999")
        #expect(TemporalText.time(millis: 100) == "00:00:00.1")
    }

    @Test func jsonValueOfValues() throws {
        #expect(Value.decimal(SQLDecimal(unscaled: 1, scale: 7)).jsonValue == .number(text: "1E-7"))
        #expect(Value.double(.infinity).jsonValue == .string("Infinity"))
        #expect(Value.map([MapEntry(key: .string("k"), value: .integer(1))]).jsonValue == .object([JSONMember("k", .number(text: "1"))]))
        #expect(Value.integer(3).jsonValue(as: .double) == .number(text: "3.0"))
        let type = SQLType.structure([StructField(name: "A", type: .bigint)])
        #expect(Value.structure([StructEntry(name: "a", value: .integer(2))]).jsonValue(as: type) == .object([JSONMember("A", .number(text: "2"))]))
        // The tree rendering and the codec's byte writer agree.
        for v in JSONRowCodecTests.allValues {
            var w = JSONWriter()
            w.write(v.jsonValue)
            let c = try? JSONRowCodec(columns: [Column(name: "X", type: .string)], options: FormatOptions(wrapSingleValue: false), isKey: false)
            #expect(try c?.encode([v]) == w.bytes)
        }
    }

    @Test func base64() {
        #expect(Base64.encode([]) == "")
        #expect(Base64.encode(Array("f".utf8)) == "Zg==")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.encode(Array("foo".utf8)) == "Zm9v")
        #expect(Base64.encode([0xFB, 0xFF]) == "+/8=")
        #expect(Base64.decode("Zm8") == Array("fo".utf8))
        #expect(Base64.decode("Zm8", paddingRequired: true) == nil)
        #expect(Base64.decode(" Zm9v Zg== ", paddingRequired: true, skipsWhitespace: true) == Array("foof".utf8))
        #expect(Base64.decode("Zm9v Zg==") == nil)
        #expect(Base64.decode("Z") == nil)
        #expect(Base64.decode("Zm=v") == nil)
        #expect(Base64.decode("Zg==Zg==") == nil)
    }
}
