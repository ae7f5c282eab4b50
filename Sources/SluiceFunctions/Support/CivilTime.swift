/// Proleptic Gregorian calendar arithmetic on days since 1970-01-01 (as `java.time` uses), with
/// no Foundation: the record path converts dates and timestamps constantly.
enum CivilTime {
    static let millisPerDay: Int64 = 86_400_000

    /// Days since the epoch of a calendar date; month 1...12, day 1...31.
    static func days(year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The calendar date of a day number.
    static func date(days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, Int(m), Int(d))
    }

    static func isLeapYear(_ y: Int64) -> Bool {
        (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
    }

    static func daysInMonth(year: Int64, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// ISO day of week: Monday 1 ... Sunday 7.
    static func dayOfWeek(days: Int64) -> Int {
        // 1970-01-01 was a Thursday (4).
        let r = (days + 3) % 7
        return Int(r < 0 ? r + 7 : r) + 1
    }

    /// Day of the year, 1-based.
    static func dayOfYear(days: Int64) -> Int {
        let (y, _, _) = date(days: days)
        return Int(days - self.days(year: y, month: 1, day: 1)) + 1
    }

    /// Floor division and modulo, for negative epoch values.
    @inline(__always)
    static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b
        let r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }
}

/// Default text forms of temporal values (ISO-8601, as `java.time` prints them).
enum ISOTemporal {
    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v.magnitude)
        let padded = s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        return v < 0 ? "-" + padded : padded
    }

    static func isoDate(_ days: Int64) -> String {
        let (y, m, d) = CivilTime.date(days: days)
        return pad(y, 4) + "-" + pad(Int64(m), 2) + "-" + pad(Int64(d), 2)
    }

    static func isoTime(_ millis: Int64) -> String {
        let (_, ms) = CivilTime.floorDivMod(millis, CivilTime.millisPerDay)
        let h = ms / 3_600_000, mi = ms / 60_000 % 60, s = ms / 1000 % 60, f = ms % 1000
        var out = pad(h, 2) + ":" + pad(mi, 2) + ":" + pad(s, 2)
        if f != 0 { out += "." + pad(f, 3) }
        return out
    }

    static func isoTimestamp(_ millis: Int64) -> String {
        let (days, ms) = CivilTime.floorDivMod(millis, CivilTime.millisPerDay)
        let h = ms / 3_600_000, mi = ms / 60_000 % 60, s = ms / 1000 % 60, f = ms % 1000
        return isoDate(days) + "T" + pad(h, 2) + ":" + pad(mi, 2) + ":" + pad(s, 2) + "." + pad(f, 3)
    }
}
