/// Kafka Streams' windowed key bytes, as ksqlDB writes the keys of windowed tables and streams:
/// - time windows (tumbling, hopping): the inner key bytes, then the window start as an 8-byte
///   big-endian millisecond timestamp (`TimeWindowedSerializer`, `WindowKeySchema.toBinary`); the
///   end is not stored, readers add the window size;
/// - session windows: the inner key bytes, then the end, then the start, 8 bytes big-endian each
///   (`SessionWindowedSerializer`, `SessionKeySchema.toBinary`).
public enum WindowedKey {
    public static func timeWindowed(_ key: [UInt8], start: Int64) -> [UInt8] {
        var out = key
        out.reserveCapacity(key.count + 8)
        append(start, to: &out)
        return out
    }

    public static func sessionWindowed(_ key: [UInt8], start: Int64, end: Int64) -> [UInt8] {
        var out = key
        out.reserveCapacity(key.count + 16)
        append(end, to: &out)
        append(start, to: &out)
        return out
    }

    public static func splitTimeWindowed(_ bytes: [UInt8]) throws(RecordError) -> (key: [UInt8], start: Int64) {
        guard bytes.count >= 8 else { throw RecordError("Time-windowed key shorter than 8 bytes: \(bytes.count)") }
        let n = bytes.count - 8
        return (Array(bytes[0..<n]), read(bytes, at: n))
    }

    public static func splitSessionWindowed(_ bytes: [UInt8]) throws(RecordError) -> (key: [UInt8], start: Int64, end: Int64) {
        guard bytes.count >= 16 else { throw RecordError("Session-windowed key shorter than 16 bytes: \(bytes.count)") }
        let n = bytes.count - 16
        return (Array(bytes[0..<n]), read(bytes, at: n + 8), read(bytes, at: n))
    }

    private static func append(_ v: Int64, to out: inout [UInt8]) {
        let u = UInt64(bitPattern: v)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: u >> UInt64(shift))) }
    }

    private static func read(_ bytes: [UInt8], at offset: Int) -> Int64 {
        var v: UInt64 = 0
        for i in offset..<(offset + 8) { v = v << 8 | UInt64(bytes[i]) }
        return Int64(bitPattern: v)
    }
}
