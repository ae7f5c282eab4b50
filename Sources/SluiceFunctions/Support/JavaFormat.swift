import SluiceTypes

/// The shortest decimal digits that read back as a double, taken from the standard library's
/// round-tripping `description` (no Foundation).
enum ShortestDigits {
    /// `|x| = 0.DIGITS × 10^exponent`, digits without leading or trailing zeros (ASCII). Zero gives
    /// digits "0" and exponent 1.
    static func of(_ x: Double) -> (negative: Bool, digits: [UInt8], exponent: Int) {
        let negative = x.sign == .minus
        if x == 0 { return (negative, [48], 1) }
        let text = x.magnitude.description
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        var pointPosition: Int? = nil
        var exponent = 0
        var iterator = text.utf8.makeIterator()
        while let c = iterator.next() {
            if c == UInt8(ascii: ".") {
                pointPosition = digits.count
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                var rest: [UInt8] = []
                while let d = iterator.next() { rest.append(d) }
                exponent = Int(String(decoding: rest, as: UTF8.self)) ?? 0
                break
            } else {
                digits.append(c)
            }
        }
        var e = (pointPosition ?? digits.count) + exponent
        var start = 0
        while start < digits.count - 1 && digits[start] == 48 {
            start += 1
            e -= 1
        }
        var end = digits.count
        while end > start + 1 && digits[end - 1] == 48 { end -= 1 }
        return (negative, Array(digits[start..<end]), e)
    }
}

/// Java's text forms of values, which ksqlDB's functions produce when they turn values into
/// strings (`Double.toString`, `BigDecimal.toString`, `List.toString`...).
enum JavaFormat {
    /// `Double.toString(x)`: plain between 10^-3 and 10^7, otherwise `1.2345E-5`.
    static func double(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "-Infinity" : "Infinity" }
        let (negative, digits, e) = ShortestDigits.of(x)
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + 8)
        if negative { out.append(UInt8(ascii: "-")) }
        let magnitude = x.magnitude
        if x == 0 || (magnitude >= 1e-3 && magnitude < 1e7) {
            if e <= 0 {
                out.append(contentsOf: [48, UInt8(ascii: ".")])
                out.append(contentsOf: repeatElement(48, count: -e))
                out.append(contentsOf: digits)
            } else if e >= digits.count {
                out.append(contentsOf: digits)
                out.append(contentsOf: repeatElement(48, count: e - digits.count))
                out.append(contentsOf: [UInt8(ascii: "."), 48])
            } else {
                out.append(contentsOf: digits[0..<e])
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[e...])
            }
        } else {
            out.append(digits[0])
            out.append(UInt8(ascii: "."))
            if digits.count > 1 { out.append(contentsOf: digits[1...]) } else { out.append(48) }
            out.append(UInt8(ascii: "E"))
            out.append(contentsOf: String(e - 1).utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `java.sql.Time.toString()`: `HH:mm:ss`.
    static func sqlTime(_ millis: Int64) -> String {
        let (_, ms) = CivilTime.floorDivMod(millis, CivilTime.millisPerDay)
        return ISOTemporal.pad(ms / 3_600_000, 2) + ":" + ISOTemporal.pad(ms / 60_000 % 60, 2) + ":"
            + ISOTemporal.pad(ms / 1000 % 60, 2)
    }

    /// `java.sql.Timestamp.toString()` in UTC: `yyyy-MM-dd HH:mm:ss.f`, the fraction without
    /// trailing zeros but at least one digit.
    static func sqlTimestamp(_ millis: Int64) -> String {
        let (days, ms) = CivilTime.floorDivMod(millis, CivilTime.millisPerDay)
        var fraction = ISOTemporal.pad(ms % 1000, 3)
        while fraction.count > 1 && fraction.hasSuffix("0") { fraction.removeLast() }
        return ISOTemporal.isoDate(days) + " " + sqlTime(ms) + "." + fraction
    }

    /// The text of a value as Java's `String.valueOf` gives it for ksqlDB's runtime objects: what
    /// ARRAY_JOIN, CONCAT of collections and similar functions print.
    static func string(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .boolean(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .bigint(let i): return String(i)
        case .double(let d): return double(d)
        case .decimal(let d): return DecimalMath.javaString(d)
        case .string(let s): return s
        case .bytes(let b): return "java.nio.HeapByteBuffer[pos=0 lim=\(b.count) cap=\(b.count)]"
        case .date(let d): return ISOTemporal.isoDate(Int64(d))
        case .time(let t): return sqlTime(Int64(t))
        case .timestamp(let t): return sqlTimestamp(t)
        case .array(let items): return "[" + items.map(string).joined(separator: ", ") + "]"
        case .map(let entries):
            return "{" + entries.map { string($0.key) + "=" + string($0.value) }.joined(separator: ", ") + "}"
        case .structure(let fields):
            return "Struct{" + fields.filter { !$0.value.isNull }.map { $0.name + "=" + string($0.value) }
                .joined(separator: ",") + "}"
        }
    }
}
