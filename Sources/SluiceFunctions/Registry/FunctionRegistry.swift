import SluiceTypes

/// Every function the engine knows, by upper-case name: scalar, aggregate and table functions.
///
/// Immutable once built, so one instance serves all queries and threads. Resolution picks an
/// overload for the argument types at a call site and returns a ``ScalarFunctionCall``,
/// ``AggregateFunctionCall`` or ``TableFunctionCall`` that the runtime invokes per record.
///
/// ```swift
/// let call = try FunctionRegistry.standard.resolveScalar(
///     name: "substring", arguments: [.value(.string), .value(.integer)]) { _ in .string }
/// try call.invoke([.string("ksqlDB"), .integer(2)], [])   // .string("sqlDB")
/// ```
public final class FunctionRegistry: Sendable {
    /// The built-in library.
    public static let standard: FunctionRegistry = {
        var builder = RegistryBuilder()
        builder.registerBuiltins()
        return FunctionRegistry(builder)
    }()

    let scalars: [String: FunctionDefinition<ScalarOverload>]
    let aggregates: [String: FunctionDefinition<AggregateOverload>]
    let tables: [String: FunctionDefinition<TableOverload>]
    /// The settings aggregates resolve with when the caller gives none (see ``configured(_:)``).
    public let configuration: FunctionConfiguration

    init(_ builder: RegistryBuilder) {
        scalars = builder.scalars
        aggregates = builder.aggregates
        tables = builder.tables
        configuration = .default
    }

    private init(_ other: FunctionRegistry, configuration: FunctionConfiguration) {
        scalars = other.scalars
        aggregates = other.aggregates
        tables = other.tables
        self.configuration = configuration
    }

    /// The same functions with other settings, so an engine can hand its properties
    /// (`ksql.functions.collect_list.limit`...) to every query it plans. Cheap: the function
    /// tables are shared, not copied.
    public func configured(_ configuration: FunctionConfiguration) -> FunctionRegistry {
        configuration == self.configuration ? self : FunctionRegistry(self, configuration: configuration)
    }

    public func isAggregate(_ name: String) -> Bool { aggregates[name.uppercased()] != nil }
    public func isTableFunction(_ name: String) -> Bool { tables[name.uppercased()] != nil }
    public func isScalar(_ name: String) -> Bool { scalars[name.uppercased()] != nil }

    /// All functions, sorted by name, for `SHOW FUNCTIONS` and `DESCRIBE FUNCTION`.
    public func functionNames() -> [FunctionInfo] {
        var all: [FunctionInfo] = []
        for d in scalars.values {
            all.append(FunctionInfo(
                name: d.name, kind: .scalar, description: d.description, category: d.category,
                signatures: d.overloads.map { $0.signature(d.name) }))
        }
        for d in aggregates.values {
            all.append(FunctionInfo(
                name: d.name, kind: .aggregate, description: d.description, category: d.category,
                signatures: d.overloads.map { $0.signature(d.name) }))
        }
        for d in tables.values {
            all.append(FunctionInfo(
                name: d.name, kind: .table, description: d.description, category: d.category,
                signatures: d.overloads.map { $0.signature(d.name) }))
        }
        return all.sorted { $0.name < $1.name }
    }

    /// The catalogue entry of one function, or nil.
    public func describe(_ name: String) -> FunctionInfo? {
        let upper = name.uppercased()
        return functionNames().first { $0.name == upper }
    }

    // MARK: - Scalar

    /// Resolves a scalar function for argument types.
    ///
    /// - Parameters:
    ///   - constantArguments: optional, parallel to `arguments`: the value of each argument that is
    ///     a literal (nil otherwise). Functions such as REGEXP_* compile a literal pattern once.
    ///   - lambdaReturnType: called once per lambda argument, left to right, with the lambda's
    ///     parameter types; returns the type of its body.
    /// - Throws: ``FunctionResolutionError`` for an unknown name or no matching overload; whatever
    ///   `lambdaReturnType` throws.
    public func resolveScalar(
        name: String, arguments: [FunctionArgumentType], constantArguments: [Value?] = [],
        lambdaReturnType: LambdaSignatureResolver
    ) throws -> ScalarFunctionCall {
        let upper = name.uppercased()
        guard let definition = scalars[upper] else {
            if aggregates[upper] != nil {
                throw FunctionResolutionError(
                    "aggregate function '\(upper)' cannot be used here: aggregates need a GROUP BY query")
            }
            if tables[upper] != nil {
                throw FunctionResolutionError("table function '\(upper)' can only be used in the SELECT list")
            }
            throw unknownFunction(upper)
        }
        let (overload, call) = try resolve(
            definition, arguments: arguments, constants: constantArguments, lambdaReturnType: lambdaReturnType,
            parameters: { ($0.parameters, $0.variadic) })
        let returnType = try Self.returnType(overload.returns, call, function: upper)
        let body = try overload.makeBody(call)
        return ScalarFunctionCall(returnType: returnType, invoke: Self.widening(body, call))
    }

