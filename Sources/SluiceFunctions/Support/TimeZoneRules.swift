#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A time zone as `java.time.ZoneId` resolves one: a fixed offset (`UTC`, `+05:30`, `GMT-8`) or a
/// region whose rules are read from the system's tz database (`/usr/share/zoneinfo`, TZif
/// version 2+) and extended past its last transition with the file's POSIX rule.
///
/// Zones are loaded once and cached for the life of the process; lookups after the first take a
/// lock, so per-record callers should resolve a constant zone argument once (the functions here
/// do so when the argument is a literal).
struct TimeZoneRules: Sendable {
    struct LocalType: Sendable {
        var offset: Int
        var isDST: Bool
        var abbreviation: String
    }

    /// The zone ID as given (canonical spelling for fixed offsets).
    let id: String
    /// Transition instants (seconds since the epoch, ascending) and the type in force from each.
    let transitions: [Int64]
    let transitionTypes: [Int]
    let types: [LocalType]
    /// The type before the first transition.
    let initialType: LocalType
    /// Rules after the last transition.
    let posix: PosixTZ?

    static let utc = TimeZoneRules(fixedOffset: 0, id: "UTC", abbreviation: "UTC")

    init(fixedOffset: Int, id: String, abbreviation: String? = nil) {
        self.id = id
        let t = LocalType(offset: fixedOffset, isDST: false, abbreviation: abbreviation ?? id)
        transitions = []
        transitionTypes = []
        types = [t]
        initialType = t
        posix = nil
    }

    init(id: String, transitions: [Int64], transitionTypes: [Int], types: [LocalType], posix: PosixTZ?) {
        self.id = id
        self.transitions = transitions
        self.transitionTypes = transitionTypes
        self.types = types
        self.posix = posix
        // The first non-DST type is the one before the first transition, as RFC 8536 suggests.
        self.initialType = types.first { !$0.isDST } ?? types.first ?? LocalType(offset: 0, isDST: false, abbreviation: id)
    }

    var isFixed: Bool { transitions.isEmpty && posix == nil }

