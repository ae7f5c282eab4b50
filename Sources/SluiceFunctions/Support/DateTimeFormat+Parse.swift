import SluiceTypes

/// The fields a pattern read from text, before they are resolved into a date, time or instant
/// (`java.time.format.Parsed` with the SMART resolver).
struct ParsedTemporal {
    enum Key: Int, Hashable, CaseIterable {
        case era, yearOfEra, year, weekBasedYear, quarter, month, weekOfWeekBasedYear, weekOfMonth
        case dayOfMonth, dayOfYear, alignedDayOfWeekInMonth, dayOfWeek
        case amPm, clockHourOfAmPm, hourOfAmPm, clockHourOfDay, hourOfDay, minute, second
        case milliOfDay, nanoOfSecond, nanoOfDay

        var isTimeBased: Bool {
            switch self {
            case .amPm, .clockHourOfAmPm, .hourOfAmPm, .clockHourOfDay, .hourOfDay, .minute, .second, .milliOfDay,
                .nanoOfSecond, .nanoOfDay:
                true
            default: false
            }
        }
    }

    /// The values read, by key: a fixed table rather than a dictionary (parsing is per record).
    struct FieldTable {
        private var values = (
            Int64(0), Int64(0), Int64(0), Int64(0), Int64(0), Int64(0), Int64(0), Int64(0), Int64(0), Int64(0),
            Int64(0), Int64(0), Int64(0), Int64(0), Int64(0), Int64(0), Int64(0), Int64(0), Int64(0), Int64(0),
            Int64(0), Int64(0), Int64(0), Int64(0)
        )
        private(set) var present: UInt32 = 0

        subscript(key: Key) -> Int64? {
            get {
                guard present & (1 << UInt32(key.rawValue)) != 0 else { return nil }
                return withUnsafeBytes(of: values) { $0.load(fromByteOffset: key.rawValue * 8, as: Int64.self) }
            }
            set {
                let bit: UInt32 = 1 << UInt32(key.rawValue)
                guard let newValue else {
                    present &= ~bit
                    return
                }
                present |= bit
                withUnsafeMutableBytes(of: &values) { $0.storeBytes(of: newValue, toByteOffset: key.rawValue * 8, as: Int64.self) }
            }
        }

        var keys: [Key] { Key.allCases.filter { present & (1 << UInt32($0.rawValue)) != 0 } }
    }

    var fields = FieldTable()
    var offsetSeconds: Int? = nil
    var zone: TimeZoneRules? = nil

    mutating func set(_ key: Key, _ value: Int64) throws(FunctionError) {
        if let old = fields[key], old != value {
            throw FunctionError("Conflict found: \(key) \(old) differs from \(key) \(value)")
        }
        fields[key] = value
    }

    var hasTimeFields: Bool { fields.keys.contains { $0.isTimeBased } }
    var hasDateFields: Bool { fields.keys.contains { !$0.isTimeBased } }

    private func check(_ key: Key, _ range: ClosedRange<Int64>, _ name: String) throws(FunctionError) -> Int64? {
        guard let v = fields[key] else { return nil }
        guard range.contains(v) else {
            throw FunctionError("Invalid value for \(name) (valid values \(range.lowerBound) - \(range.upperBound)): \(v)")
        }
        return v
    }

    /// The proleptic year, from YEAR or YEAR_OF_ERA and ERA.
    func resolvedYear() throws(FunctionError) -> Int64? {
        if let y = fields[.year] { return y }
        guard let yoe = try check(.yearOfEra, 1...999_999_999, "YearOfEra") else { return nil }
        let era = try check(.era, 0...1, "Era") ?? 1
        return era == 1 ? yoe : 1 - yoe
    }

