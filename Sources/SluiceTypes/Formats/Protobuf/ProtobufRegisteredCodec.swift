/// PROTOBUF with a schema from the schema registry (`FormatOptions.physicalSchema`): records are
/// laid out as the registered `.proto` message says (its field numbers and wire types), not as
/// the message ksqlDB would derive from the columns. The columns must be the ones inferred from
/// that message (see `SchemaInference`), in order; a sink may have fewer, the first fields.
///
/// Types read as Connect's `ProtobufData` reads them: `float` (on the wire 32 bits) as DOUBLE,
/// `uint32`, `fixed32` and the 64-bit types as BIGINT, `sint32`/`sint64` zig-zag decoded, enums as
/// their symbol's name; a missing proto3 scalar is its default (an enum's is the symbol numbered
/// 0). The Confluent header's message indexes name the message within the schema.
///
/// `init` throws for schemas this codec does not model (`oneof`, nested top-level messages,
/// columns that do not line up); `Codecs.make` then falls back to the column-derived layout.
struct ProtobufRegisteredCodec: RowCodec {
    let columns: [Column]
    let schemaID: UInt32
    /// Index of the message among the schema's top-level messages.
    let messageIndex: Int
    let message: RegisteredProtoMessage

    init(columns: [Column], physical: PhysicalSchema) throws(RecordError) {
        let file = try ProtoSchemaFile.parse(physical.text, references: physical.references)
        let table = ProtoTypeTable(file)
        var index = 0
        if let wanted = physical.fullName {
            let bare = wanted.hasPrefix(".") ? String(wanted.dropFirst()) : wanted
            guard let i = file.topLevelMessageNames.firstIndex(where: { $0 == bare })
                ?? file.messages.firstIndex(where: { $0.name == bare })
            else { throw RecordError("message \(wanted) is not a top-level message of the schema") }
            index = i
        }
        guard index < file.messages.count else { throw RecordError("The protobuf schema defines no message") }
        let definition = file.messages[index]
        let fullName = file.topLevelMessageNames[index]
        let builder = RegisteredProtoBuilder(table: table)
        message = try builder.message(
            definition, fullName: fullName, target: columns.map { StructField(name: $0.name, type: $0.type) },
            allowPrefix: true, depth: 0)
        self.columns = columns
        self.schemaID = physical.id
        self.messageIndex = index
    }

    func decode(_ bytes: [UInt8]) throws(RecordError) -> [Value] {
        try bytes.withUnsafeBufferPointer { (buf) throws(RecordError) -> [Value] in
            try ConfluentFraming.checkHeader(buf)
            var d = ProtobufDecoder(buf, position: ConfluentFraming.headerSize)
            try Self.skipMessageIndexes(&d)
            let values = try message.read(&d, until: buf.count, depth: 0)
            return Array(values.prefix(columns.count))
        }
    }

    func encode(_ values: [Value]) throws(RecordError) -> [UInt8] {
        guard values.count == columns.count else {
            throw RecordError("Column count mismatch on serialization. expected: \(columns.count), got: \(values.count)")
        }
        var e = ProtobufEncoder(capacity: 16 + 16 * columns.count)
        ConfluentFraming.appendHeader(schemaID: schemaID, to: &e.bytes)
        if messageIndex == 0 {
            e.writeVarint(0)
        } else {
            e.writeVarint(2)  // zig-zag 1: one index
            e.writeVarint(UInt64(messageIndex) << 1)
        }
        try message.write(values, to: &e)
        return e.bytes
    }

    /// The zig-zag count and indexes after the Confluent header (a single 0 for the first message).
    private static func skipMessageIndexes(_ d: inout ProtobufDecoder) throws(RecordError) {
        let raw = try d.readVarint()
        let count = Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
        guard count >= 0 && count <= 100 else { throw RecordError("Invalid message indexes count: \(count)") }
        for _ in 0..<count { _ = try d.readVarint() }
    }
}

/// A message of a registered schema, resolved against the SQL types it is read as.
final class RegisteredProtoMessage: Sendable {
    struct Field: Sendable {
        var number: Int
        /// Position in the struct (or row).
        var slot: Int
        var kind: Kind
    }

    indirect enum Kind: Sendable {
        case single(RegisteredProtoType)
        case repeated(RegisteredProtoType)
        /// A map: entry messages with the key (1) and the value (2); keys are read as STRING.
        case map(key: RegisteredProtoType, value: RegisteredProtoType)
    }

    let fields: [Field]
    let names: [String]
    let slotByNumber: [Int: Int]

