import SluiceTypes
import Testing

@Suite struct ProtobufTests {
    static let header: [UInt8] = [0, 0, 0, 0, 1, 0]

    func codec(_ columns: [Column], sr: Bool = false, key: Bool = false, nullable: ProtobufNullableRepresentation = .none) throws -> ProtobufRowCodec {
        try ProtobufRowCodec(columns: columns, options: FormatOptions(), isKey: key, schemaRegistry: sr, schemaID: 1, nullable: nullable)
    }

    static let primitives = [
        Column(name: "I", type: .integer), Column(name: "L", type: .bigint), Column(name: "D", type: .double),
        Column(name: "B", type: .boolean), Column(name: "S", type: .string),
    ]

    // MARK: byte-exact vectors

    @Test func writesFieldsNumberedInColumnOrder() throws {
        let c = try codec(Self.primitives)
        let bytes: [UInt8] = [
            0x08, 0x01,  // 1: varint 1
            0x10, 0x01,  // 2: varint 1
            0x19, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0xF3, 0x3F,  // 3: fixed64 1.2
            0x20, 0x01,  // 4: varint true
            0x2A, 0x03, 0x66, 0x6F, 0x6F,  // 5: length 3 "foo"
        ]
        let row: [Value] = [.integer(1), .bigint(1), .double(1.2), .boolean(true), .string("foo")]
        #expect(try c.encode(row) == bytes)
        #expect(try c.decode(bytes) == row)
        // Fields in any order, repeated scalars keep the last value.
        #expect(try c.decode([0x2A, 0x01, 0x78, 0x08, 0x05, 0x08, 0x07]) == [.integer(7), .bigint(0), .double(0), .boolean(false), .string("x")])
        let sr = try codec(Self.primitives, sr: true)
        #expect(try sr.encode(row) == Self.header + bytes)
        #expect(try sr.decode(Self.header + bytes) == row)
    }

    @Test func nullScalarsAreNotWrittenAndReadAsDefaults() throws {
        let c = try codec(Self.primitives)
        let nulls = [Value](repeating: .null, count: 5)
        #expect(try c.encode(nulls) == [])
        // Defaults are not written either.
        #expect(try c.encode([.integer(0), .bigint(0), .double(0), .boolean(false), .string("")]) == [])
        #expect(try c.decode([]) == [.integer(0), .bigint(0), .double(0), .boolean(false), .string("")])
        #expect(try codec(Self.primitives, sr: true).decode(Self.header) == [.integer(0), .bigint(0), .double(0), .boolean(false), .string("")])
        // -0.0 is not the default.
        #expect(try codec([Column(name: "D", type: .double)]).encode([.double(-0.0)]) == [0x09, 0, 0, 0, 0, 0, 0, 0, 0x80])
        // Negative int32 is the 10-byte two's complement varint.
        #expect(try codec([Column(name: "I", type: .integer)]).encode([.integer(-1)]) == [0x08] + [UInt8](repeating: 0xFF, count: 9) + [0x01])
        #expect(try codec([Column(name: "I", type: .integer)]).decode([0x08] + [UInt8](repeating: 0xFF, count: 9) + [0x01]) == [.integer(-1)])
        #expect(try codec([Column(name: "BY", type: .bytes)]).decode([]) == [.bytes([])])
    }

