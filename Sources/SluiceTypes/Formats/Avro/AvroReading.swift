extension AvroReadNode {
    /// Reads one value. Throws on malformed input or values the column cannot hold.
    func read(_ d: inout AvroDecoder) throws(RecordError) -> Value {
        switch self {
        case .null:
            return .null
        case .boolean(let target):
            let b = try d.readBoolean()
            return target == .boolean ? .boolean(b) : .string(b ? "true" : "false")
        case .int(let target):
            let v = try d.readInt()
            switch target {
            case .integer: return .integer(v)
            case .bigint: return .bigint(Int64(v))
            case .date: return .date(v)
            case .time: return .time(v)
            case .timestamp: return .timestamp(Int64(v))
            default: return .string(String(v))
            }
        case .long(let target):
            let v = try d.readLong()
            switch target {
            case .bigint: return .bigint(v)
            case .timestamp: return .timestamp(v)
            default: return .string(String(v))
            }
        case .float(let target):
            let v = try d.readFloat()
            return target == .double ? .double(Double(v)) : .string(JavaFloatText.string(v))
        case .double(let target):
            let v = try d.readDouble()
            return target == .double ? .double(v) : .string(JavaDoubleFormat.string(v))
        case .string:
            return .string(try d.readString())
        case .bytes:
            return .bytes(try d.readBytes())
        case .fixed(let size):
            return .bytes(Array(try d.take(size)))
        case .decimal(let size, let writerScale, let precision, let scale):
            let count: Int
            if let size { count = size } else { count = try d.readLength() }
            let raw = try d.take(count)
            guard let unscaled = TwosComplement.value(raw) else {
                throw RecordError(raw.isEmpty ? "Zero length BigInteger" : "Decimal value does not fit \(SQLDecimal.maxPrecision) digits")
            }
            return .decimal(try SQLDecimal(unscaled: unscaled, scale: writerScale).fittedFast(precision: precision, scale: scale))
        case .enumeration(let symbols):
            let i = try d.readInt()
            guard i >= 0 && Int(i) < symbols.count else { throw RecordError("Invalid enum symbol index \(i)") }
            return .string(symbols[Int(i)])
        case .union(let branches):
            return try branches[try AvroReadNode.branchIndex(&d, count: branches.count)].read(&d)
        case .array(let element):
            var out: [Value] = []
            var n = try d.readBlockCount()
            while n > 0 {
                out.reserveCapacity(out.count + min(n, d.remaining + 1))
                for _ in 0..<n { out.append(try element.read(&d)) }
                n = try d.readBlockCount()
            }
            return .array(out)
        case .map(let value):
            var out = AvroMapBuilder()
            var n = try d.readBlockCount()
            while n > 0 {
                for _ in 0..<n {
                    let key = try d.readString()
                    out.put(.string(key), try value.read(&d))
                }
                n = try d.readBlockCount()
            }
            return .map(out.entries)
        case .entries(let keyNode, let valueNode):
            var out = AvroMapBuilder()
            var n = try d.readBlockCount()
            while n > 0 {
                for _ in 0..<n {
                    let key = try keyNode.read(&d)
                    out.put(key, try valueNode.read(&d))
                }
                n = try d.readBlockCount()
            }
            return .map(out.entries)
        case .record(let plan):
            var entries = plan.template
            for i in 0..<plan.fields.count {
                let v = try plan.fields[i].read(&d)
                let slot = plan.slots[i]
                if slot >= 0 { entries[slot].value = v }
            }
            return .structure(entries)
        case .unionStruct(let branches, let slots, let template):
            let i = try AvroReadNode.branchIndex(&d, count: branches.count)
            let v = try branches[i].read(&d)
            if case .null = branches[i] { return .null }
            var entries = template
            if slots[i] >= 0 { entries[slots[i]].value = v }
            return .structure(entries)
        case .skip(let schema):
            try schema.skip(&d)
            return .null
        case .mismatch(let message):
            throw RecordError(message)
        }
    }

    @inline(__always)
    static func branchIndex(_ d: inout AvroDecoder, count: Int) throws(RecordError) -> Int {
        let i = try d.readInt()
        guard i >= 0 && Int(i) < count else {
            throw RecordError("Invalid union branch index \(i) for a union of \(count) types")
        }
        return Int(i)
    }
}

