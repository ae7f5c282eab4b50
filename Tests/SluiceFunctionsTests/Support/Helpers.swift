import SluiceTypes
import Testing

@testable import SluiceFunctions

/// Resolves `name` for the types of `args` (SQL NULL → an untyped NULL literal unless `types`
/// says otherwise) and invokes it once.
func call(_ name: String, _ args: [Value], types: [SQLType?]? = nil, lambdas: [Lambda] = []) throws -> Value {
    let resolved = try resolve(name, args, types: types, lambdaTypes: lambdas.map { _ in .string })
    return try resolved.invoke(args, lambdas)
}

func resolve(
    _ name: String, _ args: [Value], types: [SQLType?]? = nil, lambdaTypes: [SQLType] = [],
    constants: Bool = true
) throws -> ScalarFunctionCall {
    var argumentTypes: [FunctionArgumentType] = []
    for (i, v) in args.enumerated() {
        if let types, let t = types[i] {
            argumentTypes.append(.value(t))
        } else if let t = inferType(v) {
            argumentTypes.append(.value(t))
        } else {
            argumentTypes.append(.null)
        }
    }
    var remaining = lambdaTypes
    for _ in lambdaTypes { argumentTypes.append(.lambda(parameterCount: 1)) }
    return try FunctionRegistry.standard.resolveScalar(
        name: name, arguments: argumentTypes, constantArguments: constants ? args.map { $0 } : []
    ) { _ in remaining.removeFirst() }
}

/// The SQL type of a literal value, as the planner would type it.
func inferType(_ v: Value) -> SQLType? {
    switch v {
    case .null: return nil
    case .boolean: return .boolean
    case .integer: return .integer
    case .bigint: return .bigint
    case .double: return .double
    case .decimal(let d): return .decimal(precision: max(DecimalMath.precision(d), d.scale + 1), scale: d.scale)
    case .string: return .string
    case .bytes: return .bytes
    case .date: return .date
    case .time: return .time
    case .timestamp: return .timestamp
    case .array(let items): return .array(items.lazy.compactMap(inferType).first ?? .string)
    case .map(let entries):
        return .map(
            key: entries.lazy.compactMap { inferType($0.key) }.first ?? .string,
            value: entries.lazy.compactMap { inferType($0.value) }.first ?? .string)
    case .structure(let fields):
        return .structure(fields.map { StructField(name: $0.name, type: inferType($0.value) ?? .string) })
    }
}

func dec(_ text: String) -> Value {
    .decimal(DecimalMath.parse(Substring(text))!)
}

func strings(_ items: [String?]) -> Value {
    .array(items.map { $0.map(Value.string) ?? .null })
}

func ints(_ items: [Int32?]) -> Value {
    .array(items.map { $0.map(Value.integer) ?? .null })
}

/// Runs an aggregate over rows of arguments and returns each intermediate result.
func aggregate(
    _ name: String, types: [SQLType], constants: [Value?] = [], rows: [[Value]],
    configuration: FunctionConfiguration = .default
) throws -> [Value] {
    let call = try FunctionRegistry.standard.resolveAggregate(
        name: name, arguments: types, constantArguments: constants, configuration: configuration)
    var acc = call.makeAccumulator()
    var results: [Value] = []
    for row in rows {
        acc.add(row)
        results.append(acc.result())
    }
    return results
}
