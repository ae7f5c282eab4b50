import SluiceTypes

/// Date and time functions. Patterns are `java.time.format.DateTimeFormatter` patterns (see
/// ``DateTimeFormat``); zones are `java.time.ZoneId` IDs (see ``TimeZoneRules``). Where ksqlDB
/// uses the JVM's default zone, Sluice uses UTC.
///
/// A literal pattern or zone is compiled once per call site; a bad one fails each record (as in
/// ksqlDB, which compiles per record), not the statement.
enum DateTimeFunctions {
    static let defaultZone = TimeZoneRules.utc

    // MARK: - Specialization helpers

    /// The pattern argument at `index`, compiled once when literal.
    static func pattern(_ call: ResolvedCall, at index: Int) -> @Sendable ([Value]) throws(FunctionError) -> DateTimeFormat? {
        if case .string(let text)? = call.constants[index] {
            let compiled: Result<DateTimeFormat, FunctionError>
            do throws(FunctionError) {
                compiled = .success(try DateTimeFormat(text))
            } catch {
                compiled = .failure(error)
            }
            return { _ throws(FunctionError) in try compiled.get() }
        }
        return { args throws(FunctionError) in
            guard case .string(let text) = args[index] else { return nil }
            return try DateTimeFormat(text)
        }
    }

    /// The zone argument at `index` (UTC when the call has none), resolved once when literal.
    static func zone(_ call: ResolvedCall, at index: Int) -> @Sendable ([Value]) throws(FunctionError) -> TimeZoneRules? {
        guard index < call.argumentTypes.count else { return { _ in defaultZone } }
        if case .string(let id)? = call.constants[index] {
            let rules = TimeZoneRules.named(id)
            return { _ throws(FunctionError) in
                guard let rules else { throw FunctionError("Unknown time-zone ID: \(id)") }
                return rules
            }
        }
        return { args throws(FunctionError) in
            guard case .string(let id) = args[index] else { return nil }
            guard let rules = TimeZoneRules.named(id) else { throw FunctionError("Unknown time-zone ID: \(id)") }
            return rules
        }
    }

    // MARK: - Formatting and parsing

    static func formatTimestamp(_ call: ResolvedCall) -> ScalarBody {
        let format = pattern(call, at: 1)
        let zone = zone(call, at: 2)
        return { args, _ throws(FunctionError) in
            let millis: Int64
            switch args[0] {
            case .timestamp(let t): millis = t
            case .bigint(let t): millis = t
            default: return .null
            }
            guard let f = try format(args), let z = try zone(args) else { return .null }
            do throws(FunctionError) {
                return .string(try f.format(.timestamp(millis: millis, zone: z)))
            } catch {
                throw FunctionError("Failed to format timestamp \(millis) with formatter '\(f.pattern)': \(error.message)")
            }
        }
    }

    /// PARSE_TIMESTAMP (TIMESTAMP result) and STRINGTOTIMESTAMP (BIGINT).
    static func parseTimestamp(_ call: ResolvedCall, asBigint: Bool) -> ScalarBody {
        let format = pattern(call, at: 1)
        let zone = zone(call, at: 2)
        return { args, _ throws(FunctionError) in
            guard case .string(let text) = args[0], let f = try format(args), let z = try zone(args) else { return .null }
            do throws(FunctionError) {
                let millis = try f.parse(text, caseInsensitive: true).timestampMillis(defaultZone: z)
                return asBigint ? .bigint(millis) : .timestamp(millis)
            } catch {
                throw FunctionError("Failed to parse timestamp '\(text)' with formatter '\(f.pattern)': \(error.message)")
            }
        }
    }

    /// FORMAT_DATE (DATE) and DATETOSTRING (INT days).
    static func formatDate(_ call: ResolvedCall) -> ScalarBody {
        let format = pattern(call, at: 1)
        return { args, _ throws(FunctionError) in
            let days: Int64
            switch args[0] {
            case .date(let d): days = Int64(d)
            case .integer(let d): days = Int64(d)
            default: return .null
            }
            guard let f = try format(args) else { return .null }
            do throws(FunctionError) {
                return .string(try f.format(.date(days)))
            } catch {
                throw FunctionError("Failed to format date \(ISOTemporal.isoDate(days)) with formatter '\(f.pattern)': \(error.message)")
            }
        }
    }