    @Test func singleKeysAreWrappedToo() throws {
        let k = try codec([Column(name: "F1", type: .boolean)], sr: true, key: true)
        #expect(try k.encode([.boolean(true)]) == Self.header + [0x08, 0x01])
        #expect(try k.decode(Self.header) == [.boolean(false)])
        let keys = try codec([Column(name: "F1", type: .integer), Column(name: "F2", type: .string)], key: true)
        #expect(try keys.decode(try keys.encode([.null, .null])) == [.integer(0), .string("")])
        #expect(errorMessage { try ProtobufRowCodec(columns: [Column(name: "V", type: .integer)], options: FormatOptions(wrapSingleValue: false), isKey: false, schemaRegistry: true) }
            == "Format 'PROTOBUF' does not support 'WRAP_SINGLE_VALUE' set to 'false'.")
    }

    @Test func repeatedFieldsArePackedAndEmptyWhenMissing() throws {
        let c = try codec([Column(name: "A", type: .array(.integer))])
        #expect(try c.encode([.array([.integer(1), .integer(2), .integer(300)])]) == [0x0A, 0x04, 0x01, 0x02, 0xAC, 0x02])
        #expect(try c.decode([0x0A, 0x04, 0x01, 0x02, 0xAC, 0x02]) == [.array([.integer(1), .integer(2), .integer(300)])])
        // Unpacked elements, and packed runs, concatenate.
        #expect(try c.decode([0x08, 0x01, 0x0A, 0x01, 0x02, 0x08, 0x03]) == [.array([.integer(1), .integer(2), .integer(3)])])
        #expect(try c.encode([.null]) == [])
        #expect(try c.encode([.array([])]) == [])
        #expect(try c.decode([]) == [.array([])])
        #expect(errorMessage { try c.encode([.array([.integer(1), .null])]) } == "PROTOBUF cannot write a NULL array element")
        let s = try codec([Column(name: "A", type: .array(.string))])
        #expect(try s.encode([.array([.string("a"), .string("")])]) == [0x0A, 0x01, 0x61, 0x0A, 0x00])
        #expect(try s.decode([0x0A, 0x01, 0x61, 0x0A, 0x00]) == [.array([.string("a"), .string("")])])
    }

    @Test func mapsAreRepeatedEntryMessages() throws {
        let c = try codec([Column(name: "M", type: .map(key: .string, value: .string))])
        let one: [UInt8] = [0x0A, 0x06, 0x0A, 0x01, 0x31, 0x12, 0x01, 0x61]
        #expect(try c.encode([.map([MapEntry(key: .string("1"), value: .string("a"))])]) == one)
        #expect(try c.decode(one) == [.map([MapEntry(key: .string("1"), value: .string("a"))])])
        // Empty key and value are left out of the entry; a later entry with the same key wins.
        #expect(try c.encode([.map([MapEntry(key: .string(""), value: .string(""))])]) == [0x0A, 0x00])
        #expect(try c.decode(one + [0x0A, 0x03, 0x0A, 0x01, 0x31]) == [.map([MapEntry(key: .string("1"), value: .string(""))])])
        #expect(try c.decode([]) == [.map([])])
        #expect(errorMessage { try c.encode([.map([MapEntry(key: .string("k"), value: .null)])]) } == "PROTOBUF cannot write a NULL map value")
        #expect(errorMessage { try codec([Column(name: "M", type: .map(key: .integer, value: .double))], sr: true) }
            == "PROTOBUF format only supports MAP types with STRING keys. See https://github.com/confluentinc/ksql/issues/6177.")
        #expect(errorMessage { try codec([Column(name: "A", type: .array(.array(.integer)))]) } == "Array cannot be nested")
    }

    @Test func mapEntriesWithoutAValue() throws {
        // An entry without its message value reads the message's default instance.
        let c = try codec([Column(name: "M", type: .map(key: .string, value: .structure([StructField(name: "N", type: .bigint)])))])
        #expect(try c.decode([0x0A, 0x03, 0x0A, 0x01, 0x6B])
            == [.map([MapEntry(key: .string("k"), value: .structure([StructEntry(name: "N", value: .bigint(0))]))])])
        let ts = try codec([Column(name: "M", type: .map(key: .string, value: .timestamp))])
        #expect(try ts.decode([0x0A, 0x03, 0x0A, 0x01, 0x6B]) == [.map([MapEntry(key: .string("k"), value: .timestamp(0))])])
        // Maps of maps and maps of arrays nest entry messages and repeated fields.
        let mm = try codec([Column(name: "M", type: .map(key: .string, value: .map(key: .string, value: .integer)))])
        let v: [Value] = [.map([MapEntry(key: .string("a"), value: .map([MapEntry(key: .string("b"), value: .integer(1))]))])]
        #expect(try mm.encode(v) == [0x0A, 0x0A, 0x0A, 0x01, 0x61, 0x12, 0x05, 0x0A, 0x01, 0x62, 0x10, 0x01])
        #expect(try mm.decode(try mm.encode(v)) == v)
        let ma = try codec([Column(name: "M", type: .map(key: .string, value: .array(.bigint)))])
        let w: [Value] = [.map([MapEntry(key: .string("a"), value: .array([.bigint(1), .bigint(2)]))])]
        #expect(try ma.encode(w) == [0x0A, 0x07, 0x0A, 0x01, 0x61, 0x12, 0x02, 0x01, 0x02])
        #expect(try ma.decode(try ma.encode(w)) == w)
        #expect(errorMessage { try codec([Column(name: "A", type: .array(.map(key: .string, value: .integer)))]) }
            == "The 'PROTOBUF_NOSR' format does not support ARRAY of MAP")
    }

    @Test func structsAreNestedMessages() throws {
        let c = try codec([Column(name: "FOO", type: .structure([StructField(name: "F0", type: .integer)]))])
        let row: [Value] = [.structure([StructEntry(name: "F0", value: .integer(1))])]
        #expect(try c.encode(row) == [0x0A, 0x02, 0x08, 0x01])
        #expect(try c.decode([0x0A, 0x02, 0x08, 0x01]) == row)
        // A struct with a NULL field is an empty message: present, with the default.
        #expect(try c.encode([.structure([StructEntry(name: "F0", value: .null)])]) == [0x0A, 0x00])
        #expect(try c.decode([0x0A, 0x00]) == [.structure([StructEntry(name: "F0", value: .integer(0))])])
        // A missing message is NULL.
        #expect(try c.encode([.null]) == [])
        #expect(try c.decode([]) == [.null])
        // A message field seen twice is merged.
        let two = try codec([Column(name: "S", type: .structure([StructField(name: "A", type: .integer), StructField(name: "B", type: .integer)]))])
        #expect(try two.decode([0x0A, 0x02, 0x08, 0x01, 0x0A, 0x02, 0x10, 0x02])
            == [.structure([StructEntry(name: "A", value: .integer(1)), StructEntry(name: "B", value: .integer(2))])])
    }

    @Test func wellKnownMessages() throws {
        let d = try codec([Column(name: "V", type: .decimal(precision: 4, scale: 2))])
        // confluent.type.Decimal { value = 0x03E9 (1001), precision = 4, scale = 2 }
        let dec1001: [UInt8] = [0x0A, 0x08, 0x0A, 0x02, 0x03, 0xE9, 0x10, 0x04, 0x18, 0x02]
        #expect(try d.encode([dec(1001, 2)]) == dec1001)
        #expect(try d.decode(dec1001) == [dec(1001, 2)])
        #expect(try d.encode([dec(0, 2)]) == [0x0A, 0x07, 0x0A, 0x01, 0x00, 0x10, 0x01, 0x18, 0x02])
        // A precision rounds half-up: 10.015 at precision 4 is 10.02.
        #expect(try d.decode([0x0A, 0x08, 0x0A, 0x02, 0x27, 0x1F, 0x10, 0x04, 0x18, 0x03]) == [dec(1002, 2)])
        #expect(errorMessage { try d.decode([0x0A, 0x00]) } == "Zero length BigInteger")
        #expect(try d.decode([]) == [.null])

        // google.type.Date { year = 2020, month = 1, day = 1 } is day 18262.
        let date = try codec([Column(name: "V", type: .date)])
        #expect(try date.encode([.date(18262)]) == [0x0A, 0x07, 0x08, 0xE4, 0x0F, 0x10, 0x01, 0x18, 0x01])
        #expect(try date.decode([0x0A, 0x07, 0x08, 0xE4, 0x0F, 0x10, 0x01, 0x18, 0x01]) == [.date(18262)])
        #expect(try date.decode(try date.encode([.date(-719_162)])) == [.date(-719_162)])
        #expect(errorMessage { try date.decode([0x0A, 0x07, 0x08, 0xE4, 0x0F, 0x10, 0x02, 0x18, 0x1E]) } != nil)  // Feb 30

        // google.type.TimeOfDay { hours = 1, minutes = 2, seconds = 3, nanos = 4000000 }
        let time = try codec([Column(name: "V", type: .time)])
        let t: [UInt8] = [0x0A, 0x0B, 0x08, 0x01, 0x10, 0x02, 0x18, 0x03, 0x20, 0x80, 0x92, 0xF4, 0x01]
        #expect(try time.encode([.time(3_723_004)]) == t)
        #expect(try time.decode(t) == [.time(3_723_004)])
        #expect(try time.encode([.time(0)]) == [0x0A, 0x00])
        #expect(errorMessage { try time.decode([0x0A, 0x02, 0x08, 0x18]) } != nil)  // hour 24

        // google.protobuf.Timestamp { seconds = 1, nanos = 500000000 }
        let ts = try codec([Column(name: "V", type: .timestamp)])
        let tsBytes: [UInt8] = [0x0A, 0x08, 0x08, 0x01, 0x10, 0x80, 0xCA, 0xB5, 0xEE, 0x01]
        #expect(try ts.encode([.timestamp(1500)]) == tsBytes)
        #expect(try ts.decode(tsBytes) == [.timestamp(1500)])
        // Before the epoch: floor seconds, non-negative nanos.
        #expect(try ts.decode(try ts.encode([.timestamp(-1)])) == [.timestamp(-1)])
        #expect(Array(try ts.encode([.timestamp(-1)]).prefix(3)) == [0x0A, 0x11, 0x08])
    }

    @Test func nullableRepresentations() throws {
        let w = try codec(Self.primitives, nullable: .wrapper)
        // Wrapper messages: NULL is absent, a default value an empty wrapper.
        #expect(try w.encode([.null, .bigint(0), .null, .boolean(false), .null]) == [0x12, 0x00, 0x22, 0x00])
        #expect(try w.decode([0x12, 0x00, 0x22, 0x00]) == [.null, .bigint(0), .null, .boolean(false), .null])
        #expect(try w.encode([.integer(5), .null, .null, .null, .string("")]) == [0x0A, 0x02, 0x08, 0x05, 0x2A, 0x00])
        #expect(try w.decode([0x0A, 0x02, 0x08, 0x05, 0x2A, 0x00]) == [.integer(5), .null, .null, .null, .string("")])
        let o = try codec(Self.primitives, nullable: .optional)
        // Optional scalars: present when not NULL, even at the default.
        #expect(try o.encode([.integer(0), .null, .double(0), .null, .string("")]) == [0x08, 0x00, 0x19, 0, 0, 0, 0, 0, 0, 0, 0, 0x2A, 0x00])
        #expect(try o.decode([0x08, 0x00, 0x19, 0, 0, 0, 0, 0, 0, 0, 0, 0x2A, 0x00]) == [.integer(0), .null, .double(0), .null, .string("")])
    }

    // MARK: round trips

    /// What a value reads back as without a nullable representation: NULL scalars become their
    /// defaults, NULL arrays and maps become empty; NULL messages stay NULL.
    static func protobufNormalized(_ v: Value, _ type: SQLType) -> Value {
        switch (v, type) {
        case (.null, .boolean): return .boolean(false)
        case (.null, .integer): return .integer(0)
        case (.null, .bigint): return .bigint(0)
        case (.null, .double): return .double(0)
        case (.null, .string): return .string("")
        case (.null, .bytes): return .bytes([])
        case (.null, .array): return .array([])
        case (.null, .map): return .map([])
        case (.array(let items), .array(let e)): return .array(items.map { protobufNormalized($0, e) })
        case (.map(let entries), .map(_, let vt)): return .map(entries.map { MapEntry(key: $0.key, value: protobufNormalized($0.value, vt)) })
        case (.structure(let entries), .structure(let fields)):
            return .structure(zip(entries, fields).map { StructEntry(name: $0.name, value: protobufNormalized($0.value, $1.type)) })
        default: return v
        }
    }

    /// NULL arrays and maps read back empty, whatever the nullable representation.
    static func emptyContainers(_ v: Value, _ type: SQLType) -> Value {
        switch (v, type) {
        case (.null, .array): return .array([])
        case (.null, .map): return .map([])
        case (.array(let items), .array(let e)): return .array(items.map { emptyContainers($0, e) })
        case (.map(let entries), .map(_, let vt)): return .map(entries.map { MapEntry(key: $0.key, value: emptyContainers($0.value, vt)) })
        case (.structure(let entries), .structure(let fields)):
            return .structure(zip(entries, fields).map { StructEntry(name: $0.name, value: emptyContainers($0.value, $1.type)) })
        default: return v
        }
    }

    /// Removes the NULLs protobuf cannot write (array elements, map values).
    static func writable(_ v: Value, _ type: SQLType, _ random: inout AvroProtobufRandom) -> Value {
        switch (v, type) {
        case (.array(let items), .array(let e)):
            return .array(items.map { $0.isNull ? random.value(e, nullOneIn: 0) : writable($0, e, &random) })
        case (.map(let entries), .map(_, let vt)):
            return .map(entries.map { MapEntry(key: $0.key, value: $0.value.isNull ? random.value(vt, nullOneIn: 0) : writable($0.value, vt, &random)) })
        case (.structure(let entries), .structure(let fields)):
            return .structure(zip(entries, fields).map { StructEntry(name: $0.name, value: writable($0.value, $1.type, &random)) })
        default: return v
        }
    }

    @Test func roundTripsEveryType() throws {
        for sr in [false, true] {
            let c = try codec(avroProtobufColumns, sr: sr)
            var random = AvroProtobufRandom(state: sr ? 11 : 12)
            for _ in 0..<300 {
                let row = avroProtobufColumns.map { Self.writable(random.value($0.type, nullOneIn: 5), $0.type, &random) }
                let expected = zip(row, avroProtobufColumns).map { Self.protobufNormalized($0, $1.type) }
                #expect(try c.decode(try c.encode(row)) == expected)
            }
        }
    }

    @Test func roundTripsNullsWithWrappers() throws {
        let c = try codec(avroProtobufColumns, nullable: .wrapper)
        var random = AvroProtobufRandom(state: 99)
        for _ in 0..<200 {
            // Scalars keep NULL, at the top level and inside structs; arrays and maps do not.
            let row = avroProtobufColumns.map { Self.writable(random.value($0.type, nullOneIn: 4), $0.type, &random) }
            let expected = zip(row, avroProtobufColumns).map { Self.emptyContainers($0, $1.type) }
            #expect(try c.decode(try c.encode(row)) == expected)
        }
    }

    // MARK: errors and fuzzing

    @Test func badInputThrows() throws {
        let c = try codec(Self.primitives, sr: true)
        let good = try c.encode([.integer(1), .bigint(2), .double(3), .boolean(true), .string("four")])
        #expect(errorMessage { try c.decode([1] + good.dropFirst()) } == "Unknown magic byte!")
        #expect(errorMessage { try c.decode([0, 0, 0]) } != nil)
        // Truncated anywhere inside a field.
        for n in 0..<good.count {
            let prefix = Array(good.prefix(n))
            let result = errorMessage { try c.decode(prefix) }
            // Cutting exactly between fields leaves a valid message.
            let boundaries = [6, 8, 10, 19, 21]
            #expect((result == nil) == boundaries.contains(n), "prefix \(n): \(result ?? "ok")")
        }
        // Message indexes other than the first message; the long form of [0] is fine.
        #expect(errorMessage { try c.decode([0, 0, 0, 0, 1, 0x02, 0x02]) } == "Invalid message indexes: [1]; the schema has one top-level message")
        #expect(try c.decode([0, 0, 0, 0, 1, 0x02, 0x00, 0x08, 0x07]).first == .integer(7))
        let nosr = try codec(Self.primitives)
        #expect(errorMessage { try nosr.decode([0x00]) } == "Protocol message contained an invalid tag (zero).")
        #expect(errorMessage { try nosr.decode([0x0F]) } == "Protocol message tag had invalid wire type.")
        #expect(errorMessage { try nosr.decode([0x2A, 0x01, 0xFF]) } == "Protocol message had invalid UTF-8.")
        #expect(errorMessage { try nosr.decode([0x08] + [UInt8](repeating: 0x80, count: 10) + [0x01]) } == "CodedInputStream encountered a malformed varint.")
        // Unknown fields of every wire type are skipped, groups included.
        #expect(try nosr.decode([0x30, 0x05, 0x39, 1, 2, 3, 4, 5, 6, 7, 8, 0x45, 1, 2, 3, 4, 0x4A, 0x01, 0x00, 0x53, 0x08, 0x01, 0x54, 0x08, 0x09])
            == [.integer(9), .bigint(0), .double(0), .boolean(false), .string("")])
        // A known field with another wire type is skipped too.
        #expect(try nosr.decode([0x0D, 1, 2, 3, 4]) == [.integer(0), .bigint(0), .double(0), .boolean(false), .string("")])
        #expect(errorMessage { try nosr.decode([0x53, 0x5C]) } == "Protocol message end-group tag did not match expected tag.")
    }

    @Test func fuzzedInputNeverTraps() throws {
        let codecs: [ProtobufRowCodec] = [
            try codec(avroProtobufColumns),
            try codec(avroProtobufColumns, sr: true, nullable: .wrapper),
            try codec([Column(name: "D", type: .decimal(precision: 38, scale: 10)), Column(name: "T", type: .timestamp), Column(name: "DT", type: .date)], nullable: .optional),
        ]
        var random = AvroProtobufRandom(state: 31337)
        var decoded = 0
        for i in 0..<10_000 {
            let body = random.bytes(random.below(48))
            for c in codecs {
                let input = c.schemaRegistry && i % 10 != 0 ? ProtobufTests.header + body : body
                if (try? c.decode(input)) != nil { decoded += 1 }
            }
        }
        let c = codecs[0]
        for _ in 0..<2_000 {
            let row = avroProtobufColumns.map { Self.writable(random.value($0.type, nullOneIn: 3), $0.type, &random) }
            var bytes = try c.encode(row)
            if bytes.isEmpty { continue }
            for _ in 0..<(1 + random.below(3)) { bytes[random.below(bytes.count)] = UInt8(truncatingIfNeeded: random.next()) }
            if (try? c.decode(bytes)) != nil { decoded += 1 }
        }
        #expect(decoded > 0)
    }
}
