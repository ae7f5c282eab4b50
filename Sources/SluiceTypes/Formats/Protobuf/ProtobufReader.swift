/// Reads protobuf messages into values, as protobuf-java's `DynamicMessage` parser and Connect's
/// `ProtobufData.toConnectData` do: unknown fields (and known fields with an unexpected wire
/// type) are skipped; a scalar field that is repeated on the wire keeps its last value; a
/// message field that is repeated is merged; repeated scalars are read packed or not; a missing
/// plain scalar is its default value, a missing message (or wrapper, or `optional` scalar) NULL,
/// a missing repeated field an empty ARRAY, a missing map an empty MAP.
extension ProtobufMessage {
    /// The field values of a message with no fields set.
    var emptyValues: [Value] {
        fields.map(\.kind.missingValue)
    }

    /// Reads the message in `range` into `values` (which hold the defaults, or an earlier
    /// occurrence of the same message to merge into).
    func read(_ d: inout ProtobufDecoder, until end: Int, into values: inout [Value], depth: Int) throws(RecordError) {
        guard depth < 100 else { throw RecordError("Protocol message had too many levels of nesting.") }
        let savedLimit = d.limit
        d.limit = end
        defer { d.limit = savedLimit }
        while !d.atLimit {
            let (number, wire) = try d.readTag()
            let i = number - 1
            guard i >= 0 && i < fields.count else {
                try d.skipField(wire, field: number)
                continue
            }
            try fields[i].kind.read(wire, number: number, &d, into: &values[i], depth: depth)
        }
        for i in 0..<fields.count {
            if case .map = fields[i].kind, case .map(let entries) = values[i], entries.count > 1 {
                values[i] = .null
                values[i] = .map(ProtobufMessage.removeRepeatedKeys(entries))
            }
        }
        d.limit = savedLimit
    }

    /// A map's entries with each key once, where it first appeared, holding its last value.
    static func removeRepeatedKeys(_ entries: [MapEntry]) -> [MapEntry] {
        var builder = AvroMapBuilder()
        for e in entries { builder.put(e.key, e.value) }
        return builder.entries
    }

    func readStruct(_ d: inout ProtobufDecoder, until end: Int, merging existing: Value, depth: Int) throws(RecordError) -> Value {
        var values: [Value]
        if case .structure(let entries) = existing, entries.count == fields.count {
            values = entries.map(\.value)
        } else {
            values = emptyValues
        }
        try read(&d, until: end, into: &values, depth: depth + 1)
        var entries = template
        for i in 0..<values.count { entries[i].value = values[i] }
        return .structure(entries)
    }
}

extension ProtobufFieldKind {
    /// The value of a field absent from the message.
    var missingValue: Value {
        switch self {
        case .single(let t, let presence): presence ? .null : t.defaultValue
        case .repeated: .array([])
        case .map: .map([])
        }
    }

    /// Reads one occurrence of the field into `current`.
    func read(_ wire: ProtobufWireType, number: Int, _ d: inout ProtobufDecoder, into current: inout Value, depth: Int) throws(RecordError) {
        switch self {
        case .single(let t, _):
            guard wire == t.wireType else { return try d.skipField(wire, field: number) }
            current = try t.read(&d, merging: current, depth: depth)
        case .repeated(let t):
            var items: [Value]
            if case .array(let existing) = current { items = existing } else { items = [] }
            current = .null  // leaves `items` the only reference: appends do not copy
            if t.isPackable && wire == .lengthDelimited {
                let r = try d.readLengthDelimited()
                var packed = ProtobufDecoder(d.buffer, position: r.lowerBound)
                packed.limit = r.upperBound
                while !packed.atLimit { items.append(try t.read(&packed, merging: .null, depth: depth)) }
            } else if wire == t.wireType {
                items.append(try t.read(&d, merging: .null, depth: depth))
            } else {
                return try d.skipField(wire, field: number)
            }
            current = .array(items)
        case .map(let entryMessage):
            guard wire == .lengthDelimited else { return try d.skipField(wire, field: number) }
            let r = try d.readLengthDelimited()
            var entry = entryMessage.emptyValues
            var inner = ProtobufDecoder(d.buffer, position: r.lowerBound)
            try entryMessage.read(&inner, until: r.upperBound, into: &entry, depth: depth + 1)
            // An unset message value reads as the message's default instance.
            if case .null = entry[1], case .single(let t, _) = entryMessage.fields[1].kind {
                var empty = ProtobufDecoder(d.buffer, position: r.upperBound)
                entry[1] = try t.readMessageBody(&empty, until: r.upperBound, merging: .null, depth: depth + 1)
            }
            // Repeated keys are resolved when the message ends (`removeRepeatedKeys`).
            var entries: [MapEntry]
            if case .map(let existing) = current { entries = existing } else { entries = [] }
            current = .null
            entries.append(MapEntry(key: entry[0], value: entry[1]))
            current = .map(entries)
        }
    }
}

