import SluiceTypes

/// Numeric functions, with Java's `Math` and `BigDecimal` semantics: ABS keeps its type, CEIL and
/// FLOOR keep DECIMAL scale, ROUND/TRUNC of INT/BIGINT/DOUBLE return BIGINT, of DECIMAL return
/// DECIMAL(p - s, 0) (or the same type when given decimal places).
enum MathFunctions {
    // MARK: - Sign and magnitude

    static func abs(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        switch args[0] {
        // Java's Math.abs wraps MIN_VALUE to itself.
        case .integer(let i): .integer(i == .min ? i : Swift.abs(i))
        case .bigint(let i): .bigint(i == .min ? i : Swift.abs(i))
        case .double(let d): .double(d.magnitude)
        case .decimal(let d): .decimal(SQLDecimal(unscaled: d.unscaled < 0 ? -d.unscaled : d.unscaled, scale: d.scale))
        default: .null
        }
    }

    static func sign(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        switch args[0] {
        case .integer(let i): .integer(Int32(i.signum()))
        case .bigint(let i): .integer(Int32(i.signum()))
        case .double(let d): .integer(d.isNaN ? 0 : (d > 0 ? 1 : (d < 0 ? -1 : 0)))
        case .decimal(let d): .integer(Int32(d.unscaled.signum()))
        default: .null
        }
    }

    // MARK: - Rounding

    /// CEIL and FLOOR: integers unchanged; doubles as `Math.ceil`/`floor`; decimals rounded to an
    /// integer but kept at their scale.
    static func ceilFloor(_ args: [Value], ceiling: Bool) -> Value {
        switch args[0] {
        case .integer, .bigint: return args[0]
        case .double(let d): return .double(ceiling ? d.rounded(.up) : d.rounded(.down))
        case .decimal(let d):
            guard let whole = DecimalMath.rescale(d, to: 0, rounding: ceiling ? .ceiling : .floor),
                let back = DecimalMath.rescale(whole, to: d.scale)
            else { return .null }
            return .decimal(back)
        default: return .null
        }
    }

    /// `Math.round`: the closest integer, ties towards positive infinity, saturating, NaN → 0.
    static func javaRound(_ d: Double) -> Int64 {
        if d.isNaN { return 0 }
        let f = d.rounded(.down)
        // Exact: below 2^52 the fraction is representable, above it every double is integral.
        let r = d - f >= 0.5 ? f + 1 : f
        if r >= 9.223372036854775807e18 { return .max }
        if r <= -9.223372036854775808e18 { return .min }
        return Int64(r)
    }

    /// ROUND(x): BIGINT for INT, BIGINT and DOUBLE; DECIMAL(p - s, 0) for DECIMAL, half rounded
    /// towards positive infinity.
    static func round(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        switch args[0] {
        case .integer(let i): return .bigint(Int64(i))
        case .bigint(let i): return .bigint(i)
        case .double(let d): return .bigint(javaRound(d))
        case .decimal(let d): return DecimalMath.rescale(d, to: 0, rounding: d.unscaled > 0 ? .halfUp : .halfDown).map(Value.decimal) ?? .null
        default: return .null
        }
    }

    /// ROUND(x, places) and TRUNC(x, places) through `BigDecimal.setScale`, DOUBLE via its
    /// `Double.toString` digits; a DECIMAL keeps its scale.
    static func roundTo(_ args: [Value], truncate: Bool) throws(FunctionError) -> Value {
        guard case .integer(let places) = args[1] else { return .null }
        switch args[0] {
        case .double(let d):
            guard let exact = DecimalMath.fromDouble(d) else {
                throw FunctionError("cannot round \(JavaFormat.double(d))")
            }
            let mode: DecimalMath.Rounding = truncate ? .down : (exact.unscaled > 0 ? .halfUp : .halfDown)
            guard let r = DecimalMath.setScale(exact, Int(places), rounding: mode) else {
                throw FunctionError("numeric overflow rounding \(JavaFormat.double(d))")
            }
            return .double(DecimalMath.toDouble(r))
        case .decimal(let d):
            let mode: DecimalMath.Rounding = truncate ? .down : (d.unscaled > 0 ? .halfUp : .halfDown)
            guard let r = DecimalMath.setScale(d, Int(places), rounding: mode),
                let back = DecimalMath.rescale(r, to: d.scale)
            else { throw FunctionError("numeric overflow rounding \(DecimalMath.plainString(d))") }
            return .decimal(back)
        default:
            return .null
        }
    }

