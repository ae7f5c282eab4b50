/// Kafka's variable-length integers: little-endian base-128 groups of 7 bits, high bit set on all but
/// the last byte, applied to the zigzag encoding of a signed value (so small negatives stay short).
/// `varint` holds an `Int32` in at most 5 bytes; `varlong` an `Int64` in at most 10.
package enum Varint {
    @inline(__always)
    package static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    @inline(__always)
    package static func unzigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    /// Bytes needed for `value` as an unsigned base-128 number.
    @inline(__always)
    package static func size(unsigned value: UInt64) -> Int {
        // Lengths and deltas in a batch are mostly one or two bytes; skip the division for them.
        if value < 0x80 { return 1 }
        if value < 0x4000 { return 2 }
        // 1 + floor(bits / 7), computed from the highest set bit.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    /// Bytes needed for `value` zigzag-encoded.
    @inline(__always)
    package static func size(_ value: Int64) -> Int { size(unsigned: zigzag(value)) }

    @inline(__always)
    package static func append(unsigned value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Appends `value` zigzag-encoded (a Kafka varint when it fits an `Int32`, else a varlong).
    @inline(__always)
    package static func append(_ value: Int64, to bytes: inout [UInt8]) {
        append(unsigned: zigzag(value), to: &bytes)
    }
}
