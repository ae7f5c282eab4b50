import SluiceTypes
import Testing

@testable import SluiceFunctions

private func map(_ pairs: [(String, Value)]) -> Value {
    .map(pairs.map { MapEntry(key: .string($0.0), value: $0.1) })
}

@Suite struct ArrayFunctionTests {
    static let cases: [ScalarCase] = [
        ScalarCase("ARRAY_LENGTH", [ints([1, 2, 3])], .integer(3)),
        ScalarCase("ARRAY_LENGTH", [.null], .null, types: [.array(.integer)]),
        ScalarCase("ARRAY_CONTAINS", [ints([1, 2, 3]), .integer(3)], .boolean(true)),
        ScalarCase("ARRAY_CONTAINS", [ints([1, nil]), .null], .boolean(true), types: [.array(.integer), .integer]),
        ScalarCase("ARRAY_CONTAINS", [.null, .integer(3)], .boolean(false), types: [.array(.integer), .integer]),
        ScalarCase("ARRAY_CONTAINS", [ints([1, 2]), .bigint(2)], .boolean(true)),
        ScalarCase("ARRAY_DISTINCT", [ints([1, 1, 2, 3, 1, 2])], ints([1, 2, 3])),
        ScalarCase("ARRAY_DISTINCT", [strings(["apple", "apple", nil, "cherry"])], strings(["apple", nil, "cherry"])),
        ScalarCase("ARRAY_DISTINCT", [.array([ints([1]), ints([1]), ints([2])])], .array([ints([1]), ints([2])])),
        ScalarCase("ARRAY_EXCEPT", [ints([1, 2, 3, 1, 2]), ints([2, 3])], ints([1])),
        ScalarCase("ARRAY_EXCEPT", [strings(["apple", "apple", nil, "cherry"]), strings(["cherry"])], strings(["apple", nil])),
        ScalarCase("ARRAY_INTERSECT", [ints([1, 2, 3, 1, 2]), ints([2, 1])], ints([1, 2])),
        ScalarCase("ARRAY_UNION", [ints([0, 0, 1, 0, -1]), ints([1, -2, 0])], ints([0, 1, -1, -2])),
        ScalarCase("ARRAY_UNION", [.null, ints([1])], .null, types: [.array(.integer), .array(.integer)]),
        ScalarCase("ARRAY_CONCAT", [ints([1, 2]), ints([4, 1])], ints([1, 2, 4, 1])),
        ScalarCase("ARRAY_CONCAT", [.null, ints([1])], ints([1]), types: [.array(.integer), .array(.integer)]),
        ScalarCase("ARRAY_CONCAT", [.null, .null], .null, types: [.array(.integer), .array(.integer)]),
        ScalarCase("ARRAY_REMOVE", [ints([1, 2, 3, 2, 1]), .integer(2)], ints([1, 3, 1])),
        ScalarCase("ARRAY_REMOVE", [strings(["Foo", "Bar", nil, "baz"]), .null], strings(["Foo", "Bar", "baz"]),
            types: [.array(.string), .string]),
        ScalarCase("ARRAY_MAX", [ints([-1, 2, nil, 0])], .integer(2)),
        ScalarCase("ARRAY_MAX", [.array([.boolean(false), .null, .boolean(true)])], .boolean(true)),
        ScalarCase("ARRAY_MAX", [strings(["foo", "fo", "Food", nil, "F", "food"])], .string("food")),
        ScalarCase("ARRAY_MIN", [strings(["Foo", "Bar", nil, "baz"])], .string("Bar")),
        ScalarCase("ARRAY_MIN", [.array([])], .null, types: [.array(.integer)]),
        ScalarCase("ARRAY_MAX", [.array([dec("1.0"), dec("9.0"), dec("-9.9")])], dec("9.0")),
        ScalarCase("ARRAY_SORT", [ints([-1, 2, nil, 0])], ints([-1, 0, 2, nil])),
        ScalarCase("ARRAY_SORT", [strings(["foo", "fo", "Food", nil, "F", "food"]), .string("desc")],
            strings(["food", "foo", "fo", "Food", "F", nil])),
        ScalarCase("ARRAY_SORT", [ints([1]), .string("sideways")], .null),
        ScalarCase("ARRAY_JOIN", [.array([.boolean(true), .null, .boolean(false)])], .string("true,null,false")),
        ScalarCase("ARRAY_JOIN", [.array([.double(1.23), .double(-23.42), .double(0)]), .string(" ")],
            .string("1.23 -23.42 0.0")),
        ScalarCase("ARRAY_JOIN", [.array([dec("123.45"), dec("987.65")]), .string("#")], .string("123.45#987.65")),
        ScalarCase("ARRAY_JOIN", [ints([1, 23, -42, 0]), .null], .string("123-420"), types: [.array(.integer), .string]),
        ScalarCase("SLICE", [ints([1, 2, 3, 4]), .integer(2), .integer(3)], ints([2, 3])),
        ScalarCase("SLICE", [ints([1, 2, 3, 4]), .integer(0), .integer(3)], .null),
        ScalarCase("SLICE", [ints([1, 2, 3, 4]), .null, .integer(2)], ints([1, 2]), types: [.array(.integer), .integer, .integer]),
        ScalarCase("GENERATE_SERIES", [.integer(1), .integer(4)], ints([1, 2, 3, 4])),
        ScalarCase("GENERATE_SERIES", [.integer(4), .integer(1)], ints([4, 3, 2, 1])),
        ScalarCase("GENERATE_SERIES", [.integer(0), .integer(9), .integer(4)], ints([0, 4, 8])),
        ScalarCase("GENERATE_SERIES", [.bigint(-2), .bigint(2), .integer(2)], .array([.bigint(-2), .bigint(0), .bigint(2)])),
    ]

