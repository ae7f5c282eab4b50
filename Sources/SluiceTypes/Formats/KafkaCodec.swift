/// The KAFKA format: one column written with Kafka's standard serializers. INTEGER is 4 bytes and
/// BIGINT 8 bytes big-endian, DOUBLE 8 bytes of IEEE 754 big-endian, STRING UTF-8, BYTES raw. No
/// coercion: a payload of the wrong size is an error. A NULL value has no bytes; see
/// `RowCodec.encodePayload`, which turns it into a null payload.
public struct KafkaCodec: RowCodec, NullablePayloadEncoding {
    public let column: Column

    public init(column: Column, options: FormatOptions) throws(RecordError) {
        if options.wrapSingleValue == true {
            throw RecordError("Format 'KAFKA' does not support 'WRAP_SINGLE_VALUE' set to 'true'.")
        }
        switch column.type {
        case .integer, .bigint, .double, .string, .bytes: break
        case .array: throw RecordError("The 'KAFKA' format does not support type 'ARRAY'")
        case .map: throw RecordError("The 'KAFKA' format does not support type 'MAP'")
        case .structure: throw RecordError("The 'KAFKA' format does not support type 'STRUCT'")
        case .decimal: throw RecordError("The 'KAFKA' format does not support type 'DECIMAL'")
        default: throw RecordError("The 'KAFKA' format does not support type '\(column.type)'")
        }
        self.column = column
    }

    public func decode(_ bytes: [UInt8]) throws(RecordError) -> [Value] {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(RecordError) -> [Value] in try decode(borrowing: raw) } }
        return try result.get()
    }

    /// Reads the key or value where it lies (no copy into an array first).
    public func decode(borrowing bytes: UnsafeRawBufferPointer) throws(RecordError) -> [Value] {
        switch column.type {
        case .integer:
            guard bytes.count == 4 else { throw RecordError("Size of data received by IntegerDeserializer is not 4") }
            return [.integer(Int32(bitPattern: UInt32(KafkaCodec.bigEndian(bytes))))]
        case .bigint:
            guard bytes.count == 8 else { throw RecordError("Size of data received by LongDeserializer is not 8") }
            return [.bigint(Int64(bitPattern: KafkaCodec.bigEndian(bytes)))]
        case .double:
            guard bytes.count == 8 else { throw RecordError("Size of data received by DoubleDeserializer is not 8") }
            return [.double(Double(bitPattern: KafkaCodec.bigEndian(bytes)))]
        case .string:
            return [.string(String(decoding: bytes, as: UTF8.self))]
        default:
            return [.bytes([UInt8](bytes))]
        }
    }

    private static func bigEndian(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var v: UInt64 = 0
        for b in bytes { v = v << 8 | UInt64(b) }
        return v
    }

    /// The low `count` bytes of `v`, most significant first, in one append.
    private static func appendBigEndian(_ v: UInt64, count: Int, to out: inout [UInt8]) {
        withUnsafeBytes(of: (v << UInt64(8 * (8 - count))).bigEndian) { out.append(contentsOf: $0.prefix(count)) }
    }

    public func encode(_ values: [Value]) throws(RecordError) -> [UInt8] {
        try encodePayload(values) ?? []
    }

    public func encodePayload(_ values: [Value]) throws(RecordError) -> [UInt8]? {
        guard values.count == 1 else {
            throw RecordError("Column count mismatch on serialization. expected: 1, got: \(values.count)")
        }
        var out: [UInt8] = []
        out.reserveCapacity(8)
        switch (values[0], column.type) {
        case (.null, _): return nil
        case (.integer(let v), .integer): KafkaCodec.appendBigEndian(UInt64(UInt32(bitPattern: v)), count: 4, to: &out)
        case (.bigint(let v), .bigint): KafkaCodec.appendBigEndian(UInt64(bitPattern: v), count: 8, to: &out)
        case (.integer(let v), .bigint): KafkaCodec.appendBigEndian(UInt64(bitPattern: Int64(v)), count: 8, to: &out)
        case (.double(let v), .double): KafkaCodec.appendBigEndian(v.bitPattern, count: 8, to: &out)
        case (.string(let s), .string): out.append(contentsOf: s.utf8)
        case (.bytes(let b), .bytes): out = b
        case (let v, let t): throw RecordError("KAFKA format cannot write \(v) as \(t)")
        }
        return out
    }
}

/// The NONE format, and any format given no columns: nothing is read and nothing is written (a
/// keyless record has a null key).
public struct NoneCodec: RowCodec, NullablePayloadEncoding {
    public init() {}

    public func decode(_ bytes: [UInt8]) throws(RecordError) -> [Value] { [] }

    public func encode(_ values: [Value]) throws(RecordError) -> [UInt8] { [] }

    public func encodePayload(_ values: [Value]) throws(RecordError) -> [UInt8]? { nil }
}