extension AvroRecordPlan {
    /// Reads a record into the values of a row (the template's field order).
    func readRow(_ d: inout AvroDecoder) throws(RecordError) -> [Value] {
        var values = [Value](repeating: .null, count: template.count)
        for i in 0..<fields.count {
            let v = try fields[i].read(&d)
            let slot = slots[i]
            if slot >= 0 { values[slot] = v }
        }
        return values
    }
}

/// Map entries in first-seen order; a repeated key keeps its place and takes the later value,
/// as a Java map would keep only the last.
struct AvroMapBuilder {
    var entries: [MapEntry] = []
    private var index: [Value: Int]? = nil

    mutating func put(_ key: Value, _ value: Value) {
        if entries.count < 8 {
            for i in 0..<entries.count where entries[i].key == key {
                entries[i].value = value
                return
            }
            entries.append(MapEntry(key: key, value: value))
            return
        }
        if index == nil {
            var built: [Value: Int] = [:]
            for (i, e) in entries.enumerated() { built[e.key] = i }
            index = built
        }
        if let i = index![key] {
            entries[i].value = value
        } else {
            index![key] = entries.count
            entries.append(MapEntry(key: key, value: value))
        }
    }
}

extension AvroSchema {
    /// Reads past one value of this schema.
    func skip(_ d: inout AvroDecoder) throws(RecordError) {
        switch self {
        case .null: return
        case .boolean: try d.skip(1)
        case .int, .date, .timeMillis: _ = try d.readInt()
        case .long, .timestampMillis: _ = try d.readLong()
        case .float: try d.skip(4)
        case .double: try d.skip(8)
        case .bytes, .string, .decimal: try d.skip(try d.readLength())
        case .fixed(let f): try d.skip(f.size)
        case .enumeration: _ = try d.readInt()
        case .array(let items):
            var n = try d.readBlockCount()
            while n > 0 {
                for _ in 0..<n { try items.skip(&d) }
                n = try d.readBlockCount()
            }
        case .map(let values):
            var n = try d.readBlockCount()
            while n > 0 {
                for _ in 0..<n {
                    try d.skip(try d.readLength())
                    try values.skip(&d)
                }
                n = try d.readBlockCount()
            }
        case .record(let r):
            for f in r.fields { try f.schema.skip(&d) }
        case .union(let branches):
            try branches[try AvroReadNode.branchIndex(&d, count: branches.count)].skip(&d)
        }
    }
}

/// Java's `Float.toString`: the shortest digits that round back to the float, laid out as
/// `Double.toString` lays them out (`1.1234`, `1.0E10`, `1.5E-5`).
enum JavaFloatText {
    static func string(_ v: Float) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Infinity" : "Infinity" }
        if v == 0 { return v.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description prints the shortest round-tripping digits; take them and redo the
        // layout: "1.1234", "1e+10", "1.5e-05", "-3.0".
        var digits: [UInt8] = []
        var pointPos = 0
        var seenPoint = false
        var exponent = 0
        var expSign = 1
        var inExponent = false
        for c in v.magnitude.description.utf8 {
            if inExponent {
                if c == UInt8(ascii: "-") { expSign = -1 } else if c >= 0x30 && c <= 0x39 { exponent = exponent * 10 + Int(c - 0x30) }
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                inExponent = true
            } else if c == UInt8(ascii: ".") {
                seenPoint = true
            } else if c >= 0x30 && c <= 0x39 {
                if digits.isEmpty && c == 0x30 {
                    if seenPoint { pointPos -= 1 }
                    continue
                }
                digits.append(c)
                if !seenPoint { pointPos += 1 }
            }
        }
        pointPos += expSign * exponent
        while digits.count > 1 && digits[digits.count - 1] == 0x30 { digits.removeLast() }
        var out: [UInt8] = v.sign == .minus ? [0x2D] : []
        JavaDoubleFormat.layout(digits: digits, pointPos: pointPos, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
