import SluiceTypes
import Testing

@testable import SluiceFunctions

/// The runtime keeps these aggregates' state itself when their accumulator names a fold; the
/// accumulator and the fold must then agree on every rule.
@Suite struct SingleValueFoldTests {
    @Test(arguments: [
        ("COUNT", [SQLType](), SingleValueFold?.some(.countRows)), ("COUNT", [.string], .countNonNull),
        ("SUM", [.integer], .sumInteger), ("SUM", [.bigint], .sumBigint), ("SUM", [.double], .sumDouble),
        ("MIN", [.string], .minimum), ("MAX", [.timestamp], .maximum), ("AVG", [.bigint], nil),
        ("SUM", [.decimal(precision: 4, scale: 2)], nil), ("COLLECT_LIST", [.bigint], nil),
    ])
    func commonAggregatesAreFolds(name: String, types: [SQLType], fold: SingleValueFold?) throws {
        let call = try FunctionRegistry.standard.resolveAggregate(
            name: name, arguments: types, constantArguments: types.map { _ in nil })
        let accumulator = call.makeAccumulator()
        #expect(accumulator.singleValueFold == fold)
        if let fold { #expect(fold.initial == accumulator.result()) }
    }

    @Test func sumsWrapAndSkipNullsAsJava() {
        var state = SingleValueFold.sumInteger.initial
        for v: Value in [.integer(.max), .null, .integer(2)] { SingleValueFold.sumInteger.add(v, to: &state) }
        #expect(state == .integer(.min + 1))
        SingleValueFold.sumInteger.remove(.integer(2), from: &state)
        #expect(state == .integer(.max))
    }

    @Test func countsMergeByAddingAndExtremesByComparing() {
        var count = Value.bigint(2)
        SingleValueFold.countRows.merge(.bigint(3), into: &count)
        #expect(count == .bigint(5))
        var low = Value.bigint(4)
        SingleValueFold.minimum.merge(.bigint(9), into: &low)
        SingleValueFold.minimum.merge(.null, into: &low)
        #expect(low == .bigint(4))
        SingleValueFold.minimum.remove(.bigint(4), from: &low)
        #expect(low == .bigint(4))
    }

    @Test func restoreRejectsAStateOfAnotherType() {
        #expect(SingleValueFold.countNonNull.restore([.bigint(3)]) == .bigint(3))
        #expect(SingleValueFold.countNonNull.restore([.integer(3)]) == nil)
        #expect(SingleValueFold.sumDouble.restore([.double(1), .double(2)]) == nil)
        #expect(SingleValueFold.maximum.restore([.null]) == .null)
    }
}
