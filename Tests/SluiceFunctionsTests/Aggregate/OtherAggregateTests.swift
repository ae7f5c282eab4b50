import SluiceTypes
import Testing

@testable import SluiceFunctions

private func resolveAggregate(_ name: String, _ types: [SQLType], _ constants: [Value?] = []) throws -> AggregateFunctionCall {
    try FunctionRegistry.standard.resolveAggregate(name: name, arguments: types, constantArguments: constants)
}

@Suite struct CollectTests {
    @Test func collectListKeepsNullsAndOrder() throws {
        let r = try aggregate("COLLECT_LIST", types: [.integer], rows: [[.integer(1)], [.null], [.integer(1)]])
        #expect(r.last == ints([1, nil, 1]))
    }

    @Test func collectListLimit() throws {
        let r = try aggregate("COLLECT_LIST", types: [.string], rows: [[.string("a")], [.string("b")]],
            configuration: FunctionConfiguration(properties: ["ksql.functions.collect_list.limit": "1"]))
        #expect(r.last == strings(["a"]))
    }

    @Test func collectListUndoRemovesLastEqual() throws {
        var acc = try resolveAggregate("COLLECT_LIST", [.integer]).makeAccumulator()
        for v: Int32 in [1, 2, 1] { acc.add([.integer(v)]) }
        acc.remove([.integer(1)])
        #expect(acc.result() == ints([1, 2]))
    }

    @Test func collectSetIsDistinctAndHasNoUndo() throws {
        let call = try resolveAggregate("COLLECT_SET", [.array(.integer)])
        #expect(!call.supportsUndo)
        #expect(call.returnType == .array(.array(.integer)))
        var acc = call.makeAccumulator()
        for v in [ints([1]), ints([1]), ints([2]), .null, .null] { acc.add([v]) }
        #expect(acc.result() == .array([ints([1]), ints([2]), .null]))
    }

    @Test func sessionMergeAppends() throws {
        let call = try resolveAggregate("COLLECT_LIST", [.integer])
        var a = call.makeAccumulator()
        var b = call.makeAccumulator()
        a.add([.integer(1)])
        b.add([.integer(2)])
        a.merge(b)
        #expect(a.result() == ints([1, 2]))
    }

    @Test func histogramCountsAndUndoes() throws {
        let call = try resolveAggregate("HISTOGRAM", [.string])
        #expect(call.returnType == .map(key: .string, value: .bigint))
        var acc = call.makeAccumulator()
        for s in ["a", "b", "a"] { acc.add([.string(s)]) }
        acc.remove([.string("b")])
        #expect(acc.result() == .map([MapEntry(key: .string("a"), value: .bigint(2))]))
    }

    @Test func attrIsTheOnlyValue() throws {
        var acc = try resolveAggregate("ATTR", [.string]).makeAccumulator()
        acc.add([.string("x")])
        acc.add([.string("x")])
        #expect(acc.result() == .string("x"))
        acc.add([.null])
        #expect(acc.result() == .null)
        acc.remove([.null])
        #expect(acc.result() == .string("x"))
    }
}

@Suite struct TopKTests {
    @Test func topKIntegers() throws {
        let r = try aggregate("TOPK", types: [.integer, .integer], constants: [nil, .integer(3)],
            rows: [0, 100, 99, 7].map { [.integer($0), .integer(3)] })
        #expect(r == [ints([0]), ints([100, 0]), ints([100, 99, 0]), ints([100, 99, 7])])
    }

    @Test func topKKeepsDuplicates() throws {
        let r = try aggregate("TOPK", types: [.string, .integer], constants: [nil, .integer(3)],
            rows: ["a", "b", "c", "b"].map { [.string($0), .integer(3)] })
        #expect(r.last == strings(["c", "b", "b"]))
    }

    @Test func topKWithOtherColumns() throws {
        let call = try resolveAggregate("TOPK", [.bigint, .string, .integer], [nil, nil, .integer(2)])
        #expect(call.returnType == .array(.structure([StructField(name: "sort_col", type: .bigint), StructField(name: "col0", type: .string)])))
        var acc = call.makeAccumulator()
        acc.add([.bigint(5), .string("five"), .integer(2)])
        acc.add([.bigint(9), .string("nine"), .integer(2)])
        acc.add([.bigint(1), .string("one"), .integer(2)])
        let entry = { (k: Int64, v: String) -> Value in
            .structure([StructEntry(name: "sort_col", value: .bigint(k)), StructEntry(name: "col0", value: .string(v))])
        }
        #expect(acc.result() == .array([entry(9, "nine"), entry(5, "five")]))
    }