    /// The date when year with month and day, or year and day of year, were read. With
    /// `defaultingDay`, a year and month without a day mean the month's first day (PARSE_DATE
    /// reads 'JAN-2022' as 2022-01-01; a lone year is still not a date).
    func resolveDate(defaultingDay: Bool = false) throws(FunctionError) -> Int64? {
        guard let y = try resolvedYear() else { return nil }
        var days: Int64? = nil
        var dayOfMonth = try check(.dayOfMonth, 1...31, "DayOfMonth")
        let month = try check(.month, 1...12, "MonthOfYear")
        if defaultingDay && month != nil && dayOfMonth == nil && fields[.dayOfYear] == nil { dayOfMonth = 1 }
        if let m = month, let d = dayOfMonth {
            var day = Int(d)
            let length = CivilTime.daysInMonth(year: y, month: Int(m))
            // SMART resolution: 29-31 past the month's end become its last day.
            if day > length { day = length }
            days = CivilTime.days(year: y, month: Int(m), day: day)
        } else if let doy = try check(.dayOfYear, 1...366, "DayOfYear") {
            if doy == 366 && !CivilTime.isLeapYear(y) {
                throw FunctionError("Invalid date 'DayOfYear 366' as '\(y)' is not a leap year")
            }
            days = CivilTime.days(year: y, month: 1, day: 1) + doy - 1
        }
        if let days, let dow = try check(.dayOfWeek, 1...7, "DayOfWeek"), Int64(CivilTime.dayOfWeek(days: days)) != dow {
            throw FunctionError("Conflict found: Field DayOfWeek \(CivilTime.dayOfWeek(days: days)) differs from DayOfWeek \(dow) derived from \(ISOTemporal.isoDate(days))")
        }
        return days
    }

    /// The hour of day, when it can be resolved (HH, kk, or hh/KK with a).
    private func resolvedHour() throws(FunctionError) -> Int64? {
        if let h = fields[.hourOfDay] {
            guard (0...24).contains(h) else {
                throw FunctionError("Invalid value for HourOfDay (valid values 0 - 23): \(h)")
            }
            return h
        }
        if let k = try check(.clockHourOfDay, 1...24, "ClockHourOfDay") { return k == 24 ? 0 : k }
        guard let ap = try check(.amPm, 0...1, "AmPmOfDay") else { return nil }
        if let h = try check(.hourOfAmPm, 0...11, "HourOfAmPm") { return ap * 12 + h }
        if let h = try check(.clockHourOfAmPm, 1...12, "ClockHourOfAmPm") { return ap * 12 + (h == 12 ? 0 : h) }
        return nil
    }

    /// Nanoseconds since midnight when a time of day was read, and whether it was 24:00 (the next
    /// day's midnight).
    func resolveTime() throws(FunctionError) -> (nanoOfDay: Int64, nextDay: Bool)? {
        if let n = try check(.nanoOfDay, 0...86_399_999_999_999, "NanoOfDay") { return (n, false) }
        if let ms = try check(.milliOfDay, 0...86_399_999, "MilliOfDay") {
            return (ms * 1_000_000 + (fields[.nanoOfSecond] ?? 0) % 1_000_000, false)
        }
        guard let hour = try resolvedHour() else { return nil }
        let minute = try check(.minute, 0...59, "MinuteOfHour")
        let second = try check(.second, 0...59, "SecondOfMinute")
        let nano = try check(.nanoOfSecond, 0...999_999_999, "NanoOfSecond")
        if minute == nil && (second != nil || nano != nil) { return nil }
        if minute != nil && second == nil && nano != nil { return nil }
        let m = minute ?? 0, s = second ?? 0, n = nano ?? 0
        if hour == 24 {
            guard m == 0 && s == 0 && n == 0 else {
                throw FunctionError("Invalid value for HourOfDay (valid values 0 - 23): 24")
            }
            return (0, true)
        }
        return (((hour * 60 + m) * 60 + s) * 1_000_000_000 + n, false)
    }

