/// Avro binary encoding primitives (Avro 1.11 specification, "Binary Encoding"): zig-zag
/// variable-length `int`/`long`, little-endian IEEE `float`/`double`, length-prefixed
/// `bytes`/`string`. Every read checks bounds and throws `RecordError`; nothing traps.
struct AvroDecoder {
    let buffer: UnsafeBufferPointer<UInt8>
    var position: Int

    init(_ buffer: UnsafeBufferPointer<UInt8>, position: Int = 0) {
        self.buffer = buffer
        self.position = position
    }

    var remaining: Int { buffer.count - position }

    static let truncated = RecordError("Avro data is truncated")

    /// A zig-zag `long`: at most 10 bytes, as Avro's `BinaryDecoder.readLong`.
    @inline(__always)
    mutating func readLong() throws(RecordError) -> Int64 {
        var raw: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < buffer.count else { throw AvroDecoder.truncated }
            let b = buffer[position]
            position += 1
            raw |= UInt64(b & 0x7F) &<< shift
            if b & 0x80 == 0 { break }
            shift += 7
            if shift >= 70 { throw RecordError("Invalid long encoding") }
        }
        return Int64(bitPattern: raw >> 1) ^ (0 &- Int64(bitPattern: raw & 1))
    }

    /// A zig-zag `int`: at most 5 bytes; bits past 32 are dropped, as Avro's `readInt`.
    @inline(__always)
    mutating func readInt() throws(RecordError) -> Int32 {
        var raw: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            guard position < buffer.count else { throw AvroDecoder.truncated }
            let b = buffer[position]
            position += 1
            raw |= UInt32(b & 0x7F) &<< shift
            if b & 0x80 == 0 { break }
            shift += 7
            if shift >= 35 { throw RecordError("Invalid int encoding") }
        }
        return Int32(bitPattern: raw >> 1) ^ (0 &- Int32(bitPattern: raw & 1))
    }

    /// One byte; only 1 is true, as Avro's `readBoolean`.
    @inline(__always)
    mutating func readBoolean() throws(RecordError) -> Bool {
        guard position < buffer.count else { throw AvroDecoder.truncated }
        defer { position += 1 }
        return buffer[position] == 1
    }

    @inline(__always)
    mutating func readFixedLittleEndian(_ count: Int) throws(RecordError) -> UInt64 {
        guard remaining >= count else { throw AvroDecoder.truncated }
        var v: UInt64 = 0
        for i in stride(from: count - 1, through: 0, by: -1) { v = v << 8 | UInt64(buffer[position + i]) }
        position += count
        return v
    }

    mutating func readDouble() throws(RecordError) -> Double {
        Double(bitPattern: try readFixedLittleEndian(8))
    }

    mutating func readFloat() throws(RecordError) -> Float {
        Float(bitPattern: UInt32(truncatingIfNeeded: try readFixedLittleEndian(4)))
    }

    /// The length prefix of `bytes`/`string`, checked against what is left.
    @inline(__always)
    mutating func readLength() throws(RecordError) -> Int {
        let n = try readLong()
        if n < 0 { throw RecordError("Malformed data. Length is negative: \(n)") }
        guard n <= Int64(remaining) else { throw AvroDecoder.truncated }
        return Int(n)
    }

    /// The next `count` bytes, without copying.
    @inline(__always)
    mutating func take(_ count: Int) throws(RecordError) -> UnsafeBufferPointer<UInt8> {
        guard count >= 0 && count <= remaining else { throw AvroDecoder.truncated }
        defer { position += count }
        return UnsafeBufferPointer(rebasing: buffer[position..<(position + count)])
    }

    mutating func readBytes() throws(RecordError) -> [UInt8] {
        Array(try take(try readLength()))
    }

    /// A `string`; malformed UTF-8 becomes U+FFFD, as Java's `new String(bytes, UTF_8)`.
    mutating func readString() throws(RecordError) -> String {
        String(decoding: try take(try readLength()), as: UTF8.self)
    }

    mutating func skip(_ count: Int) throws(RecordError) {
        guard count >= 0 && count <= remaining else { throw AvroDecoder.truncated }
        position += count
    }

    /// The item count of the next array or map block; 0 ends the array or map. A negative count
    /// is followed by the block's size in bytes, which is read and ignored.
    @inline(__always)
    mutating func readBlockCount() throws(RecordError) -> Int {
        var n = try readLong()
        if n < 0 {
            if n == Int64.min { throw RecordError("Malformed data. Block count is invalid") }
            n = -n
            _ = try readLong()
        }
        // Every item takes at least one byte... except items of type null or empty records; cap
        // the count anyway so a corrupt count cannot make us loop for ever.
        guard n <= Int64(remaining) * 8 + 1024 else { throw AvroDecoder.truncated }
        return Int(n)
    }
}

