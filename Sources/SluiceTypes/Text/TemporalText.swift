/// ISO renderings of ksqlDB's temporal values (all UTC), as its CLI and `CAST(... AS STRING)` show them.
public enum TemporalText {
    /// Civil date (proleptic Gregorian) for days since 1970-01-01.
    public static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        // Howard Hinnant's days-to-civil algorithm.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), Int(m), Int(d))
    }

    /// Days since 1970-01-01 for a civil date.
    public static func days(year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// `yyyy-MM-dd` (ISO_LOCAL_DATE: years past 9999 get a `+`, negative years a `-`).
    public static func date(days: Int64) -> String {
        var out: [UInt8] = []
        appendDate(days: days, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func appendDate(days: Int64, to out: inout [UInt8]) {
        let c = civil(fromDays: days)
        if c.year > 9999 { out.append(0x2B) }
        if c.year < 0 { out.append(0x2D) }
        DecimalDigits.appendPadded(Int64(c.year.magnitude), width: 4, to: &out)
        out.append(0x2D)
        DecimalDigits.appendPadded(Int64(c.month), width: 2, to: &out)
        out.append(0x2D)
        DecimalDigits.appendPadded(Int64(c.day), width: 2, to: &out)
    }

    /// `HH:mm:ss` plus the fraction when non-zero, trailing zeros dropped (ISO_LOCAL_TIME):
    /// 1000 → `00:00:01`, 1500 → `00:00:01.5`.
    public static func time(millis: Int64) -> String {
        let ms = ((millis % 86_400_000) + 86_400_000) % 86_400_000
        var out: [UInt8] = []
        appendClock(ms, to: &out)
        var fraction = ms % 1000
        if fraction != 0 {
            out.append(0x2E)
            var width = 3
            while fraction % 10 == 0 {
                fraction /= 10
                width -= 1
            }
            DecimalDigits.appendPadded(fraction, width: width, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `yyyy-MM-dd'T'HH:mm:ss.SSS` in UTC, ksqlDB's timestamp text.
    public static func timestamp(millis: Int64) -> String {
        var days = millis / 86_400_000
        var ms = millis % 86_400_000
        if ms < 0 {
            ms += 86_400_000
            days -= 1
        }
        var out: [UInt8] = []
        appendDate(days: days, to: &out)
        out.append(UInt8(ascii: "T"))
        appendClock(ms, to: &out)
        out.append(0x2E)
        DecimalDigits.appendPadded(ms % 1000, width: 3, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendClock(_ msOfDay: Int64, to out: inout [UInt8]) {
        let seconds = msOfDay / 1000
        DecimalDigits.appendPadded(seconds / 3600, width: 2, to: &out)
        out.append(0x3A)
        DecimalDigits.appendPadded(seconds / 60 % 60, width: 2, to: &out)
        out.append(0x3A)
        DecimalDigits.appendPadded(seconds % 60, width: 2, to: &out)
    }
}
