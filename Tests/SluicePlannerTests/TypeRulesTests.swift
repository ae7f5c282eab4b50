import SluicePlanner
import SluiceSQL
import SluiceTypes
import Testing

@Suite("Type rules")
struct TypeRulesTests {
    @Test(arguments: [
        (SQLType.integer, SQLType.integer, SQLType.integer),
        (.integer, .bigint, .bigint),
        (.bigint, .double, .double),
        (.integer, .decimal(precision: 4, scale: 2), .decimal(precision: 13, scale: 2)),
    ])
    func additionWidens(a: SQLType, b: SQLType, expected: SQLType) {
        #expect(TypeRules.arithmetic(.add, a, b) == expected)
    }

    @Test func decimalDivisionKeepsAtLeastSixFractionDigits() {
        #expect(TypeRules.arithmetic(.divide, .decimal(precision: 4, scale: 2), .decimal(precision: 4, scale: 2))
            == .decimal(precision: 11, scale: 7))
    }

    @Test func stringsConcatenateWithPlus() {
        #expect(TypeRules.arithmetic(.add, .string, .string) == .string)
        #expect(TypeRules.arithmetic(.subtract, .string, .string) == nil)
    }

    @Test func mapsCompareForEqualityOnly() {
        let m = SQLType.map(key: .string, value: .integer)
        #expect(TypeRules.comparable(m, m) == nil)
        #expect(TypeRules.comparable(m, m, equalityOnly: true) == m)
    }

    @Test func booleansDoNotCastToNumbers() {
        #expect(!TypeRules.castable(from: .boolean, to: .integer))
        #expect(TypeRules.castable(from: .string, to: .integer))
    }

    @Test func editDistanceCountsATranspositionAsOneEdit() {
        #expect(EditDistance.distance("VALEU", "VALUE") == 1)
        #expect(EditDistance.nearest(to: "VALEU", among: ["SENSOR", "VALUE"]) == "VALUE")
        #expect(EditDistance.nearest(to: "XYZ", among: ["SENSOR", "VALUE"]) == nil)
    }
}