    /// PARSE_DATE (DATE; time fields rejected) and STRINGTODATE (INT days).
    static func parseDate(_ call: ResolvedCall, asInteger: Bool) -> ScalarBody {
        let format = pattern(call, at: 1)
        return { args, _ throws(FunctionError) in
            guard case .string(let text) = args[0], let f = try format(args) else { return .null }
            do throws(FunctionError) {
                // PARSE_DATE is lenient where STRINGTODATE is not: trailing text is ignored and
                // missing day (and month) fields default to the first.
                let parsed = try f.parse(text, caseInsensitive: true, allowingTrailingText: !asInteger)
                if !asInteger && parsed.hasTimeFields { throw FunctionError("Date format contains time field.") }
                guard let days = try parsed.resolveDate(defaultingDay: !asInteger) else {
                    throw FunctionError("Unable to obtain LocalDate from the parsed fields")
                }
                return asInteger ? .integer(Int32(truncatingIfNeeded: days)) : .date(Int32(truncatingIfNeeded: days))
            } catch {
                throw FunctionError("Failed to parse date '\(text)' with formatter '\(f.pattern)': \(error.message)")
            }
        }
    }

    static func formatTime(_ call: ResolvedCall) -> ScalarBody {
        let format = pattern(call, at: 1)
        return { args, _ throws(FunctionError) in
            guard case .time(let t) = args[0], let f = try format(args) else { return .null }
            do throws(FunctionError) {
                return .string(try f.format(.time(millis: Int64(t))))
            } catch {
                throw FunctionError("Failed to format time \(ISOTemporal.isoTime(Int64(t))) with formatter '\(f.pattern)': \(error.message)")
            }
        }
    }

    static func parseTime(_ call: ResolvedCall) -> ScalarBody {
        let format = pattern(call, at: 1)
        return { args, _ throws(FunctionError) in
            guard case .string(let text) = args[0], let f = try format(args) else { return .null }
            do throws(FunctionError) {
                let parsed = try f.parse(text, caseInsensitive: false)
                if parsed.hasDateFields { throw FunctionError("Unsupported field: date fields in a time") }
                guard let (nanos, nextDay) = try parsed.resolveTime() else {
                    throw FunctionError("Unable to obtain LocalTime from the parsed fields")
                }
                return .time(Int32(nextDay ? 0 : nanos / 1_000_000))
            } catch {
                throw FunctionError("Failed to parse time '\(text)' with formatter '\(f.pattern)': \(error.message)")
            }
        }
    }

    /// CONVERT_TZ: shifts the wall-clock reading from one zone to another (offsets taken at the
    /// given instant).
    static func convertTZ(_ call: ResolvedCall) -> ScalarBody {
        let from = zone(call, at: 1)
        let to = zone(call, at: 2)
        return { args, _ throws(FunctionError) in
            guard case .timestamp(let t) = args[0], let f = try from(args), let z = try to(args) else { return .null }
            let seconds = CivilTime.floorDivMod(t, 1000).0
            let shift = Int64(z.offset(atUTC: seconds) - f.offset(atUTC: seconds)) * 1000
            return .timestamp(t &+ shift)
        }
    }

    // MARK: - Arithmetic

    /// `java.util.concurrent.TimeUnit` names as the planner passes the unit keyword (a literal).
    enum Unit: Sendable {
        case nanoseconds, microseconds, milliseconds, seconds, minutes, hours, days

        init?(name: String) {
            switch name.uppercased() {
            case "NANOSECOND", "NANOSECONDS": self = .nanoseconds
            case "MICROSECOND", "MICROSECONDS": self = .microseconds
            case "MILLISECOND", "MILLISECONDS": self = .milliseconds
            case "SECOND", "SECONDS": self = .seconds
            case "MINUTE", "MINUTES": self = .minutes
            case "HOUR", "HOURS": self = .hours
            case "DAY", "DAYS": self = .days
            default: return nil
            }
        }

        /// `TimeUnit.toMillis`: truncating for smaller units, saturating for larger.
        func toMillis(_ n: Int64) -> Int64 {
            switch self {
            case .nanoseconds: n / 1_000_000
            case .microseconds: n / 1000
            case .milliseconds: n
            case .seconds: saturating(n, 1000)
            case .minutes: saturating(n, 60_000)
            case .hours: saturating(n, 3_600_000)
            case .days: saturating(n, 86_400_000)
            }
        }