    // MARK: - Table

    public func resolveTableFunction(
        name: String, arguments: [FunctionArgumentType], constantArguments: [Value?] = [],
        lambdaReturnType: LambdaSignatureResolver
    ) throws -> TableFunctionCall {
        let upper = name.uppercased()
        guard let definition = tables[upper] else {
            if scalars[upper] != nil || aggregates[upper] != nil {
                throw FunctionResolutionError("'\(upper)' is not a table function")
            }
            throw unknownFunction(upper)
        }
        let (overload, call) = try resolve(
            definition, arguments: arguments, constants: constantArguments, lambdaReturnType: lambdaReturnType,
            parameters: { ($0.parameters, $0.variadic) })
        let returnType = try Self.returnType(overload.returns, call, function: upper)
        let body = try overload.makeBody(call)
        let converters = Self.converters(call)
        let lambdaConverters = call.lambdaResultConverters
        if converters.isEmpty && lambdaConverters.isEmpty {
            return TableFunctionCall(returnType: returnType, invoke: body)
        }
        return TableFunctionCall(returnType: returnType) { args, lambdas throws(FunctionError) in
            try body(Self.apply(converters, args), Self.wrap(lambdas, lambdaConverters))
        }
    }

    // MARK: - Aggregate

    /// Resolves an aggregate function. `arguments` is empty for `COUNT(*)`; `constantArguments`
    /// (parallel to `arguments`, or empty) gives the values of literal arguments, which parameters
    /// such as TOPK's `k` require. Without a `configuration`, the registry's own applies.
    public func resolveAggregate(
        name: String, arguments: [SQLType], constantArguments: [Value?],
        configuration: FunctionConfiguration? = nil
    ) throws -> AggregateFunctionCall {
        let upper = name.uppercased()
        guard let definition = aggregates[upper] else {
            if scalars[upper] != nil || tables[upper] != nil {
                throw FunctionResolutionError("'\(upper)' is not an aggregate function")
            }
            throw unknownFunction(upper)
        }
        var (overload, call) = try resolve(
            definition, arguments: arguments.map { .value($0) }, constants: constantArguments,
            lambdaReturnType: { _ in throw FunctionResolutionError("aggregate functions take no lambdas") },
            parameters: { ($0.parameters, $0.variadic) })
        call.configuration = configuration ?? self.configuration
        for (i, parameter) in overload.parameters.enumerated() where parameter.mustBeLiteral {
            if i < call.constants.count, call.constants[i] != nil { continue }
            throw FunctionResolutionError(
                "the '\(parameter.name)' argument of \(upper) must be a literal, not a column or expression")
        }
        var result = try overload.build(call)
        let converters = Self.converters(call)
        if !converters.isEmpty {
            let make = result.makeAccumulator
            result.makeAccumulator = { WideningAccumulator(inner: make(), converters: converters) }
        }
        return result
    }

    // MARK: - Resolution

    private func unknownFunction(_ name: String) -> FunctionResolutionError {
        let names = Array(scalars.keys) + Array(aggregates.keys) + Array(tables.keys)
        var message = "unknown function '\(name)'"
        if let suggestion = NameSuggestion.nearest(to: name, among: names) {
            message += "; did you mean '\(suggestion)'?"
        }
        return FunctionResolutionError(message)
    }

