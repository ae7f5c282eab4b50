import SluiceFunctions
import SluicePlanner
import SluiceSQL
import SluiceTypes
import Testing

@testable import SluiceRuntime

/// Groups keep single-value folds (COUNT, SUM, MIN, MAX) unboxed beside the accumulators of other
/// aggregates; these tests mix both kinds in one aggregation.
@Suite("Aggregate operator")
struct AggregateOperatorTests {
    /// COUNT(*), COLLECT_LIST(V), MAX(V) and SUM(V) over rows [K, V] (V BIGINT), unwindowed.
    func mixedNode(window: WindowSpec? = nil) throws -> AggregateNode {
        let registry = FunctionRegistry.standard
        func call(_ name: String, _ arguments: [BoundExpr]) throws -> AggregateCall {
            let function = try registry.resolveAggregate(
                name: name, arguments: arguments.map(\.type), constantArguments: arguments.map { _ in nil })
            return AggregateCall(name: name, function: function, arguments: arguments)
        }
        let v = BoundExpr.column(1, .bigint)
        let layout = RowLayout(
            keyColumns: [Column(name: "K", type: .string, namespace: .key)],
            valueColumns: [
                Column(name: "C", type: .bigint), Column(name: "L", type: .array(.bigint)),
                Column(name: "M", type: .bigint), Column(name: "S", type: .bigint),
            ], windowing: window.map { _ in .time(sizeMs: 10) }, isTable: false)
        return AggregateNode(
            window: window,
            calls: [try call("COUNT", []), try call("COLLECT_LIST", [v]), try call("MAX", [v]), try call("SUM", [v])],
            carried: [], emitFinal: false, layout: layout)
    }

