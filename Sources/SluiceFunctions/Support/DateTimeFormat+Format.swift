import SluiceTypes

/// What a pattern formats: a date, a time of day, or an instant seen in a zone.
struct TemporalValue {
    var epochDay: Int64? {
        didSet { civil = epochDay.map { CivilTime.date(days: $0) } }
    }
    var nanoOfDay: Int64?
    var zone: TimeZoneRules?
    var zoneType: TimeZoneRules.LocalType?
    /// Year, month and day of `epochDay`, computed once.
    private(set) var civil: (year: Int64, month: Int, day: Int)?

    init(epochDay: Int64?, nanoOfDay: Int64?, zone: TimeZoneRules?, zoneType: TimeZoneRules.LocalType?) {
        self.epochDay = epochDay
        self.nanoOfDay = nanoOfDay
        self.zone = zone
        self.zoneType = zoneType
        self.civil = epochDay.map { CivilTime.date(days: $0) }
    }

    static func date(_ days: Int64) -> TemporalValue {
        TemporalValue(epochDay: days, nanoOfDay: nil, zone: nil, zoneType: nil)
    }

    static func time(millis: Int64) -> TemporalValue {
        TemporalValue(epochDay: nil, nanoOfDay: millis * 1_000_000, zone: nil, zoneType: nil)
    }

    /// An instant in milliseconds, in a zone's local time.
    static func timestamp(millis: Int64, zone: TimeZoneRules) -> TemporalValue {
        let seconds = CivilTime.floorDivMod(millis, 1000).0
        let type = zone.type(atUTC: seconds)
        let local = millis + Int64(type.offset) * 1000
        let (days, msOfDay) = CivilTime.floorDivMod(local, CivilTime.millisPerDay)
        return TemporalValue(epochDay: days, nanoOfDay: msOfDay * 1_000_000, zone: zone, zoneType: type)
    }
}