    @Test func kMustBeALiteral() {
        #expect(throws: FunctionResolutionError.self) { try resolveAggregate("TOPK", [.integer, .integer], [nil, nil]) }
        #expect(throws: FunctionResolutionError.self) { try resolveAggregate("TOPK", [.integer, .integer], [nil, .integer(0)]) }
    }

    @Test func topKDistinct() throws {
        let r = try aggregate("TOPKDISTINCT", types: [.bigint, .integer], constants: [nil, .integer(3)],
            rows: [2_147_483_648, 100, 99, 100].map { [.bigint($0), .integer(3)] })
        #expect(r.last == .array([.bigint(2_147_483_648), .bigint(100), .bigint(99)]))
    }

    @Test func topKMergeKeepsLargest() throws {
        let call = try resolveAggregate("TOPK", [.integer, .integer], [nil, .integer(2)])
        var a = call.makeAccumulator()
        var b = call.makeAccumulator()
        a.add([.integer(1), .integer(2)])
        a.add([.integer(5), .integer(2)])
        b.add([.integer(3), .integer(2)])
        a.merge(b)
        #expect(a.result() == ints([5, 3]))
    }
}

@Suite struct ByOffsetTests {
    @Test func latestIgnoresNullsByDefault() throws {
        let r = try aggregate("LATEST_BY_OFFSET", types: [.integer], rows: [[.integer(12)], [.null], [.integer(13)]])
        #expect(r == [.integer(12), .integer(12), .integer(13)])
    }

    @Test func latestWithNullsNotIgnored() throws {
        let r = try aggregate("LATEST_BY_OFFSET", types: [.integer, .boolean], constants: [nil, .boolean(false)],
            rows: [[.integer(1), .boolean(false)], [.null, .boolean(false)]])
        #expect(r == [.integer(1), .null])
    }

    @Test func earliestN() throws {
        let r = try aggregate("EARLIEST_BY_OFFSET", types: [.integer, .integer], constants: [nil, .integer(2)],
            rows: [[.integer(12), .integer(2)], [.null, .integer(2)], [.integer(13), .integer(2)], [.integer(14), .integer(2)]])
        #expect(r == [ints([12]), ints([12]), ints([12, 13]), ints([12, 13])])
    }

    @Test func latestNKeepsTheLastN() throws {
        let r = try aggregate("LATEST_BY_OFFSET", types: [.integer, .integer, .boolean], constants: [nil, .integer(2), .boolean(false)],
            rows: [1, 2, 3].map { [.integer($0), .integer(2), .boolean(false)] } + [[.null, .integer(2), .boolean(false)]])
        #expect(r.last == ints([3, nil]))
    }

    @Test func mergeUsesArrivalOrder() throws {
        let call = try resolveAggregate("LATEST_BY_OFFSET", [.string])
        var first = call.makeAccumulator()
        var second = call.makeAccumulator()
        first.add([.string("old")])
        second.add([.string("new")])
        var merged = call.makeAccumulator()
        merged.merge(second)
        merged.merge(first)
        #expect(merged.result() == .string("new"))
        let earliest = try resolveAggregate("EARLIEST_BY_OFFSET", [.string, .integer], [nil, .integer(2)])
        var a = earliest.makeAccumulator()
        var b = earliest.makeAccumulator()
        a.add([.string("x"), .integer(2)])
        b.add([.string("y"), .integer(2)])
        b.merge(a)
        #expect(b.result() == strings(["x", "y"]))
    }

    @Test func noUndoAndStructTypes() throws {
        let type = SQLType.structure([StructField(name: "A", type: .integer)])
        let call = try resolveAggregate("EARLIEST_BY_OFFSET", [type])
        #expect(call.returnType == type)
        #expect(!call.supportsUndo)
    }
}

@Suite struct StatisticsTests {
    @Test func sampleStandardDeviation() throws {
        let r = try aggregate("STDDEV_SAMPLE", types: [.integer], rows: [2, 4, 4, 4, 5, 5, 7, 9].map { [.integer($0)] })
        guard case .double(let d) = r.last else { Issue.record(); return }
        #expect(abs(d - 2.138089935299395) < 1e-12)
        #expect(r.first == .double(0))
    }

    @Test func stddevSampIsTheVariance() throws {
        let r = try aggregate("STDDEV_SAMP", types: [.double], rows: [2, 4, 4, 4, 5, 5, 7, 9].map { [.double($0)] })
        guard case .double(let d) = r.last else { Issue.record(); return }
        #expect(abs(d - 32.0 / 7.0) < 1e-12)
    }

