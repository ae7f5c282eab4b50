import SluiceFunctions
import SluiceLog
import SluicePlanner
import SluiceSQL
import SluiceTypes
import Testing

@testable import SluiceRuntime

/// Collects what reaches the end of an operator chain.
final class Collector: Operator {
    var rows: [RuntimeRow] = []
    override func process(_ row: inout RuntimeRow, _ context: TaskContext) { rows.append(row) }
}

extension Operator {
    /// Feeds a row built in place (the tests' rows are temporaries; operators take theirs inout).
    func process(_ row: RuntimeRow, _ context: TaskContext) {
        var row = row
        process(&row, context)
    }
}

func row(_ key: [Value], _ value: [Value]?, at ts: Int64, old: [Value]? = nil) -> RuntimeRow {
    RuntimeRow(key: key, value: value, oldValue: old, timestamp: ts, window: nil, partition: 0, offset: 0, headers: [])
}

func context() -> TaskContext { TaskContext(queryID: "test", log: ProcessingLog()) }

@Suite("Operators")
struct OperatorTests {
    /// SUM(value) where the row is [key, value]: the argument is evaluation column 1.
    func sumNode(window: WindowSpec?, emitFinal: Bool = false) throws -> AggregateNode {
        let sum = try FunctionRegistry.standard.resolveAggregate(name: "SUM", arguments: [.integer], constantArguments: [nil])
        let layout = RowLayout(
            keyColumns: [Column(name: "K", type: .string, namespace: .key)],
            valueColumns: [Column(name: "S", type: .integer)], windowing: window.map { _ in .time(sizeMs: 10) }, isTable: true)
        return AggregateNode(
            window: window, calls: [AggregateCall(name: "SUM", function: sum, arguments: [.column(1, .integer)])],
            carried: [], emitFinal: emitFinal, layout: layout)
    }

    @Test func hoppingWindowsCountARowInEveryWindowHoldingIt() throws {
        let out = Collector()
        let op = AggregateOperator(
            try sumNode(window: WindowSpec(kind: .hopping(size: Duration(10, .milliseconds), advance: Duration(5, .milliseconds)))),
            next: out)
        op.process(row([.string("k")], [.integer(3)], at: 12), context())
        #expect(out.rows.map { $0.window!.start } == [5, 10])
        #expect(out.rows.map { $0.value! } == [[.integer(3)], [.integer(3)]])
    }

    @Test func lateRowsAreDroppedAndLogged() throws {
        let out = Collector()
        let ctx = context()
        let op = AggregateOperator(
            try sumNode(window: WindowSpec(kind: .tumbling(size: Duration(10, .milliseconds)), grace: Duration(0, .milliseconds))),
            next: out)
        op.process(row([.string("k")], [.integer(1)], at: 25), ctx)
        op.process(row([.string("k")], [.integer(2)], at: 5), ctx)
        #expect(out.rows.count == 1)
        #expect(ctx.log.total == 1)
    }

    @Test func emitFinalWaitsForTheWindowToClose() throws {
        let out = Collector()
        let ctx = context()
        let op = AggregateOperator(
            try sumNode(window: WindowSpec(kind: .tumbling(size: Duration(10, .milliseconds)), grace: Duration(0, .milliseconds)), emitFinal: true),
            next: out)
        for (v, ts) in [(1, 1), (2, 4), (3, 12)] {
            op.process(row([.string("k")], [.integer(Int32(v))], at: Int64(ts)), ctx)
            op.advance(ctx)
        }
        #expect(out.rows.count == 1)
        #expect(out.rows.first?.value == [.integer(3)])
        #expect(out.rows.first?.window == WindowBounds(start: 0, end: 10))
    }

    @Test func tableAggregationTakesBackTheOldRow() throws {
        let out = Collector()
        let op = AggregateOperator(try sumNode(window: nil), next: out)
        let ctx = context()
        op.process(row([.string("k")], [.integer(5)], at: 1), ctx)
        op.process(row([.string("k")], [.integer(7)], at: 2, old: [.integer(5)]), ctx)
        #expect(out.rows.map { $0.value! } == [[.integer(5)], [.integer(7)]])
    }

    @Test func plainColumnProjectionsMatchTheEvaluatedPath() throws {
        // Over [K] key, [A, B] value: key K, value (B, K, A). The same with a cast on A goes
        // through the evaluation row; both must give the same rows, deletes included.
        let layout = RowLayout(
            keyColumns: [Column(name: "K", type: .string, namespace: .key)],
            valueColumns: [Column(name: "B", type: .bigint), Column(name: "K", type: .string), Column(name: "A", type: .bigint)],
            windowing: nil, isTable: true)
        func run(_ a: BoundExpr) -> [RuntimeRow] {
            let out = Collector()
            let node = ProjectNode(keys: [.column(0, .string)], values: [.column(2, .bigint), .column(0, .string), a], layout: layout)
            let op = ProjectOperator(node, inputKeyCount: 1, inputValueCount: 2, next: out)
            let ctx = context()
            op.process(row([.string("k")], [.bigint(1), .bigint(2)], at: 1), ctx)
            op.process(row([.string("k")], nil, at: 2, old: [.bigint(1), .bigint(2)]), ctx)
            op.process(row([.string("j")], [.bigint(3), .bigint(4)], at: 3), ctx)
            return out.rows
        }
        let plain = run(.column(1, .bigint))
        let evaluated = run(.cast(.column(1, .bigint), to: .bigint))
        #expect(plain.map(\.key) == [[.string("k")], [.string("k")], [.string("j")]])
        #expect(plain.map(\.value) == [[.bigint(2), .string("k"), .bigint(1)], nil, [.bigint(4), .string("j"), .bigint(3)]])
        #expect(plain.map(\.key) == evaluated.map(\.key))
        #expect(plain.map(\.value) == evaluated.map(\.value))
    }