    /// The instant, as ksqlDB's timestamp parser builds it: the fields read override
    /// 1970-01-01T00:00 in the zone read, or `defaultZone`.
    func timestampMillis(defaultZone: TimeZoneRules) throws(FunctionError) -> Int64 {
        var days: Int64
        if let full = try resolveDate() {
            days = full
        } else {
            var y: Int64 = 1970, m = 1, d = 1
            days = CivilTime.days(year: y, month: m, day: d)
            if let dow = try check(.dayOfWeek, 1...7, "DayOfWeek") {
                days += dow - Int64(CivilTime.dayOfWeek(days: days))
                (y, m, d) = CivilTime.date(days: days)
            }
            if let dom = try check(.dayOfMonth, 1...31, "DayOfMonth") {
                guard Int(dom) <= CivilTime.daysInMonth(year: y, month: m) else {
                    throw FunctionError("Invalid date '\(DateTimeFormat.monthNames[m - 1].uppercased()) \(dom)'")
                }
                d = Int(dom)
            }
            if let doy = try check(.dayOfYear, 1...366, "DayOfYear") {
                if doy == 366 {
                    guard let year = try resolvedYear() else {
                        throw FunctionError("Leap day cannot be parsed without supplying the year field")
                    }
                    y = year
                }
                (y, m, d) = CivilTime.date(days: CivilTime.days(year: y, month: 1, day: 1) + doy - 1)
            }
            if let month = try check(.month, 1...12, "MonthOfYear") {
                m = Int(month)
                d = min(d, CivilTime.daysInMonth(year: y, month: m))
            }
            if let year = try resolvedYear() {
                y = year
                d = min(d, CivilTime.daysInMonth(year: y, month: m))
            }
            days = CivilTime.days(year: y, month: m, day: d)
        }
        var nanoOfDay: Int64
        if let (n, nextDay) = try resolveTime() {
            nanoOfDay = n
            if nextDay { days += 1 }
        } else {
            var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0, nano: Int64 = 0
            if let n = try check(.nanoOfSecond, 0...999_999_999, "NanoOfSecond") { nano = n }
            if let s = try check(.second, 0...59, "SecondOfMinute") { second = s }
            if let m = try check(.minute, 0...59, "MinuteOfHour") { minute = m }
            if let h = try check(.hourOfAmPm, 0...11, "HourOfAmPm") { hour = h }
            if let h = try check(.clockHourOfAmPm, 1...12, "ClockHourOfAmPm") { hour = h == 12 ? 0 : h }
            if let ap = try check(.amPm, 0...1, "AmPmOfDay") { hour = hour % 12 + ap * 12 }
            nanoOfDay = ((hour * 60 + minute) * 60 + second) * 1_000_000_000 + nano
        }
        let localMillis = days * CivilTime.millisPerDay + nanoOfDay / 1_000_000
        if let offset = offsetSeconds { return localMillis - Int64(offset) * 1000 }
        let zone = self.zone ?? defaultZone
        let (localSeconds, ms) = CivilTime.floorDivMod(localMillis, 1000)
        return zone.utc(fromLocal: localSeconds) * 1000 + ms
    }
}

extension DateTimeFormat {
    /// Reads `text` in full; unparsed text or a mismatch is an error. With `allowingTrailingText`
    /// only a prefix must match the pattern (PARSE_DATE reads '2003-12-24-01-01' as 2003-12-24).
    func parse(
        _ text: String, caseInsensitive: Bool, allowingTrailingText: Bool = false
    ) throws(FunctionError) -> ParsedTemporal {
        var state = ParseState(chars: Array(text.unicodeScalars), caseInsensitive: caseInsensitive)
        guard Self.parse(items, &state) else {
            throw FunctionError("Text '\(text)' could not be parsed at index \(state.errorIndex)")
        }
        guard allowingTrailingText || state.position == state.chars.count else {
            throw FunctionError("Text '\(text)' could not be parsed, unparsed text found at index \(state.position)")
        }
        return state.parsed
    }

    struct ParseState {
        var chars: [Unicode.Scalar]
        var caseInsensitive: Bool
        var position = 0
        var errorIndex = 0
        var parsed = ParsedTemporal()

        func matches(_ s: String, at i: Int) -> Bool {
            var k = i
            for c in s.unicodeScalars {
                guard k < chars.count else { return false }
                let t = chars[k]
                if t != c {
                    guard caseInsensitive, lower(t) == lower(c) else { return false }
                }
                k += 1
            }
            return true
        }

        func lower(_ c: Unicode.Scalar) -> Unicode.Scalar {
            if c.value >= 65 && c.value <= 90 { return Unicode.Scalar(c.value + 32)! }
            if c.isASCII { return c }
            return String(c).lowercased().unicodeScalars.first ?? c
        }

        func digit(at i: Int) -> Int64? {
            guard i < chars.count, chars[i].value >= 48, chars[i].value <= 57 else { return nil }
            return Int64(chars[i].value - 48)
        }
    }

    /// Digits the fixed-width numeric items right after `index` need (adjacent value parsing).
    private static func reservedWidth(_ items: [Item], after index: Int) -> Int {
        var total = 0
        var i = index + 1
        while i < items.count {
            switch items[i] {
            case .number(_, let minW, let maxW, _) where minW == maxW: total += minW
            case .reducedYear: total += 2
            case .fraction(let digits): total += digits
            default: return total
            }
            i += 1
        }
        return total
    }

