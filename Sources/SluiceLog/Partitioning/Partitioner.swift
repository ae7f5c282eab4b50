/// Kafka's default partitioner for keyed records, so a key lands in the partition a Kafka producer
/// would choose: `toPositive(murmur2(keyBytes)) % partitionCount`, where `toPositive` clears the sign
/// bit (not `abs`, which would differ for negative hashes and overflow at `Int32.min`).
///
/// Records with a null key go to partition 0. Kafka spreads them ("sticky" partitioning), but that
/// depends on timing and batch sizes; Sluice keeps partitioning a pure function of the record so runs
/// are reproducible.
public enum Partitioner {
    public static func partition(forKey key: [UInt8]?, partitionCount: Int) -> Int {
        precondition(partitionCount > 0, "partition count must be positive")
        guard let key else { return 0 }
        return partition(forHash: Murmur2.hash(key), partitionCount: partitionCount)
    }

    public static func partition(forKey key: UnsafeRawBufferPointer, partitionCount: Int) -> Int {
        precondition(partitionCount > 0, "partition count must be positive")
        return partition(forHash: Murmur2.hash(key), partitionCount: partitionCount)
    }

    @inline(__always)
    static func partition(forHash hash: Int32, partitionCount: Int) -> Int {
        Int(hash & 0x7fff_ffff) % partitionCount
    }
}
