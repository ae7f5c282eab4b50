/// Protocol buffers wire format (protobuf.dev "Encoding"): base-128 varints, tags
/// `(field_number << 3) | wire_type`, little-endian fixed32/fixed64, length-delimited fields.
enum ProtobufWireType: UInt8 {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5
}

/// Reads wire-format values from a buffer; every read checks bounds and throws `RecordError`.
struct ProtobufDecoder {
    let buffer: UnsafeBufferPointer<UInt8>
    var position: Int
    /// Where the current message ends.
    var limit: Int

    init(_ buffer: UnsafeBufferPointer<UInt8>, position: Int = 0) {
        self.buffer = buffer
        self.position = position
        self.limit = buffer.count
    }

    static let truncated = RecordError(
        "While parsing a protocol message, the input ended unexpectedly in the middle of a field.  "
            + "This could mean either that the input has been truncated or that an embedded message misreported its own length.")

    var atLimit: Bool { position >= limit }

    /// A varint of up to 10 bytes, as protobuf-java's `readRawVarint64`.
    @inline(__always)
    mutating func readVarint() throws(RecordError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < limit else { throw ProtobufDecoder.truncated }
            let b = buffer[position]
            position += 1
            result |= UInt64(b & 0x7F) &<< shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift >= 70 { throw RecordError("CodedInputStream encountered a malformed varint.") }
        }
    }

    /// The next tag: field number and wire type.
    @inline(__always)
    mutating func readTag() throws(RecordError) -> (field: Int, wireType: ProtobufWireType) {
        let tag = try readVarint()
        // protobuf-java reads tags as 32-bit varints.
        let tag32 = UInt32(truncatingIfNeeded: tag)
        let field = Int(tag32 >> 3)
        if field == 0 { throw RecordError("Protocol message contained an invalid tag (zero).") }
        guard let wire = ProtobufWireType(rawValue: UInt8(tag32 & 7)) else {
            throw RecordError("Protocol message tag had invalid wire type.")
        }
        return (field, wire)
    }

    mutating func readFixed(_ count: Int) throws(RecordError) -> UInt64 {
        guard limit - position >= count else { throw ProtobufDecoder.truncated }
        var v: UInt64 = 0
        for i in stride(from: count - 1, through: 0, by: -1) { v = v << 8 | UInt64(buffer[position + i]) }
        position += count
        return v
    }

    /// The payload of a length-delimited field: its start and end.
    @inline(__always)
    mutating func readLengthDelimited() throws(RecordError) -> Range<Int> {
        let n = try readVarint()
        // protobuf-java reads the length as a 32-bit int; negative is an error.
        let n32 = Int32(truncatingIfNeeded: n)
        if n32 < 0 { throw RecordError("CodedInputStream encountered an embedded string or message which claimed to have negative size.") }
        guard Int(n32) <= limit - position else { throw ProtobufDecoder.truncated }
        defer { position += Int(n32) }
        return position..<(position + Int(n32))
    }

    func bytes(_ r: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: buffer[r])
    }

    /// Skips a field's value (unknown fields, or known ones with an unexpected wire type).
    mutating func skipField(_ wire: ProtobufWireType, field: Int, depth: Int = 0) throws(RecordError) {
        switch wire {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed(8)
        case .fixed32: _ = try readFixed(4)
        case .lengthDelimited: _ = try readLengthDelimited()
        case .startGroup:
            guard depth < 100 else { throw RecordError("Protocol message had too many levels of nesting.") }
            while true {
                let (f, w) = try readTag()
                if w == .endGroup {
                    guard f == field else { throw RecordError("Protocol message end-group tag did not match expected tag.") }
                    return
                }
                try skipField(w, field: f, depth: depth + 1)
            }
        case .endGroup:
            throw RecordError("Protocol message end-group tag did not match expected tag.")
        }
    }
}

/// Appends wire-format values to a byte array.
struct ProtobufEncoder {
    var bytes: [UInt8]

    init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    mutating func writeVarint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    @inline(__always)
    mutating func writeTag(_ field: Int, _ wire: ProtobufWireType) {
        writeVarint(UInt64(field) << 3 | UInt64(wire.rawValue))
    }

    /// int32 and int64 are written as the 64-bit two's complement (negatives take 10 bytes).
    @inline(__always)
    mutating func writeSignedVarint(_ v: Int64) { writeVarint(UInt64(bitPattern: v)) }

    mutating func writeFixed64(_ v: UInt64) {
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(8 * i))) }
    }

    mutating func writeLengthDelimited(_ payload: UnsafeBufferPointer<UInt8>) {
        writeVarint(UInt64(payload.count))
        bytes.append(contentsOf: payload)
    }

    /// Starts a length-delimited value whose size is not known yet; `endLength` patches it in.
    @inline(__always)
    mutating func beginLength() -> Int {
        bytes.append(0)
        return bytes.count
    }

    /// Writes the length of everything after `start` as a varint at `start - 1`, moving the
    /// payload when the varint needs more than the one reserved byte.
    mutating func endLength(_ start: Int) {
        let length = bytes.count - start
        if length < 0x80 {
            bytes[start - 1] = UInt8(length)
            return
        }
        var varint: [UInt8] = []
        var v = UInt64(length)
        while v >= 0x80 {
            varint.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        varint.append(UInt8(v))
        bytes.replaceSubrange((start - 1)..<start, with: varint)
    }

    static func varintSize(_ v: UInt64) -> Int {
        var n = 1
        var v = v
        while v >= 0x80 {
            v >>= 7
            n += 1
        }
        return n
    }
}

/// Confluent's protobuf framing after the 5-byte header: the message indexes that locate the
/// message type in the schema, as zig-zag varints (`ByteUtils.writeVarint`): a count then the
/// indexes, with `[0]` (the first message) shortened to a single 0 byte.
enum ProtobufMessageIndexes {
    static func appendFirstMessage(to out: inout [UInt8]) { out.append(0) }

    /// Reads the indexes and checks they name the first top-level message, the only one
    /// ksqlDB's schemas define. Returns the position after them.
    static func skipFirstMessage(_ buf: UnsafeBufferPointer<UInt8>, from start: Int) throws(RecordError) -> Int {
        var d = ProtobufDecoder(buf, position: start)
        let count = try zigzag32(&d)
        if count == 0 { return d.position }
        guard count > 0 && count <= 100 else { throw RecordError("Invalid message indexes count: \(count)") }
        var indexes: [Int32] = []
        for _ in 0..<count { indexes.append(try zigzag32(&d)) }
        guard indexes == [0] else {
            throw RecordError("Invalid message indexes: \(indexes); the schema has one top-level message")
        }
        return d.position
    }

    private static func zigzag32(_ d: inout ProtobufDecoder) throws(RecordError) -> Int32 {
        var raw: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            guard d.position < d.limit else { throw RecordError("Record is too short for its protobuf message indexes") }
            let b = d.buffer[d.position]
            d.position += 1
            raw |= UInt32(b & 0x7F) &<< shift
            if b & 0x80 == 0 { break }
            shift += 7
            if shift > 28 { throw RecordError("Invalid varint in protobuf message indexes") }
        }
        return Int32(bitPattern: raw >> 1) ^ (0 &- Int32(bitPattern: raw & 1))
    }
}
