/// Writes values as protobuf messages, as Connect's `ProtobufData.fromConnectData` and
/// protobuf-java's serializer do: fields in number order; NULL fields are not written; plain
/// proto3 scalars equal to their default are not written either; empty repeated fields and
/// maps are not written; repeated scalars are packed. A NULL array element, map key or map
/// value cannot be written (protobuf-java rejects it).
extension ProtobufMessage {
    func write(_ values: [Value], to e: inout ProtobufEncoder) throws(RecordError) {
        for i in 0..<fields.count {
            try fields[i].write(values[i], to: &e)
        }
    }

    func writeStruct(_ value: Value, to e: inout ProtobufEncoder) throws(RecordError) {
        guard case .structure(let entries) = value, entries.count == fields.count else {
            throw RecordError("PROTOBUF cannot write \(value) as a message of \(fields.count) fields")
        }
        for i in 0..<fields.count {
            try fields[i].write(entries[i].value, to: &e)
        }
    }
}

extension ProtobufField {
    func write(_ value: Value, to e: inout ProtobufEncoder) throws(RecordError) {
        switch kind {
        case .single(let t, let presence):
            if case .null = value { return }
            if t.isScalar && !presence && t.isDefault(value) { return }
            e.writeTag(number, t.wireType)
            try t.write(value, to: &e)
        case .repeated(let t):
            guard case .array(let items) = value, !items.isEmpty else {
                if case .null = value { return }
                if case .array = value { return }
                throw RecordError("PROTOBUF cannot write \(value) as a repeated field")
            }
            if t.isPackable {
                e.writeTag(number, .lengthDelimited)
                let start = e.beginLength()
                for item in items {
                    if case .null = item { throw RecordError("PROTOBUF cannot write a NULL array element") }
                    try t.write(item, to: &e)
                }
                e.endLength(start)
            } else {
                for item in items {
                    if case .null = item { throw RecordError("PROTOBUF cannot write a NULL array element") }
                    e.writeTag(number, t.wireType)
                    try t.write(item, to: &e)
                }
            }
        case .map(let entryMessage):
            let keyField = entryMessage.fields[0]
            let valueField = entryMessage.fields[1]
            guard case .map(let entries) = value, !entries.isEmpty else {
                if case .null = value { return }
                if case .map = value { return }
                throw RecordError("PROTOBUF cannot write \(value) as a map")
            }
            for entry in entries {
                if case .null = entry.key { throw RecordError("PROTOBUF cannot write a NULL map key") }
                if case .null = entry.value, case .single = valueField.kind { throw RecordError("PROTOBUF cannot write a NULL map value") }
                e.writeTag(number, .lengthDelimited)
                let start = e.beginLength()
                try keyField.write(entry.key, to: &e)
                try valueField.write(entry.value, to: &e)
                e.endLength(start)
            }
        }
    }
}

extension ProtobufValueType {
    func isDefault(_ value: Value) -> Bool {
        switch value {
        case .boolean(let b): !b
        case .integer(let v): v == 0
        case .bigint(let v): v == 0
        case .double(let v): v.bitPattern == 0
        case .string(let s): s.isEmpty
        case .bytes(let b): b.isEmpty
        default: false
        }
    }

    /// Writes one non-NULL value of this type (after its tag).
    func write(_ value: Value, to e: inout ProtobufEncoder) throws(RecordError) {
        switch (self, value) {
        case (.bool, .boolean(let b)): e.writeVarint(b ? 1 : 0)
        case (.int32, .integer(let v)): e.writeSignedVarint(Int64(v))
        case (.int64, .bigint(let v)): e.writeSignedVarint(v)
        case (.int64, .integer(let v)): e.writeSignedVarint(Int64(v))
        case (.double, .double(let v)): e.writeFixed64(v.bitPattern)
        case (.string, .string(let s)):
            var s = s
            s.withUTF8 { e.writeLengthDelimited($0) }
        case (.bytes, .bytes(let b)):
            b.withUnsafeBufferPointer { e.writeLengthDelimited($0) }
        case (.wrapper(let scalar), _):
            let start = e.beginLength()
            if !scalar.isDefault(value) {
                e.writeTag(1, scalar.wireType)
                try scalar.write(value, to: &e)
            }
            e.endLength(start)
        case (.decimal(_, let scale), .decimal(let d)):
            // DecimalUtils.fromBigDecimal: unscaled bytes, precision (digits), scale.
            let v = try d.rescaled(to: scale, rounding: .unnecessary)
            let start = e.beginLength()
            e.writeTag(1, .lengthDelimited)
            TwosComplement.bytes(v.unscaled).withUnsafeBufferPointer { e.writeLengthDelimited($0) }
            e.writeTag(2, .varint)
            e.writeVarint(UInt64(ProtobufValueType.digitCount(v.unscaled)))
            if scale != 0 {
                e.writeTag(3, .varint)
                e.writeSignedVarint(Int64(scale))
            }
            e.endLength(start)
        case (.date, .date(let days)):
            let (y, m, d) = TemporalText.civil(fromDays: Int64(days))
            let start = e.beginLength()
            ProtobufValueType.writeVarintFields([Int64(y), Int64(m), Int64(d)], to: &e)
            e.endLength(start)
        case (.time, .time(let ms)):
            guard ms >= 0 && ms <= 86_400_000 else {
                throw RecordError("Time values must use number of millis greater than 0 and less than 86400000")
            }
            let t = Int64(ms % 86_400_000)
            let start = e.beginLength()
            ProtobufValueType.writeVarintFields([t / 3_600_000, t / 60_000 % 60, t / 1000 % 60, t % 1000 * 1_000_000], to: &e)
            e.endLength(start)
        case (.timestamp, .timestamp(let ms)):
            // Timestamps.fromMillis: floor seconds, non-negative nanos.
            let seconds = TemporalParsing.floorDiv(ms, 1000)
            let nanos = (ms - seconds * 1000) * 1_000_000
            let start = e.beginLength()
            ProtobufValueType.writeVarintFields([seconds, nanos], to: &e)
            e.endLength(start)
        case (.message(let m), .structure):
            let start = e.beginLength()
            try m.writeStruct(value, to: &e)
            e.endLength(start)
        default:
            throw RecordError("PROTOBUF cannot write \(value) as \(self)")
        }
    }

    /// Varint fields numbered from 1, each left out when zero.
    private static func writeVarintFields(_ values: [Int64], to e: inout ProtobufEncoder) {
        for (i, v) in values.enumerated() where v != 0 {
            e.writeTag(i + 1, .varint)
            e.writeSignedVarint(v)
        }
    }

    /// `BigDecimal.precision()` of an unscaled value: its digit count, 1 for zero.
    static func digitCount(_ v: Int128) -> Int {
        var m = v.magnitude
        var n = 1
        while m >= 10 {
            m /= 10
            n += 1
        }
        return n
    }
}
