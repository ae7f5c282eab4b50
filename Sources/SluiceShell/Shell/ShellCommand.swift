/// The shell's own commands, recognised on a line of their own between statements (a trailing `;`
/// is allowed). None of their words starts a SQL statement, so they cannot shadow one.
enum ShellCommand: Equatable {
    case help
    case exit
    case history
    case clear
    case version
    /// `spool FILE` (a path) or `spool off` (nil).
    case spool(String?)
    /// `output FORMAT`, or `output` alone (nil) to show the current one.
    case output(OutputFormat?)
    /// One of the commands, used wrongly: the message says how to use it.
    case misuse(String)

    /// The command words, for completion.
    static let names = ["clear", "exit", "help", "history", "output", "quit", "spool", "version"]

    init?(_ line: String) {
        var text = line.trimming(" \t\r")
        if text.hasSuffix(";") { text = String(text.dropLast()).trimming(" \t") }
        let word = String(text.prefix { !$0.isWhitespace })
        let argument = String(text.dropFirst(word.count)).trimming(" \t")
        switch word.lowercased() {
        case "help", "?", "\\h", "\\?": self = .help
        case "exit", "quit", "\\q": self = .exit
        case "history": self = .history
        case "clear": self = .clear
        case "version": self = .version
        case "spool":
            if argument.isEmpty {
                self = .misuse("usage: spool FILE | OFF")
            } else if argument.lowercased() == "off" {
                self = .spool(nil)
            } else {
                self = .spool(Self.unquoted(argument))
            }
            return
        case "output":
            if argument.isEmpty {
                self = .output(nil)
            } else if let format = OutputFormat(rawValue: argument.lowercased()) {
                self = .output(format)
            } else {
                self = .misuse("unknown output format '\(argument)'; use one of: \(OutputFormat.names)")
            }
            return
        default: return nil
        }
        // The commands without an argument take none: `help me` is not a command (it is SQL, and
        // the engine will say what is wrong with it).
        if !argument.isEmpty { return nil }
    }

    /// `'file name'` or `"file name"` without its quotes.
    private static func unquoted(_ text: String) -> String {
        if text.count >= 2, let first = text.first, first == "'" || first == "\"", text.last == first {
            return String(text.dropFirst().dropLast())
        }
        return text
    }

    static let helpText = [
        "Statements end with ';' and may span several lines.",
        "",
        "  CREATE STREAM s (k STRING KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);",
        "  CREATE TABLE t (k STRING PRIMARY KEY, v INT) WITH (...);",
        "  INSERT INTO s (k, v) VALUES ('a', 1);",
        "  CREATE STREAM hot AS SELECT * FROM s WHERE v > 5 EMIT CHANGES;",
        "  CREATE TABLE sums AS SELECT k, SUM(v) AS total FROM s",
        "      WINDOW TUMBLING (SIZE 4 SECONDS) GROUP BY k EMIT CHANGES;",
        "  SELECT * FROM hot EMIT CHANGES [LIMIT n];   rows as they arrive; Ctrl-C stops",
        "  PRINT 'topic' FROM BEGINNING [LIMIT n];     raw records of a topic",
        "  SHOW STREAMS | TABLES | TOPICS | QUERIES | PROPERTIES | FUNCTIONS;",
        "  DESCRIBE name [EXTENDED];   EXPLAIN query_id;   TERMINATE query_id | ALL;",
        "  DROP STREAM | TABLE name [DELETE TOPIC];    SET 'property' = 'value';",
        "",
        "Shell commands (on a line of their own):",
        "  help                 this text",
        "  history              the statements entered so far (kept in the data directory)",
        "  clear                clear the screen",
        "  spool FILE | OFF     copy statements and their output to FILE (appending), or stop",
        "  output [table | vertical | json]",
        "                       how results print: boxed tables (vertical when too wide for the",
        "                       terminal), always vertical records, or one JSON object per line",
        "  version              the sluice version",
        "  exit | quit          leave (or Ctrl-D)",
        "",
        "Keys: arrows, Home/End, Ctrl-A/E, Alt-B/F or Ctrl-Left/Right by word; Ctrl-K/U/W and Alt-D",
        "delete; Up/Down browse history, Ctrl-R searches it; Tab completes keywords, names, columns",
        "and functions (twice lists the choices); Ctrl-L clears; Ctrl-C clears the line or stops a",
        "running query.",
    ]
}