    private func resolve<O>(
        _ definition: FunctionDefinition<O>, arguments: [FunctionArgumentType], constants: [Value?],
        lambdaReturnType: LambdaSignatureResolver, parameters: (O) -> ([Parameter], Parameter?)
    ) throws -> (O, ResolvedCall) {
        var candidates: [OverloadMatcher.Candidate] = []
        for (index, overload) in definition.overloads.enumerated() {
            let (ps, variadic) = parameters(overload)
            if let c = OverloadMatcher.match(parameters: ps, variadic: variadic, arguments: arguments, index: index) {
                candidates.append(c)
            }
        }
        let described = arguments.map { argument -> String in
            switch argument {
            case .value(let t): t.description
            case .null: "null"
            case .lambda(let n): "LAMBDA(\(n) parameters)"
            }
        }
        var signatures: [String] = []
        for overload in definition.overloads {
            let (ps, variadic) = parameters(overload)
            var parts = ps.map(\.type.description)
            if let variadic { parts.append("\(variadic.type)...") }
            signatures.append(definition.name + "(" + parts.joined(separator: ", ") + ")")
        }
        var chosen: OverloadMatcher.Candidate
        switch OverloadMatcher.choose(candidates) {
        case .chosen(let c):
            chosen = c
        case .ambiguous:
            throw FunctionResolutionError(
                "function '\(definition.name)' cannot be resolved due to ambiguous argument types "
                    + "(\(described.joined(separator: ", "))); use CAST to pick one of: "
                    + signatures.joined(separator: ", "))
        case .none:
            throw FunctionResolutionError(
                "function '\(definition.name)' does not accept arguments (\(described.joined(separator: ", "))); "
                    + "valid signatures are: " + signatures.joined(separator: ", "))
        }
        let overload = definition.overloads[chosen.index]

        // Lambdas: their parameter types come from the bound generics, their result binds more.
        // A result narrower than a generic already bound (REDUCE's state) is widened at run time;
        // a wider one would change the types the lambda was checked with, so it is an error.
        var lambdas: [(parameters: [SQLType], result: SQLType)] = []
        var lambdaConverters: [Int: @Sendable (Value) -> Value] = [:]
        for (i, argument) in arguments.enumerated() {
            guard case .lambda = argument, case .lambda(let ps, let r) = chosen.declared[i] else { continue }
            var types: [SQLType] = []
            for p in ps {
                guard let t = p.substitute(chosen.bindings) else {
                    throw FunctionResolutionError(
                        "cannot infer the lambda's parameter types in \(definition.name): give the other arguments types")
                }
                types.append(t)
            }
            let result = try lambdaReturnType(types)
            if case .generic(let g) = r, let bound = chosen.bindings[g], bound != result {
                guard TypeWidening.cost(from: result, to: bound) != nil else {
                    throw FunctionResolutionError(
                        "the lambda in \(definition.name) returns \(result), which does not fit \(bound); "
                            + "cast the initial value or the lambda's result")
                }
                if let convert = TypeWidening.converter(from: result, to: bound) {
                    lambdaConverters[lambdas.count] = convert
                }
            } else if !OverloadMatcher.bind(result, to: r, &chosen.bindings) {
                throw FunctionResolutionError(
                    "the lambda in \(definition.name) returns \(result), which does not fit \(r)")
            } else if let concrete = OverloadMatcher.concretize(r, actual: result, chosen.bindings), concrete != result,
                let convert = TypeWidening.converter(from: result, to: concrete)
            {
                lambdaConverters[lambdas.count] = convert
            }
            lambdas.append((types, result))
        }

        var argumentTypes: [SQLType] = []
        var originalTypes: [SQLType?] = []
        var constantValues: [Value?] = []
        for (i, argument) in arguments.enumerated() {
            let original: SQLType?
            switch argument {
            case .lambda: continue
            case .null: original = nil
            case .value(let t): original = t
            }
            let concrete = OverloadMatcher.concretize(chosen.declared[i], actual: original, chosen.bindings) ?? .string
            argumentTypes.append(concrete)
            originalTypes.append(original)
            var constant = i < constants.count ? constants[i] : nil
            if let value = constant, let original, let convert = TypeWidening.converter(from: original, to: concrete) {
                constant = convert(value)
            }
            if case .null = argument { constant = .null }
            constantValues.append(constant)
        }
        var call = ResolvedCall(
            argumentTypes: argumentTypes, originalTypes: originalTypes, generics: chosen.bindings,
            constants: constantValues, lambdas: lambdas)
        call.lambdaResultConverters = lambdaConverters
        return (overload, call)
    }

    static func returnType(_ rule: ReturnRule, _ call: ResolvedCall, function: String) throws -> SQLType {
        switch rule {
        case .computed(let compute):
            return try compute(call)
        case .type(let template):
            guard let t = template.substitute(call.generics) else {
                throw FunctionResolutionError(
                    "cannot infer the return type of \(function) from NULL arguments: cast them to a type")
            }
            return t
        }
    }