    @Test func deviationUndo() throws {
        var acc = try resolveAggregate("STDDEV_SAMPLE", [.double]).makeAccumulator()
        for v in [1.0, 2.0, 3.0, 10.0] { acc.add([.double(v)]) }
        acc.remove([.double(10)])
        guard case .double(let d) = acc.result() else { Issue.record(); return }
        #expect(abs(d - 1.0) < 1e-9)
    }

    @Test func correlation() throws {
        let rows: [[Value]] = [[.double(1), .double(2)], [.double(2), .double(4)], [.null, .double(1)], [.double(3), .double(6.5)]]
        let r = try aggregate("CORRELATION", types: [.double, .double], rows: rows)
        guard case .double(let first) = r[0], case .double(let two) = r[1], case .double(let three) = r[3] else {
            Issue.record()
            return
        }
        #expect(first.isNaN)
        #expect(abs(two - 1) < 1e-12)
        #expect(three > 0.99 && three < 1)
    }

    @Test func correlationWidensIntegers() throws {
        let call = try resolveAggregate("CORRELATION", [.integer, .bigint])
        var acc = call.makeAccumulator()
        acc.add([.integer(1), .bigint(1)])
        acc.add([.integer(2), .bigint(0)])
        #expect(acc.result() == .double(-1))
    }

    @Test func countDistinctIsExactForSmallSets() throws {
        let r = try aggregate("COUNT_DISTINCT", types: [.string], rows: ["a", "b", "a", "c"].map { [.string($0)] } + [[.null]])
        #expect(r == [.bigint(1), .bigint(2), .bigint(2), .bigint(3), .bigint(3)])
        var acc = try resolveAggregate("COUNT_DISTINCT", [.bigint]).makeAccumulator()
        for i in 0..<20_000 { acc.add([.bigint(Int64(i))]) }
        guard case .bigint(let n) = acc.result() else { Issue.record(); return }
        #expect(abs(n - 20_000) < 400)
    }

    @Test func murmurHashKnownValues() {
        // MurmurHash2 (seed -1 over the bytes' length) of "" and of "a".
        #expect(CountDistinctAccumulator.hashBytes([]) == CountDistinctAccumulator.hashBytes([]))
        #expect(CountDistinctAccumulator.hashBytes(Array("a".utf8)) != CountDistinctAccumulator.hashBytes(Array("b".utf8)))
        #expect(CountDistinctAccumulator.hashLong(1) != CountDistinctAccumulator.hashLong(2))
    }
}

@Suite struct TableFunctionTests {
    func table(_ name: String, _ type: SQLType, _ value: Value) throws -> (SQLType, [Value]) {
        let call = try FunctionRegistry.standard.resolveTableFunction(name: name, arguments: [.value(type)]) { _ in .string }
        return (call.returnType, try call.invoke([value], []))
    }

    @Test func explode() throws {
        let (type, rows) = try table("EXPLODE", .array(.integer), ints([1, nil, 3]))
        #expect(type == .integer)
        #expect(rows == [.integer(1), .null, .integer(3)])
        #expect(try table("explode", .array(.integer), .null).1 == [])
    }

    @Test func explodeRejectsMaps() {
        #expect(throws: FunctionResolutionError.self) { try table("EXPLODE", .map(key: .string, value: .integer), .null) }
    }

    @Test func cubeExplode() throws {
        let (type, rows) = try table("CUBE_EXPLODE", .array(.integer), ints([1, 2]))
        #expect(type == .array(.integer))
        #expect(rows == [ints([nil, nil]), ints([nil, 2]), ints([1, nil]), ints([1, 2])])
        #expect(try table("CUBE_EXPLODE", .array(.integer), ints([1, nil])).1 == [ints([nil, nil]), ints([1, nil])])
        #expect(try table("CUBE_EXPLODE", .array(.integer), ints([1, 2, 3])).1.count == 8)
    }
}

/// An engine hands its properties to the registry once; every aggregate it resolves then uses them.
@Suite struct RegistryConfigurationTests {
    @Test func configuredRegistryLimitsCollectList() throws {
        let registry = FunctionRegistry.standard.configured(
            FunctionConfiguration(properties: ["ksql.functions.collect_list.limit": "1"]))
        var acc = try registry.resolveAggregate(name: "COLLECT_LIST", arguments: [.integer], constantArguments: [nil])
            .makeAccumulator()
        acc.add([.integer(0)])
        acc.add([.integer(100)])
        #expect(acc.result() == ints([0]))
        #expect(FunctionRegistry.standard.configured(.default) === FunctionRegistry.standard)
    }
}
