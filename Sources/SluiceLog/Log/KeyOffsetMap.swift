#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Compaction's map from a record key to the offset of its latest record.
///
/// Compaction looks up every record of the partition twice per run (collecting, then rewriting), so
/// this is built for that: keys are copied once into one byte arena (no allocation per key), slots
/// hold a 64-bit hash, the key's place in the arena and the offset, and lookups take the key's
/// bytes where they lie in the batch (no copy). Open addressing with linear probing at most half
/// full. Two keys with the same hash are told apart by their bytes, so the hash only has to be
/// fast and spread well, not collision-free.
struct KeyOffsetMap {
    private struct Slot {
        var hash: UInt64 = 0
        var start = 0
        /// -1 while the slot is empty.
        var length: Int32 = -1
        var offset: Int64 = 0
    }

    private var arena: [UInt8] = []
    private var slots = [Slot](repeating: Slot(), count: 64)
    private(set) var count = 0

    /// Records `offset` as the latest for `key` (replacing an earlier one).
    mutating func set(_ key: UnsafeRawBufferPointer, offset: Int64) {
        if (count + 1) * 2 > slots.count { grow() }
        let hash = Self.hash(key)
        var index = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[index].length >= 0 {
            if slots[index].hash == hash && matches(slots[index], key) {
                slots[index].offset = offset
                return
            }
            index = (index + 1) & (slots.count - 1)
        }
        slots[index] = Slot(hash: hash, start: arena.count, length: Int32(key.count), offset: offset)
        arena.append(contentsOf: key)
        count += 1
    }

    /// The latest offset recorded for `key`, or nil.
    func offset(of key: UnsafeRawBufferPointer) -> Int64? {
        let hash = Self.hash(key)
        var index = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[index].length >= 0 {
            if slots[index].hash == hash && matches(slots[index], key) { return slots[index].offset }
            index = (index + 1) & (slots.count - 1)
        }
        return nil
    }

    private func matches(_ slot: Slot, _ key: UnsafeRawBufferPointer) -> Bool {
        guard Int(slot.length) == key.count else { return false }
        if key.isEmpty { return true }
        return arena.withUnsafeBytes { arena in
            memcmp(arena.baseAddress! + slot.start, key.baseAddress!, key.count) == 0
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        for slot in old where slot.length >= 0 {
            var index = Int(truncatingIfNeeded: slot.hash) & (slots.count - 1)
            while slots[index].length >= 0 { index = (index + 1) & (slots.count - 1) }
            slots[index] = slot
        }
    }

    /// Eight bytes at a time through a multiply and rotate, the tail byte by byte, then a final mix
    /// (MurmurHash3's) so that the low bits, which pick the slot, depend on every byte.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var index = 0
        while index + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            hash = (hash ^ (word &* 0xC2B2_AE3D_27D4_EB4F)) &* 0x9E37_79B9_7F4A_7C15
            hash = (hash << 31) | (hash >> 33)
            index += 8
        }
        while index < bytes.count {
            hash = (hash ^ UInt64(bytes[index])) &* 0x1000_0000_01B3
            index += 1
        }
        hash ^= hash >> 33
        hash &*= 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        hash &*= 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 33
        return hash
    }
}
