import Testing

@testable import SluiceLog

/// Compaction's key map against a dictionary, over many keys, empty and long keys, replaced
/// offsets, and keys whose hashes collide in the slot bits.
@Suite struct KeyOffsetMapTests {
    @Test func agreesWithADictionary() {
        var map = KeyOffsetMap()
        var model: [[UInt8]: Int64] = [:]
        var random = SeededRandom(seed: 7)
        for offset in 0..<20_000 {
            let length = random.below(4) == 0 ? random.below(40) : random.below(6)
            let key = (0..<length).map { _ in UInt8(random.below(3)) }
            key.withUnsafeBytes { map.set($0, offset: Int64(offset)) }
            model[key] = Int64(offset)
        }
        #expect(map.count == model.count)
        for (key, offset) in model { #expect(key.withUnsafeBytes { map.offset(of: $0) } == offset) }
        for absent in [[UInt8](repeating: 9, count: 3), [9], Array(repeating: 2, count: 41)] {
            #expect(absent.withUnsafeBytes { map.offset(of: $0) } == nil)
        }
    }

    @Test func keysWithTheSameSlotAreToldApartByTheirBytes() {
        // Find keys whose hashes share the low 6 bits (the first table's slot).
        var sameSlot: [[UInt8]] = []
        var candidate: UInt32 = 0
        while sameSlot.count < 40 {
            let key = withUnsafeBytes(of: candidate) { Array($0) }
            if key.withUnsafeBytes({ KeyOffsetMap.hash($0) }) & 63 == 5 { sameSlot.append(key) }
            candidate += 1
        }
        var map = KeyOffsetMap()
        for (index, key) in sameSlot.enumerated() { key.withUnsafeBytes { map.set($0, offset: Int64(index)) } }
        for (index, key) in sameSlot.enumerated() { #expect(key.withUnsafeBytes { map.offset(of: $0) } == Int64(index)) }
        #expect(map.count == 40)
    }
}
