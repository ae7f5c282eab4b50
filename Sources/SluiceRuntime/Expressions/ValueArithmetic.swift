import SluiceSQL
import SluiceTypes

/// Arithmetic over values of the types the planner chose (both operands already of, or widened
/// to, the result type's family). Integer overflow wraps as in Java; integer division by zero is an
/// error (the expression becomes NULL), floating division by zero gives infinity.
enum ValueArithmetic {
    static func apply(_ op: BinaryOperator, _ a: Value, _ b: Value, resultType: SQLType) throws(EvaluationError) -> Value {
        if a.isNull || b.isNull { return .null }
        switch resultType {
        case .string:
            guard case .string(let x) = a, case .string(let y) = b else { return .null }
            return .string(x + y)
        case .integer:
            let x = Int32(truncatingIfNeeded: a.asInt64 ?? 0)
            let y = Int32(truncatingIfNeeded: b.asInt64 ?? 0)
            switch op {
            case .add: return .integer(x &+ y)
            case .subtract: return .integer(x &- y)
            case .multiply: return .integer(x &* y)
            case .divide:
                guard y != 0 else { throw EvaluationError("division by zero") }
                return .integer(x == .min && y == -1 ? .min : x / y)
            case .modulo:
                guard y != 0 else { throw EvaluationError("division by zero") }
                return .integer(y == -1 ? 0 : x % y)
            case .concat: return .null
            }
        case .bigint:
            let x = a.asInt64 ?? 0
            let y = b.asInt64 ?? 0
            switch op {
            case .add: return .bigint(x &+ y)
            case .subtract: return .bigint(x &- y)
            case .multiply: return .bigint(x &* y)
            case .divide:
                guard y != 0 else { throw EvaluationError("division by zero") }
                return .bigint(x == .min && y == -1 ? .min : x / y)
            case .modulo:
                guard y != 0 else { throw EvaluationError("division by zero") }
                return .bigint(y == -1 ? 0 : x % y)
            case .concat: return .null
            }
        case .double:
            let x = a.asDouble ?? 0
            let y = b.asDouble ?? 0
            switch op {
            case .add: return .double(x + y)
            case .subtract: return .double(x - y)
            case .multiply: return .double(x * y)
            case .divide: return .double(x / y)
            case .modulo: return .double(x.truncatingRemainder(dividingBy: y))
            case .concat: return .null
            }
        case .decimal(let precision, let scale):
            guard let x = a.asDecimal, let y = b.asDecimal else { return .null }
            let r: SQLDecimal
            switch op {
            case .add: r = try DecimalOps.add(x, y)
            case .subtract: r = try DecimalOps.add(x, DecimalOps.negate(y))
            case .multiply: r = try DecimalOps.multiply(x, y)
            case .divide: r = try DecimalOps.divide(x, y, scale: scale)
            case .modulo: r = try DecimalOps.remainder(x, y)
            case .concat: return .null
            }
            return .decimal(try DecimalOps.fit(r, precision: precision, scale: scale))
        default:
            return .null
        }
    }

    static func negate(_ v: Value) -> Value {
        switch v {
        case .integer(let x): .integer(0 &- x)
        case .bigint(let x): .bigint(0 &- x)
        case .double(let x): .double(-x)
        case .decimal(let d): .decimal(DecimalOps.negate(d))
        default: .null
        }
    }
}

/// A failure while evaluating an expression for one record. The expression's value becomes NULL
/// and the reason goes to the processing log; the query goes on.
struct EvaluationError: Error, CustomStringConvertible {
    var description: String { message }
    var message: String

    init(_ message: String) {
        self.message = message
    }
}

extension Value {
    var asInt64: Int64? {
        switch self {
        case .integer(let x): Int64(x)
        case .bigint(let x): x
        case .double(let x): x.isFinite ? Int64(exactly: x.rounded(.towardZero)) ?? (x < 0 ? .min : .max) : nil
        case .decimal(let d): Int64(truncatingIfNeeded: DecimalOps.truncated(d))
        case .timestamp(let x): x
        default: nil
        }
    }

    var asDouble: Double? {
        switch self {
        case .integer(let x): Double(x)
        case .bigint(let x): Double(x)
        case .double(let x): x
        case .decimal(let d): DecimalOps.toDouble(d)
        default: nil
        }
    }

    var asDecimal: SQLDecimal? {
        switch self {
        case .integer(let x): SQLDecimal(unscaled: Int128(x), scale: 0)
        case .bigint(let x): SQLDecimal(unscaled: Int128(x), scale: 0)
        case .decimal(let d): d
        case .double(let x): DecimalOps.fromDouble(x)
        default: nil
        }
    }
}
