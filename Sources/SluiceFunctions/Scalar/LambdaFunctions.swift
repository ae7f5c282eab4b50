import SluiceTypes

/// TRANSFORM, FILTER and REDUCE over arrays and maps. A lambda that fails fails the whole call
/// (ksqlDB turns the result into NULL), as does a transformed map with a duplicate key or a NULL
/// value (Java's `Collectors.toMap` rejects both).
enum LambdaFunctions {
    static func transformArray(_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> Value {
        guard case .array(let items) = args[0] else { return .null }
        var out: [Value] = []
        out.reserveCapacity(items.count)
        for item in items { out.append(try lambdas[0]([item])) }
        return .array(out)
    }

    static func transformMap(_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> Value {
        guard case .map(let entries) = args[0] else { return .null }
        var out: [MapEntry] = []
        out.reserveCapacity(entries.count)
        var seen = Set<Value>()
        for e in entries {
            let key = try lambdas[0]([e.key, e.value])
            let value = try lambdas[1]([e.key, e.value])
            guard seen.insert(key).inserted else {
                throw FunctionError("Duplicate key \(JavaFormat.string(key)) in transformed map")
            }
            if value.isNull { throw FunctionError("Transformed map value is NULL for key \(JavaFormat.string(key))") }
            out.append(MapEntry(key: key, value: value))
        }
        return .map(out)
    }

    /// A lambda's BOOLEAN result; NULL counts as false.
    @inline(__always)
    static func isTrue(_ v: Value) -> Bool {
        if case .boolean(true) = v { return true }
        return false
    }

    static func filterArray(_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> Value {
        guard case .array(let items) = args[0] else { return .null }
        var out: [Value] = []
        for item in items where isTrue(try lambdas[0]([item])) { out.append(item) }
        return .array(out)
    }

    static func filterMap(_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> Value {
        guard case .map(let entries) = args[0] else { return .null }
        var out: [MapEntry] = []
        for e in entries where isTrue(try lambdas[0]([e.key, e.value])) {
            if e.value.isNull { throw FunctionError("Filtered map value is NULL for key \(JavaFormat.string(e.key))") }
            out.append(e)
        }
        return .map(out)
    }

    /// REDUCE: NULL state gives NULL; a NULL collection gives the initial state.
    static func reduceArray(_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> Value {
        if args[1].isNull { return .null }
        guard case .array(let items) = args[0] else { return args[1] }
        var state = args[1]
        for item in items { state = try lambdas[0]([state, item]) }
        return state
    }

    static func reduceMap(_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> Value {
        if args[1].isNull { return .null }
        guard case .map(let entries) = args[0] else { return args[1] }
        var state = args[1]
        for e in entries { state = try lambdas[0]([state, e.key, e.value]) }
        return state
    }
}

extension RegistryBuilder {
    mutating func registerLambdaFunctions() {
        let category = "LAMBDA"
        scalar("TRANSFORM", category, "Applies lambdas to the elements of an array, or to the keys and values of a map.", [
            ScalarOverload([p("array", .array(.t)), p("function", .lambda([.t], .u))], returns: .array(.u)) {
                a, l throws(FunctionError) in try LambdaFunctions.transformArray(a, l)
            },
            ScalarOverload(
                [p("map", .map(.k, .v)), p("keyFunction", .lambda([.k, .v], .generic("R"))),
                    p("valueFunction", .lambda([.k, .v], .generic("S")))],
                returns: .map(.generic("R"), .generic("S"))
            ) { a, l throws(FunctionError) in try LambdaFunctions.transformMap(a, l) },
        ])
        scalar("FILTER", category, "Keeps the elements of an array, or the entries of a map, for which a lambda is true.", [
            ScalarOverload([p("array", .array(.t)), p("function", .lambda([.t], .boolean))], returns: .array(.t)) {
                a, l throws(FunctionError) in try LambdaFunctions.filterArray(a, l)
            },
            ScalarOverload([p("map", .map(.k, .v)), p("function", .lambda([.k, .v], .boolean))], returns: .map(.k, .v)) {
                a, l throws(FunctionError) in try LambdaFunctions.filterMap(a, l)
            },
        ])
        scalar("REDUCE", category, "Folds an array or a map into a state with a lambda.", [
            ScalarOverload(
                [p("array", .array(.t)), p("initialState", .s), p("function", .lambda([.s, .t], .s))], returns: .s
            ) { a, l throws(FunctionError) in try LambdaFunctions.reduceArray(a, l) },
            ScalarOverload(
                [p("map", .map(.k, .v)), p("initialState", .s), p("function", .lambda([.s, .k, .v], .s))], returns: .s
            ) { a, l throws(FunctionError) in try LambdaFunctions.reduceMap(a, l) },
        ])
    }
}