    init(fields: [Field], names: [String]) {
        self.fields = fields
        self.names = names
        var byNumber: [Int: Int] = [:]
        for (i, f) in fields.enumerated() { byNumber[f.number] = i }
        slotByNumber = byNumber
    }

    func read(_ d: inout ProtobufDecoder, until end: Int, depth: Int) throws(RecordError) -> [Value] {
        guard depth < 100 else { throw RecordError("Protocol message had too many levels of nesting.") }
        var values = fields.map { f -> Value in
            switch f.kind {
            case .single(let t): t.missingValue
            case .repeated: .array([])
            case .map: .map([])
            }
        }
        let saved = d.limit
        d.limit = end
        defer { d.limit = saved }
        while !d.atLimit {
            let (number, wire) = try d.readTag()
            guard let i = slotByNumber[number] else {
                try d.skipField(wire, field: number)
                continue
            }
            let f = fields[i]
            switch f.kind {
            case .single(let t):
                guard wire == t.wireType else { try d.skipField(wire, field: number); continue }
                values[i] = try t.read(&d, depth: depth)
            case .repeated(let t):
                var items: [Value]
                if case .array(let existing) = values[i] { items = existing } else { items = [] }
                if t.isPackable && wire == .lengthDelimited {
                    let r = try d.readLengthDelimited()
                    var packed = ProtobufDecoder(d.buffer, position: r.lowerBound)
                    packed.limit = r.upperBound
                    while !packed.atLimit { items.append(try t.read(&packed, depth: depth)) }
                } else if wire == t.wireType {
                    items.append(try t.read(&d, depth: depth))
                } else {
                    try d.skipField(wire, field: number)
                }
                values[i] = .array(items)
            case .map(let keyType, let valueType):
                guard wire == .lengthDelimited else { try d.skipField(wire, field: number); continue }
                let r = try d.readLengthDelimited()
                var inner = ProtobufDecoder(d.buffer, position: r.lowerBound)
                inner.limit = r.upperBound
                var key = keyType.missingValue
                var value = valueType.missingValue
                while !inner.atLimit {
                    let (n, w) = try inner.readTag()
                    if n == 1 && w == keyType.wireType {
                        key = try keyType.read(&inner, depth: depth + 1)
                    } else if n == 2 && w == valueType.wireType {
                        value = try valueType.read(&inner, depth: depth + 1)
                    } else {
                        try inner.skipField(w, field: n)
                    }
                }
                var entries: [MapEntry]
                if case .map(let existing) = values[i] { entries = existing } else { entries = [] }
                let text: Value = key.isNull ? .null : .string(Self.keyText(key))
                entries.removeAll { $0.key == text }
                entries.append(MapEntry(key: text, value: value))
                values[i] = .map(entries)
            }
        }
        return values
    }

    /// Connect's map keys read as STRING: the key's Java text.
    private static func keyText(_ v: Value) -> String {
        switch v {
        case .string(let s): s
        case .boolean(let b): b ? "true" : "false"
        case .integer(let x): String(x)
        case .bigint(let x): String(x)
        default: "\(v)"
        }
    }

    func write(_ values: [Value], to e: inout ProtobufEncoder) throws(RecordError) {
        for f in fields where f.slot < values.count {
            let value = values[f.slot]
            if case .null = value { continue }
            switch f.kind {
            case .single(let t):
                if t.isDefault(value) { continue }
                e.writeTag(f.number, t.wireType)
                try t.write(value, to: &e)
            case .repeated(let t):
                guard case .array(let items) = value, !items.isEmpty else { continue }
                if items.contains(where: \.isNull) { throw RecordError("PROTOBUF cannot write a NULL array element") }
                if t.isPackable {
                    e.writeTag(f.number, .lengthDelimited)
                    let start = e.beginLength()
                    for item in items { try t.write(item, to: &e) }
                    e.endLength(start)
                } else {
                    for item in items {
                        e.writeTag(f.number, t.wireType)
                        try t.write(item, to: &e)
                    }
                }
            case .map(let keyType, let valueType):
                guard case .map(let entries) = value else { continue }
                for entry in entries {
                    guard case .string(let text) = entry.key else { throw RecordError("PROTOBUF cannot write a NULL map key") }
                    e.writeTag(f.number, .lengthDelimited)
                    let start = e.beginLength()
                    let key = try keyType.parseKey(text)
                    if !keyType.isDefault(key) {
                        e.writeTag(1, keyType.wireType)
                        try keyType.write(key, to: &e)
                    }
                    if !entry.value.isNull {
                        e.writeTag(2, valueType.wireType)
                        try valueType.write(entry.value, to: &e)
                    }
                    e.endLength(start)
                }
            }
        }
    }
}

