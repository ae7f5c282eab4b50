/// A cursor that writes Kafka's big-endian integers, zigzag varints and raw bytes into memory the
/// caller sized beforehand.
///
/// The encoders bound a batch's size first and write it in one pass, so the hot loop does no
/// capacity checks, uniqueness checks or reallocation the way `[UInt8].append` does. Instead of
/// checking every write, a caller calls ``reserve(_:)`` once per record (or header) with an upper
/// bound of what it will write there; debug builds (the tests) still check each write.
package struct ByteWriter {
    package private(set) var position: UnsafeMutableRawPointer
    private let end: UnsafeMutableRawPointer

    package init(_ buffer: UnsafeMutableRawBufferPointer) {
        position = buffer.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 1)!
        end = position + buffer.count
    }

    /// Bytes left before the end.
    package var remaining: Int { end - position }

    /// Traps unless at least `count` more bytes fit: the one check a record's writes rely on.
    @inline(__always)
    package func reserve(_ count: Int) {
        precondition(count >= 0 && end - position >= count, "encoder would write past the size it computed")
    }

    @inline(__always)
    private func checked(_ count: Int) {
        assert(end - position >= count, "encoder wrote past its reservation")
    }

    /// Leaves `count` bytes to be filled in later.
    @inline(__always)
    package mutating func skip(_ count: Int) {
        checked(count)
        position += count
    }

    /// Moves the bytes from `start` to the current position so that they begin at `newStart`
    /// instead (a length prefix written before them turned out shorter or longer than the room left).
    package mutating func moveTail(from start: UnsafeMutableRawPointer, to newStart: UnsafeMutableRawPointer) {
        let count = position - start
        precondition(count >= 0 && end - newStart >= count, "encoder would write past the size it computed")
        newStart.copyMemory(from: start, byteCount: count)
        position = newStart + count
    }

    /// Stores `value` as an unsigned varint at `address`, which the caller knows to have room.
    @inline(__always)
    package static func storeUnsignedVarint(_ value: UInt64, at address: UnsafeMutableRawPointer) {
        var writer = ByteWriter(position: address)
        writer.writeUnsignedVarint(value)
    }

    private init(position: UnsafeMutableRawPointer) {
        self.position = position
        end = position + Varint.size(unsigned: .max)
    }

    @inline(__always)
    package mutating func writeByte(_ value: UInt8) {
        checked(1)
        position.storeBytes(of: value, as: UInt8.self)
        position += 1
    }

    @inline(__always)
    package mutating func writeBigEndian<T: FixedWidthInteger>(_ value: T) {
        checked(MemoryLayout<T>.size)
        position.storeBytes(of: value.bigEndian, as: T.self)
        position += MemoryLayout<T>.size
    }

    /// `value` zigzag-encoded (a Kafka varint when it fits an `Int32`, else a varlong).
    @inline(__always)
    package mutating func writeVarint(_ value: Int64) {
        writeUnsignedVarint(Varint.zigzag(value))
    }

    /// `value` as base-128 groups, low first; one and two bytes (most lengths and deltas in a
    /// batch) take a single store.
    @inline(__always)
    package mutating func writeUnsignedVarint(_ value: UInt64) {
        if value < 0x80 {
            checked(1)
            position.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
            position += 1
            return
        }
        if value < 0x4000 {
            checked(2)
            let pair = UInt16(truncatingIfNeeded: value & 0x7f | 0x80) | UInt16(truncatingIfNeeded: value >> 7) << 8
            position.storeBytes(of: pair.littleEndian, as: UInt16.self)
            position += 2
            return
        }
        checked(Varint.size(unsigned: value))
        var rest = value
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
        checked(count)
        if count <= 128 {
            Self.copyShort(from: source, to: position, count: count)
        } else {
            position.copyMemory(from: source, byteCount: count)
        }
        position += count
    }

    /// Copies 1...128 bytes without calling `memmove`: keys and small values are this short, and
    /// a call costs more than the copy (and makes the caller save its registers around it). Each
    /// size class is a few overlapping unaligned loads and stores.
    @inline(__always)
    private static func copyShort(from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, count: Int) {
        if count >= 16 {
            // Whole 16-byte chunks, then one more ending at the last byte (overlapping the one before).
            var offset = 0
            while offset < count &- 16 {
                target.storeBytes(
                    of: source.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self), toByteOffset: offset,
                    as: SIMD16<UInt8>.self)
                offset &+= 16
            }
            target.storeBytes(
                of: source.loadUnaligned(fromByteOffset: count &- 16, as: SIMD16<UInt8>.self),
                toByteOffset: count &- 16, as: SIMD16<UInt8>.self)
        } else if count >= 8 {
            let head = source.loadUnaligned(as: UInt64.self)
            let tail = source.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            target.storeBytes(of: head, as: UInt64.self)
            target.storeBytes(of: tail, toByteOffset: count &- 8, as: UInt64.self)
        } else if count >= 4 {
            let head = source.loadUnaligned(as: UInt32.self)
            let tail = source.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
            target.storeBytes(of: head, as: UInt32.self)
            target.storeBytes(of: tail, toByteOffset: count &- 4, as: UInt32.self)
        } else {
            // 1...3: first, middle and last (some the same byte).
            let first = source.load(as: UInt8.self)
            let middle = source.load(fromByteOffset: count >> 1, as: UInt8.self)
            let last = source.load(fromByteOffset: count &- 1, as: UInt8.self)
            target.storeBytes(of: first, as: UInt8.self)
            target.storeBytes(of: middle, toByteOffset: count >> 1, as: UInt8.self)
            target.storeBytes(of: last, toByteOffset: count &- 1, as: UInt8.self)
        }
    }

    /// A varint length and the bytes, or -1 for nil (Kafka's nullable varint bytes).
    @inline(__always)
    package mutating func writeNullableBytes(_ bytes: UnsafeRawBufferPointer?) {
        guard let bytes else { return writeVarint(-1) }
        writeVarint(Int64(bytes.count))
        writeBytes(bytes)
    }
}