extension ProtobufValueType {
    /// Reads one value of this type (its wire type already checked).
    @inline(__always)
    func read(_ d: inout ProtobufDecoder, merging existing: Value, depth: Int) throws(RecordError) -> Value {
        switch self {
        case .bool: return .boolean(try d.readVarint() != 0)
        case .int32: return .integer(Int32(truncatingIfNeeded: try d.readVarint()))
        case .int64: return .bigint(Int64(bitPattern: try d.readVarint()))
        case .double: return .double(Double(bitPattern: try d.readFixed(8)))
        case .string:
            let r = try d.readLengthDelimited()
            guard let s = String(validating: d.bytes(r), as: UTF8.self) else {
                throw RecordError("Protocol message had invalid UTF-8.")
            }
            return .string(s)
        case .bytes:
            return .bytes(Array(d.bytes(try d.readLengthDelimited())))
        default:
            let r = try d.readLengthDelimited()
            return try readMessageBody(&d, range: r, merging: existing, depth: depth)
        }
    }

    func readMessageBody(_ d: inout ProtobufDecoder, until end: Int, merging existing: Value, depth: Int) throws(RecordError) -> Value {
        try readMessageBody(&d, range: d.position..<end, merging: existing, depth: depth)
    }

    /// Reads the body of a message-typed value (struct, wrapper, decimal, date, time, timestamp).
    func readMessageBody(_ d: inout ProtobufDecoder, range: Range<Int>, merging existing: Value, depth: Int) throws(RecordError) -> Value {
        var inner = ProtobufDecoder(d.buffer, position: range.lowerBound)
        switch self {
        case .message(let m):
            return try m.readStruct(&inner, until: range.upperBound, merging: existing, depth: depth)
        case .wrapper(let scalar):
            // google.protobuf.*Value { value = 1 }; merged into an earlier occurrence.
            var value = existing.isNull ? scalar.defaultValue : existing
            inner.limit = range.upperBound
            while !inner.atLimit {
                let (number, wire) = try inner.readTag()
                if number == 1 && wire == scalar.wireType {
                    value = try scalar.read(&inner, merging: .null, depth: depth + 1)
                } else {
                    try inner.skipField(wire, field: number)
                }
            }
            return value
        case .decimal(let precision, let scale):
            let f = try ProtobufValueType.readSmallMessage(&inner, until: range.upperBound)
            let raw = f.bytes.map { Array(inner.bytes($0)) } ?? []
            return .decimal(try ProtobufValueType.decimal(raw, precision: Int64(f.v1), scale: Int32(truncatingIfNeeded: f.v2), fitting: precision, scale))
        case .date:
            let f = try ProtobufValueType.readSmallMessage(&inner, until: range.upperBound)
            return .date(try ProtobufValueType.epochDays(
                year: Int32(truncatingIfNeeded: f.v0), month: Int32(truncatingIfNeeded: f.v1), day: Int32(truncatingIfNeeded: f.v2)))
        case .time:
            let f = try ProtobufValueType.readSmallMessage(&inner, until: range.upperBound)
            return .time(try ProtobufValueType.millisOfDay(
                hours: Int32(truncatingIfNeeded: f.v0), minutes: Int32(truncatingIfNeeded: f.v1),
                seconds: Int32(truncatingIfNeeded: f.v2), nanos: Int32(truncatingIfNeeded: f.v3)))
        case .timestamp:
            let f = try ProtobufValueType.readSmallMessage(&inner, until: range.upperBound)
            return .timestamp(try ProtobufValueType.epochMillis(seconds: Int64(bitPattern: f.v0), nanos: Int32(truncatingIfNeeded: f.v1)))
        default:
            return .null
        }
    }