    @Test(arguments: cases)
    func evaluates(_ c: ScalarCase) throws {
        #expect(try call(c.name, c.args, types: c.types) == c.expected)
    }

    @Test func seriesErrors() {
        #expect(throws: FunctionError.self) { try call("GENERATE_SERIES", [.integer(0), .integer(9), .integer(0)]) }
        #expect(throws: FunctionError.self) { try call("GENERATE_SERIES", [.integer(0), .integer(9), .integer(-1)]) }
    }

    @Test func primitiveOnlyFunctionsRejectNestedArrays() {
        for name in ["ARRAY_MAX", "ARRAY_SORT", "ARRAY_JOIN"] {
            #expect(throws: FunctionResolutionError.self) {
                try FunctionRegistry.standard.resolveScalar(
                    name: name, arguments: [.value(.array(.array(.integer)))]) { _ in .string }
            }
        }
    }

    @Test func genericReturnTypes() throws {
        let r = try FunctionRegistry.standard.resolveScalar(
            name: "ARRAY_UNION", arguments: [.value(.array(.integer)), .value(.array(.bigint))]) { _ in .string }
        #expect(r.returnType == .array(.bigint))
        #expect(try r.invoke([ints([1]), .array([.bigint(1), .bigint(2)])], []) == .array([.bigint(1), .bigint(2)]))
    }
}

@Suite struct MapFunctionTests {
    static let cases: [ScalarCase] = [
        ScalarCase("MAP_KEYS", [map([("apple", .integer(10)), ("banana", .integer(20))])], strings(["apple", "banana"])),
        ScalarCase("MAP_VALUES", [map([("apple", .integer(10)), ("banana", .null)])], ints([10, nil])),
        ScalarCase("MAP_KEYS", [.null], .null, types: [.map(key: .string, value: .integer)]),
        ScalarCase("MAP_UNION", [map([("apple", .integer(10)), ("banana", .integer(20))]), map([("apple", .integer(50))])],
            map([("apple", .integer(50)), ("banana", .integer(20))])),
        ScalarCase("MAP_UNION", [.null, map([("a", .integer(1))])], map([("a", .integer(1))]),
            types: [.map(key: .string, value: .integer), .map(key: .string, value: .integer)]),
        ScalarCase("AS_MAP", [strings(["a", "b"]), ints([1])], map([("a", .integer(1)), ("b", .null)])),
        ScalarCase("ENTRIES", [map([("b", .integer(2)), ("a", .integer(1))]), .boolean(true)],
            .array([
                .structure([StructEntry(name: "K", value: .string("a")), StructEntry(name: "V", value: .integer(1))]),
                .structure([StructEntry(name: "K", value: .string("b")), StructEntry(name: "V", value: .integer(2))]),
            ])),
    ]

