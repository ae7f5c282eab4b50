import SluicePlanner
import SluiceTypes

/// Evaluates an expression that reads no columns (INSERT VALUES), outside any query.
public enum ConstantEvaluator {
    /// The value, or the first error met while computing it.
    public static func evaluate(_ e: BoundExpr) -> Result<Value, RuntimeError> {
        let context = EvalContext()
        let value = ExpressionCompiler.compile(e)([], context)
        if let error = context.errors.first { return .failure(RuntimeError(error)) }
        return .success(value)
    }
}
