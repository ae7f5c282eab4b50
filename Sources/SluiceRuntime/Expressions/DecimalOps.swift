import SluiceTypes

/// The decimal operations expressions need, over SluiceTypes' ``SQLDecimal`` arithmetic, with its
/// errors turned into per-record evaluation errors.
enum DecimalOps {
    static func negate(_ d: SQLDecimal) -> SQLDecimal { d.negated }

    static func rescale(_ d: SQLDecimal, to scale: Int) throws(EvaluationError) -> SQLDecimal {
        do { return try d.rescaled(to: scale) } catch { throw EvaluationError(error.message) }
    }

    static func add(_ a: SQLDecimal, _ b: SQLDecimal) throws(EvaluationError) -> SQLDecimal {
        do { return try a.adding(b) } catch { throw EvaluationError(error.message) }
    }

    static func multiply(_ a: SQLDecimal, _ b: SQLDecimal) throws(EvaluationError) -> SQLDecimal {
        do { return try a.multiplying(b) } catch { throw EvaluationError(error.message) }
    }

    static func divide(_ a: SQLDecimal, _ b: SQLDecimal, scale: Int) throws(EvaluationError) -> SQLDecimal {
        guard b.unscaled != 0 else { throw EvaluationError("division by zero") }
        do { return try a.divided(by: b, scale: scale) } catch { throw EvaluationError(error.message) }
    }

    static func remainder(_ a: SQLDecimal, _ b: SQLDecimal) throws(EvaluationError) -> SQLDecimal {
        guard b.unscaled != 0 else { throw EvaluationError("division by zero") }
        let scale = max(a.scale, b.scale)
        let x = try rescale(a, to: scale)
        let y = try rescale(b, to: scale)
        return SQLDecimal(unscaled: x.unscaled % y.unscaled, scale: scale)
    }

    static func fit(_ d: SQLDecimal, precision: Int, scale: Int) throws(EvaluationError) -> SQLDecimal {
        do { return try d.fitted(precision: precision, scale: scale) } catch { throw EvaluationError(error.message) }
    }

    static func truncated(_ d: SQLDecimal) -> Int128 {
        var divisor: Int128 = 1
        for _ in 0..<d.scale { divisor *= 10 }
        return d.unscaled / divisor
    }

    static func toDouble(_ d: SQLDecimal) -> Double { d.doubleValue }

    static func fromDouble(_ x: Double) -> SQLDecimal? {
        guard x.isFinite else { return nil }
        return SQLDecimal(JavaDoubleFormat.string(x))
    }

    static func text(_ d: SQLDecimal) -> String { d.plainString }

    static func parse(_ text: String) -> SQLDecimal? { SQLDecimal(text) }
}