    @Test(arguments: cases)
    func evaluates(_ c: ScalarCase) throws {
        #expect(try call(c.name, c.args, types: c.types) == c.expected)
    }

    @Test func entriesType() throws {
        let r = try FunctionRegistry.standard.resolveScalar(
            name: "ENTRIES", arguments: [.value(.map(key: .string, value: .double)), .value(.boolean)]) { _ in .string }
        #expect(r.returnType == .array(.structure([StructField(name: "K", type: .string), StructField(name: "V", type: .double)])))
    }
}

@Suite struct NullFunctionTests {
    static let cases: [ScalarCase] = [
        ScalarCase("COALESCE", [.null, .integer(2), .integer(3)], .integer(2), types: [.integer, .integer, .integer]),
        ScalarCase("COALESCE", [.null], .null, types: [.string]),
        ScalarCase("IFNULL", [.null, .integer(10)], .integer(10), types: [.integer, .integer]),
        ScalarCase("IFNULL", [ints([1]), ints([10, 20])], ints([1])),
        ScalarCase("NULLIF", [.integer(10), .integer(10)], .null),
        ScalarCase("NULLIF", [ints([4, 5]), ints([1, 2])], ints([4, 5])),
        ScalarCase("NULLIF", [.null, .string("x")], .null, types: [.string, .string]),
        ScalarCase("AS_VALUE", [.bigint(1)], .bigint(1)),
    ]

    @Test(arguments: cases)
    func evaluates(_ c: ScalarCase) throws {
        #expect(try call(c.name, c.args, types: c.types) == c.expected)
    }

    @Test func coalesceNeedsArguments() {
        #expect(throws: FunctionResolutionError.self) {
            try FunctionRegistry.standard.resolveScalar(name: "COALESCE", arguments: []) { _ in .string }
        }
    }

    @Test func coalesceWidensMixedNumbers() throws {
        let r = try FunctionRegistry.standard.resolveScalar(
            name: "COALESCE", arguments: [.null, .value(.integer), .value(.bigint)]) { _ in .string }
        #expect(r.returnType == .bigint)
        #expect(try r.invoke([.null, .integer(3), .bigint(4)], []) == .bigint(3))
    }
}

@Suite struct LambdaFunctionTests {
    /// Resolves with lambda bodies of the given types and runs with the given closures.
    func run(_ name: String, _ args: [Value], lambdaTypes: [SQLType], lambdas: [Lambda]) throws -> (SQLType, Value) {
        let r = try resolve(name, args, lambdaTypes: lambdaTypes)
        return (r.returnType, try r.invoke(args, lambdas))
    }

    @Test func transformArray() throws {
        let (type, v) = try run("TRANSFORM", [ints([3, 6])], lambdaTypes: [.bigint]) { x throws(FunctionError) in
            guard case .integer(let i) = x[0] else { return .null }
            return .bigint(Int64(i) + 5)
        }
        #expect(type == .array(.bigint))
        #expect(v == .array([.bigint(8), .bigint(11)]))
    }

