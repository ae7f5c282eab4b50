/// A cursor that writes Kafka's big-endian integers, zigzag varints and raw bytes into memory the
/// caller sized beforehand.
///
/// The encoders compute a batch's exact size first and write it in one pass, so the hot loop does
/// no capacity checks, uniqueness checks or reallocation the way `[UInt8].append` does. Each write
/// still checks the end (one compare) so a sizing bug traps instead of overwriting memory.
package struct ByteWriter {
    package private(set) var position: UnsafeMutableRawPointer
    private let end: UnsafeMutableRawPointer

    package init(_ buffer: UnsafeMutableRawBufferPointer) {
        position = buffer.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 1)!
        end = position + buffer.count
    }

    @inline(__always)
    private func require(_ count: Int) {
        precondition(end - position >= count, "encoder wrote past the size it computed")
    }

    @inline(__always)
    package mutating func writeByte(_ value: UInt8) {
        require(1)
        position.storeBytes(of: value, as: UInt8.self)
        position += 1
    }

    @inline(__always)
    package mutating func writeBigEndian<T: FixedWidthInteger>(_ value: T) {
        require(MemoryLayout<T>.size)
        position.storeBytes(of: value.bigEndian, as: T.self)
        position += MemoryLayout<T>.size
    }

    /// `value` zigzag-encoded (a Kafka varint when it fits an `Int32`, else a varlong).
    @inline(__always)
    package mutating func writeVarint(_ value: Int64) {
        var rest = Varint.zigzag(value)
        // Most lengths and deltas in a batch fit one byte.
        if rest < 0x80 {
            writeByte(UInt8(truncatingIfNeeded: rest))
            return
        }
        require(Varint.size(unsigned: rest))
        while rest >= 0x80 {
            position.storeBytes(of: UInt8(truncatingIfNeeded: rest) | 0x80, as: UInt8.self)
            position += 1
            rest >>= 7
        }
        position.storeBytes(of: UInt8(truncatingIfNeeded: rest), as: UInt8.self)
        position += 1
    }

    @inline(__always)
    package mutating func writeBytes(_ bytes: UnsafeRawBufferPointer) {
        let count = bytes.count
        guard let source = bytes.baseAddress, count > 0 else { return }
        require(count)
        if count >= 8 && count <= 16 {
            // Keys are often this short; two overlapping word copies beat a call to memmove.
            let head = source.loadUnaligned(as: UInt64.self)
            let tail = source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            position.storeBytes(of: head, as: UInt64.self)
            position.storeBytes(of: tail, toByteOffset: count - 8, as: UInt64.self)
        } else {
            position.copyMemory(from: source, byteCount: count)
        }
        position += count
    }

    /// A varint length and the bytes, or -1 for nil (Kafka's nullable varint bytes).
    @inline(__always)
    package mutating func writeNullableBytes(_ bytes: UnsafeRawBufferPointer?) {
        guard let bytes else { return writeVarint(-1) }
        writeVarint(Int64(bytes.count))
        writeBytes(bytes)
    }
}