    /// The local type in force at an instant (seconds since the epoch).
    func type(atUTC seconds: Int64) -> LocalType {
        if transitions.isEmpty || seconds < transitions[0] {
            if transitions.isEmpty, let posix { return posix.type(atUTC: seconds) }
            return initialType
        }
        if seconds >= transitions[transitions.count - 1], let posix {
            return posix.type(atUTC: seconds)
        }
        // Last transition at or before `seconds`.
        var lo = 0, hi = transitions.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if transitions[mid] <= seconds { lo = mid } else { hi = mid - 1 }
        }
        return types[transitionTypes[lo]]
    }

    func offset(atUTC seconds: Int64) -> Int { type(atUTC: seconds).offset }

    /// The UTC instant of a local date-time, as `ZonedDateTime.ofLocal` resolves it: in an overlap
    /// the earlier offset, in a gap the local time moved forward by the gap's length.
    func utc(fromLocal local: Int64) -> Int64 {
        // Candidates: the offsets in force a day either side.
        let before = offset(atUTC: local - 86_400)
        let after = offset(atUTC: local + 86_400)
        let first = local - Int64(before)
        if offset(atUTC: first) == before { return first }
        let second = local - Int64(after)
        if offset(atUTC: second) == after { return second }
        // A gap: use the offset before the transition, which lands after it.
        return local - Int64(before)
    }

    // MARK: - Lookup

    private static let cache = Mutex<[String: TimeZoneRules?]>([:])

    /// Resolves a `java.time.ZoneId`-style ID; nil when unknown. Unknown IDs are remembered too,
    /// up to a bound, so bad input does not hit the file system per record.
    static func named(_ rawID: String) -> TimeZoneRules? {
        if let cached = cache.withLock({ $0[rawID] }) { return cached }
        let rules = resolve(rawID)
        cache.withLock { entries in
            if entries.count < 10_000 { entries[rawID] = .some(rules) }
        }
        return rules
    }

    /// Short IDs java.time accepts through `ZoneId.SHORT_IDS`, and zone abbreviations that
    /// DateTimeFormatter parses ("PST"), mapped to regions.
    static let aliases: [String: String] = [
        "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "PT": "America/Los_Angeles",
        "MST": "America/Denver", "MDT": "America/Denver", "CST": "America/Chicago", "CDT": "America/Chicago",
        "EST": "America/New_York", "EDT": "America/New_York", "AKST": "America/Anchorage",
        "HST": "Pacific/Honolulu", "BST": "Europe/London", "CET": "Europe/Paris", "CEST": "Europe/Paris",
        "EET": "Europe/Bucharest", "EEST": "Europe/Bucharest", "WET": "Europe/Lisbon", "IST": "Asia/Kolkata",
        "JST": "Asia/Tokyo", "KST": "Asia/Seoul", "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney",
        "ACT": "Australia/Darwin", "AET": "Australia/Sydney", "AGT": "America/Argentina/Buenos_Aires",
        "ART": "Africa/Cairo", "AST": "America/Anchorage", "BET": "America/Sao_Paulo", "BST6": "Asia/Dhaka",
        "CAT": "Africa/Harare", "CNT": "America/St_Johns", "CTT": "Asia/Shanghai", "EAT": "Africa/Addis_Ababa",
        "ECT": "Europe/Paris", "IET": "America/Indiana/Indianapolis", "MIT": "Pacific/Apia", "NET": "Asia/Yerevan",
        "NST": "Pacific/Auckland", "PLT": "Asia/Karachi", "PNT": "America/Phoenix", "PRT": "America/Puerto_Rico",
        "SST": "Pacific/Guadalcanal", "VST": "Asia/Ho_Chi_Minh",
    ]

    private static func resolve(_ rawID: String) -> TimeZoneRules? {
        let id = rawID
        switch id.uppercased() {
        case "Z", "UTC", "GMT", "UT", "ETC/UTC", "ETC/GMT", "UCT", "ZULU", "UNIVERSAL", "GREENWICH", "ETC/UCT":
            return TimeZoneRules(fixedOffset: 0, id: id.uppercased() == "Z" ? "Z" : id, abbreviation: id.uppercased() == "Z" ? "Z" : "UTC")
        default:
            break
        }
        if let first = id.unicodeScalars.first, first == "+" || first == "-" {
            guard let seconds = parseOffset(Substring(id)) else { return nil }
            return TimeZoneRules(fixedOffset: seconds, id: formatOffsetID(seconds), abbreviation: formatOffsetID(seconds))
        }
        for prefix in ["UTC", "GMT", "UT"] where id.hasPrefix(prefix) && id.count > prefix.count {
            let rest = id.dropFirst(prefix.count)
            guard let c = rest.first, c == "+" || c == "-", let seconds = parseOffset(rest) else { return nil }
            return TimeZoneRules(fixedOffset: seconds, id: prefix + formatOffsetID(seconds), abbreviation: prefix + formatOffsetID(seconds))
        }
        if let region = aliases[id] { return loadRegion(region, as: id) }
        return loadRegion(id, as: id)
    }

    /// `+h`, `+hh`, `+hh:mm`, `+hhmm`, `+hh:mm:ss`, `+hhmmss`.
    static func parseOffset(_ text: Substring) -> Int? {
        guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
        let digits = text.dropFirst().filter { $0 != ":" }
        guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), !digits.isEmpty, digits.count <= 6 else { return nil }
        let d = Array(digits).map { Int(String($0))! }
        var h = 0, m = 0, s = 0
        switch d.count {
        case 1: h = d[0]
        case 2: h = d[0] * 10 + d[1]
        case 4: h = d[0] * 10 + d[1]; m = d[2] * 10 + d[3]
        case 6: h = d[0] * 10 + d[1]; m = d[2] * 10 + d[3]; s = d[4] * 10 + d[5]
        default: return nil
        }
        guard h <= 18, m < 60, s < 60 else { return nil }
        let total = h * 3600 + m * 60 + s
        return sign == "-" ? -total : total
    }

    /// `ZoneOffset.getId()`: `Z`, `+05:00`, `-08:30:15`.
    static func formatOffsetID(_ seconds: Int) -> String {
        if seconds == 0 { return "Z" }
        let a = abs(seconds)
        var s = (seconds < 0 ? "-" : "+") + ISOTemporal.pad(Int64(a / 3600), 2) + ":" + ISOTemporal.pad(Int64(a / 60 % 60), 2)
        if a % 60 != 0 { s += ":" + ISOTemporal.pad(Int64(a % 60), 2) }
        return s
    }

    private static func loadRegion(_ region: String, as id: String) -> TimeZoneRules? {
        // Region IDs are letters, digits, '/', '_', '-', '+'; never a path escape.
        guard !region.isEmpty, !region.contains(".."), !region.hasPrefix("/"),
            region.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "/_-+".unicodeScalars.contains($0)) })
        else { return nil }
        for directory in ["/usr/share/zoneinfo/", "/usr/lib/zoneinfo/", "/usr/share/lib/zoneinfo/"] {
            if let bytes = readFile(directory + region), let rules = TZif.parse(bytes, id: id) {
                return rules
            }
        }
        return nil
    }

    private static func readFile(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, 4096, f) }
            if n <= 0 { break }
            out.append(contentsOf: buffer[0..<n])
            if out.count > 1 << 20 { return nil }
        }
        return out
    }
}

