import SluiceFunctions
import SluicePlanner
import SluiceTypes
import Testing

@testable import SluiceRuntime

/// A failure inside a lambda body fails the function that called the lambda, as an exception in
/// ksqlDB's generated code does; outside lambdas arithmetic on NULL stays NULL.
@Suite("Lambda failures")
struct LambdaFailureTests {
    func transformPlusFive(_ numbers: Value) -> (Value, [String]) {
        let call = try! FunctionRegistry.standard.resolveScalar(
            name: "TRANSFORM", arguments: [.value(.array(.integer)), .lambda(parameterCount: 1)]
        ) { _ in .integer }
        let x = BoundExpr.lambdaParameter(depth: 0, index: 0, .integer)
        let body = BoundExpr.arithmetic(.add, x, .literal(.integer(5), .integer), .integer)
        let e = BoundExpr.call(
            name: "TRANSFORM", call, [.literal(numbers, .array(.integer))],
            lambdas: [BoundLambda(depth: 0, parameterTypes: [.integer], body: body)])
        let ctx = EvalContext()
        return (ExpressionCompiler.compile(e)([], ctx), ctx.errors)
    }

    @Test func nullArithmeticInALambdaFailsTheCall() {
        let (value, errors) = transformPlusFive(.array([.integer(5), .null]))
        #expect(value == .null)
        #expect(errors.count == 1)
        #expect(transformPlusFive(.array([.integer(3), .integer(6)])).0 == .array([.integer(8), .integer(11)]))
    }

    @Test func nullArithmeticOutsideALambdaIsNull() {
        let ctx = EvalContext()
        let e = BoundExpr.arithmetic(.add, .literal(.null, .integer), .literal(.integer(5), .integer), .integer)
        #expect(ExpressionCompiler.compile(e)([], ctx) == .null)
        #expect(ctx.errors.isEmpty)
    }
}