    private static func key(_ field: NumberField) -> ParsedTemporal.Key {
        switch field {
        case .yearOfEra: .yearOfEra
        case .year: .year
        case .weekBasedYear: .weekBasedYear
        case .quarter: .quarter
        case .month: .month
        case .weekOfWeekBasedYear: .weekOfWeekBasedYear
        case .weekOfMonth: .weekOfMonth
        case .dayOfMonth: .dayOfMonth
        case .dayOfYear: .dayOfYear
        case .alignedDayOfWeekInMonth: .alignedDayOfWeekInMonth
        case .localizedDayOfWeek: .dayOfWeek
        case .clockHourOfAmPm: .clockHourOfAmPm
        case .hourOfAmPm: .hourOfAmPm
        case .clockHourOfDay: .clockHourOfDay
        case .hourOfDay: .hourOfDay
        case .minute: .minute
        case .second: .second
        case .milliOfDay: .milliOfDay
        case .nanoOfSecond: .nanoOfSecond
        case .nanoOfDay: .nanoOfDay
        }
    }

    private static func parse(_ items: [Item], _ s: inout ParseState) -> Bool {
        for (index, item) in items.enumerated() {
            let ok: Bool
            do {
                ok = try parseItem(item, items: items, index: index, &s)
            } catch {
                ok = false
            }
            if !ok {
                s.errorIndex = s.position
                return false
            }
        }
        return true
    }

    private static func parseItem(_ item: Item, items: [Item], index: Int, _ s: inout ParseState) throws(FunctionError)
        -> Bool
    {
        switch item {
        case .literal(let text):
            guard s.matches(text, at: s.position) else { return false }
            s.position += text.unicodeScalars.count
            return true
        case .number(let field, let minWidth, let maxWidth, let sign):
            var i = s.position
            var negative = false
            if i < s.chars.count && (s.chars[i] == "-" || s.chars[i] == "+") {
                guard sign != .notNegative else { return false }
                negative = s.chars[i] == "-"
                i += 1
            }
            var available = 0
            while s.digit(at: i + available) != nil { available += 1 }
            let reserved = minWidth == maxWidth ? 0 : reservedWidth(items, after: index)
            let take = min(maxWidth, available - reserved)
            guard take >= minWidth else { return false }
            var v: Int64 = 0
            for k in 0..<take {
                let (r, o) = v.multipliedReportingOverflow(by: 10)
                guard !o else { return false }
                v = r + s.digit(at: i + k)!
            }
            s.position = i + take
            var value = negative ? -v : v
            if field == .localizedDayOfWeek {
                // US numbering: Sunday is 1.
                value = (value + 5) % 7 + 1
            }
            try s.parsed.set(key(field), value)
            return true
        case .reducedYear(let field):
            guard let a = s.digit(at: s.position), let b = s.digit(at: s.position + 1) else { return false }
            s.position += 2
            try s.parsed.set(key(field), 2000 + a * 10 + b)
            return true
        case .fraction(let digits):
            var v: Int64 = 0
            for k in 0..<digits {
                guard let d = s.digit(at: s.position + k) else { return false }
                v = v * 10 + d
            }
            s.position += digits
            for _ in 0..<(9 - digits) { v *= 10 }
            try s.parsed.set(.nanoOfSecond, v)
            return true
        case .text(let field, let style):
            var best: (Int, Int)? = nil
            for value in textRange(field) {
                let candidate = text(field, style, value: value)
                if s.matches(candidate, at: s.position) {
                    let length = candidate.unicodeScalars.count
                    if best == nil || length > best!.1 { best = (value, length) }
                }
            }
            guard let (value, length) = best else { return false }
            s.position += length
            let key: ParsedTemporal.Key
            switch field {
            case .era: key = .era
            case .quarter: key = .quarter
            case .month: key = .month
            case .dayOfWeek: key = .dayOfWeek
            case .amPm: key = .amPm
            }
            try s.parsed.set(key, Int64(value))
            return true
        case .offset(let pattern, let noOffsetText):
            if s.matches(noOffsetText, at: s.position) {
                s.position += noOffsetText.unicodeScalars.count
                s.parsed.offsetSeconds = 0
                return true
            }
            guard let seconds = parseOffset(pattern, &s) else { return false }
            s.parsed.offsetSeconds = seconds
            return true
        case .localizedOffset:
            guard s.matches("GMT", at: s.position) else { return false }
            s.position += 3
            guard s.position < s.chars.count, s.chars[s.position] == "+" || s.chars[s.position] == "-" else {
                s.parsed.offsetSeconds = 0
                return true
            }
            let negative = s.chars[s.position] == "-"
            s.position += 1
            var parts: [Int] = []
            while true {
                var v = 0, n = 0
                while let d = s.digit(at: s.position), n < 2 {
                    v = v * 10 + Int(d)
                    n += 1
                    s.position += 1
                }
                guard n > 0 else { return false }
                parts.append(v)
                if parts.count < 3, s.position < s.chars.count, s.chars[s.position] == ":" { s.position += 1 } else { break }
            }
            let total = parts[0] * 3600 + (parts.count > 1 ? parts[1] * 60 : 0) + (parts.count > 2 ? parts[2] : 0)
            s.parsed.offsetSeconds = negative ? -total : total
            return true
        case .zoneID, .zoneName:
            guard let (zone, length) = parseZone(&s, names: { if case .zoneName = item { true } else { false } }()) else {
                return false
            }
            s.position += length
            s.parsed.zone = zone
            return true
        case .optional(let inner):
            let saved = s
            if !parse(inner, &s) { s = saved }
            return true
        }
    }

