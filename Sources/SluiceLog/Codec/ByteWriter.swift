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
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        writeBytes(from: source, count: bytes.count)
    }

    /// `count` bytes from `source`; `count` must be positive.
    @inline(__always)
    package mutating func writeBytes(from source: UnsafeRawPointer, count: Int) {
        checked(count)
        if count <= 128 {
            Self.copyShort(from: source, to: position, count: count)
        } else {
            position.copyMemory(from: source, byteCount: count)
        }
        position += count
    }

    /// `count` bytes from `source`, 1...128 of them.
    @inline(__always)
    package mutating func writeShortBytes(from source: UnsafeRawPointer, count: Int) {
        checked(count)
        assert(count >= 1 && count <= 128)
        Self.copyShort(from: source, to: position, count: count)
        position += count
    }

    /// Copies 1...128 bytes without calling `memmove`: keys and small values are this short, and
    /// a call costs more than the copy (and makes the caller save its registers around it). Each
    /// size class copies a head and a tail that overlap in the middle, the way `memcpy` does, with
    /// no loop: 65...128 bytes are four 16-byte loads and stores from each end.
    @inline(__always)
    private static func copyShort(from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, count: Int) {
        typealias Chunk = SIMD16<UInt8>
        if count > 32 {
            let headCount = count > 64 ? 64 : 32
            let tail = count &- headCount
            // Loaded before any store, so the compiler need not reload after a store that might overlap.
            let h0 = source.loadUnaligned(as: Chunk.self)
            let h1 = source.loadUnaligned(fromByteOffset: 16, as: Chunk.self)
            let t0 = source.loadUnaligned(fromByteOffset: tail, as: Chunk.self)
            let t1 = source.loadUnaligned(fromByteOffset: tail &+ 16, as: Chunk.self)
            if count > 64 {
                let h2 = source.loadUnaligned(fromByteOffset: 32, as: Chunk.self)
                let h3 = source.loadUnaligned(fromByteOffset: 48, as: Chunk.self)
                let t2 = source.loadUnaligned(fromByteOffset: tail &+ 32, as: Chunk.self)
                let t3 = source.loadUnaligned(fromByteOffset: tail &+ 48, as: Chunk.self)
                target.storeBytes(of: h2, toByteOffset: 32, as: Chunk.self)
                target.storeBytes(of: h3, toByteOffset: 48, as: Chunk.self)
                target.storeBytes(of: t2, toByteOffset: tail &+ 32, as: Chunk.self)
                target.storeBytes(of: t3, toByteOffset: tail &+ 48, as: Chunk.self)
            }
            target.storeBytes(of: h0, as: Chunk.self)
            target.storeBytes(of: h1, toByteOffset: 16, as: Chunk.self)
            target.storeBytes(of: t0, toByteOffset: tail, as: Chunk.self)
            target.storeBytes(of: t1, toByteOffset: tail &+ 16, as: Chunk.self)
        } else if count >= 16 {
            let head = source.loadUnaligned(as: Chunk.self)
            let tail = source.loadUnaligned(fromByteOffset: count &- 16, as: Chunk.self)
            target.storeBytes(of: head, as: Chunk.self)
            target.storeBytes(of: tail, toByteOffset: count &- 16, as: Chunk.self)
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
