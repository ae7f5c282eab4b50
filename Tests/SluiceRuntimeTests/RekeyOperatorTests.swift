import SluicePlanner
import SluiceTypes
import Testing

@testable import SluiceRuntime

@Suite("Rekey operator")
struct RekeyOperatorTests {
    /// GROUP BY C over a keyless stream [A, B, C], where the aggregation reads only C (ColumnPruning
    /// turns A into a NULL literal).
    func groupByC(values: [BoundExpr], isTable: Bool = false, next: Operator) -> RekeyOperator {
        let layout = RowLayout(
            keyColumns: [Column(name: "C", type: .string, namespace: .key)],
            valueColumns: [
                Column(name: "A", type: .bigint), Column(name: "B", type: .bigint), Column(name: "C", type: .string),
            ], windowing: nil, isTable: isTable)
        return RekeyOperator(
            RekeyNode(keys: [.column(2, .string)], values: values, layout: layout), inputKeyCount: 0, inputValueCount: 3,
            dropNullKeys: true, isTable: isTable, next: next)
    }

    let prunedValues: [BoundExpr] = [.literal(.null, .bigint), .column(1, .bigint), .column(2, .string)]

    @Test func prunedColumnsAreLeftAsReadForAnAggregateInTheSameTask() {
        // Nothing downstream reads a pruned column, so the decoded array goes on untouched (and
        // stays shared with the source decoder rather than copied).
        let out = Collector()
        let op = groupByC(values: prunedValues, next: out)
        op.process(row([], [.bigint(1), .bigint(2), .string("c")], at: 1), context())
        #expect(out.rows.map(\.key) == [[.string("c")]])
        #expect(out.rows.map(\.value) == [[.bigint(1), .bigint(2), .string("c")]])
    }

    @Test func aReusedKeyNeverChangesAKeyHandedOnBefore() {
        // The rekey writes each new key over the previous one when nothing kept it; rows that
        // were kept downstream (here by the collector) must still carry their own keys.
        let out = Collector()
        let op = groupByC(values: prunedValues, next: out)
        let ctx = context()
        for (i, c) in ["a", "b", "a", "c"].enumerated() {
            op.process(row([], [.bigint(Int64(i)), .bigint(2), .string(c)], at: Int64(i)), ctx)
        }
        #expect(out.rows.map(\.key) == [[.string("a")], [.string("b")], [.string("a")], [.string("c")]])
    }

    @Test func prunedColumnsBecomeNullInARepartitionTopic() throws {
        let sink = RepartitionSinkOperator(topic: "r", partitions: 1)
        let op = groupByC(values: prunedValues, next: sink)
        op.process(row([], [.bigint(1), .bigint(2), .string("c")], at: 1), context())
        let records = sink.drain().flatMap(\.1)
        #expect(records.count == 1)
        let value = try #require(records.first?.value)
        #expect(value.first == 0)  // a new row
        #expect(BinaryValueCodec.decode(Array(value.dropFirst())) == [.null, .bigint(2), .string("c")])
    }

    @Test func reorderedColumnsAreCopiedInTheirNewOrder() {
        let out = Collector()
        let op = groupByC(values: [.column(2, .string), .literal(.null, .bigint), .column(0, .bigint)], next: out)
        op.process(row([], [.bigint(1), .bigint(2), .string("c")], at: 1), context())
        #expect(out.rows.map(\.value) == [[.string("c"), .null, .bigint(1)]])
    }

    @Test func aNullKeyDropsTheRecordAndLogsIt() {
        let out = Collector()
        let ctx = context()
        let op = groupByC(values: prunedValues, next: out)
        op.process(row([], [.bigint(1), .bigint(2), .null], at: 1), ctx)
        #expect(out.rows.isEmpty)
        #expect(ctx.log.total == 1)
    }

    @Test func aTableUpdateWithinOneGroupIsOneChange() {
        let out = Collector()
        let op = groupByC(values: prunedValues, isTable: true, next: out)
        op.process(row([], [.bigint(1), .bigint(5), .string("c")], at: 1, old: [.bigint(1), .bigint(2), .string("c")]), context())
        #expect(out.rows.count == 1)
        #expect(out.rows.first?.value == [.null, .bigint(5), .string("c")])
        #expect(out.rows.first?.oldValue == [.null, .bigint(2), .string("c")])
    }
}
