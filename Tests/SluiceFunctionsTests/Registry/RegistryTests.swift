import SluiceTypes
import Testing

@testable import SluiceFunctions

@Suite struct RegistryTests {
    let registry = FunctionRegistry.standard

    @Test func unknownFunctionSuggestsTheNearestName() {
        do {
            _ = try registry.resolveScalar(name: "SUBSTRNG", arguments: [.value(.string)]) { _ in .string }
            Issue.record("resolved an unknown function")
        } catch let error as FunctionResolutionError {
            #expect(error.message.contains("unknown function 'SUBSTRNG'"))
            #expect(error.message.contains("did you mean 'SUBSTRING'?"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func noSuggestionForFarNames() throws {
        do {
            _ = try registry.resolveScalar(name: "WONT_FIND_ME", arguments: []) { _ in .string }
            Issue.record("resolved an unknown function")
        } catch let error as FunctionResolutionError {
            #expect(!error.message.contains("did you mean"))
        }
    }

    @Test func noMatchingOverloadListsSignatures() {
        do {
            _ = try registry.resolveScalar(name: "len", arguments: [.value(.integer)]) { _ in .string }
            Issue.record("resolved LEN(INTEGER)")
        } catch let error as FunctionResolutionError {
            #expect(error.message.contains("does not accept arguments (INTEGER)"))
            #expect(error.message.contains("LEN(STRING)"))
            #expect(error.message.contains("LEN(BYTES)"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func kindsAreKeptApart() {
        #expect(registry.isAggregate("count"))
        #expect(!registry.isAggregate("ABS"))
        #expect(registry.isTableFunction("Explode"))
        #expect(registry.isScalar("abs"))
        #expect(throws: FunctionResolutionError.self) {
            try registry.resolveScalar(name: "SUM", arguments: [.value(.integer)]) { _ in .string }
        }
        #expect(throws: FunctionResolutionError.self) {
            try registry.resolveAggregate(name: "ABS", arguments: [.integer], constantArguments: [])
        }
        #expect(throws: FunctionResolutionError.self) {
            try registry.resolveTableFunction(name: "ABS", arguments: [.value(.integer)]) { _ in .string }
        }
    }

    @Test func catalogueListsEveryFunctionOnce() {
        let infos = registry.functionNames()
        #expect(Set(infos.map(\.name)).count == infos.count)
        #expect(infos.count > 140)
        #expect(infos.map(\.name) == infos.map(\.name).sorted())
        let substring = try! #require(registry.describe("substring"))
        #expect(substring.kind == .scalar)
        #expect(substring.signatures.count == 4)
        #expect(registry.describe("TOPK")?.kind == .aggregate)
        #expect(registry.describe("CUBE_EXPLODE")?.kind == .table)
        for info in infos {
            #expect(!info.description.isEmpty, "\(info.name) has no description")
            #expect(!info.signatures.isEmpty, "\(info.name) has no signature")
        }
    }

    @Test func wideningConvertsArgumentsAtInvocation() throws {
        let sqrt = try registry.resolveScalar(name: "SQRT", arguments: [.value(.integer)]) { _ in .string }
        #expect(sqrt.returnType == .double)
        #expect(try sqrt.invoke([.integer(16)], []) == .double(4))
        let abs = try registry.resolveScalar(name: "ABS", arguments: [.value(.integer)]) { _ in .string }
        #expect(abs.returnType == .integer)
        let round = try registry.resolveScalar(
            name: "ROUND", arguments: [.value(.decimal(precision: 4, scale: 2)), .value(.integer)]) { _ in .string }
        #expect(try round.invoke([dec("1.25"), .integer(1)], []) == dec("1.30"))
    }

    @Test func exactMatchesWinOverWidening() throws {
        // SUM(DECIMAL) keeps DECIMAL rather than widening to DOUBLE.
        let sum = try registry.resolveAggregate(
            name: "SUM", arguments: [.decimal(precision: 10, scale: 2)], constantArguments: [])
        #expect(sum.returnType == .decimal(precision: 10, scale: 2))
        // ROUND(INT) has its own overload.
        let round = try registry.resolveScalar(name: "ROUND", arguments: [.value(.integer)]) { _ in .string }
        #expect(round.returnType == .bigint)
    }

    @Test func ambiguousNullArguments() {
        do {
            _ = try registry.resolveScalar(name: "GREATEST", arguments: [.null, .null]) { _ in .string }
            Issue.record("resolved GREATEST(null, null)")
        } catch let error as FunctionResolutionError {
            #expect(error.message.contains("ambiguous"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func nullLiteralTakesTheOtherArgumentsType() throws {
        let r = try registry.resolveScalar(name: "IFNULL", arguments: [.null, .value(.string)]) { _ in .string }
        #expect(r.returnType == .string)
        #expect(try r.invoke([.null, .string("x")], []) == .string("x"))
        #expect(throws: FunctionResolutionError.self) {
            try registry.resolveScalar(name: "IFNULL", arguments: [.null, .null]) { _ in .string }
        }
    }

    @Test func lambdaResolverErrorsPropagate() {
        struct PlannerError: Error {}
        #expect(throws: PlannerError.self) {
            try registry.resolveScalar(name: "TRANSFORM", arguments: [.value(.array(.integer)), .lambda(parameterCount: 1)]) { _ in
                throw PlannerError()
            }
        }
    }

    @Test func nameSuggestionDistance() {
        #expect(NameSuggestion.distance(Array("abc".utf8), Array("acb".utf8)) == 1)
        #expect(NameSuggestion.distance(Array("kitten".utf8), Array("sitting".utf8)) == 3)
        #expect(NameSuggestion.nearest(to: "ucase", among: ["UCASE", "LCASE"]) == "UCASE")
    }
}

