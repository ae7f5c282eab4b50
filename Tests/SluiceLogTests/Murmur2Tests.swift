import Testing

@testable import SluiceLog

@Suite struct Murmur2Tests {
    /// Values of `org.apache.kafka.common.utils.Utils.murmur2` for these UTF-8 strings, as asserted by
    /// Kafka's own UtilsTest and by other clients that check compatibility against it; every tail
    /// length (0–3 leftover bytes) is covered.
    @Test(arguments: [
        ("21", Int32(-973_932_308)),
        ("foobar", -790_332_482),
        ("a-little-bit-long-string", -985_981_536),
        ("a-little-bit-longer-string", -1_486_304_829),
        ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
        ("abc", 479_470_107),
        ("1", -1_993_445_489),
        ("12", 126_087_238),
        ("", 275_646_681),
    ])
    func matchesKafka(input: String, expected: Int32) {
        #expect(Murmur2.hash(Array(input.utf8)) == expected)
    }
}

@Suite struct PartitionerTests {
    /// toPositive(hash) % n, worked by hand from the hashes above: e.g. "21" hashes to -973932308,
    /// masked to 1173551340, which is 0 mod 3 and 0 mod 4; "a-little-bit-longer-string" masks to
    /// 661178819, which is 2 mod 3, 3 mod 4 and 5 mod 6.
    @Test(arguments: [
        ("21", 3, 0), ("21", 4, 0), ("foobar", 4, 2), ("abc", 4, 3), ("abc", 6, 3),
        ("a-little-bit-longer-string", 3, 2), ("a-little-bit-longer-string", 4, 3),
        ("a-little-bit-longer-string", 6, 5), ("12", 3, 1), ("1", 6, 3),
    ])
    func placesKeysWhereKafkaWould(key: String, partitions: Int, expected: Int) {
        #expect(Partitioner.partition(forKey: Array(key.utf8), partitionCount: partitions) == expected)
    }

    @Test func masksTheSignBitInsteadOfTakingTheAbsoluteValue() {
        // "foobar" hashes to -790332482: masked it is 1357151166, 0 mod 3; abs would give 2 mod 3.
        #expect(Partitioner.partition(forKey: Array("foobar".utf8), partitionCount: 3) == 0)
        #expect(Int(abs(Int64(-790_332_482))) % 3 == 2)
    }

    @Test func nullKeysGoToPartitionZero() {
        #expect(Partitioner.partition(forKey: nil, partitionCount: 12) == 0)
    }

    @Test func aSinglePartitionTakesEverything() {
        for key in ["", "x", "some key"] {
            #expect(Partitioner.partition(forKey: Array(key.utf8), partitionCount: 1) == 0)
        }
    }
}
