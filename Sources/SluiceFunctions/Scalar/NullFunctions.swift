import SluiceTypes

/// COALESCE, IFNULL, NULLIF, and AS_VALUE (which copies a key column into the value; as a
/// function it is the identity).
enum NullFunctions {
    static func coalesce(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        args.first { !$0.isNull } ?? .null
    }

    static func nullIf(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        if args[0].isNull { return .null }
        return ValueOrder.equal(args[0], args[1]) ? .null : args[0]
    }
}

extension RegistryBuilder {
    mutating func registerNullFunctions() {
        scalar("COALESCE", "OTHER", "Returns the first non-NULL argument.", [
            ScalarOverload([p("first", .t)], variadic: p("others", .t), returns: .t) { a, l in NullFunctions.coalesce(a, l) }
        ])
        scalar("IFNULL", "OTHER", "Returns the first argument, or the second when the first is NULL.", [
            ScalarOverload([p("expression", .t), p("altValue", .t)], returns: .t) { a, l in NullFunctions.coalesce(a, l) }
        ])
        scalar("NULLIF", "OTHER", "Returns NULL when both arguments are equal, else the first.", [
            ScalarOverload([p("expression1", .t), p("expression2", .t)], returns: .t) { a, l in NullFunctions.nullIf(a, l) }
        ])
        scalar("AS_VALUE", "OTHER", "Copies a key column into the value.", [
            ScalarOverload([p("keyColumn", .t)], returns: .t) { a, _ in a[0] }
        ])
    }
}