@Suite struct SupportTests {
    @Test(arguments: [
        (1.0, "1.0"), (100.0, "100.0"), (0.001, "0.001"), (1e-4, "1.0E-4"), (1e7, "1.0E7"), (12345678.9, "1.23456789E7"),
        (-0.0, "-0.0"), (0.1, "0.1"), (1.5e300, "1.5E300"), (9999999.0, "9999999.0"), (Double.nan, "NaN"),
        (-Double.infinity, "-Infinity"), (123.456, "123.456"), (Double.leastNonzeroMagnitude, "4.9E-324"),
    ])
    func javaDoubleToString(value: Double, expected: String) {
        if value == Double.leastNonzeroMagnitude {
            // Shortest round-trip digits ("5E-324"), which newer JDKs print; older ones print 4.9E-324.
            #expect(JavaFormat.double(value) == "4.9E-324" || JavaFormat.double(value) == "5.0E-324")
        } else {
            #expect(JavaFormat.double(value) == expected)
        }
    }

    @Test(arguments: [
        ("123.45", "123.45"), ("-0.001", "-0.001"), ("0.0000001", "1E-7"), ("1E+3", "1E+3"), ("100", "100"),
    ])
    func bigDecimalToString(text: String, expected: String) throws {
        let d = try #require(DecimalMath.parse(Substring(text)))
        #expect(DecimalMath.javaString(d) == expected)
    }

    @Test func decimalRounding() throws {
        let d = SQLDecimal(unscaled: 125, scale: 2)
        #expect(DecimalMath.rescale(d, to: 1, rounding: .halfUp) == SQLDecimal(unscaled: 13, scale: 1))
        #expect(DecimalMath.rescale(d, to: 1, rounding: .halfEven) == SQLDecimal(unscaled: 12, scale: 1))
        #expect(DecimalMath.rescale(SQLDecimal(unscaled: -125, scale: 2), to: 1, rounding: .halfDown) == SQLDecimal(unscaled: -12, scale: 1))
        #expect(DecimalMath.rescale(d, to: 40) == nil)
        #expect(DecimalMath.compare(SQLDecimal(unscaled: 10, scale: 1), SQLDecimal(unscaled: 1, scale: 0)) == 0)
        #expect(DecimalMath.toDouble(SQLDecimal(unscaled: 12345, scale: 3)) == 12.345)
        #expect(DecimalMath.fromDouble(0.1) == SQLDecimal(unscaled: 1, scale: 1))
        #expect(DecimalMath.fromDouble(100) == SQLDecimal(unscaled: 1000, scale: 1))
    }

    @Test func civilCalendarRoundTrips() {
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let (y, m, d) = CivilTime.date(days: days)
            #expect(CivilTime.days(year: y, month: m, day: d) == days)
        }
        #expect(CivilTime.date(days: 0) == (1970, 1, 1))
        #expect(CivilTime.dayOfWeek(days: 0) == 4)
        #expect(CivilTime.date(days: -1) == (1969, 12, 31))
    }

    @Test func javaStringOrder() {
        #expect(ValueOrder.compareStrings("Food", "fo") < 0)
        #expect(ValueOrder.compareStrings("a", "ab") < 0)
        // U+FF5E sorts after a supplementary character in UTF-8 but before it in UTF-16.
        #expect(ValueOrder.compareStrings("\u{FF5E}", "\u{1F600}") > 0)
        #expect(ValueOrder.compareDoubles(-0.0, 0.0) < 0)
        #expect(ValueOrder.compareDoubles(.nan, .infinity) > 0)
        #expect(ValueOrder.equal(.double(.nan), .double(.nan)))
    }
}