/// Reads TZif files (RFC 8536), using the 64-bit data of version 2 and later.
enum TZif {
    static func parse(_ b: [UInt8], id: String) -> TimeZoneRules? {
        guard b.count >= 44, b[0] == 0x54, b[1] == 0x5A, b[2] == 0x69, b[3] == 0x66 else { return nil }
        let version = b[4]
        func be32(_ i: Int) -> Int { Int(Int32(bitPattern: UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3]))) }
        func be64(_ i: Int) -> Int64 {
            var v: UInt64 = 0
            for k in 0..<8 { v = v << 8 | UInt64(b[i + k]) }
            return Int64(bitPattern: v)
        }
        struct Header { var isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt: Int }
        func header(_ at: Int) -> Header {
            Header(isutcnt: be32(at + 20), isstdcnt: be32(at + 24), leapcnt: be32(at + 28), timecnt: be32(at + 32),
                typecnt: be32(at + 36), charcnt: be32(at + 40))
        }
        var h = header(0)
        var pos = 44
        var timeSize = 4
        if version >= 0x32 {
            // Skip the version 1 block.
            pos += h.timecnt * 4 + h.timecnt + h.typecnt * 6 + h.charcnt + h.leapcnt * 8 + h.isstdcnt + h.isutcnt
            guard pos + 44 <= b.count else { return nil }
            h = header(pos)
            pos += 44
            timeSize = 8
        }
        let need = h.timecnt * timeSize + h.timecnt + h.typecnt * 6 + h.charcnt + h.leapcnt * (timeSize + 4) + h.isstdcnt + h.isutcnt
        guard pos + need <= b.count, h.typecnt > 0 else { return nil }
        var transitions: [Int64] = []
        for i in 0..<h.timecnt {
            transitions.append(timeSize == 8 ? be64(pos + i * 8) : Int64(be32(pos + i * 4)))
        }
        pos += h.timecnt * timeSize
        let indices = (0..<h.timecnt).map { Int(b[pos + $0]) }
        pos += h.timecnt
        var rawTypes: [(Int, Bool, Int)] = []
        for i in 0..<h.typecnt {
            let p = pos + i * 6
            rawTypes.append((be32(p), b[p + 4] != 0, Int(b[p + 5])))
        }
        pos += h.typecnt * 6
        let chars = Array(b[pos..<(pos + h.charcnt)])
        pos += h.charcnt + h.leapcnt * (timeSize + 4) + h.isstdcnt + h.isutcnt
        func abbreviation(_ at: Int) -> String {
            guard at < chars.count else { return "" }
            var end = at
            while end < chars.count && chars[end] != 0 { end += 1 }
            return String(decoding: chars[at..<end], as: UTF8.self)
        }
        let types = rawTypes.map { TimeZoneRules.LocalType(offset: $0.0, isDST: $0.1, abbreviation: abbreviation($0.2)) }
        guard indices.allSatisfy({ $0 < types.count }) else { return nil }
        var posix: PosixTZ? = nil
        if timeSize == 8, pos < b.count, b[pos] == 0x0A {
            var end = pos + 1
            while end < b.count && b[end] != 0x0A { end += 1 }
            posix = PosixTZ.parse(String(decoding: b[(pos + 1)..<end], as: UTF8.self))
        }
        return TimeZoneRules(id: id, transitions: transitions, transitionTypes: indices, types: types, posix: posix)
    }
}

/// A POSIX TZ rule such as `PST8PDT,M3.2.0,M11.1.0`, for instants after a zone's last listed
/// transition.
struct PosixTZ: Sendable {
    struct Rule: Sendable {
        enum Day: Sendable {
            case julianNoLeap(Int)  // Jn: 1...365, February 29 never counted
            case zeroBased(Int)  // n: 0...365
            case monthWeekDay(month: Int, week: Int, weekday: Int)  // Mm.w.d
        }
        var day: Day
        /// Seconds after local midnight (may be negative or beyond a day).
        var time: Int
    }

    var standard: TimeZoneRules.LocalType
    var daylight: TimeZoneRules.LocalType?
    var start: Rule?
    var end: Rule?

    func type(atUTC seconds: Int64) -> TimeZoneRules.LocalType {
        guard let daylight, let start, let end else { return standard }
        let year = CivilTime.date(days: CivilTime.floorDivMod(seconds + Int64(standard.offset), 86_400).0).year
        // DST begins at `start` in standard time and ends at `end` in daylight time.
        let begin = instant(start, year: year) - Int64(standard.offset)
        let finish = instant(end, year: year) - Int64(daylight.offset)
        if begin < finish {
            return seconds >= begin && seconds < finish ? daylight : standard
        }
        // Southern hemisphere: daylight spans the new year.
        return seconds >= finish && seconds < begin ? standard : daylight
    }

