/// A cursor over borrowed bytes that reads Kafka's big-endian integers and zigzag varints.
///
/// Every read checks bounds and throws ``FormatError`` instead of trapping: the bytes come from disk
/// or the network and may be torn or corrupt. The buffer must outlive the reader.
package struct ByteReader {
    package let bytes: UnsafeRawBufferPointer
    package private(set) var position: Int

    package init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    package var remaining: Int { bytes.count - position }

    @inline(__always)
    private mutating func require(_ count: Int) throws(FormatError) {
        if count < 0 || count > bytes.count - position {
            throw FormatError(.truncated, "needed \(count) bytes at \(position), have \(bytes.count - position)")
        }
    }

    @inline(__always)
    package mutating func readInteger<T: FixedWidthInteger>(_: T.Type = T.self) throws(FormatError) -> T {
        try require(MemoryLayout<T>.size)
        let value = T(bigEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
        position += MemoryLayout<T>.size
        return value
    }

    @inline(__always)
    package mutating func readUInt8() throws(FormatError) -> UInt8 {
        try require(1)
        let value = bytes[position]
        position += 1
        return value
    }

    /// An unsigned base-128 number of at most `maxBytes` bytes.
    @inline(__always)
    package mutating func readUnsignedVarint(maxBytes: Int = 10) throws(FormatError) -> UInt64 {
        // Most of a record's varints (attributes, small deltas, lengths under 64, a null key, no
        // headers) are one or two bytes: read those without the loop.
        if position + 1 < bytes.count {
            let first = bytes[position]
            if first < 0x80 {
                position += 1
                return UInt64(first)
            }
            let second = bytes[position + 1]
            if second < 0x80 {
                position += 2
                return UInt64(first & 0x7f) | UInt64(second) << 7
            }
        }
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var index = position
        let end = bytes.count
        while true {
            if index >= end { throw FormatError(.truncated, "varint runs past the end at \(position)") }
            let byte = bytes[index]
            index += 1
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
            if index - position >= maxBytes {
                throw FormatError(.malformed, "varint longer than \(maxBytes) bytes at \(position)")
            }
        }
        position = index
        return result
    }

    /// A zigzag varlong (at most 10 bytes).
    @inline(__always)
    package mutating func readVarlong() throws(FormatError) -> Int64 {
        Varint.unzigzag(try readUnsignedVarint(maxBytes: 10))
    }

    /// A zigzag varint (at most 5 bytes, in `Int32` range).
    @inline(__always)
    package mutating func readVarint() throws(FormatError) -> Int32 {
        let value = Varint.unzigzag(try readUnsignedVarint(maxBytes: 5))
        guard let narrow = Int32(exactly: value) else {
            throw FormatError(.malformed, "varint \(value) out of 32-bit range at \(position)")
        }
        return narrow
    }

    /// The next `count` bytes, borrowed.
    @inline(__always)
    package mutating func readSlice(_ count: Int) throws(FormatError) -> UnsafeRawBufferPointer {
        try require(count)
        let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<position + count])
        position += count
        return slice
    }

    /// A length-prefixed (varint) byte string where -1 means null, copied out.
    @inline(__always)
    package mutating func readNullableBytes() throws(FormatError) -> [UInt8]? {
        let length = try readVarint()
        if length == -1 { return nil }
        if length < 0 { throw FormatError(.malformed, "negative length \(length) at \(position)") }
        return Array(try readSlice(Int(length)))
    }

    package mutating func skip(_ count: Int) throws(FormatError) {
        try require(count)
        position += count
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` big-endian.
    @inline(__always)
    package mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    /// Overwrites the bytes at `index` with `value` big-endian.
    @inline(__always)
    package mutating func storeBigEndian<T: FixedWidthInteger>(_ value: T, at index: Int) {
        precondition(index >= 0 && index + MemoryLayout<T>.size <= count)
        withUnsafeMutableBytes { $0.storeBytes(of: value.bigEndian, toByteOffset: index, as: T.self) }
    }

    /// Appends a varint length and the bytes, or -1 for nil (Kafka's nullable varint bytes).
    @inline(__always)
    package mutating func appendNullableBytes(_ value: [UInt8]?) {
        guard let value else {
            Varint.append(-1, to: &self)
            return
        }
        Varint.append(Int64(value.count), to: &self)
        append(contentsOf: value)
    }
}

extension UnsafeRawBufferPointer {
    /// A big-endian integer at `offset`; the caller has checked bounds.
    @inline(__always)
    package func loadBigEndian<T: FixedWidthInteger>(at offset: Int, as _: T.Type = T.self) -> T {
        T(bigEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
