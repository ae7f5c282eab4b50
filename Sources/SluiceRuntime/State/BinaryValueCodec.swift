import SluiceTypes

/// A compact, exact binary form of rows for Sluice's own internal topics (repartition topics),
/// where nothing outside Sluice reads the bytes and types must survive unchanged.
///
/// Each value is a tag byte then its payload: integers in fixed big-endian widths, strings and
/// bytes length-prefixed, containers count-prefixed.
enum BinaryValueCodec {
    static func encode(_ values: [Value]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 * values.count + 4)
        appendCount(values.count, &out)
        for v in values { append(v, &out) }
        return out
    }

    static func decode(_ bytes: [UInt8]) -> [Value]? {
        var reader = Reader(bytes: bytes)
        guard let n = reader.count() else { return nil }
        var out: [Value] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            guard let v = reader.value() else { return nil }
            out.append(v)
        }
        return out
    }

    private static func appendCount(_ n: Int, _ out: inout [UInt8]) { appendInt(Int64(n), width: 4, &out) }

    private static func appendInt(_ v: Int64, width: Int, _ out: inout [UInt8]) {
        // Whole big-endian words at once: snapshots write millions of these.
        if width == 8 {
            withUnsafeBytes(of: UInt64(bitPattern: v).bigEndian) { out.append(contentsOf: $0) }
        } else if width == 4 {
            withUnsafeBytes(of: UInt32(truncatingIfNeeded: v).bigEndian) { out.append(contentsOf: $0) }
        } else {
            let u = UInt64(bitPattern: v)
            for i in stride(from: width - 1, through: 0, by: -1) { out.append(UInt8(truncatingIfNeeded: u >> UInt64(i * 8))) }
        }
    }

    private static func appendBytes(_ b: some Collection<UInt8>, _ out: inout [UInt8]) {
        appendCount(b.count, &out)
        out.append(contentsOf: b)
    }

    static func append(_ v: Value, _ out: inout [UInt8]) {
        switch v {
        case .null: out.append(0)
        case .boolean(let b):
            out.append(1)
            out.append(b ? 1 : 0)
        case .integer(let x):
            out.append(2)
            appendInt(Int64(x), width: 4, &out)
        case .bigint(let x):
            out.append(3)
            appendInt(x, width: 8, &out)
        case .double(let x):
            out.append(4)
            appendInt(Int64(bitPattern: x.bitPattern), width: 8, &out)
        case .decimal(let d):
            out.append(5)
            appendInt(Int64(truncatingIfNeeded: d.unscaled >> 64), width: 8, &out)
            appendInt(Int64(truncatingIfNeeded: d.unscaled), width: 8, &out)
            appendCount(d.scale, &out)
        case .string(let s):
            out.append(6)
            appendBytes(s.utf8, &out)
        case .bytes(let b):
            out.append(7)
            appendBytes(b, &out)
        case .date(let d):
            out.append(8)
            appendInt(Int64(d), width: 4, &out)
        case .time(let t):
            out.append(9)
            appendInt(Int64(t), width: 4, &out)
        case .timestamp(let t):
            out.append(10)
            appendInt(t, width: 8, &out)
        case .array(let items):
            out.append(11)
            appendCount(items.count, &out)
            for i in items { append(i, &out) }
        case .map(let entries):
            out.append(12)
            appendCount(entries.count, &out)
            for e in entries {
                append(e.key, &out)
                append(e.value, &out)
            }
        case .structure(let fields):
            out.append(13)
            appendCount(fields.count, &out)
            for f in fields {
                appendBytes(f.name.utf8, &out)
                append(f.value, &out)
            }
        }
    }

    struct Reader {
        let bytes: [UInt8]
        var position = 0

        mutating func int(width: Int) -> Int64? {
            guard position + width <= bytes.count else { return nil }
            var u: UInt64 = 0
            for i in 0..<width { u = u << 8 | UInt64(bytes[position + i]) }
            position += width
            if width < 8 {
                let shift = UInt64(64 - width * 8)
                return Int64(bitPattern: u << shift) >> Int64(shift)
            }
            return Int64(bitPattern: u)
        }

        mutating func count() -> Int? {
            guard let n = int(width: 4), n >= 0 else { return nil }
            return Int(n)
        }

        mutating func rawBytes() -> ArraySlice<UInt8>? {
            guard let n = count(), position + n <= bytes.count else { return nil }
            defer { position += n }
            return bytes[position..<(position + n)]
        }

        mutating func value() -> Value? {
            guard position < bytes.count else { return nil }
            let tag = bytes[position]
            position += 1
            switch tag {
            case 0: return .null
            case 1:
                guard position < bytes.count else { return nil }
                position += 1
                return .boolean(bytes[position - 1] != 0)
            case 2: return int(width: 4).map { .integer(Int32(truncatingIfNeeded: $0)) }
            case 3: return int(width: 8).map(Value.bigint)
            case 4: return int(width: 8).map { .double(Double(bitPattern: UInt64(bitPattern: $0))) }
            case 5:
                guard let high = int(width: 8), let low = int(width: 8), let scale = count() else { return nil }
                let unscaled = Int128(high) << 64 | Int128(UInt64(bitPattern: low))
                return .decimal(SQLDecimal(unscaled: unscaled, scale: scale))
            case 6: return rawBytes().map { .string(String(decoding: $0, as: UTF8.self)) }
            case 7: return rawBytes().map { .bytes(Array($0)) }
            case 8: return int(width: 4).map { .date(Int32(truncatingIfNeeded: $0)) }
            case 9: return int(width: 4).map { .time(Int32(truncatingIfNeeded: $0)) }
            case 10: return int(width: 8).map(Value.timestamp)
            case 11:
                guard let n = count() else { return nil }
                var items: [Value] = []
                for _ in 0..<n {
                    guard let v = value() else { return nil }
                    items.append(v)
                }
                return .array(items)
            case 12:
                guard let n = count() else { return nil }
                var entries: [MapEntry] = []
                for _ in 0..<n {
                    guard let k = value(), let v = value() else { return nil }
                    entries.append(MapEntry(key: k, value: v))
                }
                return .map(entries)
            case 13:
                guard let n = count() else { return nil }
                var fields: [StructEntry] = []
                for _ in 0..<n {
                    guard let name = rawBytes(), let v = value() else { return nil }
                    fields.append(StructEntry(name: String(decoding: name, as: UTF8.self), value: v))
                }
                return .structure(fields)
            default: return nil
            }
        }
    }
}
