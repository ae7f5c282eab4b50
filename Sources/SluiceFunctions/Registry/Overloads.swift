import SluiceTypes

/// What resolution learned about one call site, handed to return-type rules and to body factories
/// so they can specialize (a DECIMAL's scale, a constant pattern compiled once).
struct ResolvedCall: Sendable {
    /// The concrete parameter type of each non-lambda argument, after generics were bound and
    /// widening applied. A NULL literal in a position no other argument determines gets the
    /// declared type, or `STRING` when that is an unbound generic.
    var argumentTypes: [SQLType]
    /// The types the planner passed for the non-lambda arguments (nil: a NULL literal).
    var originalTypes: [SQLType?]
    /// Generic names bound for this call.
    var generics: [String: SQLType]
    /// The values of literal arguments (already widened), nil where the argument is not a literal.
    var constants: [Value?]
    /// For each lambda argument, its parameter types and its body's type.
    var lambdas: [(parameters: [SQLType], result: SQLType)]
    /// Widenings applied to lambda results (by lambda index), where a lambda returns a narrower
    /// type than its declared result.
    var lambdaResultConverters: [Int: @Sendable (Value) -> Value] = [:]
    /// Query settings (aggregates only).
    var configuration: FunctionConfiguration = .default

    func generic(_ name: String) -> SQLType? { generics[name] }

    /// Whether argument `i` is an untyped NULL literal.
    func isNullLiteral(_ i: Int) -> Bool { originalTypes[i] == nil }
}

typealias ScalarBody = @Sendable (_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> Value
typealias TableBody = @Sendable (_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> [Value]

/// How an overload's return type follows from its arguments.
enum ReturnRule: Sendable {
    /// A template over the call's generics (`ARRAY<T>`), or a fixed type.
    case type(ParamType)
    case computed(@Sendable (ResolvedCall) throws(FunctionResolutionError) -> SQLType)
}

/// One signature of a scalar function.
struct ScalarOverload: Sendable {
    var parameters: [Parameter]
    /// A trailing parameter that may repeat zero or more times.
    var variadic: Parameter?
    var returns: ReturnRule
    var makeBody: @Sendable (ResolvedCall) throws(FunctionResolutionError) -> ScalarBody

    init(
        _ parameters: [Parameter], variadic: Parameter? = nil, returns: ReturnRule,
        specialize: @escaping @Sendable (ResolvedCall) throws(FunctionResolutionError) -> ScalarBody
    ) {
        self.parameters = parameters
        self.variadic = variadic
        self.returns = returns
        self.makeBody = specialize
    }

    init(_ parameters: [Parameter], variadic: Parameter? = nil, returns: ReturnRule, body: @escaping ScalarBody) {
        self.parameters = parameters
        self.variadic = variadic
        self.returns = returns
        self.makeBody = { _ in body }
    }

    init(_ parameters: [Parameter], variadic: Parameter? = nil, returns type: ParamType, body: @escaping ScalarBody) {
        self.init(parameters, variadic: variadic, returns: .type(type), body: body)
    }

    func signature(_ name: String) -> String {
        describeSignature(name, parameters, variadic, returns)
    }
}

/// One signature of a table function.
struct TableOverload: Sendable {
    var parameters: [Parameter]
    /// A trailing parameter that may repeat zero or more times.
    var variadic: Parameter?
    var returns: ReturnRule
    var makeBody: @Sendable (ResolvedCall) throws(FunctionResolutionError) -> TableBody

    init(
        _ parameters: [Parameter], variadic: Parameter? = nil, returns: ReturnRule,
        specialize: @escaping @Sendable (ResolvedCall) throws(FunctionResolutionError) -> TableBody
    ) {
        self.parameters = parameters
        self.variadic = variadic
        self.returns = returns
        self.makeBody = specialize
    }

    init(_ parameters: [Parameter], variadic: Parameter? = nil, returns: ReturnRule, body: @escaping TableBody) {
        self.parameters = parameters
        self.variadic = variadic
        self.returns = returns
        self.makeBody = { _ in body }
    }

    init(_ parameters: [Parameter], variadic: Parameter? = nil, returns type: ParamType, body: @escaping TableBody) {
        self.init(parameters, variadic: variadic, returns: .type(type), body: body)
    }

    func signature(_ name: String) -> String {
        describeSignature(name, parameters, variadic, returns)
    }
}

func describeSignature(_ name: String, _ parameters: [Parameter], _ variadic: Parameter?, _ returns: ReturnRule) -> String {
    var parts = parameters.map(\.description)
    if let variadic { parts.append("\(variadic.name) \(variadic.type)...") }
    let result: String
    switch returns {
    case .type(let t): result = t.description
    case .computed: result = "(depends on arguments)"
    }
    return "\(name)(" + parts.joined(separator: ", ") + ") => " + result
}

/// One signature of an aggregate function. `build` reads literal arguments from the call.
struct AggregateOverload: Sendable {
    var parameters: [Parameter]
    var variadic: Parameter?
    var describeReturn: String
    var build: @Sendable (ResolvedCall) throws(FunctionResolutionError) -> AggregateFunctionCall

    init(
        _ parameters: [Parameter], variadic: Parameter? = nil, returns: String,
        build: @escaping @Sendable (ResolvedCall) throws(FunctionResolutionError) -> AggregateFunctionCall
    ) {
        self.parameters = parameters
        self.variadic = variadic
        self.describeReturn = returns
        self.build = build
    }

    func signature(_ name: String) -> String {
        var parts = parameters.map(\.description)
        if let variadic { parts.append("\(variadic.name) \(variadic.type)...") }
        return "\(name)(" + parts.joined(separator: ", ") + ") => " + describeReturn
    }
}

/// A named function and its overloads, tried in declaration order on ties.
struct FunctionDefinition<O: Sendable>: Sendable {
    var name: String
    var category: String
    var description: String
    var overloads: [O]
}
