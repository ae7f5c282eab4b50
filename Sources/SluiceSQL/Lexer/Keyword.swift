/// Every word the lexer recognises as a keyword, in one table.
///
/// ksqlDB's rule decides which keywords are *reserved*: a reserved word can only be used as a name
/// when back-quoted (`` `FROM` ``), while a non-reserved one (``isReserved`` false) also works bare
/// as a column, source or alias name. The set mirrors ksqlDB's `nonReserved` grammar rule so that
/// scripts move between the two systems unchanged; `PAUSE` and `RESUME` are Sluice additions and
/// stay non-reserved so they break no existing name. `Grammar/keywords/*.list` documents both sets
/// and a test keeps them in step with this enum.
public enum Keyword: String, CaseIterable, Sendable {
    case add = "ADD"
    case advance = "ADVANCE"
    case all = "ALL"
    case alter = "ALTER"
    case analyze = "ANALYZE"
    case and = "AND"
    case array = "ARRAY"
    case `as` = "AS"
    case assert = "ASSERT"
    case at = "AT"
    case beginning = "BEGINNING"
    case between = "BETWEEN"
    case by = "BY"
    case `case` = "CASE"
    case cast = "CAST"
    case catalog = "CATALOG"
    case changes = "CHANGES"
    case column = "COLUMN"
    case columns = "COLUMNS"
    case connector = "CONNECTOR"
    case connectors = "CONNECTORS"
    case create = "CREATE"
    case date = "DATE"
    case day = "DAY"
    case days = "DAYS"
    case decimal = "DECIMAL"
    case define = "DEFINE"
    case delete = "DELETE"
    case describe = "DESCRIBE"
    case distinct = "DISTINCT"
    case drop = "DROP"
    case `else` = "ELSE"
    case emit = "EMIT"
    case end = "END"
    case escape = "ESCAPE"
    case exists = "EXISTS"
    case explain = "EXPLAIN"
    case export = "EXPORT"
    case extended = "EXTENDED"
    case `false` = "FALSE"
    case final = "FINAL"
    case from = "FROM"
    case full = "FULL"
    case function = "FUNCTION"
    case functions = "FUNCTIONS"
    case grace = "GRACE"
    case group = "GROUP"
    case having = "HAVING"
    case header = "HEADER"
    case headers = "HEADERS"
    case hopping = "HOPPING"
    case hour = "HOUR"
    case hours = "HOURS"
    case id = "ID"
    case `if` = "IF"
    case `in` = "IN"
    case inner = "INNER"
    case insert = "INSERT"
    case integer = "INTEGER"
    case interval = "INTERVAL"
    case into = "INTO"
    case `is` = "IS"
    case join = "JOIN"
    case key = "KEY"
    case left = "LEFT"
    case like = "LIKE"
    case limit = "LIMIT"
    case list = "LIST"
    case load = "LOAD"
    case map = "MAP"
    case materialized = "MATERIALIZED"
    case millisecond = "MILLISECOND"
    case milliseconds = "MILLISECONDS"
    case minute = "MINUTE"
    case minutes = "MINUTES"
    case month = "MONTH"
    case months = "MONTHS"
    case namespace = "NAMESPACE"
    case not = "NOT"
    case null = "NULL"
    case on = "ON"
    case or = "OR"
    case outer = "OUTER"
    case partition = "PARTITION"
    case partitions = "PARTITIONS"
    case pause = "PAUSE"
    case period = "PERIOD"
    case plugins = "PLUGINS"
    case primary = "PRIMARY"
    case print = "PRINT"
    case properties = "PROPERTIES"
    case queries = "QUERIES"
    case query = "QUERY"
    case rename = "RENAME"
    case replace = "REPLACE"
    case reset = "RESET"
    case resume = "RESUME"
    case retention = "RETENTION"
    case right = "RIGHT"
    case run = "RUN"
    case sample = "SAMPLE"
    case schema = "SCHEMA"
    case script = "SCRIPT"
    case second = "SECOND"
    case seconds = "SECONDS"
    case select = "SELECT"
    case session = "SESSION"
    case set = "SET"
    case show = "SHOW"
    case sink = "SINK"
    case size = "SIZE"
    case source = "SOURCE"
    case stream = "STREAM"
    case streams = "STREAMS"
    case `struct` = "STRUCT"
    case subject = "SUBJECT"
    case system = "SYSTEM"
    case table = "TABLE"
    case tables = "TABLES"
    case terminate = "TERMINATE"
    case then = "THEN"
    case time = "TIME"
    case timeout = "TIMEOUT"
    case timestamp = "TIMESTAMP"
    case to = "TO"
    case topic = "TOPIC"
    case topics = "TOPICS"
    case `true` = "TRUE"
    case tumbling = "TUMBLING"
    case type = "TYPE"
    case types = "TYPES"
    case undefine = "UNDEFINE"
    case unset = "UNSET"
    case values = "VALUES"
    case variables = "VARIABLES"
    case view = "VIEW"
    case when = "WHEN"
    case `where` = "WHERE"
    case window = "WINDOW"
    case with = "WITH"
    case within = "WITHIN"
    case year = "YEAR"
    case years = "YEARS"
    case zone = "ZONE"

    /// True when the word cannot be used as a bare name.
    public var isReserved: Bool { !Keyword.nonReserved.contains(self) }

    /// Keywords that double as names (ksqlDB's `nonReserved` rule, plus `PAUSE` and `RESUME`).
    public static let nonReserved: Set<Keyword> = [
        .add, .alter, .analyze, .array, .assert, .changes, .column, .columns, .date, .day, .define, .emit,
        .escape, .explain, .final, .function, .functions, .grace, .header, .headers, .hour, .id, .if, .integer,
        .interval, .key, .map, .minute, .month, .partition, .partitions, .pause, .period, .plugins, .primary,
        .replace, .reset, .resume, .schema, .second, .session, .set, .show, .sink, .source, .struct, .subject,
        .system, .tables, .time, .timeout, .timestamp, .type, .types, .undefine, .variables, .year, .zone,
    ]

    /// Looks a word up case-insensitively from its UTF-8 bytes, without allocating.
    ///
    /// - Returns: nil when the bytes are not a keyword (including any word longer than 16 bytes).
    static func lookup(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Keyword? {
        guard let key = KeywordKey(bytes, from: start, to: end) else { return nil }
        return lookupTable[key]
    }

    private static let lookupTable: [KeywordKey: Keyword] = {
        var result: [KeywordKey: Keyword] = [:]
        for keyword in Keyword.allCases {
            let utf8 = Array(keyword.rawValue.utf8)
            let key = utf8.withUnsafeBufferPointer { KeywordKey($0, from: 0, to: utf8.count)! }
            result[key] = keyword
        }
        return result
    }()
}

/// A keyword spelling packed into two words, upper-cased, so lookups hash integers, not strings.
private struct KeywordKey: Hashable {
    var low: UInt64 = 0
    var high: UInt64 = 0

    init?(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        let count = end - start
        guard count > 0, count <= 16 else { return nil }
        for index in 0..<count {
            var byte = bytes[start + index]
            if byte >= 0x61 && byte <= 0x7A { byte -= 0x20 }
            if index < 8 {
                low |= UInt64(byte) << UInt64(index * 8)
            } else {
                high |= UInt64(byte) << UInt64((index - 8) * 8)
            }
        }
    }
}
