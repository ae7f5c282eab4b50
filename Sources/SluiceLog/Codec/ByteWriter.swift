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
            position.storeBytes(of: Self.twoByteVarint(value), as: UInt16.self)
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
        } else {
            copyAtMost16(from: source, to: target, count: count)
        }
    }

    /// A key of at most 254 bytes as Kafka writes it: its length as a varint (-1 for null) and its
    /// bytes. Each size class of the copy knows how long the varint is, so that takes no test of
    /// its own; the tests go from short to long, as keys mostly are.
    @inline(__always)
    package mutating func writeSmallKey(from source: UnsafeRawPointer, count: Int) {
        assert(count >= -1 && count <= 254)
        if count <= 16 {
            writeAtMost16(from: source, count: count)
        } else {
            writeOver16(from: source, count: count)
        }
    }

    /// The same for a value, with the tests from long to short.
    @inline(__always)
    package mutating func writeSmallValue(from source: UnsafeRawPointer, count: Int) {
        assert(count >= -1 && count <= 254)
        if count > 64 {
            writeOver64(from: source, count: count)
        } else if count > 16 {
            writeOver16(from: source, count: count)
        } else {
            writeAtMost16(from: source, count: count)
        }
    }

    /// ``writeSmallKey(from:count:)`` for -1...16 bytes: the length takes one byte.
    @inline(__always)
    private mutating func writeAtMost16(from source: UnsafeRawPointer, count: Int) {
        if count > 0 {
            checked(1 &+ count)
            position.storeBytes(of: UInt8(truncatingIfNeeded: count &<< 1), as: UInt8.self)
            Self.copyAtMost16(from: source, to: position + 1, count: count)
            position += 1 &+ count
        } else {
            // 0 for empty, 1 for null (-1 zigzag-encoded).
            checked(1)
            position.storeBytes(of: UInt8(truncatingIfNeeded: 0 &- count), as: UInt8.self)
            position += 1
        }
    }

    /// The same for 17...254 bytes (one or two bytes of length).
    @inline(__always)
    private mutating func writeOver16(from source: UnsafeRawPointer, count: Int) {
        if count > 64 { return writeOver64(from: source, count: count) }
        writeUnsignedVarint(UInt64(truncatingIfNeeded: count) &<< 1)
        checked(count)
        if count > 32 {
            Self.copyChunks(2, from: source, to: position, count: count)
        } else {
            Self.copyChunks(1, from: source, to: position, count: count)
        }
        position += count
    }

    /// The same for 65...254 bytes: the length takes two bytes.
    @inline(__always)
    private mutating func writeOver64(from source: UnsafeRawPointer, count: Int) {
        checked(2 &+ count)
        position.storeBytes(of: Self.twoByteVarint(UInt64(truncatingIfNeeded: count) &<< 1), as: UInt16.self)
        if count > 128 {
            Self.copyChunks(8, from: source, to: position + 2, count: count)
        } else {
            Self.copyChunks(4, from: source, to: position + 2, count: count)
        }
        position += 2 &+ count
    }

    /// `value`, in 128...16383, as a varint (two bytes).
    @inline(__always)
    package mutating func writeTwoByteVarint(_ value: UInt64) {
        checked(2)
        position.storeBytes(of: Self.twoByteVarint(value), as: UInt16.self)
        position += 2
    }

    /// `value`, in 128...16383, as a two-byte varint ready to store: its low seven bits and the
    /// continuation bit, then the bits above (`value >> 7`). That is `256 * (value >> 7) +
    /// (value & 0x7f) + 0x80`, computed as `value + (value & ~0x7f) + 0x80`.
    @inline(__always)
    static func twoByteVarint(_ value: UInt64) -> UInt16 {
        assert(value >= 0x80 && value < 0x4000)
        return UInt16(truncatingIfNeeded: value &+ (value & ~0x7f) &+ 0x80).littleEndian
    }

    /// `chunks` 16-byte chunks from the start and as many ending at `count`, which is at least
    /// `16 * chunks`: the two runs overlap in the middle. Everything is loaded before anything is
    /// stored.
    @inline(__always)
    private static func copyChunks(
        _ chunks: Int, from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, count: Int
    ) {
        typealias Chunk = SIMD16<UInt8>
        // The tail run's start, in the source and the target.
        let tailSource = source + (count &- 16 &* chunks)
        let tailTarget = target + (count &- 16 &* chunks)
        switch chunks {
        case 1:
            let h0 = source.loadUnaligned(as: Chunk.self)
            let t0 = tailSource.loadUnaligned(as: Chunk.self)
            target.storeBytes(of: h0, as: Chunk.self)
            tailTarget.storeBytes(of: t0, as: Chunk.self)
        case 2:
            let h0 = source.loadUnaligned(as: Chunk.self)
            let h1 = source.loadUnaligned(fromByteOffset: 16, as: Chunk.self)
            let t0 = tailSource.loadUnaligned(as: Chunk.self)
            let t1 = tailSource.loadUnaligned(fromByteOffset: 16, as: Chunk.self)
            target.storeBytes(of: h0, as: Chunk.self)
            target.storeBytes(of: h1, toByteOffset: 16, as: Chunk.self)
            tailTarget.storeBytes(of: t0, as: Chunk.self)
            tailTarget.storeBytes(of: t1, toByteOffset: 16, as: Chunk.self)
        default:
            // 4 or 8: in groups of four, each group's loads before its stores.
            var offset = 0
            while offset < 16 &* chunks {
                let h0 = source.loadUnaligned(fromByteOffset: offset, as: Chunk.self)
                let h1 = source.loadUnaligned(fromByteOffset: offset &+ 16, as: Chunk.self)
                let h2 = source.loadUnaligned(fromByteOffset: offset &+ 32, as: Chunk.self)
                let h3 = source.loadUnaligned(fromByteOffset: offset &+ 48, as: Chunk.self)
                let t0 = tailSource.loadUnaligned(fromByteOffset: offset, as: Chunk.self)
                let t1 = tailSource.loadUnaligned(fromByteOffset: offset &+ 16, as: Chunk.self)
                let t2 = tailSource.loadUnaligned(fromByteOffset: offset &+ 32, as: Chunk.self)
                let t3 = tailSource.loadUnaligned(fromByteOffset: offset &+ 48, as: Chunk.self)
                target.storeBytes(of: h0, toByteOffset: offset, as: Chunk.self)
                target.storeBytes(of: h1, toByteOffset: offset &+ 16, as: Chunk.self)
                target.storeBytes(of: h2, toByteOffset: offset &+ 32, as: Chunk.self)
                target.storeBytes(of: h3, toByteOffset: offset &+ 48, as: Chunk.self)
                tailTarget.storeBytes(of: t0, toByteOffset: offset, as: Chunk.self)
                tailTarget.storeBytes(of: t1, toByteOffset: offset &+ 16, as: Chunk.self)
                tailTarget.storeBytes(of: t2, toByteOffset: offset &+ 32, as: Chunk.self)
                tailTarget.storeBytes(of: t3, toByteOffset: offset &+ 48, as: Chunk.self)
                offset &+= 64
            }
        }
    }

    /// 1...16 bytes (for ``copyShort(from:to:count:)`` too): two overlapping words of 8 or 4 bytes,
    /// or for 1...3 the first, middle and last byte.
    @inline(__always)
    private static func copyAtMost16(from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, count: Int) {
        assert(count >= 1 && count <= 16)
        if count >= 8 {
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
