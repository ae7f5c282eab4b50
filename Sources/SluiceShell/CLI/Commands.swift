/// The subcommands and their descriptors.
enum Commands {
    static let dataDirectory = OptionSpec.value(
        "data-dir", placeholder: "DIR", "Data directory (default ./sluice-data, or $SLUICE_DATA_DIR).")
    static let property = OptionSpec.value(
        "property", short: "p", placeholder: "NAME=VALUE", repeatable: true,
        "Set a query property, e.g. -p auto.offset.reset=latest (repeatable).")

    static let output = OptionSpec.value(
        "output", short: "o", placeholder: "FORMAT",
        "How results print: table (default; vertical when too wide for the terminal), vertical, or json (one object per line).")

    static let shell = CommandDescriptor(
        name: "shell",
        summary: "Open the interactive SQL shell (the default command).",
        usage: [
            "[shell] [--data-dir DIR] [-p NAME=VALUE]... [--output table|vertical|json]",
            "[shell] -f FILE.sql | -e 'SQL;' [--data-dir DIR] [-p NAME=VALUE]... [--output FORMAT]",
        ],
        options: [
            dataDirectory, property, output,
            .value("file", short: "f", placeholder: "FILE", repeatable: true, "Run the statements of FILE, then exit (as 'run FILE --until-idle')."),
            .value("execute", short: "e", placeholder: "SQL", repeatable: true, "Run the statements in SQL, then exit."),
        ],
        details: [
            "On a terminal the shell shows a prompt and edits lines (arrows, word moves, Ctrl-R history",
            "search, Tab completion, bracketed paste, Ctrl-C, Ctrl-D) while queries run in the",
            "background; history is kept in DIR/shell-history. Type 'help' inside for its commands",
            "(history, clear, spool, output, version). When standard input is a pipe or a file it",
            "prints only results, runs each statement to completion before reading the next, ends a",
            "push query without LIMIT once it has caught up with its input, and exits 1 if any",
            "statement failed:",
            "",
            "  sluice --data-dir /tmp/demo < script.sql",
        ])

    static let run = CommandDescriptor(
        name: "run",
        summary: "Run SQL files, then keep their persistent queries running until stopped.",
        usage: ["run [FILE.sql...] [--until-idle] [--data-dir DIR] [-p NAME=VALUE]... [--output table|vertical|json]"],
        options: [
            .flag("until-idle", "Return once every query has consumed all its input and written its output."),
            .flag("keep-going", "Run the remaining statements after one fails (the exit status is still 1)."),
            dataDirectory, property, output,
        ],
        details: [
            "Statements run in order and their results are printed as in the shell. The first failing",
            "statement stops the run with exit status 1, unless --keep-going.",
            "Without --until-idle, sluice keeps processing new records until SIGINT (Ctrl-C) or SIGTERM,",
            "then stops cleanly; persistent queries are recorded in the data directory and restart the",
            "next time it is opened. A push query (SELECT ... EMIT CHANGES) in a file streams rows until",
            "its LIMIT or Ctrl-C; with --until-idle it ends once it has caught up. Without a file, run",
            "resumes the persistent queries recorded in the data directory.",
        ])

    static let produce = CommandDescriptor(
        name: "produce",
        summary: "Append lines from standard input to a topic, one record per line.",
        usage: ["produce TOPIC [--key-separator SEP] [--partition N] [--timestamp MS] [--data-dir DIR] < FILE"],
        options: [
            .value("key-separator", short: "k", placeholder: "SEP", "Split each line at the first SEP into key and value."),
            .value("partition", placeholder: "N", "Write every record to partition N."),
            .value("timestamp", placeholder: "MS", "Give every record timestamp MS (milliseconds since the epoch)."),
            .value("partitions", placeholder: "N", "Partitions of the topic if it must be created (default 1)."),
            .value("null-marker", placeholder: "TEXT", "A value equal to TEXT is written as null (a tombstone)."),
            dataDirectory,
        ],
        details: [
            "Each non-empty line becomes one record whose value is the line's bytes (for example a JSON",
            "object for a VALUE_FORMAT='JSON' stream). With --key-separator the text before the first",
            "separator is the key: keyed records go to the partition Kafka's default partitioner",
            "(murmur2 of the key bytes) picks, so they land where they would in Kafka; records without a",
            "key go to partition 0. Every record gets the current wall-clock time as its timestamp, or MS",
            "with --timestamp; to give records each their own time use INSERT INTO ... (ROWTIME, ...)",
            "VALUES, or a stream WITH (TIMESTAMP='column'). A missing topic is created. Blank lines are",
            "skipped.",
        ])

