import SluicePlanner
import SluiceSQL
import SluiceTypes
import Testing

@testable import SluiceRuntime

/// `column op literal` over integers compiles to a specialized closure; with the literal moved
/// into a second column the general path runs instead. The two must agree on every value,
/// including NULL, the ends of the range and the division rules.
@Suite struct IntegerFastPathTests {
    static let values: [Value] = [
        .null, .bigint(0), .bigint(1), .bigint(-1), .bigint(7), .bigint(-123), .bigint(246), .bigint(.max), .bigint(.min),
        .integer(5), .integer(-5), .integer(.min),
    ]
    static let literals: [Int64] = [0, 1, -1, 2, 123, -7, .max, .min]

    func run(_ expr: BoundExpr, _ row: [Value]) -> (Value, [String]) {
        let ctx = EvalContext()
        let value = ExpressionCompiler.compile(expr)(row, ctx)
        return (value, ctx.errors)
    }

    @Test func arithmeticAgreesWithTheGeneralPath() {
        for op in [BinaryOperator.add, .subtract, .multiply, .divide, .modulo] {
            for v in Self.values {
                for y in Self.literals {
                    let type: SQLType = v.isNull ? .bigint : (v == .integer(5) || v == .integer(-5) || v == .integer(.min) ? .integer : .bigint)
                    let fast = run(.arithmetic(op, .column(0, type), .literal(.bigint(y), .bigint), .bigint), [v, .bigint(y)])
                    let general = run(.arithmetic(op, .column(0, type), .column(1, .bigint), .bigint), [v, .bigint(y)])
                    #expect(fast.0 == general.0, "\(v) \(op.rawValue) \(y)")
                    #expect(fast.1.isEmpty == general.1.isEmpty, "\(v) \(op.rawValue) \(y)")
                }
            }
        }
    }

    @Test func comparisonsAgreeWithTheGeneralPath() {
        for op in [ComparisonOperator.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual] {
            for v in Self.values {
                for y in Self.literals {
                    let fast = run(.comparison(op, .column(0, .bigint), .literal(.bigint(y), .bigint)), [v, .bigint(y)])
                    let general = run(.comparison(op, .column(0, .bigint), .column(1, .bigint)), [v, .bigint(y)])
                    #expect(fast.0 == general.0, "\(v) \(op.rawValue) \(y)")
                }
            }
        }
    }

    @Test func aWideningCastOfTheLiteralStillTakesTheFastPath() {
        let expr = BoundExpr.comparison(.equal, .arithmetic(.modulo, .column(0, .bigint), .cast(.literal(.integer(123), .integer), to: .bigint), .bigint), .literal(.bigint(0), .bigint))
        #expect(IntegerFastPaths.literal(.cast(.literal(.integer(123), .integer), to: .bigint)) == 123)
        #expect(run(expr, [.bigint(246)]).0 == .boolean(true))
        #expect(run(expr, [.bigint(245)]).0 == .boolean(false))
        #expect(run(expr, [.null]).0 == .boolean(false))
    }
}

/// `integer column * decimal literal` against the general decimal path (the literal moved into a
/// column), across precisions small enough to overflow, both operand orders and NULL.
@Suite struct DecimalFastPathTests {
    func run(_ expr: BoundExpr, _ row: [Value]) -> (Value, [String]) {
        let ctx = EvalContext()
        let value = ExpressionCompiler.compile(expr)(row, ctx)
        return (value, ctx.errors)
    }

    @Test func multiplicationAgreesWithTheGeneralPath() throws {
        let literal = try #require(SQLDecimal("0.908"))
        let xs: [Value] = [.null, .bigint(0), .bigint(1), .bigint(-23828), .bigint(99_999), .bigint(100_000), .bigint(.max), .bigint(.min), .integer(-7)]
        for precision in [5, 8, 23, 38] {
            let type = SQLType.decimal(precision: precision, scale: 3)
            for x in xs {
                let xType: SQLType = if case .integer = x { .integer } else { .bigint }
                for literalFirst in [true, false] {
                    let lit = BoundExpr.literal(.decimal(literal), .decimal(precision: 3, scale: 3))
                    let col = BoundExpr.column(0, xType)
                    let inColumn = BoundExpr.column(1, .decimal(precision: 3, scale: 3))
                    let fast = run(.arithmetic(.multiply, literalFirst ? lit : col, literalFirst ? col : lit, type), [x, .decimal(literal)])
                    let general = run(.arithmetic(.multiply, literalFirst ? inColumn : col, literalFirst ? col : inColumn, type), [x, .decimal(literal)])
                    #expect(fast.0 == general.0, "\(x) × 0.908 as DECIMAL(\(precision), 3)")
                    #expect(fast.1 == general.1, "\(x) × 0.908 as DECIMAL(\(precision), 3)")
                }
            }
        }
    }
}
