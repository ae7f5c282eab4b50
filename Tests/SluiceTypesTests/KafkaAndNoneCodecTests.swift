import SluiceTypes
import Testing

@Suite struct KafkaAndNoneCodecTests {
    func kafka(_ type: SQLType) throws -> any RowCodec {
        try Codecs.make(format: .kafka, columns: [Column(name: "V", type: type)], options: FormatOptions(), isKey: true)
    }

    @Test func writesKafkaSerializerBytes() throws {
        #expect(try kafka(.integer).encode([.integer(1)]) == [0, 0, 0, 1])
        #expect(try kafka(.integer).encode([.integer(-2)]) == [0xFF, 0xFF, 0xFF, 0xFE])
        #expect(try kafka(.bigint).encode([.bigint(0x0102_0304_0506_0708)]) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(try kafka(.double).encode([.double(1.0)]) == [0x3F, 0xF0, 0, 0, 0, 0, 0, 0])
        #expect(try kafka(.string).encode([.string("bär")]) == bytes("bär"))
        #expect(try kafka(.bytes).encode([.bytes([9, 8])]) == [9, 8])
    }

    @Test func readsThemBackAndChecksSizes() throws {
        #expect(try kafka(.integer).decode([0xFF, 0xFF, 0xFF, 0xFE]) == [.integer(-2)])
        #expect(try kafka(.bigint).decode([0x80, 0, 0, 0, 0, 0, 0, 0]) == [.bigint(Int64.min)])
        #expect(try kafka(.double).decode([0xC0, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18]) == [.double(-3.141592653589793)])
        #expect(try kafka(.string).decode(bytes("foo")) == [.string("foo")])
        #expect(try kafka(.string).decode([]) == [.string("")])
        #expect(try kafka(.bytes).decode([1, 2]) == [.bytes([1, 2])])
        #expect(errorMessage { try kafka(.integer).decode([0, 1]) } == "Size of data received by IntegerDeserializer is not 4")
        #expect(errorMessage { try kafka(.bigint).decode([0, 0, 0, 1]) } == "Size of data received by LongDeserializer is not 8")
        #expect(errorMessage { try kafka(.double).decode([]) } == "Size of data received by DoubleDeserializer is not 8")
    }

    @Test func borrowedBytesReadTheSame() throws {
        let cases: [(SQLType, [UInt8])] = [
            (.integer, [0xFF, 0xFF, 0xFF, 0xFE]), (.bigint, [0x80, 0, 0, 0, 0, 0, 0, 1]),
            (.double, [0xC0, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18]), (.string, bytes("bär")), (.bytes, [1, 2]),
        ]
        for (type, payload) in cases {
            let codec = try kafka(type)
            let borrowed = try payload.withUnsafeBytes { raw in Result { () throws(RecordError) in try codec.decode(borrowing: raw) } }.get()
            #expect(borrowed == (try codec.decode(payload)))
        }
    }

    @Test func nullValuesHaveNoPayload() throws {
        let c = try kafka(.integer)
        #expect(try c.encodePayload([.null]) == nil)
        #expect(try c.encode([.null]) == [])
        #expect(try c.encodePayload([.integer(3)]) == [0, 0, 0, 3])
        let json = try Codecs.make(format: .json, columns: [Column(name: "V", type: .integer)], options: FormatOptions(wrapSingleValue: false), isKey: false)
        #expect(try json.encodePayload([.null]) == bytes("null"))
        #expect(errorMessage { try c.encode([.string("x")]) } != nil)
    }

    @Test func rejectsWhatKafkaCannotHold() {
        for (type, name) in [(SQLType.boolean, "BOOLEAN"), (.decimal(precision: 2, scale: 1), "DECIMAL"), (.date, "DATE"), (.time, "TIME"), (.timestamp, "TIMESTAMP")] {
            #expect(errorMessage { try kafka(type) } == "The 'KAFKA' format does not support type '\(name)'")
        }
        #expect(errorMessage { try kafka(.array(.integer)) } == "The 'KAFKA' format does not support type 'ARRAY'")
        #expect(errorMessage { try kafka(.structure([])) } == "The 'KAFKA' format does not support type 'STRUCT'")
        #expect(errorMessage {
            try Codecs.make(format: .kafka, columns: [Column(name: "A", type: .integer), Column(name: "B", type: .integer)], options: FormatOptions(), isKey: false)
        } == "The 'KAFKA' format only supports a single field. Got: [`A` INTEGER, `B` INTEGER]")
        #expect(errorMessage {
            try Codecs.make(format: .kafka, columns: [Column(name: "A", type: .integer)], options: FormatOptions(wrapSingleValue: true), isKey: false)
        } == "Format 'KAFKA' does not support 'WRAP_SINGLE_VALUE' set to 'true'.")
    }

    @Test func noColumnsMeansNoPayload() throws {
        for format in [FormatKind.none, .kafka, .json, .jsonSR, .delimited] {
            let c = try Codecs.make(format: format, columns: [], options: FormatOptions(), isKey: true)
            #expect(try c.encode([]) == [])
            #expect(try c.encodePayload([]) == nil)
            #expect(try c.decode([1, 2, 3]) == [])
        }
        #expect(errorMessage { try Codecs.make(format: .none, columns: [Column(name: "K", type: .integer)], options: FormatOptions(), isKey: true) }
            == "The 'NONE' format can only be used when no columns are defined. Got: [`K` INTEGER]")
    }

    @Test func schemaRegistryFormatsRoundTripThroughTheFactory() throws {
        let columns = [Column(name: "A", type: .integer), Column(name: "B", type: .string)]
        for format in [FormatKind.avro, .protobuf, .protobufNoSR] {
            let codec = try Codecs.make(format: format, columns: columns, options: FormatOptions(), isKey: false)
            let row: [Value] = [.integer(7), .string("x")]
            #expect(try codec.decode(codec.encode(row)) == row, "\(format)")
        }
    }

    @Test func windowedKeysFollowKafkaStreamsLayout() throws {
        let inner: [UInt8] = [0xAA, 0xBB]
        let time = WindowedKey.timeWindowed(inner, start: 0x0102)
        #expect(time == [0xAA, 0xBB, 0, 0, 0, 0, 0, 0, 1, 2])
        let t = try WindowedKey.splitTimeWindowed(time)
        #expect(t.key == inner && t.start == 0x0102)
        let session = WindowedKey.sessionWindowed(inner, start: 1, end: 2)
        #expect(session == [0xAA, 0xBB, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1])
        let s = try WindowedKey.splitSessionWindowed(session)
        #expect(s.key == inner && s.start == 1 && s.end == 2)
        #expect(try WindowedKey.splitTimeWindowed(WindowedKey.timeWindowed([], start: -1)).start == -1)
        #expect(errorMessage { try WindowedKey.splitTimeWindowed([1, 2, 3]) } != nil)
        #expect(errorMessage { try WindowedKey.splitSessionWindowed([UInt8](repeating: 0, count: 15)) } != nil)
    }
}