        func toNanos(_ n: Int64) -> Int64 {
            switch self {
            case .nanoseconds: n
            case .microseconds: saturating(n, 1000)
            case .milliseconds: saturating(n, 1_000_000)
            case .seconds: saturating(n, 1_000_000_000)
            case .minutes: saturating(n, 60_000_000_000)
            case .hours: saturating(n, 3_600_000_000_000)
            case .days: saturating(n, 86_400_000_000_000)
            }
        }

        private func saturating(_ n: Int64, _ factor: Int64) -> Int64 {
            let (r, o) = n.multipliedReportingOverflow(by: factor)
            return o ? (n < 0 ? .min : .max) : r
        }
    }

    /// The unit argument, which must be a literal keyword.
    static func unit(_ call: ResolvedCall, _ name: String) throws(FunctionResolutionError) -> Unit {
        guard case .string(let text)? = call.constants[0] else {
            throw FunctionResolutionError("the first argument of \(name) must be a time unit such as DAYS or HOURS")
        }
        guard let unit = Unit(name: text) else {
            throw FunctionResolutionError("unknown time unit '\(text)' in \(name)")
        }
        return unit
    }

    static func add(_ call: ResolvedCall, name: String, sign: Int64) throws(FunctionResolutionError) -> ScalarBody {
        let unit = try unit(call, name)
        return { args, _ in
            guard case .integer(let interval) = args[1] else { return .null }
            let n = Int64(interval) * sign
            switch args[2] {
            case .date(let d):
                // TimeUnit.MILLISECONDS.toDays truncates towards zero.
                let millis = Int64(d) * CivilTime.millisPerDay &+ unit.toMillis(n)
                return .date(Int32(truncatingIfNeeded: millis / CivilTime.millisPerDay))
            case .time(let t):
                let nanos = Int64(t) * 1_000_000
                let dayNanos: Int64 = 86_400_000_000_000
                let shifted = ((nanos &+ unit.toNanos(n) % dayNanos) % dayNanos + dayNanos) % dayNanos
                return .time(Int32(shifted / 1_000_000))
            case .timestamp(let ts):
                return .timestamp(ts &+ unit.toMillis(n))
            default:
                return .null
            }
        }
    }
}