    /// The fields of the small well-known messages (Decimal, Date, TimeOfDay, Timestamp): varint
    /// fields 1 to 4 (v0...v3), and field 1 when it is length-delimited (Decimal's value). Fields
    /// seen twice keep the last value; others, and other wire types, are skipped.
    static func readSmallMessage(_ d: inout ProtobufDecoder, until end: Int) throws(RecordError)
        -> (bytes: Range<Int>?, v0: UInt64, v1: UInt64, v2: UInt64, v3: UInt64)
    {
        var out: (bytes: Range<Int>?, v0: UInt64, v1: UInt64, v2: UInt64, v3: UInt64) = (nil, 0, 0, 0, 0)
        d.limit = end
        while !d.atLimit {
            let (number, wire) = try d.readTag()
            switch (number, wire) {
            case (1, .lengthDelimited): out.bytes = try d.readLengthDelimited()
            case (1, .varint): out.v0 = try d.readVarint()
            case (2, .varint): out.v1 = try d.readVarint()
            case (3, .varint): out.v2 = try d.readVarint()
            case (4, .varint): out.v3 = try d.readVarint()
            default: try d.skipField(wire, field: number)
            }
        }
        return out
    }

    /// `DecimalUtils.toBigDecimal`: the unscaled two's-complement bytes at `scale`, rounded
    /// half-up to `precision` digits when a precision is set; then fitted to the column.
    static func decimal(_ raw: [UInt8], precision: Int64, scale: Int32, fitting p: Int, _ s: Int) throws(RecordError) -> SQLDecimal {
        guard let unscaled = raw.withUnsafeBufferPointer({ TwosComplement.value($0) }) else {
            throw RecordError(raw.isEmpty ? "Zero length BigInteger" : "Decimal value does not fit \(SQLDecimal.maxPrecision) digits")
        }
        var value = SQLDecimal(unscaled: unscaled, scale: Int(scale))
        let p32 = Int64(UInt32(truncatingIfNeeded: precision))
        if p32 > 0 && p32 <= Int64(SQLDecimal.maxPrecision), let bound = SQLDecimal.powerOfTen(Int(p32)), unscaled.magnitude >= bound.magnitude {
            let digits = String(unscaled.magnitude).utf8.count
            if digits > Int(p32) {
                value = try value.rescaled(to: Int(scale) - (digits - Int(p32)), rounding: .halfUp)
            }
        }
        return try value.fittedFast(precision: p, scale: s)
    }

    /// google.type.Date to days since the epoch, rejecting what a non-lenient
    /// `java.util.Calendar` rejects (year < 1, month outside 1...12, day outside the month).
    static func epochDays(year: Int32, month: Int32, day: Int32) throws(RecordError) -> Int32 {
        guard year >= 1, month >= 1, month <= 12, day >= 1 else {
            throw RecordError("Invalid google.type.Date: \(year)-\(month)-\(day)")
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths: [Int32] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= lengths[Int(month) - 1] else { throw RecordError("Invalid google.type.Date: \(year)-\(month)-\(day)") }
        let days = TemporalText.days(year: Int64(year), month: Int(month), day: Int(day))
        guard let d = Int32(exactly: days) else { throw RecordError("Date out of range: \(year)-\(month)-\(day)") }
        return d
    }

    /// google.type.TimeOfDay to milliseconds of the day (`LocalTime.of` ranges).
    static func millisOfDay(hours: Int32, minutes: Int32, seconds: Int32, nanos: Int32) throws(RecordError) -> Int32 {
        guard (0...23).contains(hours), (0...59).contains(minutes), (0...59).contains(seconds), (0...999_999_999).contains(nanos) else {
            throw RecordError("Invalid google.type.TimeOfDay: \(hours):\(minutes):\(seconds).\(nanos)")
        }
        return ((hours * 60 + minutes) * 60 + seconds) * 1000 + nanos / 1_000_000
    }

    /// google.protobuf.Timestamp to epoch milliseconds (`Timestamps.toMillis`, which checks the
    /// timestamp is within 0001-01-01 and 9999-12-31).
    static func epochMillis(seconds: Int64, nanos: Int32) throws(RecordError) -> Int64 {
        guard seconds >= -62_135_596_800, seconds <= 253_402_300_799, nanos >= 0, nanos <= 999_999_999 else {
            throw RecordError("Timestamp is not valid. Seconds (\(seconds)) and nanos (\(nanos)) must be within the supported range.")
        }
        return seconds * 1000 + Int64(nanos / 1_000_000)
    }
}