    /// Reads an offset in one of the `+HH...` patterns; lower-case parts are optional.
    private static func parseOffset(_ pattern: String, _ s: inout ParseState) -> Int? {
        var i = s.position
        guard i < s.chars.count, s.chars[i] == "+" || s.chars[i] == "-" else { return nil }
        let negative = s.chars[i] == "-"
        i += 1
        func two() -> Int? {
            guard let a = s.digit(at: i), let b = s.digit(at: i + 1) else { return nil }
            i += 2
            return Int(a * 10 + b)
        }
        guard let h = two() else { return nil }
        let colon = pattern.contains(":")
        let type = offsetPatterns.firstIndex(of: pattern) ?? 4
        var m = 0, sec = 0
        if type >= 1 {
            let save = i
            var ok = true
            if colon {
                if i < s.chars.count && s.chars[i] == ":" { i += 1 } else { ok = false }
            }
            if ok, let v = two() {
                m = v
                if type >= 5 {
                    let save2 = i
                    var ok2 = true
                    if colon {
                        if i < s.chars.count && s.chars[i] == ":" { i += 1 } else { ok2 = false }
                    }
                    if ok2, let v2 = two() {
                        sec = v2
                    } else {
                        if type >= 7 { return nil }
                        i = save2
                    }
                }
            } else {
                if type >= 3 { return nil }
                i = save
            }
        }
        guard h <= 18, m < 60, sec < 60 else { return nil }
        s.position = i
        let total = h * 3600 + m * 60 + sec
        return negative ? -total : total
    }

    /// A zone ID, offset or zone abbreviation/name at the current position: the longest match.
    private static func parseZone(_ s: inout ParseState, names: Bool) -> (TimeZoneRules, Int)? {
        var candidates: [String] = []
        if names {
            candidates += TimeZoneRules.aliases.keys
            for pair in fullZoneNames.values { candidates += [pair.0, pair.1] }
        }
        var best: (TimeZoneRules, Int)? = nil
        for c in candidates where s.matches(c, at: s.position) {
            let length = c.unicodeScalars.count
            if best == nil || length > best!.1 {
                let id = TimeZoneRules.aliases[c] ?? fullZoneNames.first { $0.value.0 == c || $0.value.1 == c }?.key ?? c
                if let rules = TimeZoneRules.named(id) { best = (rules, length) }
            }
        }
        // Region IDs and offsets: the longest prefix of ID characters that names a zone.
        var end = s.position
        while end < s.chars.count {
            let c = s.chars[end]
            guard c.isASCII, c.properties.isAlphabetic || (c.value >= 48 && c.value <= 57) || "/_+-:".unicodeScalars.contains(c)
            else { break }
            end += 1
        }
        var length = end - s.position
        while length > 0 {
            if best != nil && length <= best!.1 { break }
            let id = String(String.UnicodeScalarView(s.chars[s.position..<(s.position + length)]))
            if let rules = TimeZoneRules.named(id) ?? TimeZoneRules.named(id.uppercased()) {
                best = (rules, length)
                break
            }
            length -= 1
        }
        return best
    }
}
