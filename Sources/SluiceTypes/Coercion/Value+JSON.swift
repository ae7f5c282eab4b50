extension Value {
    /// The value as ksqlDB's JSON serializer writes it (Kafka Connect's `JsonConverter` with numeric
    /// decimals, then Jackson): DOUBLE as Java's `Double.toString` (non-finite as strings), DECIMAL as
    /// `BigDecimal.toString()` keeping its scale (`10.50`), BYTES as Base64, DATE as days, TIME as
    /// milliseconds of the day, TIMESTAMP as epoch milliseconds, maps and structs as objects.
    public var jsonValue: JSONValue {
        switch self {
        case .null: return .null
        case .boolean(let b): return .bool(b)
        case .integer(let v): return .number(text: String(v))
        case .bigint(let v): return .number(text: String(v))
        case .double(let d): return .number(d)
        case .decimal(let d): return .number(text: d.javaString)
        case .string(let s): return .string(s)
        case .bytes(let b): return .string(Base64.encode(b))
        case .date(let v): return .number(text: String(v))
        case .time(let v): return .number(text: String(v))
        case .timestamp(let v): return .number(text: String(v))
        case .array(let elements): return .array(elements.map(\.jsonValue))
        case .map(let entries):
            return .object(entries.map { JSONMember($0.key.mapKeyText, $0.value.jsonValue) })
        case .structure(let entries):
            return .object(entries.map { JSONMember($0.name, $0.value.jsonValue) })
        }
    }

    /// The value as JSON for a column of `type`: as `jsonValue`, with struct members named and
    /// ordered by the type's fields (matched by position) and integers widened where the type is
    /// BIGINT or DOUBLE.
    public func jsonValue(as type: SQLType) -> JSONValue {
        switch (self, type) {
        case (.integer(let v), .bigint): return .number(text: String(v))
        case (.integer(let v), .double): return .number(Double(v))
        case (.bigint(let v), .double): return .number(Double(v))
        case (.array(let elements), .array(let elementType)):
            return .array(elements.map { $0.jsonValue(as: elementType) })
        case (.map(let entries), .map(_, let valueType)):
            return .object(entries.map { JSONMember($0.key.mapKeyText, $0.value.jsonValue(as: valueType)) })
        case (.structure(let entries), .structure(let fields)) where entries.count == fields.count:
            return .object(zip(entries, fields).map { JSONMember($1.name, $0.value.jsonValue(as: $1.type)) })
        default:
            return jsonValue
        }
    }

    /// A map key as JSON object member name.
    var mapKeyText: String {
        if case .string(let s) = self { return s }
        return sqlText
    }
}

/// Writes values as JSON bytes directly (the record codecs' hot path), matching `Value.jsonValue`.
enum ValueJSONWriter {
    static func write(_ value: Value, to w: inout JSONWriter) {
        ByteSink.withStackSink { sink in
            write(value, to: &sink)
            w.bytes.append(contentsOf: sink.bytes)
        }
    }

    static func write(_ value: Value, to sink: inout ByteSink) {
        switch value {
        case .null: sink.append("null")
        case .boolean(let b): b ? sink.append("true") : sink.append("false")
        case .integer(let v): sink.writeJSONInt(Int64(v))
        case .bigint(let v): sink.writeJSONInt(v)
        case .double(let d): writeThroughArray(to: &sink) { w in w.writeDouble(d) }
        case .decimal(let d): sink.writeJSONDecimal(d)
        case .string(let s): sink.writeJSONString(s)
        case .bytes(let b):
            writeThroughArray(to: &sink) { w in
                w.bytes.append(0x22)
                Base64.append(b, to: &w.bytes)
                w.bytes.append(0x22)
            }
        case .date(let v): sink.writeJSONInt(Int64(v))
        case .time(let v): sink.writeJSONInt(Int64(v))
        case .timestamp(let v): sink.writeJSONInt(v)
        case .array(let elements):
            sink.append(0x5B)
            for (i, e) in elements.enumerated() {
                if i > 0 { sink.append(0x2C) }
                write(e, to: &sink)
            }
            sink.append(0x5D)
        case .map(let entries):
            sink.append(0x7B)
            for (i, e) in entries.enumerated() {
                if i > 0 { sink.append(0x2C) }
                sink.writeJSONString(e.key.mapKeyText)
                sink.append(0x3A)
                write(e.value, to: &sink)
            }
            sink.append(0x7D)
        case .structure(let entries):
            sink.append(0x7B)
            for (i, e) in entries.enumerated() {
                if i > 0 { sink.append(0x2C) }
                sink.writeJSONString(e.name)
                sink.append(0x3A)
                write(e.value, to: &sink)
            }
            sink.append(0x7D)
        }
    }

    /// For the types whose formatters write to arrays (DOUBLE, BYTES): rarer, and costlier anyway.
    private static func writeThroughArray(to sink: inout ByteSink, _ body: (inout JSONWriter) -> Void) {
        var w = JSONWriter(capacity: 32)
        body(&w)
        w.bytes.withUnsafeBufferPointer { sink.append($0) }
    }
}
