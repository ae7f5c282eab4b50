/// Reading typed values straight from JSON bytes, applying ksqlDB's coercions without building a
/// tree: members nobody asked for are skipped (still validated), scalars go from their bytes to a
/// `Value`. Only a STRING column holding an object or array builds a tree, to re-render it.
extension JSONCursor {
    mutating func readValue(_ plan: JSONReadPlan) throws(JSONReadError) -> Value {
        switch peek() {
        case 0x22:
            let s = try syntax { (c) throws(JSONParseError) in try c.scanString() }
            if case .string = plan, !s.hasEscapes {
                return .string(text(start: s.start, end: s.end))
            }
            if !s.hasEscapes {
                return try coerce(.string(UnsafeBufferPointer(rebasing: buf[s.start..<s.end])), plan)
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(s.end - s.start)
            appendUnescaped(start: s.start, end: s.end, to: &bytes)
            if case .string = plan { return .string(String(decoding: bytes, as: UTF8.self)) }
            return try bytes.withUnsafeBufferPointer { (b) throws(JSONReadError) -> Value in try coerce(.string(b), plan) }
        case 0x2D, 0x30...0x39:
            let n = try syntax { (c) throws(JSONParseError) in try c.scanNumber() }
            return try coerce(.number(UnsafeBufferPointer(rebasing: buf[n.start..<n.end]), isInteger: n.isInteger), plan)
        case 0x6E, 0x74, 0x66:
            let literal = try syntax { (c) throws(JSONParseError) in try c.scanLiteral() }
            guard case .bool(let b) = literal else { return .null }
            return try coerce(.bool(b), plan)
        case 0x7B:
            switch plan {
            case .structure(let s):
                var values = [Value](repeating: .null, count: s.names.count)
                try values.withUnsafeMutableBufferPointer { (v) throws(JSONReadError) in try self.readFields(s, into: v) }
                var entries: [StructEntry] = []
                entries.reserveCapacity(values.count)
                for i in 0..<values.count { entries.append(StructEntry(name: s.names[i], value: values[i])) }
                return .structure(entries)
            case .map(let keyType, let valuePlan, _):
                return try readMap(keyType: keyType, valuePlan: valuePlan)
            case .string:
                return .string(JacksonText.stringValue(of: try syntax { (c) throws(JSONParseError) in try c.parseValue() }))
            default:
                throw .coercion(.cannotConvert("ObjectNode", to: plan.type))
            }
        case 0x5B:
            switch plan {
            case .array(let elementPlan, _):
                return try readArray(elementPlan)
            case .string:
                return .string(JacksonText.stringValue(of: try syntax { (c) throws(JSONParseError) in try c.parseValue() }))
            default:
                throw .coercion(.cannotConvert("ArrayNode", to: plan.type))
            }
        default:
            throw .syntax(unexpected("a JSON value"))
        }
    }

    /// `readValue` for a scalar column, without the plan enum.
    @inline(__always)
    mutating func readScalar(_ kind: ScalarKind) throws(JSONReadError) -> Value {
        let c = peek()
        if c == 0x22 {
            let s = try syntax { (c) throws(JSONParseError) in try c.scanString() }
            if !s.hasEscapes {
                if case .string = kind { return .string(text(start: s.start, end: s.end)) }
                return try coerce(.string(UnsafeBufferPointer(rebasing: buf[s.start..<s.end])), kind)
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(s.end - s.start)
            appendUnescaped(start: s.start, end: s.end, to: &bytes)
            if case .string = kind { return .string(String(decoding: bytes, as: UTF8.self)) }
            return try bytes.withUnsafeBufferPointer { (b) throws(JSONReadError) -> Value in try coerce(.string(b), kind) }
        }
        if c == 0x2D || c &- 0x30 < 10 {
            let n = try syntax { (c) throws(JSONParseError) in try c.scanNumber() }
            return try coerce(.number(UnsafeBufferPointer(rebasing: buf[n.start..<n.end]), isInteger: n.isInteger), kind)
        }
        if case .string = kind { return try readValue(.string) }
        return try readValue(.scalar(kind))
    }

    @inline(__always)
    private func coerce(_ scalar: JSONScalar, _ kind: ScalarKind) throws(JSONReadError) -> Value {
        do throws(CoercionError) {
            return try ScalarCoercion.coerce(scalar, to: kind)
        } catch {
            throw .coercion(error)
        }
    }

    @inline(__always)
    private func coerce(_ scalar: JSONScalar, _ plan: JSONReadPlan) throws(JSONReadError) -> Value {
        do throws(CoercionError) {
            switch plan {
            case .scalar(let kind): return try ScalarCoercion.coerce(scalar, to: kind)
            case .string: return try ScalarCoercion.coerce(scalar, to: ScalarKind.string)
            default: throw CoercionError.cannotConvert(scalar.kindName, to: plan.type)
            }
        } catch {
            throw .coercion(error)
        }
    }

    /// Runs a scanner, turning its syntax error into a read error.
    @inline(__always)
    mutating func syntax<R>(_ body: (inout JSONCursor) throws(JSONParseError) -> R) throws(JSONReadError) -> R {
        do {
            return try body(&self)
        } catch {
            throw .syntax(error)
        }
    }

    /// Reads the object at the cursor into `values` (one slot per field of `plan`, pre-filled with
    /// NULL), skipping members that match no field.
    ///
    /// A field takes the last member whose key is exactly its name, else the last whose key matches
    /// it ignoring case (ksqlDB looks the exact name up first, then the upper-cased keys). Members
    /// are read as they come, so a member that a later one replaces may fail to convert. After the
    /// first failure, `readRestSettingAside` finishes the object, keeping failures until its end;
    /// until then nothing is kept, so the usual record pays nothing for this.
    mutating func readFields(_ plan: JSONStructPlan, into values: UnsafeMutableBufferPointer<Value>) throws(JSONReadError) {
        try syntax { (c) throws(JSONParseError) in try c.enterContainer() }
        let memberDepth = depth
        pos += 1
        skipWhitespace()
        if peek() == 0x7D {
            pos += 1
            leaveContainer()
            return
        }
        let fieldCount = plan.names.count
        var taken = ExactKeys(fieldCount: fieldCount)
        var hint = 0
        while true {
            guard peek() == 0x22 else { throw .syntax(unexpected("'\"' to start an object key")) }
            if fieldCount <= 64, hint < fieldCount, let quick = plan.matcher.matchInPlace(buf, at: pos + 1, field: hint) {
                // The usual case: the next field's name, in place.
                let i = hint
                pos = quick.end + 1
                try expectColon()
                let bit: UInt64 = 1 << UInt64(i)
                if quick.exact || taken.small & bit == 0 {
                    let valueStart = pos
                    if quick.exact { taken.small |= bit }
                    do {
                        try readField(plan.readers[i], plan, i, into: values)
                    } catch {
                        var failures = FieldFailures(memberDepth: memberDepth)
                        try setAside(error, field: i, plan, valueStart: valueStart, values, &failures)
                        return try readRestSettingAside(plan, into: values, hint: i + 1, taken: &taken, &failures)
                    }
                } else {
                    try syntax { (c) throws(JSONParseError) in try c.skipValue() }
                }
                hint = i + 1
            } else {
                var failures: FieldFailures? = nil
                try readMember(plan, into: values, hint: &hint, taken: &taken, failures: &failures, depth: memberDepth)
                if failures != nil {
                    return try readRestSettingAside(plan, into: values, hint: hint, taken: &taken, &failures!)
                }
            }
            if try endOfMember() { return }
        }
    }

    /// The rest of an object after a member failed to convert (and was passed): every member on the
    /// general path, failures set aside, and at the end the failure that still counts, if any.
    @inline(never)
    private mutating func readRestSettingAside(
        _ plan: JSONStructPlan, into values: UnsafeMutableBufferPointer<Value>, hint: Int, taken: inout ExactKeys,
        _ failures: inout FieldFailures
    ) throws(JSONReadError) {
        var hint = hint
        var kept: FieldFailures? = failures
        while true {
            if try endOfMember() {
                if let failure = kept?.pending { throw failure }
                return
            }
            guard peek() == 0x22 else { throw .syntax(unexpected("'\"' to start an object key")) }
            try readMember(plan, into: values, hint: &hint, taken: &taken, failures: &kept, depth: failures.memberDepth)
        }
    }

    /// A member's value failed to convert to field `i`: unless the JSON itself is malformed, keeps
    /// the failure for the end of the object (a later member may replace this one), leaves the
    /// field NULL and moves past the value.
    @inline(never)
    private mutating func setAside(
        _ error: JSONReadError, field i: Int, _ plan: JSONStructPlan, valueStart: Int,
        _ values: UnsafeMutableBufferPointer<Value>, _ failures: inout FieldFailures
    ) throws(JSONReadError) {
        guard case .coercion = error else { throw error }
        failures.record(i, error.under(plan.pathParts[i]))
        values[i] = .null
        pos = valueStart
        depth = failures.memberDepth
        try syntax { (c) throws(JSONParseError) in try c.skipValue() }
    }

    /// Reads one member of an object (its key at the cursor) into the field it matches, if any:
    /// the general path of `readFields`, for keys not found in place. A member that fails to convert
    /// is set aside in `failures` (created at the first failure) and passed.
    @inline(never)
    private mutating func readMember(
        _ plan: JSONStructPlan, into values: UnsafeMutableBufferPointer<Value>, hint: inout Int, taken: inout ExactKeys,
        failures: inout FieldFailures?, depth memberDepth: Int
    ) throws(JSONReadError) {
        let match: FieldMatcher.Match
        let k = try syntax { (c) throws(JSONParseError) in try c.scanString() }
        try expectColon()
        if k.hasEscapes {
            var scratch: [UInt8] = []
            appendUnescaped(start: k.start, end: k.end, to: &scratch)
            match = scratch.withUnsafeBufferPointer { plan.matcher.match($0, hint: hint) }
        } else {
            match = plan.matcher.match(UnsafeBufferPointer(rebasing: buf[k.start..<k.end]), hint: hint)
        }
        switch match {
        case .none:
            try syntax { (c) throws(JSONParseError) in try c.skipValue() }
        case .one(let i, let exact):
            if exact || !taken.contains(i) {
                let valueStart = pos
                if exact { taken.insert(i) }
                do {
                    try readField(plan.readers[i], plan, i, into: values)
                    if failures != nil { failures!.succeeded(i) }
                } catch {
                    var kept = failures ?? FieldFailures(memberDepth: memberDepth)
                    try setAside(error, field: i, plan, valueStart: valueStart, values, &kept)
                    failures = kept
                }
            } else {
                try syntax { (c) throws(JSONParseError) in try c.skipValue() }
            }
            hint = i + 1
        case .several(let all):
            let start = pos
            var end: Int? = nil
            for hit in all where plan.readers[hit.index] != .skip {
                let i = hit.index
                let exact = hit.exact
                guard exact || !taken.contains(i) else { continue }
                if exact { taken.insert(i) }
                pos = start
                do {
                    values[i] = try readValue(plan.fields[i])
                    if failures != nil { failures!.succeeded(i) }
                } catch {
                    var kept = failures ?? FieldFailures(memberDepth: memberDepth)
                    try setAside(error, field: i, plan, valueStart: start, values, &kept)
                    failures = kept
                }
                end = pos
            }
            if let end {
                pos = end
            } else {
                try syntax { (c) throws(JSONParseError) in try c.skipValue() }
            }
        }
    }

    /// Passes the `,` after an object member (false), or the object's closing `}` (true).
    @inline(__always)
    private mutating func endOfMember() throws(JSONReadError) -> Bool {
        skipWhitespace()
        let c = peek()
        if c == 0x2C {
            pos += 1
            skipWhitespace()
            return false
        }
        if c == 0x7D {
            pos += 1
            leaveContainer()
            return true
        }
        throw .syntax(unexpected("',' or '}' in an object"))
    }

    /// Passes the `:` after an object key, and the whitespace around it.
    @inline(__always)
    private mutating func expectColon() throws(JSONReadError) {
        skipWhitespace()
        if pos < buf.count && buf[pos] == 0x3A {
            pos += 1
        } else {
            throw .syntax(unexpected("':' after an object key"))
        }
        skipWhitespace()
    }

    /// Reads field `i` of `plan` into its slot with its `reader` (or passes over it, for `.skip`):
    /// the same value `readValue(plan.fields[i])` gives. Short integers and skipped strings are
    /// handled here, in line; the rest by `readFieldValue`.
    @inline(__always)
    private mutating func readField(
        _ reader: FieldReader, _ plan: JSONStructPlan, _ i: Int, into values: UnsafeMutableBufferPointer<Value>
    ) throws(JSONReadError) {
        switch reader {
        case .skip:
            if peek() == 0x22 {
                try syntax { (c) throws(JSONParseError) in try c.skipString() }
            } else {
                try syntax { (c) throws(JSONParseError) in try c.skipValue() }
            }
        case .integer(let kind):
            if let v = readShortInteger() {
                switch kind {
                case .bigint: values[i] = .bigint(v)
                case .timestamp: values[i] = .timestamp(v)
                case .integer: values[i] = .integer(Int32(truncatingIfNeeded: v))
                case .date: values[i] = .date(Int32(truncatingIfNeeded: v))
                case .time: values[i] = .time(Int32(truncatingIfNeeded: v))
                default: preconditionFailure("FieldReader.integer for \(kind)")
                }
            } else {
                values[i] = try readFieldValue(reader, plan, i)
            }
        default:
            values[i] = try readFieldValue(reader, plan, i)
        }
    }

    /// Field `i` of `plan`, read with its `reader`; the same value `readValue(plan.fields[i])` gives.
    @inline(never)
    private mutating func readFieldValue(_ reader: FieldReader, _ plan: JSONStructPlan, _ i: Int) throws(JSONReadError) -> Value {
        switch reader {
        case .integer(let kind), .scalar(let kind):
            return try readScalar(kind)
        case .string:
            return try readScalar(.string)
        case .value, .skip:
            return try readValue(plan.fields[i])
        }
    }

    /// The integer literal at the cursor, when it is one JSON allows with at most 18 digits (so it
    /// fits an `Int64` as it is) and is not the start of a fraction or exponent; the cursor moves
    /// past it. Nil leaves the cursor alone, for the general path to read the number or reject it.
    ///
    /// Digits are taken eight at a time while eight bytes remain (one test finds where the digits
    /// stop, three multiplications give their value), then one at a time.
    @inline(__always)
    mutating func readShortInteger() -> Int64? {
        let n = buf.count
        var p = pos
        let negative = p < n && buf[p] == 0x2D
        if negative { p += 1 }
        let first = p
        var magnitude: UInt64 = 0
        if let base = buf.baseAddress {
            let raw = UnsafeRawPointer(base)
            while p + 8 <= n {
                // Digits become 0...9; any other byte has bit 7 set after adding 0x76 (no carries:
                // the bytes are below 0x80 first), or had it already.
                let digits = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: p, as: UInt64.self)) ^ 0x3030_3030_3030_3030
                let stops = (((digits & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | digits) & 0x8080_8080_8080_8080
                let count = stops.trailingZeroBitCount >> 3
                if count == 0 { break }
                magnitude = magnitude &* JSONCursor.powerOfTen(count) &+ JSONCursor.eightDigits(digits &<< (64 - 8 * count))
                p += count
                if count < 8 { break }
            }
        }
        if p + 8 > n {
            while p < n {
                let d = buf[p] &- 0x30
                if d >= 10 { break }
                magnitude = magnitude &* 10 &+ UInt64(d)
                p += 1
            }
        }
        let digits = p - first
        guard digits >= 1 && digits <= 18 else { return nil }
        // A leading zero is a syntax error, left for the general path to report.
        if digits > 1 && buf[first] == 0x30 { return nil }
        if p < n {
            let c = buf[p]
            if c == 0x2E || c | 0x20 == 0x65 { return nil }
        }
        pos = p
        let v = Int64(bitPattern: magnitude)
        return negative ? 0 &- v : v
    }

    /// The value of eight decimal digits (0...9 each, the first in the lowest byte).
    @inline(__always)
    static func eightDigits(_ word: UInt64) -> UInt64 {
        let pairs = (word &* (10 << 8 + 1)) >> 8 & 0x00FF_00FF_00FF_00FF
        let quads = (pairs &* (100 << 16 + 1)) >> 16 & 0x0000_FFFF_0000_FFFF
        return (quads &* (10000 << 32 + 1)) >> 32
    }

    /// 10 to the power `count` (1...8).
    @inline(__always)
    static func powerOfTen(_ count: Int) -> UInt64 {
        switch count {
        case 1: 10
        case 2: 100
        case 3: 1000
        case 4: 10000
        case 5: 100_000
        case 6: 1_000_000
        case 7: 10_000_000
        default: 100_000_000
        }
    }

    private mutating func readArray(_ elementPlan: JSONReadPlan) throws(JSONReadError) -> Value {
        try syntax { (c) throws(JSONParseError) in try c.enterContainer() }
        pos += 1
        skipWhitespace()
        var values: [Value] = []
        if peek() == 0x5D {
            pos += 1
            leaveContainer()
            return .array(values)
        }
        while true {
            do {
                values.append(try readValue(elementPlan))
            } catch {
                throw error.under("[\(values.count)]")
            }
            skipWhitespace()
            let c = peek()
            if c == 0x2C {
                pos += 1
                skipWhitespace()
            } else if c == 0x5D {
                pos += 1
                leaveContainer()
                return .array(values)
            } else {
                throw .syntax(unexpected("',' or ']' in an array"))
            }
        }
    }

    /// A JSON object as a map: keys coerced to the key type (STRING), duplicate keys keep the last
    /// value in the first key's place.
    private mutating func readMap(keyType: SQLType, valuePlan: JSONReadPlan) throws(JSONReadError) -> Value {
        try syntax { (c) throws(JSONParseError) in try c.enterContainer() }
        pos += 1
        skipWhitespace()
        var entries: [MapEntry] = []
        var index: [String: Int] = [:]
        if peek() == 0x7D {
            pos += 1
            leaveContainer()
            return .map(entries)
        }
        while true {
            guard peek() == 0x22 else { throw .syntax(unexpected("'\"' to start an object key")) }
            let k = try syntax { (c) throws(JSONParseError) in try c.scanString() }
            let key = string(start: k.start, end: k.end, hasEscapes: k.hasEscapes)
            skipWhitespace()
            try syntax { (c) throws(JSONParseError) in try c.expect(0x3A, "':' after an object key") }
            skipWhitespace()
            let keyValue: Value
            do throws(CoercionError) {
                keyValue = try JSONCoercion.coerce(.string(key), to: keyType)
            } catch {
                throw .coercion(error.under(".\(key).key"))
            }
            let entry: MapEntry
            do throws(JSONReadError) {
                entry = MapEntry(key: keyValue, value: try readValue(valuePlan))
            } catch {
                throw error.under(".\(key).value")
            }
            if entries.count >= 16 && index.isEmpty {
                for (i, e) in entries.enumerated() { if case .string(let s) = e.key { index[s] = i } }
            }
            if index.isEmpty {
                if let at = entries.firstIndex(where: { $0.key == entry.key }) {
                    entries[at].value = entry.value
                } else {
                    entries.append(entry)
                }
            } else if let at = index[key] {
                entries[at].value = entry.value
            } else {
                index[key] = entries.count
                entries.append(entry)
            }
            skipWhitespace()
            let c = peek()
            if c == 0x2C {
                pos += 1
                skipWhitespace()
            } else if c == 0x7D {
                pos += 1
                leaveContainer()
                return .map(entries)
            } else {
                throw .syntax(unexpected("',' or '}' in an object"))
            }
        }
    }
}

/// Which fields of a struct took their value from an exact key: an upper-cased key's value never
/// replaces one of those.
/// Conversion failures of members that a later member of the same object may still replace
/// (see `readFields`), by field.
struct FieldFailures {
    /// The cursor's container depth at a member of the object (restored after a failed member).
    let memberDepth: Int
    /// Fields 0..<64 whose current member failed.
    var small: UInt64 = 0
    /// Every failure set aside, oldest first; entries of fields that succeeded later stay, and
    /// `pending` filters them out.
    private var failures: [(field: Int, error: JSONReadError)]?

    init(memberDepth: Int) { self.memberDepth = memberDepth }

    /// A member of field `i` converted: any failure of an earlier one no longer counts.
    @inline(__always)
    mutating func succeeded(_ i: Int) {
        if i < 64 {
            small &= ~(1 << UInt64(i))
        } else if failures != nil {
            failures!.removeAll { $0.field == i }
        }
    }

    mutating func record(_ i: Int, _ error: JSONReadError) {
        if i < 64 { small |= 1 << UInt64(i) }
        failures = (failures ?? []).filter { $0.field != i } + [(i, error)]
    }

    /// The failure to report at the end of the object, if any still counts: the first field's in
    /// the schema's order, as ksqlDB converts fields in order.
    var pending: JSONReadError? {
        guard let failures else { return nil }
        return failures.filter { $0.field >= 64 || small & (1 << UInt64($0.field)) != 0 }
            .min { $0.field < $1.field }?.error
    }
}

struct ExactKeys {
    /// One bit per field, for up to 64 fields.
    var small: UInt64 = 0
    /// One flag per field past 64 fields (else empty).
    private var large: [Bool]

    init(fieldCount: Int) {
        large = fieldCount > 64 ? [Bool](repeating: false, count: fieldCount) : []
    }

    func contains(_ i: Int) -> Bool {
        large.isEmpty ? small & (1 << UInt64(i)) != 0 : large[i]
    }

    mutating func insert(_ i: Int) {
        if large.isEmpty { small |= 1 << UInt64(i) } else { large[i] = true }
    }
}