extension RegistryBuilder {
    mutating func registerDateTimeFunctions() {
        let category = "DATE / TIME"
        scalar("UNIX_TIMESTAMP", category, "Returns the current time, or a TIMESTAMP, as milliseconds since the epoch.", [
            ScalarOverload([], returns: .bigint) { _, _ in .bigint(SystemClock.currentMillis()) },
            ScalarOverload([p("timestamp", .timestamp)], returns: .bigint) { a, _ in
                guard case .timestamp(let t) = a[0] else { return .null }
                return .bigint(t)
            },
        ])
        scalar("UNIX_DATE", category, "Returns the current date, or a DATE, as days since the epoch.", [
            ScalarOverload([], returns: .integer) { _, _ in
                .integer(Int32(CivilTime.floorDivMod(SystemClock.currentMillis(), CivilTime.millisPerDay).0))
            },
            ScalarOverload([p("date", .date)], returns: .integer) { a, _ in
                guard case .date(let d) = a[0] else { return .null }
                return .integer(d)
            },
        ])
        scalar("FROM_UNIXTIME", category, "Converts milliseconds since the epoch to a TIMESTAMP.", [
            ScalarOverload([p("milliseconds", .bigint)], returns: .timestamp) { a, _ in
                guard case .bigint(let t) = a[0] else { return .null }
                return .timestamp(t)
            }
        ])
        scalar("FROM_DAYS", category, "Converts days since the epoch to a DATE.", [
            ScalarOverload([p("days", .integer)], returns: .date) { a, _ in
                guard case .integer(let d) = a[0] else { return .null }
                return .date(d)
            }
        ])
        let fmt = p("formatPattern", .string)
        let tz = p("timeZone", .string)
        scalar("FORMAT_TIMESTAMP", category, "Formats a TIMESTAMP with a DateTimeFormatter pattern, in UTC or a zone.", [
            ScalarOverload([p("timestamp", .timestamp), fmt], returns: .type(.string)) { c in DateTimeFunctions.formatTimestamp(c) },
            ScalarOverload([p("timestamp", .timestamp), fmt, tz], returns: .type(.string)) { c in
                DateTimeFunctions.formatTimestamp(c)
            },
        ])
        scalar("TIMESTAMPTOSTRING", category, "Formats milliseconds since the epoch with a pattern (deprecated).", [
            ScalarOverload([p("epochMilli", .bigint), fmt], returns: .type(.string)) { c in DateTimeFunctions.formatTimestamp(c) },
            ScalarOverload([p("epochMilli", .bigint), fmt, tz], returns: .type(.string)) { c in
                DateTimeFunctions.formatTimestamp(c)
            },
        ])
        scalar("PARSE_TIMESTAMP", category, "Parses a string with a pattern into a TIMESTAMP, in UTC or a zone.", [
            ScalarOverload([p("formattedTimestamp", .string), fmt], returns: .type(.timestamp)) { c in
                DateTimeFunctions.parseTimestamp(c, asBigint: false)
            },
            ScalarOverload([p("formattedTimestamp", .string), fmt, tz], returns: .type(.timestamp)) { c in
                DateTimeFunctions.parseTimestamp(c, asBigint: false)
            },
        ])
        scalar("STRINGTOTIMESTAMP", category, "Parses a string into milliseconds since the epoch (deprecated).", [
            ScalarOverload([p("formattedTimestamp", .string), fmt], returns: .type(.bigint)) { c in
                DateTimeFunctions.parseTimestamp(c, asBigint: true)
            },
            ScalarOverload([p("formattedTimestamp", .string), fmt, tz], returns: .type(.bigint)) { c in
                DateTimeFunctions.parseTimestamp(c, asBigint: true)
            },
        ])
        scalar("FORMAT_DATE", category, "Formats a DATE with a DateTimeFormatter pattern.", [
            ScalarOverload([p("date", .date), fmt], returns: .type(.string)) { c in DateTimeFunctions.formatDate(c) }
        ])
        scalar("DATETOSTRING", category, "Formats days since the epoch with a pattern (deprecated).", [
            ScalarOverload([p("epochDays", .integer), fmt], returns: .type(.string)) { c in DateTimeFunctions.formatDate(c) }
        ])
        scalar("PARSE_DATE", category, "Parses a string with a pattern into a DATE.", [
            ScalarOverload([p("formattedDate", .string), fmt], returns: .type(.date)) { c in
                DateTimeFunctions.parseDate(c, asInteger: false)
            }
        ])
        scalar("STRINGTODATE", category, "Parses a string into days since the epoch (deprecated).", [
            ScalarOverload([p("formattedDate", .string), fmt], returns: .type(.integer)) { c in
                DateTimeFunctions.parseDate(c, asInteger: true)
            }
        ])
        scalar("FORMAT_TIME", category, "Formats a TIME with a DateTimeFormatter pattern.", [
            ScalarOverload([p("time", .time), fmt], returns: .type(.string)) { c in DateTimeFunctions.formatTime(c) }
        ])
        scalar("PARSE_TIME", category, "Parses a string with a pattern into a TIME.", [
            ScalarOverload([p("formattedTime", .string), fmt], returns: .type(.time)) { c in DateTimeFunctions.parseTime(c) }
        ])
        scalar("CONVERT_TZ", category, "Converts a TIMESTAMP's wall-clock reading from one zone to another.", [
            ScalarOverload([p("timestamp", .timestamp), p("fromTimeZone", .string), p("toTimeZone", .string)],
                returns: .type(.timestamp)) { c in DateTimeFunctions.convertTZ(c) }
        ])
        let arithmetic: [(String, Int64, ParamType, String)] = [
            ("DATEADD", 1, .date, "Adds a number of time units to a DATE."),
            ("DATESUB", -1, .date, "Subtracts a number of time units from a DATE."),
            ("TIMEADD", 1, .time, "Adds a number of time units to a TIME, wrapping at midnight."),
            ("TIMESUB", -1, .time, "Subtracts a number of time units from a TIME, wrapping at midnight."),
            ("TIMESTAMPADD", 1, .timestamp, "Adds a number of time units to a TIMESTAMP."),
            ("TIMESTAMPSUB", -1, .timestamp, "Subtracts a number of time units from a TIMESTAMP."),
        ]
        for (name, sign, type, text) in arithmetic {
            scalar(name, category, text + " The unit is a keyword (DAYS, HOURS, ...), passed as a STRING literal.", [
                ScalarOverload([p("unit", .string), p("interval", .integer), p("value", type)], returns: .type(type)) {
                    c throws(FunctionResolutionError) in try DateTimeFunctions.add(c, name: name, sign: sign)
                }
            ])
        }
    }
}
