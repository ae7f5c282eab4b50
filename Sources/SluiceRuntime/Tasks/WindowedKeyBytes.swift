import SluicePlanner

/// Kafka Streams' windowed key layout, which ksqlDB's windowed topics use: the inner key bytes,
/// then for time windows the 8-byte big-endian window start, and for session windows the 8-byte
/// end followed by the 8-byte start.
enum WindowedKeyBytes {
    static func wrap(_ key: [UInt8], window: WindowBounds, windowing: Windowing) -> [UInt8] {
        var out = key
        // One growth for the suffix, not one per appended byte.
        out.reserveCapacity(key.count + 16)
        switch windowing {
        case .time:
            appendBigEndian(window.start, to: &out)
        case .session:
            appendBigEndian(window.end, to: &out)
            appendBigEndian(window.start, to: &out)
        }
        return out
    }

    /// Splits windowed key bytes into the inner key and its window; nil when too short.
    static func unwrap(_ bytes: [UInt8], windowing: Windowing) -> ([UInt8], WindowBounds)? {
        switch windowing {
        case .time(let size):
            guard bytes.count >= 8 else { return nil }
            let start = readBigEndian(bytes, at: bytes.count - 8)
            return (Array(bytes[..<(bytes.count - 8)]), WindowBounds(start: start, end: start + size))
        case .session:
            guard bytes.count >= 16 else { return nil }
            let end = readBigEndian(bytes, at: bytes.count - 16)
            let start = readBigEndian(bytes, at: bytes.count - 8)
            return (Array(bytes[..<(bytes.count - 16)]), WindowBounds(start: start, end: end))
        }
    }

    static func appendBigEndian(_ v: Int64, to out: inout [UInt8]) {
        withUnsafeBytes(of: UInt64(bitPattern: v).bigEndian) { out.append(contentsOf: $0) }
    }

    static func readBigEndian(_ bytes: [UInt8], at offset: Int) -> Int64 {
        var u: UInt64 = 0
        for i in 0..<8 { u = u << 8 | UInt64(bytes[offset + i]) }
        return Int64(bitPattern: u)
    }
}