    static func trunc(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        switch args[0] {
        case .integer(let i): return .bigint(Int64(i))
        case .bigint(let i): return .bigint(i)
        case .double(let d):
            // Double.longValue(): truncation, saturating, NaN → 0.
            if d.isNaN { return .bigint(0) }
            if d >= 9.223372036854775807e18 { return .bigint(.max) }
            if d <= -9.223372036854775808e18 { return .bigint(.min) }
            return .bigint(Int64(d))
        case .decimal(let d): return DecimalMath.rescale(d, to: 0, rounding: .down).map(Value.decimal) ?? .null
        default: return .null
        }
    }

    /// DECIMAL(p, s) → DECIMAL(p - s, 0), at least one digit.
    static func integralDecimalType(_ call: ResolvedCall) throws(FunctionResolutionError) -> SQLType {
        guard case .decimal(let p, let s) = call.argumentTypes[0] else {
            throw FunctionResolutionError("expected a DECIMAL argument")
        }
        return .decimal(precision: max(1, p - s), scale: 0)
    }

    // MARK: - Double functions

    static func unary(_ f: @escaping @Sendable (Double) -> Double) -> ScalarBody {
        { args, _ in
            guard case .double(let d) = args[0] else { return .null }
            return .double(f(d))
        }
    }

    static func log(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .double(let base) = args[0], case .double(let value) = args[1] else { return .null }
        if base <= 0 || base == 1 || value < 0 || base.isNaN || value.isNaN { return .double(.nan) }
        if value == 0 { return .double(-.infinity) }
        return .double(LibM.log(value) / LibM.log(base))
    }

    static func power(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .double(let b) = args[0], case .double(let e) = args[1] else { return .null }
        return .double(LibM.pow(b, e))
    }

    static func atan2(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .double(let y) = args[0], case .double(let x) = args[1] else { return .null }
        return .double(LibM.atan2(y, x))
    }

    static func random(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        .double(Double.random(in: 0..<1))
    }

    // MARK: - GREATEST / LEAST

    static func extreme(_ args: [Value], greatest: Bool) -> Value {
        var best: Value = .null
        for a in args where !a.isNull {
            if best.isNull {
                best = a
            } else {
                let c = ValueOrder.compare(a, best)
                if greatest ? c > 0 : c < 0 { best = a }
            }
        }
        return best
    }

    /// The DECIMAL all typed (non-NULL-literal) arguments widen to, as ksqlDB's
    /// `DecimalUtil.widen` folds them; DECIMAL(38, 0) when every argument is a NULL literal.
    static func widenedDecimal(_ call: ResolvedCall) -> SQLType {
        var result: SQLType?
        for (i, type) in call.argumentTypes.enumerated() where !call.isNullLiteral(i) {
            result = result.map { TypeWidening.unify($0, type) ?? $0 } ?? type
        }
        return result ?? .decimal(precision: 38, scale: 0)
    }

    // MARK: - GEO_DISTANCE

