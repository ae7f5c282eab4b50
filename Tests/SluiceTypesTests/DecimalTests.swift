import SluiceTypes
import Testing

@Suite struct DecimalTests {
    @Test func parsesKeepingScale() throws {
        #expect(SQLDecimal("12.50") == SQLDecimal(unscaled: 1250, scale: 2))
        #expect(SQLDecimal("-0.001") == SQLDecimal(unscaled: -1, scale: 3))
        #expect(SQLDecimal("+.5") == SQLDecimal(unscaled: 5, scale: 1))
        #expect(SQLDecimal("1e3") == SQLDecimal(unscaled: 1, scale: -3))
        #expect(SQLDecimal("1.5E-2") == SQLDecimal(unscaled: 15, scale: 3))
        #expect(SQLDecimal("007") == SQLDecimal(unscaled: 7, scale: 0))
        for bad in ["", ".", "1..2", "1e", "abc", " 1", "1 ", "--1", "1e5.5"] { #expect(SQLDecimal(bad) == nil, "\(bad)") }
        #expect(SQLDecimal(String(repeating: "9", count: 40)) == nil)  // beyond Int128
    }

    @Test(arguments: [
        (Int128(1250), 2, "12.50", "12.50"), (-1250, 2, "-12.50", "-12.50"), (0, 2, "0.00", "0.00"),
        (1, 6, "0.000001", "0.000001"), (1, 7, "1E-7", "0.0000001"), (10, 8, "1.0E-7", "0.00000010"),
        (123, 9, "1.23E-7", "0.000000123"), (0, 7, "0E-7", "0.0000000"), (123, -2, "1.23E+4", "12300"),
        (5, -1, "5E+1", "50"), (42, 0, "42", "42"), (-5, 1, "-0.5", "-0.5"),
    ])
    func rendersLikeBigDecimal(unscaled: Int128, scale: Int, java: String, plain: String) {
        let d = SQLDecimal(unscaled: unscaled, scale: scale)
        #expect(d.javaString == java)
        #expect(d.plainString == plain)
        #expect(d.description == java)
    }

    @Test func precision() {
        #expect(SQLDecimal(unscaled: 0, scale: 3).precision == 1)
        #expect(SQLDecimal(unscaled: -12345, scale: 2).precision == 5)
    }

    @Test func fitsAsKsqlDBReadsDecimals() throws {
        #expect(try SQLDecimal.parse("12.365", precision: 6, scale: 4) == SQLDecimal(unscaled: 123650, scale: 4))
        #expect(try SQLDecimal.parse("9999.99", precision: 6, scale: 2) == SQLDecimal(unscaled: 999999, scale: 2))
        #expect(try SQLDecimal.parse("1.0000000000000000000000000000000000000000000", precision: 2, scale: 1)
            == SQLDecimal(unscaled: 10, scale: 1))
        #expect(errorMessage { try SQLDecimal.parse("12.3456", precision: 6, scale: 2) }
            == "Cannot fit decimal '12.3456' into DECIMAL(6, 2) without rounding. (Requires 6,4)")
        #expect(errorMessage { try SQLDecimal.parse("10000", precision: 6, scale: 2) }
            == "Numeric field overflow: A field with precision 6 and scale 2 must round to an absolute value less than 10^4. Got 10000")
        #expect(errorMessage { try SQLDecimal.parse("-10.0", precision: 3, scale: 2) }?.contains("Numeric field overflow") == true)
        #expect(try SQLDecimal(unscaled: 5, scale: 1).fitted(precision: 3, scale: 2) == SQLDecimal(unscaled: 50, scale: 2))
    }

    @Test func rescalesAndCasts() throws {
        let d = SQLDecimal(unscaled: 125, scale: 2)
        #expect(try d.rescaled(to: 1) == SQLDecimal(unscaled: 13, scale: 1))
        #expect(try d.negated.rescaled(to: 1) == SQLDecimal(unscaled: -13, scale: 1))
        #expect(try SQLDecimal(unscaled: 124, scale: 2).rescaled(to: 1) == SQLDecimal(unscaled: 12, scale: 1))
        #expect(try SQLDecimal(unscaled: 129, scale: 2).rescaled(to: 1, rounding: .down) == SQLDecimal(unscaled: 12, scale: 1))
        #expect(try d.rescaled(to: 4) == SQLDecimal(unscaled: 12500, scale: 4))
        #expect(errorMessage { try d.rescaled(to: 1, rounding: .unnecessary) } != nil)
        #expect(try d.cast(precision: 2, scale: 1) == SQLDecimal(unscaled: 13, scale: 1))
        #expect(errorMessage { try SQLDecimal(unscaled: 1000, scale: 2).cast(precision: 2, scale: 1) }?.contains("overflow") == true)
        #expect(SQLDecimal(unscaled: 5, scale: 0).fitsIntegerDigits(precision: 1, scale: 0))
        #expect(!SQLDecimal(unscaled: 10, scale: 0).fitsIntegerDigits(precision: 1, scale: 0))
    }

    @Test func arithmeticAndComparison() throws {
        let a = SQLDecimal(unscaled: 1010, scale: 2)  // 10.10
        let b = SQLDecimal(unscaled: 20, scale: 1)  // 2.0
        #expect(try a.adding(b) == SQLDecimal(unscaled: 1210, scale: 2))
        #expect(try a.subtracting(b) == SQLDecimal(unscaled: 810, scale: 2))
        #expect(try a.multiplying(b) == SQLDecimal(unscaled: 20200, scale: 3))
        #expect(try a.divided(by: b, scale: 2) == SQLDecimal(unscaled: 505, scale: 2))
        #expect(try SQLDecimal(unscaled: 2, scale: 0).divided(by: SQLDecimal(unscaled: 3, scale: 0), scale: 4) == SQLDecimal(unscaled: 6667, scale: 4))
        #expect(try SQLDecimal(unscaled: -2, scale: 0).divided(by: SQLDecimal(unscaled: 3, scale: 0), scale: 4) == SQLDecimal(unscaled: -6667, scale: 4))
        #expect(errorMessage { try a.divided(by: SQLDecimal(unscaled: 0, scale: 1), scale: 2) } == "Division by zero")
        #expect(SQLDecimal(unscaled: 10, scale: 1).compare(to: SQLDecimal(unscaled: 100, scale: 2)) == 0)
        #expect(SQLDecimal(unscaled: 10, scale: 1).numericallyEquals(SQLDecimal(unscaled: 1, scale: 0)))
        #expect(SQLDecimal(unscaled: -1, scale: 0).compare(to: SQLDecimal(unscaled: 1, scale: 5)) == -1)
        #expect(SQLDecimal(unscaled: 1001, scale: 3).compare(to: SQLDecimal(unscaled: 1, scale: 0)) == 1)
        let huge = SQLDecimal(unscaled: Int128.max / 10, scale: 0)
        #expect(huge.compare(to: SQLDecimal(unscaled: 1, scale: 30)) == 1)  // scaling up overflows, still ordered
        #expect(SQLDecimal(unscaled: 1, scale: 30).compare(to: huge) == -1)
        #expect(errorMessage { try SQLDecimal(unscaled: Int128.max, scale: 0).adding(SQLDecimal(unscaled: 1, scale: 0)) } != nil)
        #expect(SQLDecimal(unscaled: 1250, scale: 2).doubleValue == 12.5)
        #expect(SQLDecimal(unscaled: 1, scale: 1).doubleValue == 0.1)
    }

    @Test func validatesTypes() {
        #expect(errorMessage { try SQLDecimal.validateType(precision: 0, scale: 0) } != nil)
        #expect(errorMessage { try SQLDecimal.validateType(precision: 2, scale: 3) } != nil)
        #expect(errorMessage { try SQLDecimal.validateType(precision: 39, scale: 0) }?.hasPrefix("not supported yet") == true)
        #expect(errorMessage { try SQLDecimal.validateType(precision: 38, scale: 38) } == nil)
    }
}