/// The type of a registered message's field.
indirect enum RegisteredProtoType: Sendable {
    /// The types the column-derived layout shares: bool, int32, int64, double, string, bytes, the
    /// wrappers of those, and Decimal, Date, TimeOfDay, Timestamp.
    case shared(ProtobufValueType)
    case uint32, uint64, sint32, sint64, fixed32, fixed64, sfixed32, sfixed64, float
    /// google.protobuf.FloatValue.
    case floatWrapper
    case enumeration(names: [Int32: String], numbers: [String: Int32], zero: String)
    case message(RegisteredProtoMessage)

    var sqlType: SQLType? {
        switch self {
        case .shared(let t): Self.sqlType(t)
        case .uint32, .uint64, .sint64, .fixed32, .fixed64, .sfixed64: .bigint
        case .sint32, .sfixed32: .integer
        case .float, .floatWrapper: .double
        case .enumeration: .string
        case .message: nil
        }
    }

    private static func sqlType(_ t: ProtobufValueType) -> SQLType? {
        switch t {
        case .bool: .boolean
        case .int32: .integer
        case .int64: .bigint
        case .double: .double
        case .string: .string
        case .bytes: .bytes
        case .wrapper(let inner): sqlType(inner)
        case .decimal(let p, let s): .decimal(precision: p, scale: s)
        case .date: .date
        case .time: .time
        case .timestamp: .timestamp
        case .message: nil
        }
    }

    var wireType: ProtobufWireType {
        switch self {
        case .shared(let t): t.wireType
        case .uint32, .uint64, .sint32, .sint64, .enumeration: .varint
        case .fixed32, .sfixed32, .float: .fixed32
        case .fixed64, .sfixed64: .fixed64
        case .floatWrapper, .message: .lengthDelimited
        }
    }

    var isPackable: Bool {
        switch self {
        case .shared(let t): t.isPackable
        case .floatWrapper, .message: false
        default: true
        }
    }

    /// The value of a field that was not written.
    var missingValue: Value {
        switch self {
        case .shared(let t): t.defaultValue
        case .uint32, .uint64, .sint64, .fixed32, .fixed64, .sfixed64: .bigint(0)
        case .sint32, .sfixed32: .integer(0)
        case .float: .double(0)
        case .enumeration(_, _, let zero): .string(zero)
        case .floatWrapper, .message: .null
        }
    }

    func read(_ d: inout ProtobufDecoder, depth: Int) throws(RecordError) -> Value {
        switch self {
        case .shared(let t): return try t.read(&d, merging: .null, depth: depth)
        case .uint32: return .bigint(Int64(UInt32(truncatingIfNeeded: try d.readVarint())))
        case .uint64: return .bigint(Int64(bitPattern: try d.readVarint()))
        case .sint32:
            let raw = UInt32(truncatingIfNeeded: try d.readVarint())
            return .integer(Int32(bitPattern: raw >> 1) ^ -Int32(bitPattern: raw & 1))
        case .sint64:
            let raw = try d.readVarint()
            return .bigint(Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1))
        case .fixed32: return .bigint(Int64(try d.readFixed(4)))
        case .sfixed32: return .integer(Int32(bitPattern: UInt32(try d.readFixed(4))))
        case .fixed64, .sfixed64: return .bigint(Int64(bitPattern: try d.readFixed(8)))
        case .float: return .double(Double(Float(bitPattern: UInt32(try d.readFixed(4)))))
        case .enumeration(let names, _, _):
            let n = Int32(truncatingIfNeeded: try d.readVarint())
            return .string(names[n] ?? String(n))
        case .floatWrapper:
            let r = try d.readLengthDelimited()
            var inner = ProtobufDecoder(d.buffer, position: r.lowerBound)
            inner.limit = r.upperBound
            var value = 0.0
            while !inner.atLimit {
                let (n, w) = try inner.readTag()
                if n == 1 && w == .fixed32 {
                    value = Double(Float(bitPattern: UInt32(try inner.readFixed(4))))
                } else {
                    try inner.skipField(w, field: n)
                }
            }
            return .double(value)
        case .message(let m):
            let r = try d.readLengthDelimited()
            var inner = ProtobufDecoder(d.buffer, position: r.lowerBound)
            let values = try m.read(&inner, until: r.upperBound, depth: depth + 1)
            return .structure(zip(m.names, values).map { StructEntry(name: $0.0, value: $0.1) })
        }
    }

    func isDefault(_ value: Value) -> Bool {
        switch self {
        case .shared(let t): t.isScalar && t.isDefault(value)
        case .uint32, .uint64, .sint32, .sint64, .fixed32, .fixed64, .sfixed32, .sfixed64, .float:
            ProtobufValueType.int64.isDefault(value) || value == .double(0)
        case .enumeration(_, let numbers, _):
            if case .string(let s) = value { numbers[s] == 0 } else { false }
        case .floatWrapper, .message: false
        }
    }

    /// Writes one non-NULL value (after its tag).
    func write(_ value: Value, to e: inout ProtobufEncoder) throws(RecordError) {
        func integer() throws(RecordError) -> Int64 {
            switch value {
            case .integer(let v): return Int64(v)
            case .bigint(let v): return v
            default: throw RecordError("PROTOBUF cannot write \(value) as \(self)")
            }
        }
        func fixed32(_ bits: UInt32) {
            for i in 0..<4 { e.bytes.append(UInt8(truncatingIfNeeded: bits >> UInt32(8 * i))) }
        }
        switch self {
        case .shared(let t): try t.write(value, to: &e)
        case .uint32: e.writeVarint(UInt64(UInt32(truncatingIfNeeded: try integer())))
        case .uint64: e.writeVarint(UInt64(bitPattern: try integer()))
        case .sint32:
            let v = Int32(truncatingIfNeeded: try integer())
            e.writeVarint(UInt64(UInt32(bitPattern: (v << 1) ^ (v >> 31))))
        case .sint64:
            let v = try integer()
            e.writeVarint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
        case .fixed32, .sfixed32: fixed32(UInt32(truncatingIfNeeded: try integer()))
        case .fixed64, .sfixed64: e.writeFixed64(UInt64(bitPattern: try integer()))
        case .float:
            guard case .double(let d) = value else { throw RecordError("PROTOBUF cannot write \(value) as float") }
            fixed32(Float(d).bitPattern)
        case .floatWrapper:
            guard case .double(let d) = value else { throw RecordError("PROTOBUF cannot write \(value) as float") }
            let start = e.beginLength()
            if d != 0 {
                e.writeTag(1, .fixed32)
                fixed32(Float(d).bitPattern)
            }
            e.endLength(start)
        case .enumeration(_, let numbers, _):
            guard case .string(let s) = value, let n = numbers[s] else {
                throw RecordError("PROTOBUF enum has no symbol \(value)")
            }
            e.writeVarint(UInt64(bitPattern: Int64(n)))
        case .message(let m):
            guard case .structure(let entries) = value else { throw RecordError("PROTOBUF cannot write \(value) as a message") }
            let start = e.beginLength()
            try m.write(entries.map(\.value), to: &e)
            e.endLength(start)
        }
    }

    /// A map key from its STRING form.
    func parseKey(_ text: String) throws(RecordError) -> Value {
        switch sqlType {
        case .string?: return .string(text)
        case .boolean?: return .boolean(text == "true")
        case .integer?:
            guard let v = Int32(text) else { throw RecordError("PROTOBUF map key \(text) is not an INT") }
            return .integer(v)
        case .bigint?:
            guard let v = Int64(text) else { throw RecordError("PROTOBUF map key \(text) is not a BIGINT") }
            return .bigint(v)
        default:
            throw RecordError("PROTOBUF map keys cannot be \(self)")
        }
    }
}

