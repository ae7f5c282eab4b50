import SluiceTypes
import Testing

@testable import SluiceFunctions

@Suite struct CountTests {
    @Test func countStarCountsEveryRow() throws {
        let r = try aggregate("count", types: [], rows: [[], [], []])
        #expect(r == [.bigint(1), .bigint(2), .bigint(3)])
    }

    @Test func countColumnSkipsNulls() throws {
        let r = try aggregate("COUNT", types: [.string], rows: [[.string("a")], [.null], [.string("b")]])
        #expect(r == [.bigint(1), .bigint(1), .bigint(2)])
    }

    @Test func countUndoesBackToZero() throws {
        let call = try FunctionRegistry.standard.resolveAggregate(name: "COUNT", arguments: [.bigint], constantArguments: [])
        #expect(call.supportsUndo)
        #expect(call.returnType == .bigint)
        var acc = call.makeAccumulator()
        acc.add([.bigint(1)])
        acc.remove([.bigint(1)])
        #expect(acc.result() == .bigint(0))
    }

    @Test func countMergesSessions() throws {
        let call = try FunctionRegistry.standard.resolveAggregate(name: "COUNT", arguments: [], constantArguments: [])
        var a = call.makeAccumulator()
        var b = call.makeAccumulator()
        a.add([])
        b.add([])
        b.add([])
        a.merge(b)
        #expect(a.result() == .bigint(3))
    }
}

@Suite struct SumTests {
    @Test(arguments: [
        (SQLType.integer, [Value.integer(1), .null, .integer(2)], [Value.integer(1), .integer(1), .integer(3)]),
        (.bigint, [.bigint(5), .bigint(-7)], [.bigint(5), .bigint(-2)]),
        (.double, [.double(0.5), .double(0.25)], [.double(0.5), .double(0.75)]),
        (.integer, [.null], [.integer(0)]),
        (.integer, [.integer(Int32.max), .integer(1)], [.integer(Int32.max), .integer(Int32.min)]),
    ])
    func sums(type: SQLType, inputs: [Value], expected: [Value]) throws {
        let call = try FunctionRegistry.standard.resolveAggregate(name: "sum", arguments: [type], constantArguments: [])
        #expect(call.returnType == type)
        #expect(try aggregate("SUM", types: [type], rows: inputs.map { [$0] }) == expected)
    }

    @Test func decimalSumKeepsTypeAndScale() throws {
        let type = SQLType.decimal(precision: 6, scale: 2)
        let call = try FunctionRegistry.standard.resolveAggregate(name: "SUM", arguments: [type], constantArguments: [])
        #expect(call.returnType == type)
        let r = try aggregate("SUM", types: [type], rows: [[dec("500.90")], [dec("300.80")], [dec("400.80")]])
        #expect(r == [dec("500.90"), dec("801.70"), dec("1202.50")])
    }

    @Test func decimalOverflowLeavesSumUnchanged() throws {
        let type = SQLType.decimal(precision: 3, scale: 1)
        let r = try aggregate("SUM", types: [type], rows: [[dec("60.0")], [dec("50.0")]])
        #expect(r == [dec("60.0"), dec("60.0")])
    }

    @Test func undoSubtracts() throws {
        let call = try FunctionRegistry.standard.resolveAggregate(name: "SUM", arguments: [.integer], constantArguments: [])
        var acc = call.makeAccumulator()
        acc.add([.integer(10)])
        acc.add([.integer(5)])
        acc.remove([.integer(10)])
        #expect(acc.result() == .integer(5))
    }

    @Test func rejectsStrings() {
        #expect(throws: FunctionResolutionError.self) {
            try FunctionRegistry.standard.resolveAggregate(name: "SUM", arguments: [.string], constantArguments: [])
        }
    }
}

@Suite struct AverageTests {
    @Test func averagesAsDouble() throws {
        let call = try FunctionRegistry.standard.resolveAggregate(name: "AVG", arguments: [.integer], constantArguments: [])
        #expect(call.returnType == .double)
        #expect(call.intermediateType != .double)
        let r = try aggregate("AVG", types: [.integer], rows: [[.integer(1)], [.null], [.integer(2)]])
        #expect(r == [.double(1), .double(1), .double(1.5)])
    }

    @Test func emptyAverageIsZero() throws {
        let r = try aggregate("AVG", types: [.bigint], rows: [[.null]])
        #expect(r == [.double(0)])
    }

    @Test func decimalWidensToDouble() throws {
        let r = try aggregate("AVG", types: [.decimal(precision: 4, scale: 1)], rows: [[dec("1.5")], [dec("2.5")]])
        #expect(r == [.double(1.5), .double(2)])
    }
}

@Suite struct MinMaxTests {
    @Test func minAndMaxSkipNulls() throws {
        let rows: [[Value]] = [[.null], [.integer(5)], [.integer(2)], [.null], [.integer(9)]]
        #expect(try aggregate("MIN", types: [.integer], rows: rows) == [.null, .integer(5), .integer(2), .integer(2), .integer(2)])
        #expect(try aggregate("MAX", types: [.integer], rows: rows) == [.null, .integer(5), .integer(5), .integer(5), .integer(9)])
    }

    @Test func comparesStringsAndDecimals() throws {
        #expect(try aggregate("MAX", types: [.string], rows: [[.string("b")], [.string("a")]]).last == .string("b"))
        let type = SQLType.decimal(precision: 4, scale: 2)
        #expect(try aggregate("MIN", types: [type], rows: [[dec("1.10")], [dec("-2.00")]]).last == dec("-2.00"))
    }

    @Test func noUndo() throws {
        let call = try FunctionRegistry.standard.resolveAggregate(name: "MIN", arguments: [.double], constantArguments: [])
        #expect(!call.supportsUndo)
    }
}

@Suite struct ListSumTests {
    @Test func sumsArraysSkippingNulls() throws {
        let rows: [[Value]] = [[.array([.bigint(1), .bigint(1)])], [.array([.bigint(2), .bigint(2)])],
            [.array([.bigint(100), .bigint(100), .null])], [.null]]
        let r = try aggregate("SUM_LIST", types: [.array(.bigint)], rows: rows)
        #expect(r == [.bigint(2), .bigint(6), .bigint(206), .bigint(206)])
    }

    @Test func typesAndUndo() throws {
        let call = try FunctionRegistry.standard.resolveAggregate(name: "sum_list", arguments: [.array(.integer)], constantArguments: [])
        #expect(call.returnType == .integer)
        var acc = call.makeAccumulator()
        acc.add([ints([1, 2])])
        acc.add([ints([10])])
        acc.remove([ints([1, 2])])
        #expect(acc.result() == .integer(10))
        let double = try FunctionRegistry.standard.resolveAggregate(name: "SUM_LIST", arguments: [.array(.double)], constantArguments: [])
        #expect(double.returnType == .double)
    }
}
