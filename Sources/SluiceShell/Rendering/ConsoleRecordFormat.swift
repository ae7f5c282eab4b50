import SluiceLog

/// How `sluice consume` prints a record by default: as Kafka's console consumer does
/// (`kafka-console-consumer`, its `DefaultMessageFormatter`), so scripts written for one work with
/// the other.
///
/// A record is its value's bytes exactly as stored, then a newline. Each `--print-*` flag puts one
/// field before the value, followed by a tab, always in Kafka's order whatever the order of the
/// flags: `CreateTime:MS` (`LogAppendTime:MS` on a topic whose `message.timestamp.type` says so),
/// `Partition:N`, `Offset:N`, then the key's bytes.
///
/// ```
/// CreateTime:1700000000000	Partition:0	Offset:3	s1	{"VALUE":9}
/// ```
///
/// Bytes are written as they are, never decoded or repaired: a value that is not UTF-8 (Avro,
/// Protobuf, a `KAFKA`-format integer) reaches standard output unchanged, for a tool that
/// understands it. A missing key or value (a tombstone) prints as `null`, as Kafka prints it; a
/// value that is the four bytes `null` looks the same, in Kafka too. A value holding a newline
/// spans two lines. `--decode` (``RecordDisplay``) is the readable alternative.
struct ConsoleRecordFormat {
    var printTimestamp = false
    var printPartition = false
    var printOffset = false
    var printKey = false
    /// The topic's, which names the timestamp field. Kafka names it per batch, so records stored
    /// before `topic alter` changed the type keep their old label there; here they take the new one.
    var timestampType = TimestampType.createTime

    private static let tab = UInt8(ascii: "\t")
    private static let null = Array("null".utf8)

    /// Appends `record`'s line, newline included, to `bytes`.
    func append(_ record: ConsumedRecord, partition: Int, to bytes: inout [UInt8]) {
        if printTimestamp { Self.field("\(timestampType.rawValue):\(record.timestamp)", to: &bytes) }
        if printPartition { Self.field("Partition:\(partition)", to: &bytes) }
        if printOffset { Self.field("Offset:\(record.offset)", to: &bytes) }
        if printKey {
            bytes.append(contentsOf: record.key ?? Self.null)
            bytes.append(Self.tab)
        }
        bytes.append(contentsOf: record.value ?? Self.null)
        bytes.append(UInt8(ascii: "\n"))
    }

    private static func field(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: text.utf8)
        bytes.append(tab)
    }
}