extension DateTimeFormat {
    func format(_ value: TemporalValue) throws(FunctionError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(pattern.utf8.count + 16)
        try Self.format(items, value, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `v` (≥ 0) zero-padded to `width` digits.
    @inline(__always)
    static func appendDigits(_ v: Int64, width: Int, into out: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
            UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var n = v.magnitude
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(48 + n % 10)
                n /= 10
                count += 1
            } while n > 0
            for _ in count..<max(width, count) { out.append(48) }
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[i]) }
        }
    }

    private static func format(_ items: [Item], _ v: TemporalValue, into out: inout [UInt8]) throws(FunctionError) {
        for item in items {
            switch item {
            case .literal(let s):
                out.append(contentsOf: s.utf8)
            case .number(let field, let minWidth, let maxWidth, let sign):
                let n = try number(field, v)
                try appendNumber(n, field: field, minWidth: minWidth, maxWidth: maxWidth, sign: sign, into: &out)
            case .reducedYear(let field):
                let n = try number(field, v)
                appendDigits(abs(n % 100), width: 2, into: &out)
            case .fraction(let digits):
                guard let nod = v.nanoOfDay else { throw unsupported("NanoOfSecond") }
                var nano = nod % 1_000_000_000
                for _ in 0..<(9 - digits) { nano /= 10 }
                appendDigits(nano, width: digits, into: &out)
            case .text(let field, let style):
                out.append(contentsOf: text(field, style, value: try textValue(field, v)).utf8)
            case .offset(let pattern, let noOffsetText):
                guard let type = v.zoneType else { throw unsupported("OffsetSeconds") }
                out.append(contentsOf: formatOffset(type.offset, pattern: pattern, noOffsetText: noOffsetText).utf8)
            case .localizedOffset(let full):
                guard let type = v.zoneType else { throw unsupported("OffsetSeconds") }
                out.append(contentsOf: localizedOffset(type.offset, full: full).utf8)
            case .zoneID:
                guard let zone = v.zone else { throw FunctionError("Unable to extract ZoneId from temporal") }
                out.append(contentsOf: zone.id.utf8)
            case .zoneName(let full):
                guard let zone = v.zone, let type = v.zoneType else {
                    throw FunctionError("Unable to extract ZoneId from temporal")
                }
                if zone.isFixed {
                    out.append(contentsOf: zone.id.utf8)
                } else if full, let names = fullZoneNames[zone.id] ?? TimeZoneRules.aliases[zone.id].flatMap({ fullZoneNames[$0] }) {
                    out.append(contentsOf: (type.isDST ? names.1 : names.0).utf8)
                } else {
                    out.append(contentsOf: type.abbreviation.utf8)
                }
            case .optional(let inner):
                // Optional sections print when their fields are available.
                var attempt: [UInt8] = []
                if (try? format(inner, v, into: &attempt)) != nil { out.append(contentsOf: attempt) }
            }
        }
    }

    static func unsupported(_ field: String) -> FunctionError {
        FunctionError("Unsupported field: \(field)")
    }

    private static func number(_ field: NumberField, _ v: TemporalValue) throws(FunctionError) -> Int64 {
        if field.isDateBased {
            guard let days = v.epochDay, let (y, m, d) = v.civil else { throw unsupported(field.name) }
            switch field {
            case .yearOfEra: return y <= 0 ? 1 - y : y
            case .year: return y
            case .quarter: return Int64((m - 1) / 3 + 1)
            case .month: return Int64(m)
            case .dayOfMonth: return Int64(d)
            case .dayOfYear: return Int64(CivilTime.dayOfYear(days: days))
            case .alignedDayOfWeekInMonth: return Int64((d - 1) % 7 + 1)
            case .localizedDayOfWeek: return Int64(CivilTime.dayOfWeek(days: days) % 7 + 1)
            case .weekOfMonth:
                let first = days - Int64(d - 1)
                let offset = Int64(CivilTime.dayOfWeek(days: first) % 7)
                return (Int64(d - 1) + offset) / 7 + 1
            case .weekBasedYear: return USWeeks.weekBasedYear(days: days)
            case .weekOfWeekBasedYear: return USWeeks.week(days: days)
            default: return 0
            }
        }
        guard let nod = v.nanoOfDay else { throw unsupported(field.name) }
        let hour = nod / 3_600_000_000_000
        switch field {
        case .hourOfDay: return hour
        case .clockHourOfDay: return hour == 0 ? 24 : hour
        case .hourOfAmPm: return hour % 12
        case .clockHourOfAmPm: return hour % 12 == 0 ? 12 : hour % 12
        case .minute: return nod / 60_000_000_000 % 60
        case .second: return nod / 1_000_000_000 % 60
        case .milliOfDay: return nod / 1_000_000
        case .nanoOfSecond: return nod % 1_000_000_000
        case .nanoOfDay: return nod
        default: return 0
        }
    }

    private static func textValue(_ field: TextField, _ v: TemporalValue) throws(FunctionError) -> Int {
        switch field {
        case .amPm:
            guard let nod = v.nanoOfDay else { throw unsupported("AmPmOfDay") }
            return nod >= 12 * 3_600_000_000_000 ? 1 : 0
        case .era, .quarter, .month, .dayOfWeek:
            guard let days = v.epochDay, let (y, m, _) = v.civil else {
                throw unsupported(field == .era ? "Era" : field == .month ? "MonthOfYear" : field == .quarter ? "QuarterOfYear" : "DayOfWeek")
            }
            switch field {
            case .era: return y <= 0 ? 0 : 1
            case .quarter: return (m - 1) / 3 + 1
            case .month: return m
            default: return CivilTime.dayOfWeek(days: days)
            }
        }
    }

    private static func appendNumber(
        _ n: Int64, field: NumberField, minWidth: Int, maxWidth: Int, sign: SignStyle, into out: inout [UInt8]
    ) throws(FunctionError) {
        var digitCount = 1
        var m = n.magnitude
        while m >= 10 {
            m /= 10
            digitCount += 1
        }
        guard digitCount <= maxWidth else {
            throw FunctionError("Field \(field.name) cannot be printed as the value \(n) exceeds the maximum print width of \(maxWidth)")
        }
        if n < 0 {
            guard sign != .notNegative else {
                throw FunctionError("Field \(field.name) cannot be printed as the value \(n) cannot be negative")
            }
            out.append(UInt8(ascii: "-"))
        } else if sign == .exceedsPad && minWidth < 19 && digitCount > minWidth {
            out.append(UInt8(ascii: "+"))
        }
        appendDigits(n == .min ? .max : abs(n), width: minWidth, into: &out)
    }

    static let offsetPatterns = ["+HH", "+HHmm", "+HH:mm", "+HHMM", "+HH:MM", "+HHMMss", "+HH:MM:ss", "+HHMMSS", "+HH:MM:SS"]

    /// `+HH:MM`-style offsets; lower-case minute/second letters print only when non-zero.
    static func formatOffset(_ seconds: Int, pattern: String, noOffsetText: String) -> String {
        if seconds == 0 { return noOffsetText }
        let type = offsetPatterns.firstIndex(of: pattern) ?? 4
        let colon = pattern.contains(":")
        let a = abs(seconds)
        let h = a / 3600, m = a / 60 % 60, s = a % 60
        var out = (seconds < 0 ? "-" : "+") + ISOTemporal.pad(Int64(h), 2)
        if type >= 3 || (type >= 1 && m > 0) {
            out += (colon ? ":" : "") + ISOTemporal.pad(Int64(m), 2)
            if type >= 7 || (type >= 5 && s > 0) {
                out += (colon ? ":" : "") + ISOTemporal.pad(Int64(s), 2)
            }
        }
        return out
    }

    static func localizedOffset(_ seconds: Int, full: Bool) -> String {
        if seconds == 0 { return "GMT" }
        let a = abs(seconds)
        let h = a / 3600, m = a / 60 % 60, s = a % 60
        var out = "GMT" + (seconds < 0 ? "-" : "+")
        if full {
            out += ISOTemporal.pad(Int64(h), 2) + ":" + ISOTemporal.pad(Int64(m), 2)
            if s != 0 { out += ":" + ISOTemporal.pad(Int64(s), 2) }
        } else {
            out += String(h)
            if m != 0 || s != 0 {
                out += ":" + ISOTemporal.pad(Int64(m), 2)
                if s != 0 { out += ":" + ISOTemporal.pad(Int64(s), 2) }
            }
        }
        return out
    }
}

/// Week-based fields with US rules: weeks start on Sunday, week 1 is the week holding January 1.
enum USWeeks {
    /// Days since the epoch of the Sunday starting week 1 of `year`.
    static func weekOneStart(_ year: Int64) -> Int64 {
        let jan1 = CivilTime.days(year: year, month: 1, day: 1)
        return jan1 - Int64(CivilTime.dayOfWeek(days: jan1) % 7)
    }

    static func weekBasedYear(days: Int64) -> Int64 {
        let (y, _, _) = CivilTime.date(days: days)
        if days >= weekOneStart(y + 1) { return y + 1 }
        return y
    }

    static func week(days: Int64) -> Int64 {
        let y = weekBasedYear(days: days)
        return (days - weekOneStart(y)) / 7 + 1
    }
}
