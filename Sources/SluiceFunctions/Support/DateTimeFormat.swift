import SluiceTypes

/// A `java.time.format.DateTimeFormatter` pattern (`yyyy-MM-dd'T'HH:mm:ss.SSSX`), compiled once
/// and used to format and parse dates, times and timestamps the way ksqlDB's functions do.
///
/// Supported letters: G u y Y Q q M L w W d D F E e c a h K k H m s S A n N V z O X x Z, quoting
/// with `'`, optional sections `[...]`. Text is English (`Jan`, `Monday`, `AM`). Week-based fields
/// follow the US convention (weeks start on Sunday, week 1 contains January 1).
struct DateTimeFormat: Sendable {
    enum SignStyle: Sendable { case normal, exceedsPad, notNegative }

    enum NumberField: Sendable {
        case yearOfEra, year, weekBasedYear, quarter, month, weekOfWeekBasedYear, weekOfMonth
        case dayOfMonth, dayOfYear, alignedDayOfWeekInMonth, localizedDayOfWeek
        case clockHourOfAmPm, hourOfAmPm, clockHourOfDay, hourOfDay, minute, second
        case milliOfDay, nanoOfSecond, nanoOfDay

        var isDateBased: Bool {
            switch self {
            case .yearOfEra, .year, .weekBasedYear, .quarter, .month, .weekOfWeekBasedYear, .weekOfMonth,
                .dayOfMonth, .dayOfYear, .alignedDayOfWeekInMonth, .localizedDayOfWeek:
                true
            default: false
            }
        }

        var name: String {
            switch self {
            case .yearOfEra: "YearOfEra"
            case .year: "Year"
            case .weekBasedYear: "WeekBasedYear"
            case .quarter: "QuarterOfYear"
            case .month: "MonthOfYear"
            case .weekOfWeekBasedYear: "WeekOfWeekBasedYear"
            case .weekOfMonth: "WeekOfMonth"
            case .dayOfMonth: "DayOfMonth"
            case .dayOfYear: "DayOfYear"
            case .alignedDayOfWeekInMonth: "AlignedDayOfWeekInMonth"
            case .localizedDayOfWeek: "DayOfWeek"
            case .clockHourOfAmPm: "ClockHourOfAmPm"
            case .hourOfAmPm: "HourOfAmPm"
            case .clockHourOfDay: "ClockHourOfDay"
            case .hourOfDay: "HourOfDay"
            case .minute: "MinuteOfHour"
            case .second: "SecondOfMinute"
            case .milliOfDay: "MilliOfDay"
            case .nanoOfSecond: "NanoOfSecond"
            case .nanoOfDay: "NanoOfDay"
            }
        }
    }

    enum TextField: Sendable { case era, quarter, month, dayOfWeek, amPm }
    enum TextStyle: Sendable { case short, full, narrow }

    indirect enum Item: Sendable {
        case literal(String)
        case number(NumberField, minWidth: Int, maxWidth: Int, sign: SignStyle)
        /// Two-digit year, 2000-based.
        case reducedYear(NumberField)
        case fraction(digits: Int)
        case text(TextField, TextStyle)
        /// `+HH`, `+HHmm`, `+HHMM`, `+HH:mm`, `+HH:MM`, `+HHMMss`, `+HH:MM:ss`...
        case offset(pattern: String, noOffsetText: String)
        case localizedOffset(full: Bool)
        case zoneID
        case zoneName(full: Bool)
        case optional([Item])
    }

    let pattern: String
    let items: [Item]

    init(_ pattern: String) throws(FunctionError) {
        self.pattern = pattern
        var chars = Array(pattern.unicodeScalars)[...]
        items = try Self.compile(&chars, depth: 0)
    }

    // MARK: - Compiling