    /// Per-argument converters for the widenings resolution chose (index into the value args).
    static func converters(_ call: ResolvedCall) -> [(Int, @Sendable (Value) -> Value)] {
        var result: [(Int, @Sendable (Value) -> Value)] = []
        for (i, original) in call.originalTypes.enumerated() {
            guard let original, let c = TypeWidening.converter(from: original, to: call.argumentTypes[i]) else {
                continue
            }
            result.append((i, c))
        }
        return result
    }

    @inline(__always)
    static func apply(_ converters: [(Int, @Sendable (Value) -> Value)], _ args: [Value]) -> [Value] {
        var copy = args
        for (i, convert) in converters where i < copy.count {
            copy[i] = convert(copy[i])
        }
        return copy
    }

    static func widening(_ body: @escaping ScalarBody, _ call: ResolvedCall) -> ScalarBody {
        let converters = converters(call)
        let lambdaConverters = call.lambdaResultConverters
        if converters.isEmpty && lambdaConverters.isEmpty { return body }
        return { args, lambdas throws(FunctionError) in
            try body(apply(converters, args), wrap(lambdas, lambdaConverters))
        }
    }

    /// Applies result widenings to the lambdas that need them.
    static func wrap(_ lambdas: [Lambda], _ converters: [Int: @Sendable (Value) -> Value]) -> [Lambda] {
        if converters.isEmpty { return lambdas }
        var out = lambdas
        for (i, convert) in converters where i < out.count {
            let inner = out[i]
            out[i] = { values throws(FunctionError) in convert(try inner(values)) }
        }
        return out
    }
}

/// Applies argument widenings in front of an accumulator.
struct WideningAccumulator: Accumulator {
    var inner: any Accumulator
    let converters: [(Int, @Sendable (Value) -> Value)]

    mutating func add(_ args: [Value]) { inner.add(FunctionRegistry.apply(converters, args)) }
    mutating func remove(_ args: [Value]) { inner.remove(FunctionRegistry.apply(converters, args)) }
    mutating func merge(_ other: any Accumulator) {
        if let o = other as? WideningAccumulator { inner.merge(o.inner) } else { inner.merge(other) }
    }
    func result() -> Value { inner.result() }
}

/// Snapshots of a widened aggregate are its inner accumulator's: widening changes the arguments,
/// not the state. (Every registered accumulator is restorable; an inner one that is not writes an
/// empty state, which no restore accepts, so the task replays its input instead.)
extension WideningAccumulator: RestorableAccumulator {
    func stateValues() -> [Value] { (inner as? any RestorableAccumulator)?.stateValues() ?? [] }

    mutating func restoreState(_ state: [Value]) -> Bool {
        guard var restorable = inner as? any RestorableAccumulator, restorable.restoreState(state) else { return false }
        inner = restorable
        return true
    }
}

/// Collects definitions while the registry is built.
struct RegistryBuilder {
    var scalars: [String: FunctionDefinition<ScalarOverload>] = [:]
    var aggregates: [String: FunctionDefinition<AggregateOverload>] = [:]
    var tables: [String: FunctionDefinition<TableOverload>] = [:]

    mutating func scalar(_ name: String, _ category: String, _ description: String, _ overloads: [ScalarOverload]) {
        precondition(scalars[name] == nil, "scalar function \(name) registered twice")
        scalars[name] = FunctionDefinition(name: name, category: category, description: description, overloads: overloads)
    }

    mutating func aggregate(
        _ name: String, _ category: String, _ description: String, _ overloads: [AggregateOverload]
    ) {
        precondition(aggregates[name] == nil, "aggregate function \(name) registered twice")
        aggregates[name] = FunctionDefinition(
            name: name, category: category, description: description, overloads: overloads)
    }

    mutating func table(_ name: String, _ category: String, _ description: String, _ overloads: [TableOverload]) {
        precondition(tables[name] == nil, "table function \(name) registered twice")
        tables[name] = FunctionDefinition(name: name, category: category, description: description, overloads: overloads)
    }

    mutating func registerBuiltins() {
        registerAggregates()
        registerTableFunctions()
        registerStringFunctions()
        registerMathFunctions()
        registerNullFunctions()
        registerArrayFunctions()
        registerMapFunctions()
        registerLambdaFunctions()
        registerDateTimeFunctions()
        registerJSONFunctions()
        registerURLFunctions()
    }
}
