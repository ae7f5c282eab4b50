import SluiceTypes

/// Decides whether an actual key or value matches the expected JSON of a test file, following the
/// rules of ksqlDB's test framework (its `ExpectedRecordComparator`), quirks included:
///
/// - An expected object matches a map with the same number of entries whose values match; each
///   expected name is looked up as written, then upper-cased.
/// - An expected number is compared by the actual value's runtime type: against an `Integer` or a
///   `Long` through the expected number's truncated integer value (so `1.0` matches `1`), against
///   a `Double` through its nearest double, and against a `BigDecimal` exactly, scale included
///   (`1.50` does not match `1.5`; an expected integer matches only a decimal with no fraction
///   digits).
/// - An expected string matches an equal string, or a `BigDecimal` equal to the string read as one.
/// - An expected `null` matches a null or missing value.
public enum RecordComparator {
    public static func matches(_ actual: ActualValue, _ expected: JSONValue) -> Bool {
        switch expected {
        case .null:
            return actual.isNull
        case .bool(let flag):
            if case .boolean(let value) = actual { return value == flag }
            return false
        case .string(let text):
            switch actual {
            case .string(let value): return value == text
            case .decimal(let value):
                guard let parsed = JavaDecimal(text) else { return false }
                return parsed == value
            default: return false
            }
        case .number(let text):
            return matchesNumber(actual, ExpectedNumber(text))
        case .array(let items):
            guard case .list(let values) = actual, values.count == items.count else { return false }
            return zip(values, items).allSatisfy { matches($0, $1) }
        case .object(let members):
            guard case .map(let fields) = actual else { return false }
            // Jackson's ObjectNode keeps one entry per name.
            var unique: [JSONMember] = []
            for member in members {
                if let at = unique.firstIndex(where: { $0.key == member.key }) {
                    unique[at] = member
                } else {
                    unique.append(member)
                }
            }
            guard fields.count == unique.count else { return false }
            for member in unique {
                let value = actual.field(member.key) ?? actual.field(member.key.uppercased()) ?? .null
                if !matches(value, member.value) { return false }
            }
            return true
        }
    }

    private static func matchesNumber(_ actual: ActualValue, _ expected: ExpectedNumber) -> Bool {
        switch actual {
        case .int(let value): return expected.intValue == value
        case .long(let value): return expected.longValue == value
        case .double(let value): return expected.doubleValue == value
        case .decimal(let value):
            switch expected.kind {
            case .int, .long:
                guard value.scale <= 0, let exact = value.exactInt64 else { return false }
                return expected.longValue == exact
            case .bigInteger:
                return false
            case .decimal(let decimal):
                return decimal == value
            }
        default:
            return false
        }
    }
}

/// An expected number as Jackson's tree model holds it: `IntNode`, `LongNode`, `BigIntegerNode`
/// or an exact `DecimalNode`.
struct ExpectedNumber {
    enum Kind {
        case int(Int32)
        case long(Int64)
        case bigInteger(JavaDecimal)
        case decimal(JavaDecimal)
    }

    var kind: Kind
    let text: String

    init(_ text: String) {
        self.text = text
        if NumberLiteral.isIntegerLiteral(text) {
            if let small = Int32(text) {
                kind = .int(small)
            } else if let large = Int64(text) {
                kind = .long(large)
            } else {
                kind = .bigInteger(JavaDecimal(text) ?? JavaDecimal(isNegative: false, digits: "0", scale: 0))
            }
        } else {
            kind = .decimal(JavaDecimal(text) ?? JavaDecimal(isNegative: false, digits: "0", scale: 0))
        }
    }

    /// Java's `intValue()`: truncation toward zero, then the low 32 bits.
    var intValue: Int32 {
        switch kind {
        case .int(let value): value
        case .long(let value): Int32(truncatingIfNeeded: value)
        case .bigInteger(let value), .decimal(let value): value.truncatedInt32
        }
    }

    /// Java's `longValue()`.
    var longValue: Int64 {
        switch kind {
        case .int(let value): Int64(value)
        case .long(let value): value
        case .bigInteger(let value), .decimal(let value): value.truncatedInt64
        }
    }

    /// Java's `doubleValue()`.
    var doubleValue: Double {
        switch kind {
        case .int(let value): Double(value)
        case .long(let value): Double(value)
        case .bigInteger(let value), .decimal(let value): value.doubleValue
        }
    }
}
