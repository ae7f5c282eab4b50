import SluiceTypes

/// A record's key or value read back from an output topic, typed the way ksqlDB's test framework
/// sees it after deserializing (Java `Integer`, `Long`, `Double`, `BigDecimal`, `String`, `List`,
/// `Map`), because the comparison rules in ``RecordComparator`` depend on those runtime types.
public indirect enum ActualValue: Hashable, Sendable, CustomStringConvertible {
    case null
    case boolean(Bool)
    /// `java.lang.Integer`.
    case int(Int32)
    /// `java.lang.Long`.
    case long(Int64)
    /// `java.lang.Double`.
    case double(Double)
    /// `java.math.BigDecimal`.
    case decimal(JavaDecimal)
    /// `java.math.BigInteger` (an integer literal beyond 64 bits): no expected number matches it.
    case bigInteger(String)
    case string(String)
    case list([ActualValue])
    /// A JSON object; duplicate names keep the last value, as a Java map would.
    case map([Field])

    public struct Field: Hashable, Sendable {
        public var name: String
        public var value: ActualValue

        public init(_ name: String, _ value: ActualValue) {
            self.name = name
            self.value = value
        }
    }

    /// The Java object a plain JSON reader with exact decimals produces for `json`.
    public init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let flag): self = .boolean(flag)
        case .string(let text): self = .string(text)
        case .number(let text): self = ActualValue.number(text)
        case .array(let items): self = .list(items.map(ActualValue.init(json:)))
        case .object(let members):
            var fields: [Field] = []
            var index: [String: Int] = [:]
            for member in members {
                let value = ActualValue(json: member.value)
                if let existing = index[member.key] {
                    fields[existing].value = value
                } else {
                    index[member.key] = fields.count
                    fields.append(Field(member.key, value))
                }
            }
            self = .map(fields)
        }
    }

    private static func number(_ text: String) -> ActualValue {
        if NumberLiteral.isIntegerLiteral(text) {
            if let small = Int32(text) { return .int(small) }
            if let large = Int64(text) { return .long(large) }
            return .bigInteger(text)
        }
        if let decimal = JavaDecimal(text) { return .decimal(decimal) }
        return .string(text)
    }

    /// The map entry Java's `Map.get(name)` would return (nil for a missing or null entry).
    func field(_ name: String) -> ActualValue? {
        guard case .map(let fields) = self else { return nil }
        guard let value = fields.first(where: { $0.name == name })?.value, !value.isNull else { return nil }
        return value
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// JSON-like text for failure messages.
    public var description: String {
        switch self {
        case .null: "null"
        case .boolean(let flag): flag ? "true" : "false"
        case .int(let value): String(value)
        case .long(let value): String(value)
        case .double(let value): String(value)
        case .decimal(let value): value.description
        case .bigInteger(let text): text
        case .string(let text): JSONText.quoted(text)
        case .list(let items): "[" + items.map(\.description).joined(separator: ",") + "]"
        case .map(let fields):
            "{" + fields.map { JSONText.quoted($0.name) + ":" + $0.value.description }.joined(separator: ",") + "}"
        }
    }
}

/// Classifies JSON number literals the way Jackson does.
enum NumberLiteral {
    /// True for a literal without fraction or exponent, which Jackson reads as an integer.
    static func isIntegerLiteral(_ text: String) -> Bool {
        !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }
}