    private static func compile(_ chars: inout ArraySlice<Unicode.Scalar>, depth: Int) throws(FunctionError) -> [Item] {
        var items: [Item] = []
        var literal = ""
        func flush() {
            if !literal.isEmpty {
                items.append(.literal(literal))
                literal = ""
            }
        }
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "'" {
                // Quoted text; '' is a quote.
                if chars.first == "'" {
                    chars = chars.dropFirst()
                    literal += "'"
                    continue
                }
                var closed = false
                while let q = chars.first {
                    chars = chars.dropFirst()
                    if q == "'" {
                        if chars.first == "'" {
                            chars = chars.dropFirst()
                            literal += "'"
                        } else {
                            closed = true
                            break
                        }
                    } else {
                        literal.unicodeScalars.append(q)
                    }
                }
                guard closed else { throw FunctionError("Pattern ends with an incomplete string literal: \(String(String.UnicodeScalarView(chars)))") }
            } else if c == "[" {
                flush()
                items.append(.optional(try compile(&chars, depth: depth + 1)))
            } else if c == "]" {
                guard depth > 0 else { throw FunctionError("Pattern invalid as it contains ] without previous [") }
                flush()
                return items
            } else if c == "{" || c == "}" || c == "#" {
                throw FunctionError("Pattern includes reserved character: '\(c)'")
            } else if (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") {
                flush()
                var count = 1
                while chars.first == c {
                    chars = chars.dropFirst()
                    count += 1
                }
                items.append(try item(for: c, count: count))
            } else {
                literal.unicodeScalars.append(c)
            }
        }
        flush()
        return items
    }

    private static func item(for c: Unicode.Scalar, count n: Int) throws(FunctionError) -> Item {
        func tooMany() -> FunctionError { FunctionError("Too many pattern letters: \(c)") }
        func textStyle() throws(FunctionError) -> TextStyle {
            switch n {
            case 1...3: return .short
            case 4: return .full
            case 5: return .narrow
            default: throw tooMany()
            }
        }
        func upTo2(_ field: NumberField) throws(FunctionError) -> Item {
            switch n {
            case 1: return .number(field, minWidth: 1, maxWidth: 19, sign: .normal)
            case 2: return .number(field, minWidth: 2, maxWidth: 2, sign: .notNegative)
            default: throw tooMany()
            }
        }
        func year(_ field: NumberField) -> Item {
            if n == 2 { return .reducedYear(field) }
            return .number(field, minWidth: n, maxWidth: 19, sign: n < 4 ? .normal : .exceedsPad)
        }
        switch c {
        case "G": return .text(.era, try textStyle())
        case "y": return year(.yearOfEra)
        case "u": return year(.year)
        case "Y": return year(.weekBasedYear)
        case "Q", "q":
            switch n {
            case 1: return .number(.quarter, minWidth: 1, maxWidth: 19, sign: .normal)
            case 2: return .number(.quarter, minWidth: 2, maxWidth: 2, sign: .notNegative)
            default: return .text(.quarter, try textStyle())
            }
        case "M", "L":
            switch n {
            case 1: return .number(.month, minWidth: 1, maxWidth: 19, sign: .normal)
            case 2: return .number(.month, minWidth: 2, maxWidth: 2, sign: .notNegative)
            default: return .text(.month, try textStyle())
            }
        case "w": return try upTo2(.weekOfWeekBasedYear)
        case "W":
            guard n == 1 else { throw tooMany() }
            return .number(.weekOfMonth, minWidth: 1, maxWidth: 1, sign: .notNegative)
        case "d": return try upTo2(.dayOfMonth)
        case "D":
            switch n {
            case 1: return .number(.dayOfYear, minWidth: 1, maxWidth: 19, sign: .normal)
            case 2: return .number(.dayOfYear, minWidth: 2, maxWidth: 3, sign: .notNegative)
            case 3: return .number(.dayOfYear, minWidth: 3, maxWidth: 3, sign: .notNegative)
            default: throw tooMany()
            }
        case "F":
            guard n == 1 else { throw tooMany() }
            return .number(.alignedDayOfWeekInMonth, minWidth: 1, maxWidth: 19, sign: .normal)
        case "E": return .text(.dayOfWeek, try textStyle())
        case "e", "c":
            switch n {
            case 1: return .number(.localizedDayOfWeek, minWidth: 1, maxWidth: 1, sign: .notNegative)
            case 2:
                guard c == "e" else { throw FunctionError("Invalid pattern \"cc\"") }
                return .number(.localizedDayOfWeek, minWidth: 2, maxWidth: 2, sign: .notNegative)
            default: return .text(.dayOfWeek, try textStyle())
            }
        case "a":
            guard n == 1 else { throw tooMany() }
            return .text(.amPm, .short)
        case "h": return try upTo2(.clockHourOfAmPm)
        case "K": return try upTo2(.hourOfAmPm)
        case "k": return try upTo2(.clockHourOfDay)
        case "H": return try upTo2(.hourOfDay)
        case "m": return try upTo2(.minute)
        case "s": return try upTo2(.second)
        case "S":
            guard n <= 9 else { throw tooMany() }
            return .fraction(digits: n)
        case "A": return .number(.milliOfDay, minWidth: n, maxWidth: 19, sign: .notNegative)
        case "n": return .number(.nanoOfSecond, minWidth: n, maxWidth: 19, sign: .notNegative)
        case "N": return .number(.nanoOfDay, minWidth: n, maxWidth: 19, sign: .notNegative)
        case "V":
            guard n == 2 else { throw FunctionError("Pattern letter count must be 2: V") }
            return .zoneID
        case "z":
            guard n <= 4 else { throw tooMany() }
            return .zoneName(full: n == 4)
        case "O":
            guard n == 1 || n == 4 else { throw FunctionError("Pattern letter count must be 1 or 4: O") }
            return .localizedOffset(full: n == 4)
        case "X", "x":
            let patterns = ["+HHmm", "+HHMM", "+HH:MM", "+HHMMss", "+HH:MM:ss"]
            guard n <= 5 else { throw tooMany() }
            if c == "X" { return .offset(pattern: n == 1 ? "+HHmm" : patterns[n - 1], noOffsetText: "Z") }
            let zero = ["+00", "+0000", "+00:00", "+0000", "+00:00"]
            return .offset(pattern: n == 1 ? "+HHmm" : patterns[n - 1], noOffsetText: zero[n - 1])
        case "Z":
            switch n {
            case 1...3: return .offset(pattern: "+HHMM", noOffsetText: "+0000")
            case 4: return .localizedOffset(full: true)
            case 5: return .offset(pattern: "+HH:MM:ss", noOffsetText: "Z")
            default: throw tooMany()
            }
        default:
            throw FunctionError("Unknown pattern letter: \(c)")
        }
    }

    // MARK: - Text

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    static let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    static func text(_ field: TextField, _ style: TextStyle, value: Int) -> String {
        switch field {
        case .era:
            switch style {
            case .short: return value == 1 ? "AD" : "BC"
            case .full: return value == 1 ? "Anno Domini" : "Before Christ"
            case .narrow: return value == 1 ? "A" : "B"
            }
        case .quarter:
            switch style {
            case .short: return "Q\(value)"
            case .full: return ["1st quarter", "2nd quarter", "3rd quarter", "4th quarter"][value - 1]
            case .narrow: return "\(value)"
            }
        case .month:
            let name = monthNames[value - 1]
            switch style {
            case .short: return String(name.prefix(3))
            case .full: return name
            case .narrow: return String(name.prefix(1))
            }
        case .dayOfWeek:
            let name = dayNames[value - 1]
            switch style {
            case .short: return String(name.prefix(3))
            case .full: return name
            case .narrow: return String(name.prefix(1))
            }
        case .amPm:
            return value == 0 ? "AM" : "PM"
        }
    }

    static func textRange(_ field: TextField) -> ClosedRange<Int> {
        switch field {
        case .era: 0...1
        case .quarter: 1...4
        case .month: 1...12
        case .dayOfWeek: 1...7
        case .amPm: 0...1
        }
    }

    /// Full names of common zones, for `zzzz`.
    static let fullZoneNames: [String: (String, String)] = [
        "America/Los_Angeles": ("Pacific Standard Time", "Pacific Daylight Time"),
        "America/Denver": ("Mountain Standard Time", "Mountain Daylight Time"),
        "America/Chicago": ("Central Standard Time", "Central Daylight Time"),
        "America/New_York": ("Eastern Standard Time", "Eastern Daylight Time"),
        "Europe/London": ("Greenwich Mean Time", "British Summer Time"),
        "Europe/Paris": ("Central European Standard Time", "Central European Summer Time"),
        "Europe/Berlin": ("Central European Standard Time", "Central European Summer Time"),
        "Asia/Kolkata": ("India Standard Time", "India Standard Time"),
        "Asia/Tokyo": ("Japan Standard Time", "Japan Standard Time"),
        "UTC": ("Coordinated Universal Time", "Coordinated Universal Time"),
    ]
}