    static let consume = CommandDescriptor(
        name: "consume",
        summary: "Print the records of a topic: each value as stored, or decoded as PRINT does.",
        usage: [
            "consume TOPIC [--from-beginning] [--group G] [--partition P [--offset O]] [--max N] [--follow]",
            "consume TOPIC ... [--print-timestamp] [--print-partition] [--print-offset] [--print-key]",
            "consume TOPIC ... --decode",
        ],
        options: [
            .flag("from-beginning", "Start at the first record, not the end (with --group: where G has no offset)."),
            .flag("follow", short: "f", "Keep waiting for new records until Ctrl-C."),
            .value("max", placeholder: "N", "Stop after N records."),
            .value("partition", placeholder: "P", "Read only partition P."),
            .value("offset", placeholder: "O", "Start partition P at offset O (needs --partition)."),
            .value("group", placeholder: "G", "Start where consumer group G stopped; commit what is printed for G."),
            .flag("print-timestamp", "Put CreateTime:MS (the record's timestamp) before the value."),
            .flag("print-partition", "Put Partition:N before the value."),
            .flag("print-offset", "Put Offset:N before the value."),
            .flag("print-key", "Put the key, as stored (null for none), before the value."),
            .flag("decode", "Print as PRINT does: time, key and value decoded, and partition."),
            .flag("raw", "The default output (kept for old scripts)."),
            dataDirectory,
        ],
        details: [
            "By default each record's value is written exactly as stored, one per line, as",
            "kafka-console-consumer prints it; a null value prints as null. The --print-* flags put",
            "fields before the value, each followed by a tab, always in the order timestamp, partition,",
            "offset, key. --decode decodes keys and values with the formats of the stream or table",
            "declared over the topic, if any, after a header line naming it.",
            "",
            "Without --follow, consume stops at the end of the topic as it was when it started. Records",
            "of several partitions are merged in timestamp order.",
            "",
            "With --group G each partition starts at G's committed offset; one without (or with one",
            "outside the records stored) starts at the beginning with --from-beginning, else at the end.",
            "After each batch printed, and at exit (the end, --max, Ctrl-C), G's offsets move past the",
            "records printed, so the next 'consume --group G' goes on where this one stopped.",
        ])

    static let topic = CommandDescriptor(
        name: "topic",
        summary: "List, create, describe, alter or delete topics.",
        usage: [
            "topic list [--data-dir DIR]",
            "topic create NAME [--partitions N] [--config KEY=VALUE]... [--compact] [--retention-ms MS] [--data-dir DIR]",
            "topic describe NAME [--data-dir DIR]",
            "topic alter NAME [--config KEY=VALUE]... [--delete-config KEY]... [--data-dir DIR]",
            "topic delete NAME [--data-dir DIR]",
        ],
        options: [
            .value("partitions", placeholder: "N", "Number of partitions for create (default 1)."),
            .value(
                "config", placeholder: "KEY=VALUE", repeatable: true,
                "A topic config by its Kafka name, for create and alter (repeatable)."),
            .value(
                "delete-config", placeholder: "KEY", repeatable: true,
                "Put a config back to its default, for alter (repeatable)."),
            .flag("compact", "Create with cleanup.policy=compact (keep the latest record per key)."),
            .value("retention-ms", placeholder: "MS", "Delete records older than MS milliseconds (default: keep)."),
            dataDirectory,
        ],
        details: [
            "Configs (Kafka's names and defaults): cleanup.policy (delete|compact|compact,delete), retention.ms and",
            "retention.bytes (-1: no limit), segment.bytes (67108864), segment.ms (604800000: a segment",
            "rolls once a record is this much later than its first), delete.retention.ms (86400000: how",
            "long compaction keeps a tombstone) and message.timestamp.type (CreateTime|LogAppendTime:",
            "LogAppendTime stamps every record with the time it is stored). 'alter' changes configs, not",
            "the partition count; a running engine picks the change up at its next append or cleaning.",
        ])

    static let fmt = CommandDescriptor(
        name: "fmt",
        summary: "Print SQL files with every statement in canonical form.",
        usage: ["fmt FILE.sql...   ('-' reads standard input)"],
        options: [],
        details: [
            "Statements are printed on standard output, each followed by ';' and separated by a blank",
            "line. A statement that does not parse is reported on standard error with its line and a",
            "caret, and formatting goes on with the next one; the exit status is then 1.",
        ])

    static let test = CommandDescriptor(
        name: "test",
        summary: "Run query-validation test files (ksqlDB's QTT format) and report results.",
        usage: ["test FILE_OR_DIR... [--report FILE] [--min-pass N]"],
        options: [
            .value("report", placeholder: "FILE", "Also write a report of every case to FILE."),
            .value("min-pass", placeholder: "N", "Succeed if at least N cases pass (default: all must pass)."),
        ],
        details: [
            "Each test case runs on an in-memory topic store: its statements are executed, its input",
            "records produced, and the records written to its output topics compared with the expected",
            "ones.",
        ])

    static let all = [shell, run, produce, consume, topic, fmt, test]

    static func run(_ name: String, _ arguments: ParsedArguments, _ context: inout CommandContext) throws -> Int32 {
        switch name {
        case "shell": return try ShellCommandRunner.run(arguments, &context)
        case "run": return try RunCommand.run(arguments, &context)
        case "produce": return try ProduceCommand.run(arguments, &context)
        case "consume": return try ConsumeCommand.run(arguments, &context)
        case "topic": return try TopicCommand.run(arguments, &context)
        case "fmt": return try FormatCommand.run(arguments, &context)
        default: throw UsageError("unknown command '\(name)'")
        }
    }

    /// `--property NAME=VALUE` options as a dictionary.
    static func properties(_ arguments: ParsedArguments, command: String) throws(UsageError) -> [String: String] {
        var result: [String: String] = [:]
        for item in arguments.all("property") {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw UsageError("option '--property' expects NAME=VALUE, got '\(item)'", command: command)
            }
            result[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        return result
    }

    /// `--output FORMAT`, `table` when absent.
    static func outputFormat(_ arguments: ParsedArguments, command: String) throws(UsageError) -> OutputFormat {
        guard let name = arguments.value("output") else { return .table }
        guard let format = OutputFormat(rawValue: name.lowercased()) else {
            throw UsageError("unknown output format '\(name)'; use one of: \(OutputFormat.names)", command: command)
        }
        return format
    }

    static func dataDirectoryPath(_ arguments: ParsedArguments) -> String {
        arguments.value("data-dir") ?? DataDirectory.defaultPath
    }
}
