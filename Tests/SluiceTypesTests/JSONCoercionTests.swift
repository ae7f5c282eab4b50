import SluiceTypes
import Testing

/// Each case runs twice: through the tree (`JSONCoercion`) and straight from bytes (an unwrapped
/// single-value JSON codec). Both must give the same value or the same error.
@Suite struct JSONCoercionTests {
    func viaTree(_ json: String, _ type: SQLType) throws -> Value {
        try JSONCoercion.value(try JSONParser.parse(json), as: type)
    }

    func viaCodec(_ json: String, _ type: SQLType) throws -> Value {
        let codec = try JSONRowCodec(columns: [Column(name: "V", type: type)], options: FormatOptions(wrapSingleValue: false), isKey: false)
        return try codec.decode(bytes(json))[0]
    }

    func check(_ json: String, _ type: SQLType, _ expected: Value, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            #expect(try viaTree(json, type) == expected, "tree: \(json) as \(type)", sourceLocation: sourceLocation)
            #expect(try viaCodec(json, type) == expected, "bytes: \(json) as \(type)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(json) as \(type): \(error)", sourceLocation: sourceLocation)
        }
    }

    func checkError(_ json: String, _ type: SQLType, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for path in ["tree", "bytes"] {
            do {
                let v = path == "tree" ? try viaTree(json, type) : try viaCodec(json, type)
                Issue.record("\(path): \(json) as \(type) gave \(v), expected error", sourceLocation: sourceLocation)
            } catch let error as RecordError {
                #expect(error.message == message, "\(path): \(json) as \(type)", sourceLocation: sourceLocation)
            } catch {
                Issue.record("\(error)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func booleans() {
        check("true", .boolean, .boolean(true))
        check("false", .boolean, .boolean(false))
        checkError("\"true\"", .boolean, "Can't convert type. sourceType: TextNode, requiredType: BOOLEAN, path: $")
        checkError("1", .boolean, "Can't convert type. sourceType: IntNode, requiredType: BOOLEAN, path: $")
    }

    @Test func integers() {
        check("42", .integer, .integer(42))
        check("-7", .integer, .integer(-7))
        check("1.9", .integer, .integer(1))
        check("-1.9", .integer, .integer(-1))
        check("1e2", .integer, .integer(100))
        check("\"17\"", .integer, .integer(17))
        check("2147483648", .integer, .integer(Int32.min))  // LongNode.intValue() keeps the low bits
        check("4294967297", .integer, .integer(1))
        checkError("\"1.5\"", .integer, "Can't coerce string to type. targetType: INTEGER, path: $")
        checkError("true", .integer, "Can't convert type. sourceType: BooleanNode, requiredType: INTEGER, path: $")
        checkError("[1]", .integer, "Can't convert type. sourceType: ArrayNode, requiredType: INTEGER, path: $")
        checkError("{}", .integer, "Can't convert type. sourceType: ObjectNode, requiredType: INTEGER, path: $")
        check("10827272222", .bigint, .bigint(10_827_272_222))
        check("9223372036854775808", .bigint, .bigint(Int64.min))  // BigIntegerNode low 64 bits
        check("\"-5\"", .bigint, .bigint(-5))
        check("12.99e1", .bigint, .bigint(129))
        checkError("\"x\"", .bigint, "Can't coerce string to type. targetType: BIGINT, path: $")
        checkError("99999999999999999999.5", .boolean, "Can't convert type. sourceType: DecimalNode, requiredType: BOOLEAN, path: $")
        checkError("99999999999999999999", .boolean, "Can't convert type. sourceType: BigIntegerNode, requiredType: BOOLEAN, path: $")
        checkError("2147483648", .boolean, "Can't convert type. sourceType: LongNode, requiredType: BOOLEAN, path: $")
    }

    @Test func doubles() throws {
        check("1234.589", .double, .double(1234.589))
        check("1", .double, .double(1))
        check("\"1.5e3\"", .double, .double(1500))
        check("\" 2.5 \"", .double, .double(2.5))
        check("1e400", .double, .double(.infinity))
        // BigDecimal and IntNode have no negative zero: "-0.0" reads as +0.0.
        for json in ["-0.0", "-0", "-0e5"] {
            for v in [try viaCodec(json, .double), try viaTree(json, .double)] {
                guard case .double(let d) = v else { Issue.record("\(v)"); continue }
                #expect(d == 0 && d.sign == .plus, "\(json)")
            }
        }
        checkError("\"abc\"", .double, "Can't coerce string to type. targetType: DOUBLE, path: $")
    }

    /// A decimal that fits keeps the scale it was written with (ksqlDB's QTT `decimal.json`,
    /// "JSON in/out", reads 10.123451234512345 into DECIMAL(21, 19) and writes it back unchanged).
    @Test func decimals() {
        check("10.5", .decimal(precision: 4, scale: 2), dec(105, 1))
        // Text takes the column's scale (QTT `latest-offset-udaf.json` reads "3.4" into
        // DECIMAL(3, 2) and writes back "3.40").
        check("\"10.5\"", .decimal(precision: 4, scale: 2), dec(1050, 2))
        check("7", .decimal(precision: 4, scale: 2), dec(7, 0))
        check("10.50", .decimal(precision: 4, scale: 2), dec(1050, 2))
        check("10.123451234512345", .decimal(precision: 21, scale: 19), dec(10_123_451_234_512_345, 15))
        checkError("10.555", .decimal(precision: 4, scale: 2),
                   "Cannot fit decimal '10.555' into DECIMAL(4, 2) without rounding. (Requires 5,3), path: $")
        checkError("100.5", .decimal(precision: 4, scale: 2),
                   "Numeric field overflow: A field with precision 4 and scale 2 must round to an absolute value less than 10^2. Got 100.5, path: $")
        checkError("\"1,5\"", .decimal(precision: 4, scale: 2), "Invalid decimal: '1,5', path: $")
    }

    @Test func strings() {
        check("\"hello\"", .string, .string("hello"))
        check("\"a\\nb\"", .string, .string("a\nb"))
        check("1.50", .string, .string("1.50"))
        check("1e3", .string, .string("1E+3"))
        check("0.0000001", .string, .string("1E-7"))
        check("-0", .string, .string("0"))
        check("12345678901234567890", .string, .string("12345678901234567890"))
        check("true", .string, .string("true"))
        check(#"{"a":1.0, "b":[1,"x"], "a":2, "c":{"d":null}}"#, .string, .string(#"{"a":2,"b":[1,"x"],"c":{"d":null}}"#))
        check(#"[1, "a", null, [2, 3], {"k":"v"}, 1.50, false]"#, .string, .string(#"[1, a, null, [2, 3], {"k":"v"}, 1.50, false]"#))
    }

    @Test func bytesAndTemporal() {
        check("\"YWJj\"", .bytes, .bytes([0x61, 0x62, 0x63]))
        check("\"dmFyaWF0aW9ucw==\"", .bytes, .bytes(Array("variations".utf8)))
        checkError("\"YWJ\"", .bytes, "Value is not a valid Base64 encoded string: YWJ, path: $")
        checkError("1", .bytes, "Can't convert type. sourceType: IntNode, requiredType: BYTES, path: $")
        check("10", .date, .date(10))
        check("\"-3\"", .date, .date(-3))
        check("1000", .time, .time(1000))
        check("1700000000000", .timestamp, .timestamp(1_700_000_000_000))
        check("\"10\"", .timestamp, .timestamp(10))
        checkError("\"2020-01-01\"", .timestamp, "Can't coerce string to type. targetType: TIMESTAMP, path: $")
    }

    @Test func nullIsNullForEveryType() throws {
        for type: SQLType in [.boolean, .integer, .string, .decimal(precision: 2, scale: 1), .array(.integer), .structure([])] {
            #expect(try viaTree("null", type) == .null)
        }
    }

    @Test func containers() {
        check("[1, 2, 3]", .array(.string), .array([.string("1"), .string("2"), .string("3")]))
        check("[1, null]", .array(.integer), .array([.integer(1), .null]))
        checkError("[1, \"x\"]", .array(.integer), "Can't coerce string to type. targetType: INTEGER, path: $[1]")
        check(#"{"a": 1, "b": null, "a": 3}"#, .map(key: .string, value: .integer),
              .map([MapEntry(key: .string("a"), value: .integer(3)), MapEntry(key: .string("b"), value: .null)]))
        checkError(#"{"a": "x"}"#, .map(key: .string, value: .integer), "Can't coerce string to type. targetType: INTEGER, path: $.a.value")
        checkError("[]", .map(key: .string, value: .integer), "Can't convert type. sourceType: ArrayNode, requiredType: MAP<STRING, INTEGER>, path: $")
    }

    @Test func structFieldMatching() {
        let f = SQLType.structure([StructField(name: "F", type: .double)])
        check(#"{"f": 45.67}"#, f, .structure([StructEntry(name: "F", value: .double(45.67))]))
        check(#"{"F": 1, "f": 2}"#, f, .structure([StructEntry(name: "F", value: .double(1))]))  // exact wins
        check(#"{"f": 2, "F": 1}"#, f, .structure([StructEntry(name: "F", value: .double(1))]))
        check(#"{"f": 2, "f": 3}"#, f, .structure([StructEntry(name: "F", value: .double(3))]))  // last duplicate
        check(#"{"g": 2}"#, f, .structure([StructEntry(name: "F", value: .null)]))
        let quoted = SQLType.structure([StructField(name: "foo", type: .integer)])
        check(#"{"foo": 1}"#, quoted, .structure([StructEntry(name: "foo", value: .integer(1))]))
        check(#"{"FOO": 1}"#, quoted, .structure([StructEntry(name: "foo", value: .null)]))  // quoted names match exactly only
        let both = SQLType.structure([StructField(name: "a", type: .integer), StructField(name: "A", type: .integer)])
        check(#"{"a": 1}"#, both, .structure([StructEntry(name: "a", value: .integer(1)), StructEntry(name: "A", value: .integer(1))]))
        check(#"{"a": 1, "A": 2}"#, both, .structure([StructEntry(name: "a", value: .integer(1)), StructEntry(name: "A", value: .integer(2))]))
        check(#"{"ÄB": 1}"#, .structure([StructField(name: "ÄB", type: .integer)]), .structure([StructEntry(name: "ÄB", value: .integer(1))]))
        check(#"{"äb": 1}"#, .structure([StructField(name: "ÄB", type: .integer)]), .structure([StructEntry(name: "ÄB", value: .integer(1))]))
        let nested = SQLType.structure([StructField(name: "A", type: .structure([StructField(name: "B", type: .integer)]))])
        checkError(#"{"a": {"b": "x"}}"#, nested, "Can't coerce string to type. targetType: INTEGER, path: $.A.B")
        checkError(#""x""#, f, "Can't convert type. sourceType: TextNode, requiredType: STRUCT<`F` DOUBLE>, path: $")
    }

    @Test func validatesTypesForJSON() {
        #expect(errorMessage { try JSONCoercion.validate(.array(.map(key: .integer, value: .double))) } == "JSON only supports MAP types with STRING keys")
        #expect(errorMessage { try JSONCoercion.validate(.map(key: .string, value: .double)) } == nil)
    }

    @Test func rowsFromTrees() throws {
        let cols = [Column(name: "ID", type: .bigint), Column(name: "NAME", type: .string)]
        #expect(try JSONCoercion.row(try parseJSON(#"{"id": 1, "Name": "x", "other": true}"#), columns: cols) == [.bigint(1), .string("x")])
    }
}
