/// How to write a value of a SQL type with an Avro schema, decided once per codec.
///
/// With the schema ksqlDB derives from the columns every value has a matching branch. With
/// another schema (a registered one), unions take their `null` branch for NULL and otherwise the
/// first branch that can hold the SQL type; record fields are filled from the struct field of the
/// same name (exact, else upper-cased); fields without a source are written as NULL.
indirect enum AvroWriteNode: Sendable {
    case null
    case boolean
    case int
    case long
    case float
    case double
    case string
    case bytes
    case fixed(size: Int)
    /// Decimal bytes (size nil) or fixed; values are rescaled to `scale` without rounding.
    case decimal(size: Int?, scale: Int)
    case enumeration(symbols: [String])
    /// A union: the branch for NULL (if any), and the branch for values.
    case union(nullIndex: Int?, valueIndex: Int?, value: AvroWriteNode)
    case array(AvroWriteNode)
    case map(AvroWriteNode)
    case entries(key: AvroWriteNode, value: AvroWriteNode)
    /// Writer fields in order; `slots[i]` is the struct field (or row column) feeding field i, or
    /// -1 for none (written as NULL).
    case record(fields: [AvroWriteNode], slots: [Int])
    /// The SQL type cannot be written with this schema; raised when a non-NULL value arrives.
    case unsupported(String)
}

extension AvroWriteNode {
    static func build(writer: AvroSchema, source: SQLType) -> AvroWriteNode {
        switch writer {
        case .union(let branches):
            let nullIndex = branches.firstIndex(of: .null)
            for (i, b) in branches.enumerated() where b != .null {
                let node = build(writer: b, source: source)
                if case .unsupported = node { continue }
                return .union(nullIndex: nullIndex, valueIndex: i, value: node)
            }
            return .union(nullIndex: nullIndex, valueIndex: nil, value: .unsupported("no branch of \(writer) can hold \(source)"))
        case .null: return .null
        default: break
        }
        switch (writer, source) {
        case (.boolean, .boolean): return .boolean
        case (.int, .integer), (.date, .date), (.timeMillis, .time), (.int, .date), (.int, .time): return .int
        case (.long, .bigint), (.long, .integer), (.timestampMillis, .timestamp), (.long, .timestamp): return .long
        case (.double, .double): return .double
        case (.float, .double): return .float
        case (.string, .string): return .string
        case (.enumeration(let e), .string): return .enumeration(symbols: e.symbols)
        case (.bytes, .bytes): return .bytes
        case (.fixed(let f), .bytes) where f.decimalPrecision == nil: return .fixed(size: f.size)
        case (.decimal(_, let s), .decimal): return .decimal(size: nil, scale: s)
        case (.fixed(let f), .decimal) where f.decimalPrecision != nil: return .decimal(size: f.size, scale: f.decimalScale)
        case (.array(.record(let r)), .map(_, let value)) where r.readsAsMapEntry:
            return .entries(key: build(writer: r.fields[0].schema, source: .string), value: build(writer: r.fields[1].schema, source: value))
        case (.array(let items), .array(let element)): return .array(build(writer: items, source: element))
        case (.map(let values), .map(.string, let value)): return .map(build(writer: values, source: value))
        case (.record(let r), .structure(let fields)):
            let matcher = AvroFieldMatcher(fields.map(\.name))
            return .record(
                fields: r.fields.map { f in
                    if let slot = matcher.slot(of: f.name) { return build(writer: f.schema, source: fields[slot].type) }
                    return unmatched(f)
                },
                slots: r.fields.map { matcher.slot(of: $0.name) ?? -1 })
        default:
            return .unsupported("Avro schema \(writer) cannot hold \(source)")
        }
    }

    /// A writer field no SQL field feeds: NULL if the schema allows it.
    static func unmatched(_ field: AvroField) -> AvroWriteNode {
        if case .union(let branches) = field.schema, let n = branches.firstIndex(of: .null) {
            return .union(nullIndex: n, valueIndex: nil, value: .unsupported("Avro field \(field.name) has no source"))
        }
        if field.schema == .null { return .null }
        return .unsupported("Avro field \(field.name) has no value and is not nullable")
    }