    @Test func foldsAndAccumulatorsReportInCallOrder() throws {
        let out = Collector()
        let op = AggregateOperator(try mixedNode(), next: out)
        let ctx = context()
        for (k, v) in [("a", 3), ("a", 1), ("b", 4), ("a", 5)] {
            op.process(row([.string(k)], [.bigint(Int64(v))], at: 1), ctx)
        }
        #expect(
            out.rows.map { $0.value! } == [
                [.bigint(1), .array([.bigint(3)]), .bigint(3), .bigint(3)],
                [.bigint(2), .array([.bigint(3), .bigint(1)]), .bigint(3), .bigint(4)],
                [.bigint(1), .array([.bigint(4)]), .bigint(4), .bigint(4)],
                [.bigint(3), .array([.bigint(3), .bigint(1), .bigint(5)]), .bigint(5), .bigint(9)],
            ])
    }

    @Test func anEmittedResultKeepsItsValuesWhenTheGroupChangesLater() throws {
        let out = Collector()
        let node = try mixedNode()
        let op = AggregateOperator(
            AggregateNode(window: nil, calls: [node.calls[0]], carried: [], emitFinal: false, layout: node.layout),
            next: out)
        let ctx = context()
        op.process(row([.string("a")], [.bigint(1)], at: 1), ctx)
        op.process(row([.string("a")], [.bigint(2)], at: 2), ctx)
        #expect(out.rows.map { $0.value! } == [[.bigint(1)], [.bigint(2)]])
    }

    @Test func computedArgumentsFeedFoldsInEveryWindow() throws {
        let out = Collector()
        let ctx = context()
        let registry = FunctionRegistry.standard
        let doubled = BoundExpr.arithmetic(.multiply, .column(1, .bigint), .literal(.bigint(2), .bigint), .bigint)
        let sum = try registry.resolveAggregate(name: "SUM", arguments: [.bigint], constantArguments: [nil])
        let count = try registry.resolveAggregate(name: "COUNT", arguments: [.bigint], constantArguments: [nil])
        let node = try mixedNode()
        let window = WindowSpec(kind: .hopping(size: Duration(10, .milliseconds), advance: Duration(5, .milliseconds)))
        let op = AggregateOperator(
            AggregateNode(
                window: window,
                calls: [
                    AggregateCall(name: "SUM", function: sum, arguments: [doubled]),
                    AggregateCall(name: "COUNT", function: count, arguments: [doubled]),
                ], carried: [], emitFinal: false, layout: node.layout),
            next: out)
        op.process(row([.string("a")], [.bigint(4)], at: 12), ctx)
        op.process(row([.string("a")], [.null], at: 13), ctx)
        #expect(
            out.rows.map { $0.value! } == [
                [.bigint(8), .bigint(1)], [.bigint(8), .bigint(1)], [.bigint(8), .bigint(1)], [.bigint(8), .bigint(1)],
            ])
    }

    @Test func aSnapshotRestoresFoldsAndAccumulators() throws {
        let window = WindowSpec(kind: .tumbling(size: Duration(10, .milliseconds)))
        let first = AggregateOperator(try mixedNode(window: window), next: Collector())
        let ctx = context()
        first.process(row([.string("a")], [.bigint(3)], at: 1), ctx)
        first.process(row([.string("a")], [.bigint(7)], at: 2), ctx)
        var state: [Value] = []
        #expect(first.writeState(into: &state))

        let out = Collector()
        let second = AggregateOperator(try mixedNode(window: window), next: out)
        var reader = StateReader(state)
        #expect(second.readState(&reader))
        second.process(row([.string("a")], [.bigint(2)], at: 3), ctx)
        #expect(
            out.rows.map { $0.value! } == [[.bigint(3), .array([.bigint(3), .bigint(7), .bigint(2)]), .bigint(7), .bigint(12)]])
        #expect(out.rows.first?.window == WindowBounds(start: 0, end: 10))
    }

    /// CORRELATION takes DOUBLEs, so over BIGINT columns its accumulator widens the arguments.
    @Test func aSnapshotRestoresAnAggregateOverWidenedArguments() throws {
        let function = try FunctionRegistry.standard.resolveAggregate(
            name: "CORRELATION", arguments: [.bigint, .bigint], constantArguments: [nil, nil])
        let node = AggregateNode(
            window: nil,
            calls: [
                AggregateCall(
                    name: "CORRELATION", function: function, arguments: [.column(1, .bigint), .column(2, .bigint)])
            ], carried: [],
            emitFinal: false,
            layout: RowLayout(
                keyColumns: [Column(name: "K", type: .string, namespace: .key)],
                valueColumns: [Column(name: "R", type: .double)], windowing: nil, isTable: false))
        let points: [(Int64, Int64)] = [(1, 2), (2, 4), (3, 7), (4, 8)]
        let ctx = context()
        let whole = Collector()
        let uninterrupted = AggregateOperator(node, next: whole)
        for (x, y) in points { uninterrupted.process(row([.string("a")], [.bigint(x), .bigint(y)], at: 1), ctx) }

        let first = AggregateOperator(node, next: Collector())
        for (x, y) in points.prefix(2) { first.process(row([.string("a")], [.bigint(x), .bigint(y)], at: 1), ctx) }
        var state: [Value] = []
        #expect(first.writeState(into: &state))
        let out = Collector()
        let second = AggregateOperator(node, next: out)
        var reader = StateReader(state)
        #expect(second.readState(&reader))
        for (x, y) in points.dropFirst(2) { second.process(row([.string("a")], [.bigint(x), .bigint(y)], at: 1), ctx) }
        #expect(out.rows.map { $0.value! } == whole.rows.suffix(2).map { $0.value! })
        #expect(out.rows.count == 2)
    }

    @Test func aSnapshotOfAnotherFoldIsRejected() throws {
        let op = AggregateOperator(try mixedNode(), next: Collector())
        op.process(row([.string("a")], [.bigint(3)], at: 1), context())
        var state: [Value] = []
        #expect(op.writeState(into: &state))
        // COUNT's saved state is a BIGINT; a DOUBLE in its place is not this aggregation's snapshot.
        guard case .array(var groups) = state[1], case .array(var group) = groups[0], case .array(var accs) = group[6] else {
            Issue.record("unexpected snapshot shape")
            return
        }
        accs[0] = .array([.double(1)])
        group[6] = .array(accs)
        groups[0] = .array(group)
        state[1] = .array(groups)
        var reader = StateReader(state)
        #expect(!AggregateOperator(try mixedNode(), next: Collector()).readState(&reader))
    }
}
