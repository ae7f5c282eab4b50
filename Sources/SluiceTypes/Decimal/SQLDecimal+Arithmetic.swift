extension SQLDecimal {
    /// How digits dropped by a scale change are handled.
    public enum Rounding: Sendable {
        /// Away from zero when the first dropped digit is 5 or more (`RoundingMode.HALF_UP`).
        case halfUp
        /// Toward zero (`RoundingMode.DOWN`).
        case down
        /// Dropping a non-zero digit is an error (`RoundingMode.UNNECESSARY`).
        case unnecessary
    }

    /// `10^n` as an `Int128`, or nil past 10^38.
    static func powerOfTen(_ n: Int) -> Int128? {
        guard n >= 0 && n <= 38 else { return nil }
        if n <= 19 { return Int128(powersOfTen64[n]) }
        return Int128(powersOfTen64[19]) * Int128(powersOfTen64[n - 19])
    }

    /// 10^0 ... 10^19.
    private static let powersOfTen64: [UInt64] = (0...19).map { k in (0..<k).reduce(1) { p, _ in p * 10 } }

    /// `setScale(scale, rounding)`.
    public func rescaled(to newScale: Int, rounding: Rounding = .halfUp) throws(RecordError) -> SQLDecimal {
        if newScale == scale { return self }
        if newScale > scale {
            guard let factor = SQLDecimal.powerOfTen(newScale - scale) else {
                throw RecordError("Decimal overflow rescaling \(javaString) to scale \(newScale)")
            }
            let (v, o) = unscaled.multipliedReportingOverflow(by: factor)
            if o { throw RecordError("Decimal overflow rescaling \(javaString) to scale \(newScale)") }
            return SQLDecimal(unscaled: v, scale: newScale)
        }
        guard let divisor = SQLDecimal.powerOfTen(scale - newScale) else {
            // Dropping more than 38 digits leaves zero (or one unit when rounding up a large tail).
            if unscaled == 0 || rounding != .unnecessary { return SQLDecimal(unscaled: 0, scale: newScale) }
            throw RecordError("Rounding necessary to set scale of \(javaString) to \(newScale)")
        }
        let (q, r) = unscaled.quotientAndRemainder(dividingBy: divisor)
        if r == 0 { return SQLDecimal(unscaled: q, scale: newScale) }
        switch rounding {
        case .unnecessary:
            throw RecordError("Rounding necessary to set scale of \(javaString) to \(newScale)")
        case .down:
            return SQLDecimal(unscaled: q, scale: newScale)
        case .halfUp:
            let up = r.magnitude * 2 >= divisor.magnitude
            let away: Int128 = unscaled < 0 ? -1 : 1
            return SQLDecimal(unscaled: up ? q + away : q, scale: newScale)
        }
    }

    /// Whether `|value| < 10^(precision - scale)`, the bound ksqlDB checks before fitting a type.
    public func fitsIntegerDigits(precision: Int, scale targetScale: Int) -> Bool {
        integerDigitCount <= precision - targetScale
    }

    /// The number of digits left of the decimal point (0 for |value| < 1), as
    /// `DecimalLiteral.integerDigitCount` counts them.
    var integerDigitCount: Int {
        if unscaled == 0 { return 0 }
        let n = DecimalDigits.count(unscaled.magnitude)
        return scale >= n ? 0 : n - scale
    }

    /// ksqlDB's `DecimalUtil.ensureFit`: the value at exactly `scale`, or an error if it has too many
    /// integer digits or would need rounding. Used when records are read.
    public func fitted(precision: Int, scale targetScale: Int) throws(RecordError) -> SQLDecimal {
        if let fitted = fittedIfExact(precision: precision, scale: targetScale) { return fitted }
        return try DecimalLiteral(self).ensureFit(precision: precision, scale: targetScale)
    }

    /// `fitted` worked out on the unscaled integer, or nil when the value does not fit (or the
    /// arithmetic would overflow) and `DecimalLiteral.ensureFit` must decide and word the error.
    /// Every arithmetic result is fitted to its type, so this is on the per-record path.
    func fittedIfExact(precision: Int, scale targetScale: Int) -> SQLDecimal? {
        guard integerDigitCount <= precision - targetScale else { return nil }
        if unscaled == 0 { return SQLDecimal(unscaled: 0, scale: targetScale) }
        if targetScale == scale { return self }
        if targetScale > scale {
            // Exact: only the value's size can stop it. `ensureFit` refuses `Int128.min` too.
            let shift = targetScale.subtractingReportingOverflow(scale)
            guard !shift.overflow, let factor = SQLDecimal.powerOfTen(shift.partialValue) else { return nil }
            let (v, overflow) = unscaled.multipliedReportingOverflow(by: factor)
            guard !overflow, v != .min else { return nil }
            return SQLDecimal(unscaled: v, scale: targetScale)
        }
        let shift = scale.subtractingReportingOverflow(targetScale)
        guard !shift.overflow, let divisor = SQLDecimal.powerOfTen(shift.partialValue) else { return nil }
        if let small = Int64(exactly: unscaled), let smallDivisor = Int64(exactly: divisor) {
            let (q, r) = small.quotientAndRemainder(dividingBy: smallDivisor)
            return r == 0 ? SQLDecimal(unscaled: Int128(q), scale: targetScale) : nil
        }
        let (q, r) = unscaled.quotientAndRemainder(dividingBy: divisor)
        return r == 0 ? SQLDecimal(unscaled: q, scale: targetScale) : nil
    }

    /// ksqlDB's `DecimalUtil.cast` of a decimal: same integer-digit check, then HALF_UP rounding to
    /// `scale`. Used by `CAST` and by arithmetic results.
    public func cast(precision: Int, scale targetScale: Int) throws(RecordError) -> SQLDecimal {
        guard fitsIntegerDigits(precision: precision, scale: targetScale) else {
            throw RecordError(
                "Numeric field overflow: A field with precision \(precision) and scale \(targetScale) "
                    + "must round to an absolute value less than 10^\(precision - targetScale). Got \(plainString)")
        }
        return try rescaled(to: targetScale, rounding: .halfUp)
    }

    /// Numeric comparison, ignoring scale (`BigDecimal.compareTo`): -1, 0 or 1.
    public func compare(to other: SQLDecimal) -> Int {
        let ls = unscaled.signum()
        let rs = other.unscaled.signum()
        if ls != rs || ls == 0 { return ls < rs ? -1 : (ls > rs ? 1 : 0) }
        let (a, b) = SQLDecimal.aligned(self, other)
        switch (a, b) {
        case (let x?, let y?): return x < y ? -1 : (x > y ? 1 : 0)
        // The side that overflowed when scaled up has the larger magnitude.
        case (nil, _): return Int(ls)
        case (_, nil): return -Int(ls)
        }
    }

    /// Equal as numbers (`1.0` equals `1.00`).
    public func numericallyEquals(_ other: SQLDecimal) -> Bool { compare(to: other) == 0 }

    /// Both unscaled values at the larger scale; nil for a side that overflows.
    static func aligned(_ a: SQLDecimal, _ b: SQLDecimal) -> (Int128?, Int128?) {
        if a.scale == b.scale { return (a.unscaled, b.unscaled) }
        if a.scale < b.scale { return (scaledUp(a.unscaled, by: b.scale - a.scale), b.unscaled) }
        return (a.unscaled, scaledUp(b.unscaled, by: a.scale - b.scale))
    }

    static func scaledUp(_ v: Int128, by digits: Int) -> Int128? {
        if v == 0 { return 0 }
        guard let f = powerOfTen(digits) else { return nil }
        let (r, o) = v.multipliedReportingOverflow(by: f)
        return o ? nil : r
    }

    public var negated: SQLDecimal { SQLDecimal(unscaled: -unscaled, scale: scale) }

    /// Exact sum at the larger of the two scales.
    public func adding(_ other: SQLDecimal) throws(RecordError) -> SQLDecimal {
        let s = max(scale, other.scale)
        guard case (let a?, let b?) = SQLDecimal.aligned(self, other) else {
            throw RecordError("Decimal overflow in \(javaString) + \(other.javaString)")
        }
        let (r, o) = a.addingReportingOverflow(b)
        if o { throw RecordError("Decimal overflow in \(javaString) + \(other.javaString)") }
        return SQLDecimal(unscaled: r, scale: s)
    }

    /// Exact difference at the larger of the two scales.
    public func subtracting(_ other: SQLDecimal) throws(RecordError) -> SQLDecimal {
        try adding(other.negated)
    }

    /// Exact product, scale `scale + other.scale`.
    public func multiplying(_ other: SQLDecimal) throws(RecordError) -> SQLDecimal {
        let (r, o) = unscaled.multipliedReportingOverflow(by: other.unscaled)
        if o { throw RecordError("Decimal overflow in \(javaString) * \(other.javaString)") }
        return SQLDecimal(unscaled: r, scale: scale + other.scale)
    }

    /// Quotient at `resultScale`, rounded half-up. Division by zero is an error.
    public func divided(by other: SQLDecimal, scale resultScale: Int) throws(RecordError) -> SQLDecimal {
        if other.unscaled == 0 { throw RecordError("Division by zero") }
        // (a / 10^sa) / (b / 10^sb) = a × 10^(resultScale + sb - sa) / b, at resultScale.
        let shift = resultScale + other.scale - scale
        var numerator = unscaled
        var denominator = other.unscaled
        if shift >= 0 {
            guard let n = SQLDecimal.scaledUp(numerator, by: shift) else {
                throw RecordError("Decimal overflow in \(javaString) / \(other.javaString)")
            }
            numerator = n
        } else {
            guard let d = SQLDecimal.scaledUp(denominator, by: -shift) else {
                return SQLDecimal(unscaled: 0, scale: resultScale)
            }
            denominator = d
        }
        let (q, r) = numerator.quotientAndRemainder(dividingBy: denominator)
        var result = q
        if r != 0 && r.magnitude >= denominator.magnitude - r.magnitude {
            result += (numerator < 0) != (denominator < 0) ? -1 : 1
        }
        return SQLDecimal(unscaled: result, scale: resultScale)
    }
}