    func write(_ value: Value, to e: inout AvroEncoder) throws(RecordError) {
        if case .union(let nullIndex, let valueIndex, let node) = self {
            if case .null = value {
                guard let n = nullIndex else { throw RecordError("Avro union without null cannot hold NULL") }
                e.writeLong(Int64(n))
                return
            }
            guard let v = valueIndex else { try node.write(value, to: &e); return }
            e.writeLong(Int64(v))
            try node.write(value, to: &e)
            return
        }
        switch (self, value) {
        case (.null, .null): return
        case (.boolean, .boolean(let b)): e.writeBoolean(b)
        case (.int, .integer(let v)), (.int, .date(let v)), (.int, .time(let v)): e.writeInt(v)
        case (.long, .bigint(let v)), (.long, .timestamp(let v)): e.writeLong(v)
        case (.long, .integer(let v)): e.writeLong(Int64(v))
        case (.double, .double(let v)): e.writeDouble(v)
        case (.double, .integer(let v)): e.writeDouble(Double(v))
        case (.double, .bigint(let v)): e.writeDouble(Double(v))
        case (.float, .double(let v)): e.writeFloat(Float(v))
        case (.string, .string(let s)): e.writeString(s)
        case (.enumeration(let symbols), .string(let s)):
            guard let i = symbols.firstIndex(of: s) else { throw RecordError("Avro enum has no symbol \(s)") }
            e.writeInt(Int32(i))
        case (.bytes, .bytes(let b)): e.writeBytes(b)
        case (.fixed(let size), .bytes(let b)):
            guard b.count == size else { throw RecordError("Avro fixed of size \(size) cannot hold \(b.count) bytes") }
            e.bytes.append(contentsOf: b)
        case (.decimal(let size, let scale), .decimal(let d)):
            // Connect's Decimal.fromLogical: the scale must match the schema's.
            let unscaled = try d.rescaled(to: scale, rounding: .unnecessary).unscaled
            var b = TwosComplement.bytes(unscaled)
            if let size {
                guard b.count <= size else { throw RecordError("Decimal \(d.javaString) does not fit Avro fixed of size \(size)") }
                b.insert(contentsOf: repeatElement(unscaled < 0 ? 0xFF : 0, count: size - b.count), at: 0)
                e.bytes.append(contentsOf: b)
            } else {
                e.writeBytes(b)
            }
        case (.array(let element), .array(let items)):
            if !items.isEmpty {
                e.writeLong(Int64(items.count))
                for item in items { try element.write(item, to: &e) }
            }
            e.writeLong(0)
        case (.map(let valueNode), .map(let entries)):
            if !entries.isEmpty {
                e.writeLong(Int64(entries.count))
                for entry in entries {
                    guard case .string(let k) = entry.key else { throw RecordError("Avro map keys must be strings, got \(entry.key)") }
                    e.writeString(k)
                    try valueNode.write(entry.value, to: &e)
                }
            }
            e.writeLong(0)
        case (.entries(let keyNode, let valueNode), .map(let entries)):
            if !entries.isEmpty {
                e.writeLong(Int64(entries.count))
                for entry in entries {
                    try keyNode.write(entry.key, to: &e)
                    try valueNode.write(entry.value, to: &e)
                }
            }
            e.writeLong(0)
        case (.record(let fields, let slots), .structure(let entries)):
            for i in 0..<fields.count {
                let slot = slots[i]
                try fields[i].write(slot >= 0 && slot < entries.count ? entries[slot].value : .null, to: &e)
            }
        case (.unsupported(let message), _):
            throw RecordError(message)
        case (_, .null):
            throw RecordError("Avro \(self.kindName) cannot hold NULL")
        default:
            throw RecordError("Avro \(self.kindName) cannot hold \(value)")
        }
    }

    /// Writes the fields of a record from the values of a row.
    func writeRow(_ values: [Value], to e: inout AvroEncoder) throws(RecordError) {
        guard case .record(let fields, let slots) = self else {
            if case .unsupported(let message) = self { throw RecordError(message) }
            throw RecordError("Avro \(kindName) cannot hold a row")
        }
        for i in 0..<fields.count {
            let slot = slots[i]
            try fields[i].write(slot >= 0 ? values[slot] : .null, to: &e)
        }
    }

    var kindName: String {
        switch self {
        case .null: "null"
        case .boolean: "boolean"
        case .int: "int"
        case .long: "long"
        case .float: "float"
        case .double: "double"
        case .string: "string"
        case .bytes: "bytes"
        case .fixed: "fixed"
        case .decimal: "decimal"
        case .enumeration: "enum"
        case .union: "union"
        case .array: "array"
        case .map: "map"
        case .entries: "map"
        case .record: "record"
        case .unsupported: "schema"
        }
    }
}