    @Test func lambdaFailureFailsTheCall() {
        #expect(throws: FunctionError.self) {
            try run("TRANSFORM", [ints([5, nil])], lambdaTypes: [.integer]) { x throws(FunctionError) in
                guard case .integer(let i) = x[0] else { throw FunctionError("null in arithmetic") }
                return .integer(i + 5)
            }
        }
    }

    @Test func transformMap() throws {
        let input = map([("a", ints([2, 4, 5])), ("b", ints([-1, -2]))])
        let r = try FunctionRegistry.standard.resolveScalar(
            name: "TRANSFORM",
            arguments: [.value(.map(key: .string, value: .array(.integer))), .lambda(parameterCount: 2), .lambda(parameterCount: 2)]
        ) { types in
            #expect(types == [.string, .array(.integer)])
            return types[0] == .string ? .string : .integer
        }
        #expect(r.returnType == .map(key: .string, value: .string))
        let upper: Lambda = { kv throws(FunctionError) in
            guard case .string(let k) = kv[0] else { return .null }
            return .string(k + "_test")
        }
        let count: Lambda = { kv in
            guard case .array(let a) = kv[1] else { return .null }
            return .string(String(a.count))
        }
        #expect(try r.invoke([input], [upper, count]) == map([("a_test", .string("3")), ("b_test", .string("2"))]))
        // Duplicate keys fail the call.
        let constant: Lambda = { _ in .string("same") }
        #expect(throws: FunctionError.self) { try r.invoke([input], [constant, count]) }
    }

    @Test func filterArrayAndMap() throws {
        let positive: Lambda = { x in
            guard case .integer(let i) = x[0] else { return .null }
            return .boolean(i > 0)
        }
        let (_, v) = try run("FILTER", [ints([-1, 2, nil, 3])], lambdaTypes: [.boolean], lambdas: [positive])
        #expect(v == ints([2, 3]))
        let r = try FunctionRegistry.standard.resolveScalar(
            name: "FILTER", arguments: [.value(.map(key: .string, value: .integer)), .lambda(parameterCount: 2)]
        ) { _ in .boolean }
        let longKey: Lambda = { kv in
            guard case .string(let k) = kv[0] else { return .null }
            return .boolean(k.count > 2)
        }
        #expect(try r.invoke([map([("ab", .integer(6)), ("abcd", .integer(15))])], [longKey]) == map([("abcd", .integer(15))]))
    }

    @Test func filterRejectsNonBooleanLambda() {
        #expect(throws: FunctionResolutionError.self) {
            try resolve("FILTER", [ints([1])], lambdaTypes: [.integer])
        }
    }

    @Test func reduceArray() throws {
        let sum: Lambda = { sx in
            guard case .integer(let s) = sx[0], case .integer(let x) = sx[1] else { return .null }
            return .integer(s + x)
        }
        let r = try FunctionRegistry.standard.resolveScalar(
            name: "REDUCE", arguments: [.value(.array(.integer)), .value(.integer), .lambda(parameterCount: 2)]
        ) { types in
            #expect(types == [.integer, .integer])
            return .integer
        }
        #expect(r.returnType == .integer)
        #expect(try r.invoke([ints([3, 6]), .integer(2)], [sum]) == .integer(11))
        #expect(try r.invoke([.null, .integer(2)], [sum]) == .integer(2))
        #expect(try r.invoke([ints([3]), .null], [sum]) == .null)
    }

    @Test func reduceWidensANarrowerLambdaResult() throws {
        // State BIGINT, lambda returns INT: the result is widened to BIGINT at run time.
        let r = try FunctionRegistry.standard.resolveScalar(
            name: "REDUCE", arguments: [.value(.array(.integer)), .value(.bigint), .lambda(parameterCount: 2)]
        ) { _ in .integer }
        #expect(r.returnType == .bigint)
        let first: Lambda = { sx in sx[1] }
        #expect(try r.invoke([ints([7]), .bigint(0)], [first]) == .bigint(7))
        #expect(throws: FunctionResolutionError.self) {
            try FunctionRegistry.standard.resolveScalar(
                name: "REDUCE", arguments: [.value(.array(.bigint)), .value(.integer), .lambda(parameterCount: 2)]
            ) { _ in .bigint }
        }
    }

    @Test func reduceMap() throws {
        let r = try FunctionRegistry.standard.resolveScalar(
            name: "REDUCE", arguments: [.value(.map(key: .string, value: .integer)), .value(.integer), .lambda(parameterCount: 3)]
        ) { types in
            #expect(types == [.integer, .string, .integer])
            return .integer
        }
        let f: Lambda = { skv in
            guard case .integer(let s) = skv[0], case .string(let k) = skv[1], case .integer(let v) = skv[2] else { return .null }
            return .integer(k.count > 3 ? s + v : s - v)
        }
        let input = map([("123", .integer(3)), ("12", .integer(7)), ("1234", .integer(2))])
        #expect(try r.invoke([input, .integer(0)], [f]) == .integer(-8))
    }

    @Test func wrongLambdaArity() {
        #expect(throws: FunctionResolutionError.self) {
            try FunctionRegistry.standard.resolveScalar(
                name: "TRANSFORM", arguments: [.value(.array(.integer)), .lambda(parameterCount: 2)]) { _ in .string }
        }
    }
}

private extension LambdaFunctionTests {
    func run(_ name: String, _ args: [Value], lambdaTypes: [SQLType], _ lambda: @escaping Lambda) throws -> (SQLType, Value) {
        try run(name, args, lambdaTypes: lambdaTypes, lambdas: [lambda])
    }
}
