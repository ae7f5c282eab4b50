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

/// How ARRAY and MAP constructors type a mix of items (ksqlDB's `CoercionUtil`).
@Suite("Constructor list types")
struct ConstructorListTypeTests {
    @Test func numericTextTakesTheTypeItsDigitsNeed() {
        #expect(TypeRules.numericTypeOfText("10") == .integer)
        #expect(TypeRules.numericTypeOfText(" 3000000000 ") == .bigint)
        #expect(TypeRules.numericTypeOfText("2e1") == .decimal(precision: 2, scale: 0))
        #expect(TypeRules.numericTypeOfText("0.05") == .decimal(precision: 3, scale: 2))
        #expect(TypeRules.numericTypeOfText("ten") == nil)
    }

    @Test func numericTextWidensTheListType() {
        #expect(TypeRules.commonWithNumericText(.integer, .decimal(precision: 2, scale: 0))
            == .decimal(precision: 10, scale: 0))
        #expect(TypeRules.commonWithNumericText(.bigint, .double) == .double)
    }

    @Test func structsMergeIntoOneWithEveryField() {
        let first = [StructField(name: "X", type: .integer), StructField(name: "Y", type: .bigint)]
        let second = [StructField(name: "Y", type: .integer), StructField(name: "Z", type: .bigint)]
        #expect(TypeRules.mergedStruct(first, second) == .structure([
            StructField(name: "Y", type: .bigint), StructField(name: "Z", type: .bigint),
            StructField(name: "X", type: .integer),
        ]))
        let clash = [StructField(name: "Y", type: .string)]
        #expect(TypeRules.mergedStruct(first, clash) == nil)
    }
}