/// Resolves a registered message's fields against the SQL types of the columns (or struct)
/// they are read as. Fields without a SQL type are left out, as inference leaves them out.
private struct RegisteredProtoBuilder {
    let table: ProtoTypeTable

    func message(
        _ definition: ProtoMessageDefinition, fullName: String, target: [StructField], allowPrefix: Bool, depth: Int
    ) throws(RecordError) -> RegisteredProtoMessage {
        guard depth < 32 else { throw RecordError("protobuf messages nest too deeply") }
        if definition.fields.contains(where: { $0.oneof != nil }) {
            throw RecordError("oneof fields are not modelled")
        }
        var fields: [RegisteredProtoMessage.Field] = []
        var names: [String] = []
        for f in definition.fields where isSupported(f, scope: fullName) {
            let slot = fields.count
            guard slot < target.count else {
                if allowPrefix { break }
                throw RecordError("the message has more fields than the struct it is read as")
            }
            fields.append(
                RegisteredProtoMessage.Field(number: f.number, slot: slot, kind: try kind(f, scope: fullName, target: target[slot].type, depth: depth)))
            names.append(target[slot].name)
        }
        guard fields.count == target.count else { throw RecordError("the message has fewer fields than the columns") }
        return RegisteredProtoMessage(fields: fields, names: names)
    }