    @Test func keylessFilterReadsValuesInPlaceAndStillSeesRowtime() throws {
        // A keyless stream [v]: the predicate on `v` runs on the value array itself; one on
        // ROWTIME (evaluation index 1, past the values) needs the full evaluation row.
        func run(_ predicate: BoundExpr) -> [Int64] {
            let out = Collector()
            let op = FilterOperator(predicate: predicate, inputKeyCount: 0, inputValueCount: 1, isTable: false, next: out)
            let ctx = context()
            for (v, ts) in [(Int32(3), Int64(10)), (9, 20), (7, 30)] { op.process(row([], [.integer(v)], at: ts), ctx) }
            return out.rows.map(\.timestamp)
        }
        #expect(run(.comparison(.greater, .column(0, .integer), .literal(.integer(5), .integer))) == [20, 30])
        #expect(run(.comparison(.less, .column(1, .bigint), .literal(.bigint(25), .bigint))) == [10, 20])
    }

    @Test func tableFilterTurnsAFailingUpdateIntoADelete() throws {
        let out = Collector()
        // value > 5 over [key, value]
        let predicate = BoundExpr.comparison(.greater, .column(1, .integer), .literal(.integer(5), .integer))
        let op = FilterOperator(predicate: predicate, inputKeyCount: 1, inputValueCount: 1, isTable: true, next: out)
        let ctx = context()
        op.process(row([.string("k")], [.integer(9)], at: 1), ctx)
        op.process(row([.string("k")], [.integer(2)], at: 2, old: [.integer(9)]), ctx)
        op.process(row([.string("k")], [.integer(1)], at: 3, old: [.integer(2)]), ctx)
        #expect(out.rows.count == 2)
        #expect(out.rows[1].value == nil)
        #expect(out.rows[1].oldValue == [.integer(9)])
    }
}

@Suite("Expressions")
struct ExpressionTests {
    func eval(_ e: BoundExpr) -> Value { ExpressionCompiler.compile(e)([], EvalContext()) }

    @Test func andOrFollowThreeValuedLogic() {
        let null = BoundExpr.literal(.null, .boolean)
        let t = BoundExpr.literal(.boolean(true), .boolean)
        let f = BoundExpr.literal(.boolean(false), .boolean)
        #expect(eval(.and(null, f)) == .boolean(false))
        #expect(eval(.and(null, t)) == .null)
        #expect(eval(.or(null, t)) == .boolean(true))
        #expect(eval(.or(null, f)) == .null)
    }

    @Test func integerDivisionByZeroIsNullAndReported() {
        let ctx = EvalContext()
        let e = BoundExpr.arithmetic(.divide, .literal(.integer(1), .integer), .literal(.integer(0), .integer), .integer)
        #expect(ExpressionCompiler.compile(e)([], ctx) == .null)
        #expect(ctx.errors == ["division by zero"])
    }

    @Test func likeHonoursWildcardsAndEscape() {
        #expect(ValueComparison.like("foo", "f%", escape: nil))
        #expect(ValueComparison.like("f_o", "f!_o", escape: "!"))
        #expect(!ValueComparison.like("fxo", "f!_o", escape: "!"))
    }

    @Test func arraySubscriptsAreOneBasedAndNegativeFromTheEnd() {
        let array = BoundExpr.literal(.array([.integer(1), .integer(2), .integer(3)]), .array(.integer))
        #expect(eval(.subscriptOf(array, .literal(.integer(1), .integer), .integer)) == .integer(1))
        #expect(eval(.subscriptOf(array, .literal(.integer(-1), .integer), .integer)) == .integer(3))
        #expect(eval(.subscriptOf(array, .literal(.integer(4), .integer), .integer)) == .null)
    }
}

@Suite("Internal row codec")
struct BinaryValueCodecTests {
    @Test func roundTripsEveryKindOfValue() {
        let values: [Value] = [
            .null, .boolean(true), .integer(-7), .bigint(1 << 40), .double(2.5),
            .decimal(SQLDecimal(unscaled: -12345678901234567890, scale: 4)), .string("héllo"), .bytes([0, 255]),
            .date(19000), .time(1234), .timestamp(-5),
            .array([.integer(1), .null]), .map([MapEntry(key: .string("k"), value: .bigint(2))]),
            .structure([StructEntry(name: "A", value: .string("x"))]),
        ]
        #expect(BinaryValueCodec.decode(BinaryValueCodec.encode(values)) == values)
    }

    @Test func truncatedBytesDecodeToNilNotACrash() {
        let bytes = BinaryValueCodec.encode([.string("hello"), .bigint(3)])
        for cut in 0..<bytes.count {
            #expect(BinaryValueCodec.decode(Array(bytes[..<cut])) == nil)
        }
    }
}