    static func geoDistance(_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> Value {
        guard case .double(let lat1) = args[0], case .double(let lon1) = args[1], case .double(let lat2) = args[2],
            case .double(let lon2) = args[3]
        else { return .null }
        if lat1 < -90 || lat2 < -90 || lat1 > 90 || lat2 > 90 {
            throw FunctionError(
                "valid latitude values for GeoDistance function are in the range of -90 to 90 decimal degrees")
        }
        if lon1 < -180 || lon2 < -180 || lon1 > 180 || lon2 > 180 {
            throw FunctionError(
                "valid longitude values for GeoDistance function are in the range of -180 to +180 decimal degrees")
        }
        var radius = 6371.0
        if args.count > 4, case .string(let unitText) = args[4] {
            let unit = JavaString.trim(unitText).lowercased()
            if !unit.isEmpty {
                if ["mi", "mile", "miles"].contains(unit) {
                    radius = 3959
                } else if !["km", "kilometer", "kilometers", "kilometre", "kilometres"].contains(unit) {
                    throw FunctionError(
                        "GeoDistance function units parameter must be one of mi, mile, miles, km, kilometer, "
                            + "kilometers, kilometre or kilometres. Values are case-insensitive.")
                }
            }
        }
        func haversin(_ v: Double) -> Double { LibM.pow(LibM.sin(v / 2), 2) }
        // Math.toRadians as the JDK that produced ksqlDB's expected results computes it.
        func radians(_ x: Double) -> Double { x / 180.0 * Double.pi }
        let dLat = radians(lat2 - lat1)
        let dLon = radians(lon2 - lon1)
        let a = haversin(dLat) + haversin(dLon) * LibM.cos(radians(lat1)) * LibM.cos(radians(lat2))
        return .double(2 * LibM.asin(a.squareRoot()) * radius)
    }
}

extension DecimalMath {
    /// `BigDecimal.setScale(scale, mode)` where `scale` may be negative: the value rounded to
    /// that many places, at scale `max(scale, 0)` (a negative scale is widened back to 0, which
    /// keeps the value).
    static func setScale(_ d: SQLDecimal, _ scale: Int, rounding: Rounding) -> SQLDecimal? {
        if scale >= 0 { return rescale(d, to: scale, rounding: rounding) }
        return round(d, places: scale, rounding: rounding)
    }
}

extension RegistryBuilder {
    mutating func registerMathFunctions() {
        let category = "MATHEMATICAL"
        func sameType(_ type: ParamType, _ body: @escaping ScalarBody) -> ScalarOverload {
            ScalarOverload([p("val", type)], returns: type == .decimal ? .computed { $0.argumentTypes[0] } : .type(type), body: body)
        }
        let absBody: ScalarBody = { a, l in MathFunctions.abs(a, l) }
        scalar("ABS", category, "Returns the absolute value of a number, in the same type.", [
            sameType(.integer, absBody), sameType(.bigint, absBody), sameType(.double, absBody), sameType(.decimal, absBody),
        ])
        for (name, ceiling) in [("CEIL", true), ("FLOOR", false)] {
            let body: ScalarBody = { a, _ in MathFunctions.ceilFloor(a, ceiling: ceiling) }
            scalar(name, category, ceiling ? "Rounds a number up to an integer value." : "Rounds a number down to an integer value.", [
                sameType(.integer, body), sameType(.bigint, body), sameType(.double, body), sameType(.decimal, body),
            ])
        }
        scalar("SIGN", category, "Returns -1, 0 or 1 as the number is negative, zero or positive.", [
            ScalarOverload([p("val", .integer)], returns: .integer) { a, l in MathFunctions.sign(a, l) },
            ScalarOverload([p("val", .bigint)], returns: .integer) { a, l in MathFunctions.sign(a, l) },
            ScalarOverload([p("val", .double)], returns: .integer) { a, l in MathFunctions.sign(a, l) },
            ScalarOverload([p("val", .decimal)], returns: .integer) { a, l in MathFunctions.sign(a, l) },
        ])
        for (name, truncate) in [("ROUND", false), ("TRUNC", true)] {
            let whole: ScalarBody = { a, l in truncate ? MathFunctions.trunc(a, l) : MathFunctions.round(a, l) }
            let places: ScalarBody = { a, _ throws(FunctionError) in try MathFunctions.roundTo(a, truncate: truncate) }
            scalar(name, category,
                truncate ? "Truncates a number towards zero, optionally to decimal places."
                    : "Rounds a number half up, optionally to decimal places.",
                [
                    ScalarOverload([p("val", .bigint)], returns: .bigint, body: whole),
                    ScalarOverload([p("val", .integer)], returns: .bigint, body: whole),
                    ScalarOverload([p("val", .double)], returns: .bigint, body: whole),
                    ScalarOverload([p("val", .double), p("decimalPlaces", .integer)], returns: .double, body: places),
                    ScalarOverload([p("val", .decimal)], returns: .computed(MathFunctions.integralDecimalType), body: whole),
                    ScalarOverload([p("val", .decimal), p("decimalPlaces", .integer)],
                        returns: .computed { $0.argumentTypes[0] }, body: places),
                ])
        }

        let doubles: [(String, String, @Sendable (Double) -> Double)] = [
            ("SQRT", "Returns the square root of a number.", { $0.squareRoot() }),
            ("CBRT", "Returns the cube root of a number.", { LibM.cbrt($0) }),
            ("EXP", "Returns e raised to the power of a number.", { LibM.exp($0) }),
            ("LN", "Returns the natural logarithm of a number.", { LibM.log($0) }),
            ("SIN", "Returns the sine of an angle in radians.", { LibM.sin($0) }),
            ("COS", "Returns the cosine of an angle in radians.", { LibM.cos($0) }),
            ("TAN", "Returns the tangent of an angle in radians.", { LibM.tan($0) }),
            ("COT", "Returns the cotangent of an angle in radians.", { 1.0 / LibM.tan($0) }),
            ("ASIN", "Returns the arc sine of a number, in radians.", { LibM.asin($0) }),
            ("ACOS", "Returns the arc cosine of a number, in radians.", { LibM.acos($0) }),
            ("ATAN", "Returns the arc tangent of a number, in radians.", { LibM.atan($0) }),
            ("SINH", "Returns the hyperbolic sine of a number.", { LibM.sinh($0) }),
            ("COSH", "Returns the hyperbolic cosine of a number.", { LibM.cosh($0) }),
            ("TANH", "Returns the hyperbolic tangent of a number.", { LibM.tanh($0) }),
            ("DEGREES", "Converts radians to degrees.", { $0 * 180.0 / Double.pi }),
            ("RADIANS", "Converts degrees to radians.", { $0 / 180.0 * Double.pi }),
        ]
        for (name, text, f) in doubles {
            scalar(name, category, text, [ScalarOverload([p("val", .double)], returns: .double, body: MathFunctions.unary(f))])
        }
        scalar("LOG", category, "Returns the base-10 logarithm of a number, or its logarithm in a given base.", [
            ScalarOverload([p("value", .double)], returns: .double, body: MathFunctions.unary { LibM.log10($0) }),
            ScalarOverload([p("base", .double), p("value", .double)], returns: .double) { a, l in MathFunctions.log(a, l) },
        ])
        scalar("POWER", category, "Returns a base raised to an exponent.", [
            ScalarOverload([p("base", .double), p("exponent", .double)], returns: .double) { a, l in MathFunctions.power(a, l) }
        ])
        scalar("ATAN2", category, "Returns the angle of the point (x, y) in radians.", [
            ScalarOverload([p("y", .double), p("x", .double)], returns: .double) { a, l in MathFunctions.atan2(a, l) }
        ])
        scalar("PI", category, "Returns an approximation of pi.", [
            ScalarOverload([], returns: .double) { _, _ in .double(Double.pi) }
        ])
        scalar("RANDOM", category, "Returns a random DOUBLE in [0, 1).", [
            ScalarOverload([], returns: .double) { a, l in MathFunctions.random(a, l) }
        ])
        for (name, greatest) in [("GREATEST", true), ("LEAST", false)] {
            let body: ScalarBody = { a, _ in MathFunctions.extreme(a, greatest: greatest) }
            let comparable: [ParamType] = [.integer, .bigint, .double, .string, .bytes, .date, .time, .timestamp]
            var overloads = comparable.map { type in
                ScalarOverload([p("val", type)], variadic: p("vals", type), returns: .type(type), body: body)
            }
            // ksqlDB returns the chosen BigDecimal as it is (no rescale) and types the result as
            // the widening of the typed arguments only: NULL literals do not count.
            overloads.append(ScalarOverload(
                [p("val", .decimal)], variadic: p("vals", .decimal),
                returns: .computed { call in MathFunctions.widenedDecimal(call) }, body: body))
            scalar(name, category,
                greatest ? "Returns the largest non-NULL argument." : "Returns the smallest non-NULL argument.", overloads)
        }
        scalar("GEO_DISTANCE", category, "Returns the great-circle distance between two points, in km or miles.", [
            ScalarOverload([p("lat1", .double), p("lon1", .double), p("lat2", .double), p("lon2", .double)],
                returns: .double) { a, l throws(FunctionError) in try MathFunctions.geoDistance(a, l) },
            ScalarOverload([p("lat1", .double), p("lon1", .double), p("lat2", .double), p("lon2", .double),
                p("units", .string)], returns: .double) { a, l throws(FunctionError) in try MathFunctions.geoDistance(a, l) },
        ])
    }
}
