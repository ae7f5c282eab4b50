import SluicePlanner
import SluiceSQL
import SluiceTypes
import Testing

@testable import SluiceRuntime

/// Joins of windowed sources match within one window only; a foreign-key join's delete carries the
/// result it takes back.
@Suite("Windowed join")
struct WindowedJoinTests {
    /// A plan input of one key column and one value column, windowed as given.
    func side(_ name: String, windowing: Windowing?, isTable: Bool = false) -> PlanNode {
        let layout = RowLayout(
            keyColumns: [Column(name: "K", type: .integer, namespace: .key)],
            valueColumns: [Column(name: "V", type: .bigint)], windowing: windowing, isTable: isTable)
        let source = SourceDescription(
            name: name, kind: isTable ? .table : .stream, topic: name,
            schema: LogicalSchema(columns: layout.keyColumns + layout.valueColumns), keyFormat: .json, valueFormat: .json,
            windowing: windowing)
        return .scan(ScanNode(source: source, layout: layout, timestampExpr: nil))
    }

    func windowed(_ key: Int32, _ v: Int64, at ts: Int64, _ window: WindowBounds) -> RuntimeRow {
        var r = row([.integer(key)], [.bigint(v)], at: ts)
        r.window = window
        return r
    }

    func streamJoin(_ left: Windowing, _ right: Windowing) -> (JoinOperator, Collector) {
        let l = side("L", windowing: left)
        let layout = RowLayout(
            keyColumns: [Column(name: "K", type: .integer, namespace: .key)],
            valueColumns: [Column(name: "L_V", type: .bigint), Column(name: "R_V", type: .bigint)], windowing: left,
            isTable: false)
        let node = JoinNode(
            left: l, right: side("R", windowing: right), type: .inner,
            within: JoinWindow(before: Duration(60_000, .milliseconds), after: Duration(60_000, .milliseconds)), layout: layout)
        let out = Collector()
        return (JoinOperator(node, next: out), out)
    }

    @Test func sessionsMatchOnlyWhenBothBoundsAreEqual() {
        let (join, out) = streamJoin(.session, .session)
        let ctx = context()
        join.process(windowed(1, 1, at: 765, WindowBounds(start: 234, end: 765)), from: .left, ctx)
        join.process(windowed(1, 2, at: 567, WindowBounds(start: 234, end: 567)), from: .right, ctx)
        #expect(out.rows.isEmpty)
        join.process(windowed(1, 3, at: 765, WindowBounds(start: 234, end: 765)), from: .right, ctx)
        #expect(out.rows.count == 1)
        #expect(out.rows.first?.key == [.integer(1)])
        #expect(out.rows.first?.value == [.bigint(1), .bigint(3)])
        #expect(out.rows.first?.window == WindowBounds(start: 234, end: 765))
    }

    @Test func timeWindowsMatchOnTheirStartAndTakeTheLeftSidesSize() {
        let (join, out) = streamJoin(.time(sizeMs: 5000), .time(sizeMs: 2000))
        let ctx = context()
        join.process(windowed(1, 1, at: 0, WindowBounds(start: 0, end: 5000)), from: .left, ctx)
        join.process(windowed(1, 2, at: 1000, WindowBounds(start: 1000, end: 6000)), from: .left, ctx)
        join.process(windowed(1, 4, at: 0, WindowBounds(start: 0, end: 2000)), from: .right, ctx)
        #expect(out.rows.map(\.value) == [[.bigint(1), .bigint(4)]])
        #expect(out.rows.first?.window == WindowBounds(start: 0, end: 5000))
    }

    @Test func aForeignKeyJoinsDeleteCarriesTheResultItRemoves() {
        // Left: key K, value [V, foreign key]; right: keyed by the foreign key.
        let leftLayout = RowLayout(
            keyColumns: [Column(name: "K", type: .integer, namespace: .key)],
            valueColumns: [Column(name: "V", type: .bigint), Column(name: "FOREIGN_KEY", type: .integer)], isTable: true)
        let leftSource = SourceDescription(
            name: "L", kind: .table, topic: "l", schema: LogicalSchema(columns: leftLayout.keyColumns + leftLayout.valueColumns),
            keyFormat: .json, valueFormat: .json)
        let layout = RowLayout(
            keyColumns: [Column(name: "K", type: .integer, namespace: .key)],
            valueColumns: [Column(name: "L_V", type: .bigint), Column(name: "R_V", type: .bigint)], isTable: true)
        let node = JoinNode(
            left: .scan(ScanNode(source: leftSource, layout: leftLayout, timestampExpr: nil)),
            right: side("R", windowing: nil, isTable: true), type: .inner, within: nil, layout: layout, foreignKey: true)
        let out = Collector()
        let join = ForeignKeyJoinOperator(node, next: out)
        let ctx = context()
        join.process(row([.integer(7)], [.bigint(70)], at: 1), from: .right, ctx)
        join.process(row([.integer(1)], [.bigint(10), .integer(7)], at: 2), from: .left, ctx)
        join.process(row([.integer(1)], nil, at: 3), from: .left, ctx)
        #expect(out.rows.count == 2)
        #expect(out.rows.last?.value == nil)
        #expect(out.rows.last?.oldValue == [.bigint(10), .bigint(70)])
    }
}
