/// A parsed JSON document, kept close to its text.
///
/// Numbers keep their literal text, so `1`, `1.0` and `1.00` stay distinct (ksqlDB's Jackson reads
/// them as different node kinds with different scales). Objects keep their members in document
/// order, duplicates included; lookups take the last duplicate, as Jackson's tree model does.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// The number exactly as written in the document (RFC 8259 grammar), e.g. `-1.50e3`.
    case number(text: String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])
}

/// One `"key": value` pair of a JSON object.
public struct JSONMember: Hashable, Sendable {
    public var key: String
    public var value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

extension JSONValue {
    /// A number node from an integer.
    public static func number(_ value: Int64) -> JSONValue { .number(text: String(value)) }

    /// A number node from a double, written as Java's `Double.toString` does (non-finite values
    /// cannot be JSON numbers and become strings, as Jackson writes them).
    public static func number(_ value: Double) -> JSONValue {
        value.isFinite ? .number(text: JavaDoubleFormat.string(value)) : .string(JavaDoubleFormat.string(value))
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value of the last member named `key` (exact match), for objects.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// The element at `index`, for arrays.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var numberText: String? {
        if case .number(let t) = self { return t }
        return nil
    }

    /// The number as an `Int64`, if it is an integer literal that fits.
    public var int64Value: Int64? {
        guard case .number(let t) = self else { return nil }
        return Int64(t)
    }

    /// The number as a correctly rounded `Double`.
    public var doubleValue: Double? {
        guard case .number(let t) = self else { return nil }
        return Double(t)
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectValue: [JSONMember]? {
        if case .object(let m) = self { return m }
        return nil
    }

    /// Jackson's name for the node class, used in coercion error messages.
    var nodeKindName: String {
        switch self {
        case .null: "NullNode"
        case .bool: "BooleanNode"
        case .number(let t): JSONNumberLiteral.nodeKindName(t)
        case .string: "TextNode"
        case .array: "ArrayNode"
        case .object: "ObjectNode"
        }
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text, written as Jackson writes it.
    public var description: String { JSONWriter.string(self) }
}
