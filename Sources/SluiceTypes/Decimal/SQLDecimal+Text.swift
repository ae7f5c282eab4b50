extension SQLDecimal {
    /// Parses Java `BigDecimal` text (`-12.50`, `1e3`, `+.5`), keeping the scale the text implies
    /// (`1e3` has scale -3). Nil when the text is not a decimal or needs more than 38 digits.
    public init?(_ text: String) {
        guard let literal = DecimalLiteral.parse(text),
            let unscaled = literal.rescaledUnscaled(to: literal.scale, roundHalfUp: false)
        else { return nil }
        self.init(unscaled: unscaled, scale: literal.scale)
    }

    /// Parses text and fits it to `DECIMAL(precision, scale)` as ksqlDB does when it reads a
    /// decimal: too many integer digits, or fraction digits that would need rounding, are errors.
    public static func parse(_ text: String, precision: Int, scale: Int) throws(RecordError) -> SQLDecimal {
        guard let literal = DecimalLiteral.parse(text) else {
            throw RecordError("Invalid decimal: '\(text)'")
        }
        return try literal.ensureFit(precision: precision, scale: scale)
    }

    /// `BigDecimal.precision()`: the number of digits of the unscaled value (1 for zero).
    public var precision: Int { DecimalDigits.count(unscaled.magnitude) }

    /// Java's `BigDecimal.toString()`: how ksqlDB's JSON output writes decimals (`10.50`, and
    /// scientific only for tiny values: scale 7 and unscaled 1 is `1E-7`).
    public var javaString: String {
        var out: [UInt8] = []
        appendJavaString(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Java's `BigDecimal.toPlainString()`: how DELIMITED writes decimals (`0.0000001`).
    public var plainString: String {
        var out: [UInt8] = []
        appendPlainString(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of `javaString`, laid out on the stack: every DECIMAL a JSON record holds is
    /// written through here.
    func appendJavaString(to out: inout [UInt8]) {
        let textRoom = DecimalLiteral.javaStringCapacity(digitCount: SQLDecimal.digitRoom)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: textRoom + SQLDecimal.digitRoom) { tmp in
            let text = tmp.baseAddress!
            let digits = writeDigits(in: text + textRoom)
            let n = DecimalLiteral.writeJavaString(negative: unscaled < 0, digits: digits, scale: scale, to: text)
            out.append(contentsOf: UnsafeBufferPointer(start: text, count: n))
        }
    }

    func appendPlainString(to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: SQLDecimal.digitRoom) { tmp in
            let digits = writeDigits(in: tmp.baseAddress!)
            DecimalLiteral.appendPlainString(negative: unscaled < 0, digits: digits, scale: scale, to: &out)
        }
    }

    /// Room for the digits of any unscaled value (`Int128.min` has 39).
    static let digitRoom = 40

    /// Writes the digits of the unscaled magnitude (none for zero, as `DecimalLiteral` holds
    /// zero) into the `digitRoom` bytes at `room`.
    func writeDigits(in room: UnsafeMutablePointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        if unscaled == 0 { return UnsafeBufferPointer(start: room, count: 0) }
        let end = room + SQLDecimal.digitRoom
        let start = DecimalDigits.writeBackward(unscaled.magnitude, end: end)
        return UnsafeBufferPointer(start: start, count: end - start)
    }

    /// The nearest double.
    public var doubleValue: Double {
        if scale == 0, let v = Int64(exactly: unscaled), v.magnitude <= 1 << 53 { return Double(v) }
        return Double(javaString) ?? .nan
    }
}

extension SQLDecimal: CustomStringConvertible {
    public var description: String { javaString }
}

extension SQLDecimal {
    /// The largest precision Sluice can hold (the unscaled value is an `Int128`).
    public static let maxPrecision = 38

    /// ksqlDB's `DECIMAL(p, s)` rules (1 <= p, 0 <= s <= p) plus Sluice's precision limit.
    public static func validateType(precision: Int, scale: Int) throws(RecordError) {
        if precision < 1 { throw RecordError("DECIMAL precision must be >= 1: DECIMAL(\(precision),\(scale))") }
        if scale < 0 { throw RecordError("DECIMAL scale must be >= 0: DECIMAL(\(precision),\(scale))") }
        if scale > precision {
            throw RecordError("DECIMAL precision must be >= scale: DECIMAL(\(precision),\(scale))")
        }
        if precision > maxPrecision {
            throw RecordError("not supported yet: DECIMAL precision above \(maxPrecision): DECIMAL(\(precision),\(scale))")
        }
    }
}