    /// Local seconds since the epoch of a rule's moment in `year`.
    private func instant(_ rule: Rule, year: Int64) -> Int64 {
        let days: Int64
        switch rule.day {
        case .julianNoLeap(let n):
            var d = CivilTime.days(year: year, month: 1, day: 1) + Int64(n - 1)
            if CivilTime.isLeapYear(year) && n >= 60 { d += 1 }
            days = d
        case .zeroBased(let n):
            days = CivilTime.days(year: year, month: 1, day: 1) + Int64(n)
        case .monthWeekDay(let month, let week, let weekday):
            let first = CivilTime.days(year: year, month: month, day: 1)
            // ISO weekday 1 (Monday)...7; POSIX 0 is Sunday.
            let firstWeekday = CivilTime.dayOfWeek(days: first) % 7
            var d = first + Int64((weekday - firstWeekday + 7) % 7) + Int64(week - 1) * 7
            let length = Int64(CivilTime.daysInMonth(year: year, month: month))
            while d >= first + length { d -= 7 }
            days = d
        }
        return days * 86_400 + Int64(rule.time)
    }

    static func parse(_ text: String) -> PosixTZ? {
        var s = Substring(text)
        func name() -> String? {
            if s.first == "<" {
                guard let close = s.firstIndex(of: ">") else { return nil }
                let n = String(s[s.index(after: s.startIndex)..<close])
                s = s[s.index(after: close)...]
                return n
            }
            let n = s.prefix { $0.isLetter }
            guard n.count >= 3 else { return nil }
            s = s.dropFirst(n.count)
            return String(n)
        }
        /// `[+-]hh[:mm[:ss]]`, in seconds.
        func clock() -> Int? {
            var sign = 1
            if s.first == "+" { s = s.dropFirst() } else if s.first == "-" { sign = -1; s = s.dropFirst() }
            var parts: [Int] = []
            while true {
                let digits = s.prefix { $0.isASCII && $0.isNumber }
                guard !digits.isEmpty, let v = Int(digits) else { return nil }
                parts.append(v)
                s = s.dropFirst(digits.count)
                if s.first == ":" && parts.count < 3 { s = s.dropFirst() } else { break }
            }
            let total = parts[0] * 3600 + (parts.count > 1 ? parts[1] * 60 : 0) + (parts.count > 2 ? parts[2] : 0)
            return sign * total
        }
        func rule() -> Rule? {
            var day: Rule.Day
            if s.first == "M" {
                s = s.dropFirst()
                let fields = s.prefix { $0 != "/" && $0 != "," }.split(separator: ".").compactMap { Int($0) }
                s = s.dropFirst(s.prefix { $0 != "/" && $0 != "," }.count)
                guard fields.count == 3 else { return nil }
                day = .monthWeekDay(month: fields[0], week: fields[1], weekday: fields[2])
            } else if s.first == "J" {
                s = s.dropFirst()
                let digits = s.prefix { $0.isNumber }
                s = s.dropFirst(digits.count)
                guard let n = Int(digits) else { return nil }
                day = .julianNoLeap(n)
            } else {
                let digits = s.prefix { $0.isNumber }
                s = s.dropFirst(digits.count)
                guard let n = Int(digits) else { return nil }
                day = .zeroBased(n)
            }
            var time = 7200
            if s.first == "/" {
                s = s.dropFirst()
                guard let t = clock() else { return nil }
                time = t
            }
            return Rule(day: day, time: time)
        }
        guard let stdName = name(), let stdWest = clock() else { return nil }
        let standard = TimeZoneRules.LocalType(offset: -stdWest, isDST: false, abbreviation: stdName)
        if s.isEmpty { return PosixTZ(standard: standard, daylight: nil, start: nil, end: nil) }
        guard let dstName = name() else { return nil }
        var dstOffset = standard.offset + 3600
        if let c = s.first, c != "," {
            guard let west = clock() else { return nil }
            dstOffset = -west
        }
        let daylight = TimeZoneRules.LocalType(offset: dstOffset, isDST: true, abbreviation: dstName)
        guard s.first == "," else { return PosixTZ(standard: standard, daylight: nil, start: nil, end: nil) }
        s = s.dropFirst()
        guard let start = rule(), s.first == "," else { return nil }
        s = s.dropFirst()
        guard let end = rule() else { return nil }
        return PosixTZ(standard: standard, daylight: daylight, start: start, end: end)
    }
}

/// The wall clock, without Foundation.
enum SystemClock {
    static func currentMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
