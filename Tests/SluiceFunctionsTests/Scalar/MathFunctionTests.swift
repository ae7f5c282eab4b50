import SluiceTypes
import Testing

@testable import SluiceFunctions

@Suite struct MathFunctionTests {
    static let cases: [ScalarCase] = [
        ScalarCase("ABS", [.integer(-1)], .integer(1)),
        ScalarCase("ABS", [.bigint(-2)], .bigint(2)),
        ScalarCase("ABS", [.double(-3.1)], .double(3.1)),
        ScalarCase("ABS", [dec("-3.2")], dec("3.2")),
        ScalarCase("ABS", [.integer(Int32.min)], .integer(Int32.min)),
        ScalarCase("ABS", [.null], .null, types: [.integer]),
        ScalarCase("CEIL", [.double(1.1)], .double(2)),
        ScalarCase("CEIL", [dec("1.1")], dec("2.0")),
        ScalarCase("CEIL", [dec("-1.5")], dec("-1.0")),
        ScalarCase("FLOOR", [dec("-1.5")], dec("-2.0")),
        ScalarCase("FLOOR", [.double(-1.5)], .double(-2)),
        ScalarCase("CEIL", [.integer(7)], .integer(7)),
        ScalarCase("SIGN", [.double(-3)], .integer(-1)),
        ScalarCase("SIGN", [.bigint(0)], .integer(0)),
        ScalarCase("SIGN", [dec("0.5")], .integer(1)),
        ScalarCase("ROUND", [.double(1.5)], .bigint(2)),
        ScalarCase("ROUND", [.double(-1.5)], .bigint(-1)),
        ScalarCase("ROUND", [.double(-1.51)], .bigint(-2)),
        ScalarCase("ROUND", [.double(0.49999999999999994)], .bigint(0)),
        ScalarCase("ROUND", [.integer(3)], .bigint(3)),
        ScalarCase("ROUND", [.double(1.234567), .integer(2)], .double(1.23)),
        ScalarCase("ROUND", [.double(1.25), .integer(1)], .double(1.3)),
        ScalarCase("ROUND", [.double(-1.25), .integer(1)], .double(-1.2)),
        ScalarCase("ROUND", [.double(1.7), .integer(-1)], .double(0)),
        ScalarCase("ROUND", [.double(15), .integer(-1)], .double(20)),
        ScalarCase("ROUND", [.double(1.2345678987654322e16), .integer(0)], .double(1.2345678987654322e16)),
        ScalarCase("ROUND", [dec("12345678987654321.2345678987654321")], dec("12345678987654321")),
        ScalarCase("ROUND", [dec("12345678987654321.2345678987654321"), .integer(10)],
            dec("12345678987654321.2345678988000000")),
        ScalarCase("ROUND", [dec("12345678987654321.2345678987654321"), .integer(-2)],
            dec("12345678987654300.0000000000000000")),
        ScalarCase("ROUND", [dec("-2.5")], dec("-2")),
        ScalarCase("TRUNC", [.double(1.7)], .bigint(1)),
        ScalarCase("TRUNC", [.double(-1.7)], .bigint(-1)),
        ScalarCase("TRUNC", [.double(1.234567), .integer(2)], .double(1.23)),
        ScalarCase("TRUNC", [dec("12345.67"), .integer(-3)], dec("12000.00")),
        ScalarCase("EXP", [.integer(-1)], .double(0.36787944117144233)),
        ScalarCase("EXP", [.double(3)], .double(20.085536923187668)),
        ScalarCase("LN", [.bigint(2)], .double(0.6931471805599453)),
        ScalarCase("LN", [.integer(0)], .double(-.infinity)),
        ScalarCase("SQRT", [.bigint(2)], .double(1.4142135623730951)),
        ScalarCase("CBRT", [.integer(-8)], .double(-2)),
        ScalarCase("CBRT", [.double(27)], .double(3)),
        ScalarCase("CBRT", [.double(-1000)], .double(-10)),
        ScalarCase("LOG", [.integer(15), .integer(13)], .double(0.9471572411831843)),
        ScalarCase("LOG", [.integer(15), .integer(0)], .double(-.infinity)),
        ScalarCase("LOG", [.double(100)], .double(2)),
        ScalarCase("POWER", [.integer(2), .integer(10)], .double(1024)),
        ScalarCase("COT", [.integer(0)], .double(.infinity)),
        ScalarCase("DEGREES", [.double(.pi)], .double(180)),
        ScalarCase("GREATEST", [.integer(2147483647), .integer(-2147483648), .null, .null, .integer(5)],
            .integer(2147483647), types: [.integer, .integer, .integer, nil, .integer]),
        ScalarCase("GREATEST", [.string("apple"), .null, .string("hello")], .string("hello"), types: [.string, .string, .string]),
        ScalarCase("LEAST", [.string("!"), .string("Zebra")], .string("!")),
        ScalarCase("LEAST", [.bigint(Int64.max), .bigint(Int64.min)], .bigint(Int64.min)),
        ScalarCase("GREATEST", [.integer(-1), .bigint(1_000_000_000_000), .double(99999.99999)], .double(1e12)),
        ScalarCase("LEAST", [dec("123456.789"), dec("-987654.321")], dec("-987654.321")),
        ScalarCase("GREATEST", [.bytes([0x61]), .bytes([0x21])], .bytes([0x61])),
        ScalarCase("GEO_DISTANCE", [.double(37.4439), .double(-122.1663), .double(51.5257), .double(-0.1122)],
            .double(8634.659796579544)),
        ScalarCase("GEO_DISTANCE", [.double(39.18660374), .double(-76.73262144), .double(39.18660374), .double(-76.73222145)],
            .double(0.03447366811448324)),
    ]