/// Appends Avro binary values to a byte array.
struct AvroEncoder {
    var bytes: [UInt8]

    init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    mutating func writeLong(_ v: Int64) {
        var raw = UInt64(bitPattern: (v << 1) ^ (v >> 63))
        while raw >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: raw) | 0x80)
            raw >>= 7
        }
        bytes.append(UInt8(raw))
    }

    @inline(__always)
    mutating func writeInt(_ v: Int32) { writeLong(Int64(v)) }

    @inline(__always)
    mutating func writeBoolean(_ v: Bool) { bytes.append(v ? 1 : 0) }

    mutating func writeDouble(_ v: Double) { writeLittleEndian(v.bitPattern, count: 8) }

    mutating func writeFloat(_ v: Float) { writeLittleEndian(UInt64(v.bitPattern), count: 4) }

    @inline(__always)
    mutating func writeLittleEndian(_ v: UInt64, count: Int) {
        for i in 0..<count { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(8 * i))) }
    }

    mutating func writeBytes(_ b: [UInt8]) {
        writeLong(Int64(b.count))
        bytes.append(contentsOf: b)
    }

    mutating func writeString(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            writeLong(Int64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }
}

/// Confluent's schema-registry framing: magic byte 0, then the 4-byte big-endian schema id.
enum ConfluentFraming {
    static let headerSize = 5

    static func appendHeader(schemaID: UInt32, to out: inout [UInt8]) {
        out.append(0)
        out.append(UInt8(truncatingIfNeeded: schemaID >> 24))
        out.append(UInt8(truncatingIfNeeded: schemaID >> 16))
        out.append(UInt8(truncatingIfNeeded: schemaID >> 8))
        out.append(UInt8(truncatingIfNeeded: schemaID))
    }

    /// Checks the magic byte and the header length; the schema id is not looked up.
    static func checkHeader(_ buf: UnsafeBufferPointer<UInt8>) throws(RecordError) {
        guard buf.count > 0, buf[0] == 0 else { throw RecordError("Unknown magic byte!") }
        guard buf.count >= headerSize else { throw RecordError("Record is shorter than the 5-byte schema registry header") }
    }
}

/// Big-endian two's-complement integers as `BigInteger.toByteArray()` writes them and
/// `new BigInteger(byte[])` reads them: the decimal encoding of Avro and of confluent.type.Decimal.
enum TwosComplement {
    /// The shortest big-endian two's-complement bytes of `v` (at least one byte).
    static func bytes(_ v: Int128) -> [UInt8] {
        var out: [UInt8] = []
        var x = v
        repeat {
            out.append(UInt8(truncatingIfNeeded: x))
            x >>= 8
        } while !((x == 0 && out[out.count - 1] & 0x80 == 0) || (x == -1 && out[out.count - 1] & 0x80 != 0))
        out.reverse()
        return out
    }

    /// The value of big-endian two's-complement bytes; nil when empty (Java throws "Zero length
    /// BigInteger") or too large for `Int128`.
    static func value(_ b: UnsafeBufferPointer<UInt8>) -> Int128? {
        guard let first = b.first else { return nil }
        let negative = first & 0x80 != 0
        // Drop sign-extension bytes beyond 16.
        var start = 0
        while b.count - start > 16 {
            guard b[start] == (negative ? 0xFF : 0x00) else { return nil }
            start += 1
        }
        if b.count - start == 16 && (b[start] & 0x80 != 0) != negative { return nil }
        var v: Int128 = negative ? -1 : 0
        for i in start..<b.count { v = (v << 8) | Int128(b[i]) }
        return v
    }
}

extension SQLDecimal {
    /// `fitted(precision:scale:)` with a fast path for the usual case: already at the column's
    /// scale and within its precision.
    func fittedFast(precision: Int, scale targetScale: Int) throws(RecordError) -> SQLDecimal {
        if scale == targetScale, let bound = SQLDecimal.powerOfTen(precision), unscaled.magnitude < bound.magnitude {
            return self
        }
        return try fitted(precision: precision, scale: targetScale)
    }
}
