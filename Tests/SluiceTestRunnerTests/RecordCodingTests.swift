import SluiceTypes
import Testing

@testable import SluiceTestRunner

@Suite struct RecordCodingTests {
    static func layout(
        key: FormatKind = .kafka, value: FormatKind = .json, keyType: SQLType = .integer, valueType: SQLType = .string,
        windowing: TopicLayout.Windowing? = nil
    ) -> TopicLayout {
        TopicLayout(
            keyFormat: key, valueFormat: value, keyColumns: [Column(name: "K", type: keyType, namespace: .key)],
            valueColumns: [Column(name: "V", type: valueType)], windowing: windowing)
    }

    @Test func jsonIsWrittenAsTheTestSpellsIt() throws {
        let record = InputRecord(
            topic: "t", key: .number(text: "7"), value: try JSONParser.parse(#"{"a": 1.50, "b": "x"}"#))
        let bytes = try RecordEncoder.value(record, layout: Self.layout())
        #expect(bytes.map { String(decoding: $0, as: UTF8.self) } == #"{"a":1.50,"b":"x"}"#)
        let text = InputRecord(topic: "t", value: .string("{not json"))
        #expect(try RecordEncoder.value(text, layout: Self.layout()) == Array(#""{not json""#.utf8))
        let tombstone = InputRecord(topic: "t", value: .null)
        #expect(try RecordEncoder.value(tombstone, layout: Self.layout()) == nil)
        let schemaRegistry = try RecordEncoder.value(
            InputRecord(topic: "t", value: .bool(true)), layout: Self.layout(value: .jsonSR))
        #expect(schemaRegistry == [0, 0, 0, 0, 1] + Array("true".utf8))
    }

    @Test func kafkaKeysUseTheColumnType() throws {
        let int = try RecordEncoder.key(
            InputRecord(topic: "t", key: .number(text: "-2"), value: .null), layout: Self.layout())
        #expect(int == [0xFF, 0xFF, 0xFF, 0xFE])
        let long = try RecordEncoder.key(
            InputRecord(topic: "t", key: .number(text: "1"), value: .null), layout: Self.layout(keyType: .bigint))
        #expect(long == [0, 0, 0, 0, 0, 0, 0, 1])
        let string = try RecordEncoder.key(
            InputRecord(topic: "t", key: .string("é"), value: .null), layout: Self.layout(keyType: .string))
        #expect(string == Array("é".utf8))
        #expect(throws: CodingFailure.self) {
            try RecordEncoder.key(InputRecord(topic: "t", key: .string("1"), value: .null), layout: Self.layout())
        }
        #expect(throws: CodingFailure.self) {
            try RecordEncoder.key(
                InputRecord(topic: "t", key: .number(text: "1.5"), value: .null), layout: Self.layout(keyType: .bigint))
        }
        let double = try #require(
            try RecordEncoder.key(
                InputRecord(topic: "t", key: .number(text: "2"), value: .null), layout: Self.layout(keyType: .double)))
        #expect(try RecordDecoder.key(double, layout: Self.layout(keyType: .double)).key == .double(2))
    }

    @Test func windowedKeysRoundTrip() throws {
        let time = Self.layout(windowing: .time(sizeMs: 30_000))
        let input = InputRecord(
            topic: "t", key: .number(text: "5"), value: .null,
            window: WindowData(start: 60_000, end: 90_000, kind: .time))
        let timeBytes = try #require(try RecordEncoder.key(input, layout: time))
        #expect(timeBytes.count == 4 + 8)
        let timeKey = try RecordDecoder.key(timeBytes, layout: time)
        #expect(timeKey.key == .int(5) && timeKey.window == WindowData(start: 60_000, end: 90_000, kind: .time))

        let session = Self.layout(windowing: .session)
        let sessionInput = InputRecord(
            topic: "t", key: .number(text: "5"), value: .null, window: WindowData(start: 10, end: 20, kind: .session))
        let sessionBytes = try #require(try RecordEncoder.key(sessionInput, layout: session))
        // Kafka's session key layout: key, then end, then start.
        #expect(Array(sessionBytes[4..<12]) == [0, 0, 0, 0, 0, 0, 0, 20])
        let sessionKey = try RecordDecoder.key(sessionBytes, layout: session)
        #expect(sessionKey.window == WindowData(start: 10, end: 20, kind: .session) && sessionKey.key == .int(5))
        #expect(throws: CodingFailure.self) { try RecordDecoder.key([1, 2, 3], layout: session) }
    }

    @Test func outputsAreReadWithoutTheSchema() throws {
        #expect(
            try RecordDecoder.value(Array(#"{"A":1} trailing"#.utf8), layout: Self.layout())
                == .map([ActualValue.Field("A", .int(1))]))
        #expect(try RecordDecoder.value(nil, layout: Self.layout()) == .null)
        #expect(try RecordDecoder.value(Array("1,x".utf8), layout: Self.layout(value: .delimited)) == .string("1,x"))
        #expect(try RecordDecoder.value(Array("x".utf8), layout: Self.layout(value: .none)) == .null)
        #expect(throws: CodingFailure.self) { try RecordDecoder.value(Array("{".utf8), layout: Self.layout()) }
        // AVRO goes through the columns: written from the test's JSON, read back as Java objects.
        let avroLayout = Self.layout(value: .avro)
        let bytes = try RecordEncoder.encode(
            .object([JSONMember("V", .string("hi"))]), format: .avro, columns: avroLayout.valueColumns, what: "value")
        #expect(try RecordDecoder.value(bytes, layout: avroLayout) == .map([ActualValue.Field("V", .string("hi"))]))
        #expect(throws: CodingFailure.self) { try RecordDecoder.value([0], layout: avroLayout) }
    }
}