    @Test(arguments: cases)
    func evaluates(_ c: ScalarCase) throws {
        let r = try call(c.name, c.args, types: c.types)
        if case .double(let x) = r, case .double(let y) = c.expected, x.isNaN, y.isNaN { return }
        #expect(r == c.expected)
    }

    @Test func nanResults() throws {
        guard case .double(let d) = try call("LN", [.integer(-1)]) else { Issue.record(); return }
        #expect(d.isNaN)
        guard case .double(let a) = try call("ACOS", [.double(1.1)]) else { Issue.record(); return }
        #expect(a.isNaN)
    }

    @Test(arguments: [
        ("ROUND", [SQLType.integer], SQLType.bigint),
        ("ROUND", [.decimal(precision: 5, scale: 2)], .decimal(precision: 3, scale: 0)),
        ("ROUND", [.decimal(precision: 5, scale: 2), .integer], .decimal(precision: 5, scale: 2)),
        ("CEIL", [.decimal(precision: 5, scale: 2)], .decimal(precision: 5, scale: 2)),
        ("ABS", [.decimal(precision: 5, scale: 2)], .decimal(precision: 5, scale: 2)),
        ("SQRT", [.integer], .double),
        ("GREATEST", [.decimal(precision: 9, scale: 2), .decimal(precision: 6, scale: 6)], .decimal(precision: 13, scale: 6)),
        ("GREATEST", [.integer, .bigint, .double], .double),
    ])
    func returnTypes(name: String, types: [SQLType], expected: SQLType) throws {
        let r = try FunctionRegistry.standard.resolveScalar(name: name, arguments: types.map { .value($0) }) { _ in .string }
        #expect(r.returnType == expected)
    }

    @Test(arguments: [
        ("GREATEST", [FunctionArgumentType.null, .null, .null]),
        ("LEAST", [.value(.integer), .value(.bigint)]),
        ("LEAST", [.value(.integer), .value(.bigint), .value(.decimal(precision: 38, scale: 30))]),
        ("LEAST", [.value(.string), .value(.integer)]),
        ("GREATEST", []),
        ("ROUND", [.value(.integer), .value(.integer)]),
    ])
    func rejects(name: String, arguments: [FunctionArgumentType]) {
        #expect(throws: FunctionResolutionError.self) {
            try FunctionRegistry.standard.resolveScalar(name: name, arguments: arguments) { _ in .string }
        }
    }

    @Test func randomIsInUnitInterval() throws {
        for _ in 0..<100 {
            guard case .double(let d) = try call("RANDOM", []) else { Issue.record(); return }
            #expect(d >= 0 && d < 1)
        }
    }

    @Test func geoDistanceValidates() {
        #expect(throws: FunctionError.self) {
            try call("GEO_DISTANCE", [.double(91), .double(0), .double(0), .double(0)])
        }
        #expect(throws: FunctionError.self) {
            try call("GEO_DISTANCE", [.double(1), .double(0), .double(0), .double(0), .string("parsecs")])
        }
    }
}