    /// Whether the field has a SQL type (its type resolves; map keys are integers, booleans or strings).
    func isSupported(_ f: ProtoFieldDefinition, scope: String) -> Bool {
        if let key = f.mapKey, scalar(key) == nil || key == "float" || key == "double" || key == "bytes" { return false }
        if scalar(f.typeName) != nil || Self.wellKnown(f.typeName, field: f) != nil { return true }
        return table.resolve(f.typeName, scope: scope) != nil
    }

    func kind(_ f: ProtoFieldDefinition, scope: String, target: SQLType, depth: Int) throws(RecordError) -> RegisteredProtoMessage.Kind {
        let mismatch = RecordError("field \(f.name) does not read as \(target)")
        if let key = f.mapKey, let keyType = scalar(key) {
            guard case .map(_, let valueTarget) = target else { throw mismatch }
            return .map(key: keyType, value: try type(f.typeName, field: f, scope: scope, target: valueTarget, depth: depth))
        }
        if f.label == .repeated {
            guard case .array(let element) = target else { throw mismatch }
            return .repeated(try type(f.typeName, field: f, scope: scope, target: element, depth: depth))
        }
        return .single(try type(f.typeName, field: f, scope: scope, target: target, depth: depth))
    }

    private func scalar(_ name: String) -> RegisteredProtoType? {
        switch name {
        case "bool": .shared(.bool)
        case "int32": .shared(.int32)
        case "int64": .shared(.int64)
        case "double": .shared(.double)
        case "string": .shared(.string)
        case "bytes": .shared(.bytes)
        case "uint32": .uint32
        case "uint64": .uint64
        case "sint32": .sint32
        case "sint64": .sint64
        case "fixed32": .fixed32
        case "fixed64": .fixed64
        case "sfixed32": .sfixed32
        case "sfixed64": .sfixed64
        case "float": .float
        default: nil
        }
    }

    private static func wellKnown(_ name: String, field: ProtoFieldDefinition) -> RegisteredProtoType? {
        switch name.hasPrefix(".") ? String(name.dropFirst()) : name {
        case "google.protobuf.Timestamp": .shared(.timestamp)
        case "google.type.Date": .shared(.date)
        case "google.type.TimeOfDay": .shared(.time)
        case "confluent.type.Decimal":
            .shared(
                .decimal(
                    precision: field.parameters["precision"].flatMap { Int($0) } ?? 64,
                    scale: field.parameters["scale"].flatMap { Int($0) } ?? 0))
        case "google.protobuf.BoolValue": .shared(.wrapper(.bool))
        case "google.protobuf.Int32Value": .shared(.wrapper(.int32))
        case "google.protobuf.UInt32Value", "google.protobuf.Int64Value", "google.protobuf.UInt64Value": .shared(.wrapper(.int64))
        case "google.protobuf.DoubleValue": .shared(.wrapper(.double))
        case "google.protobuf.FloatValue": .floatWrapper
        case "google.protobuf.StringValue": .shared(.wrapper(.string))
        case "google.protobuf.BytesValue": .shared(.wrapper(.bytes))
        default: nil
        }
    }

    /// The type named `name`, which must read as `target`.
    func type(
        _ name: String, field: ProtoFieldDefinition, scope: String, target: SQLType, depth: Int
    ) throws(RecordError) -> RegisteredProtoType {
        let resolved: RegisteredProtoType
        if let s = scalar(name) ?? Self.wellKnown(name, field: field) {
            resolved = s
        } else {
            switch table.resolve(name, scope: scope) {
            case .enumeration(let e)?:
                var names: [Int32: String] = [:]
                var numbers: [String: Int32] = [:]
                for v in e.values {
                    if names[v.number] == nil { names[v.number] = v.name }
                    numbers[v.name] = v.number
                }
                resolved = .enumeration(names: names, numbers: numbers, zero: names[0] ?? e.values.first?.name ?? "")
            case .message(let full, let m)?:
                guard case .structure(let fields) = target else {
                    throw RecordError("field \(field.name) is a message, not \(target)")
                }
                return .message(try message(m, fullName: full, target: fields, allowPrefix: false, depth: depth + 1))
            case nil:
                throw RecordError("field \(field.name) has the unknown type \(name)")
            }
        }
        guard resolved.sqlType == target else {
            throw RecordError("field \(field.name) reads as \(resolved.sqlType.map { "\($0)" } ?? "?"), not \(target)")
        }
        return resolved
    }
}
