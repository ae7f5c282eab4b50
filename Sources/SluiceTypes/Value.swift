/// One SQL value. Rows are `[Value]`, positional against a schema.
///
/// Temporal values are integers, as ksqlDB stores them: `date` is days since the epoch, `time`
/// milliseconds since midnight, `timestamp` milliseconds since the epoch (UTC).
public enum Value: Hashable, Sendable {
    case null
    case boolean(Bool)
    case integer(Int32)
    case bigint(Int64)
    case double(Double)
    case decimal(SQLDecimal)
    case string(String)
    case bytes([UInt8])
    case date(Int32)
    case time(Int32)
    case timestamp(Int64)
    case array([Value])
    /// Entries in insertion order; keys are unique.
    case map([MapEntry])
    /// Fields in the order of the struct type.
    case structure([StructEntry])

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

public struct MapEntry: Hashable, Sendable {
    public var key: Value
    public var value: Value

    public init(key: Value, value: Value) {
        self.key = key
        self.value = value
    }
}

public struct StructEntry: Hashable, Sendable {
    public var name: String
    public var value: Value

    public init(name: String, value: Value) {
        self.name = name
        self.value = value
    }
}

/// A fixed-point decimal: `unscaled × 10^-scale`. Precision is a property of the column type, not
/// of the value.
public struct SQLDecimal: Hashable, Sendable {
    public var unscaled: Int128
    public var scale: Int

    public init(unscaled: Int128, scale: Int) {
        self.unscaled = unscaled
        self.scale = scale
    }
}
