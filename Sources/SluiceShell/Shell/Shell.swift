import SluiceEngine

/// The read-eval-print loop: reads lines, gathers them into statements and runs each one.
///
/// Two ways to run:
/// - **Interactive** (standard input and output are terminals): a banner, a `sluice> ` prompt with
///   `     > ` for continuation lines, the ``LineEditor`` with history, and the engine running in the
///   background so push queries stream live until their LIMIT or Ctrl-C.
/// - **Plain** (input from a pipe or file): no banner and no prompts, only results, and nothing in
///   the background: after each statement the engine runs until idle, and a push query ends once it
///   has caught up (see ``PushWaitPolicy/catchUp(step:quietPeriod:)``), so piped scripts finish.
///   The exit status is 1 if any statement failed.
///
/// Besides SQL, the shell understands `help`, `exit` and `quit` on a line of their own.
public final class Shell {
    public static let prompt = "sluice> "
    public static let continuationPrompt = "     > "

    private let executor: StatementExecutor
    private let signals: SignalWatcher
    private let interactive: Bool
    private let output: TextOutput
    private let banner: [String]

    /// - Parameters:
    ///   - executor: runs statements; its `stepped` flag should be `!interactive`.
    ///   - banner: lines printed before the first prompt in interactive mode.
    public init(executor: StatementExecutor, signals: SignalWatcher, interactive: Bool, banner: [String]) {
        self.executor = executor
        self.signals = signals
        self.interactive = interactive
        self.output = executor.printer.output
        self.banner = banner
    }

    /// Runs until end of input, `exit`, or SIGTERM (SIGINT too, when not interactive). Returns the
    /// process exit status.
    public func run() -> Int32 {
        if interactive {
            return runInteractive()
        }
        let signals = signals
        let reader = PlainLineReader(fd: 0, shouldStop: { signals.interruptCount > 0 || signals.terminated })
        var pending = ""
        while let line = reader.readLine() {
            if handleLine(line, pending: &pending) == .exit { break }
        }
        if !StatementSplitter.isBlank(pending) && !(signals.interruptCount > 0 || signals.terminated) {
            // Input ended in the middle of a statement: run it anyway, as a script would.
            executor.execute(pending)
        }
        return executor.failures > 0 ? 1 : 0
    }

    private func runInteractive() -> Int32 {
        for line in banner { output.line(line) }
        output.flush()
        let history = History(path: History.defaultPath)
        let signals = signals
        let editor = LineEditor(output: output, history: history, shouldStop: { signals.terminated })
        var pending = ""
        // The lines of the statement being typed, recorded in history as one line once it ends.
        var typed: [String] = []
        defer { history.save() }
        while true {
            let prompt = StatementSplitter.isBlank(pending) ? Shell.prompt : Shell.continuationPrompt
            switch editor.readLine(prompt: prompt) {
            case .endOfInput:
                return 0
            case .interrupted:
                pending = ""
                typed = []
            case .line(let line):
                typed.append(line)
                let outcome = handleLine(line, pending: &pending)
                if StatementSplitter.isBlank(pending) {
                    history.add(typed.map { $0.trimming(" \t") }.filter { !$0.isEmpty }.joined(separator: " "))
                    typed = []
                }
                if outcome == .exit { return 0 }
            }
            if signals.terminated { return 0 }
        }
    }

    private enum LineOutcome { case more, exit }

    /// Adds a line to the pending text and runs every statement it completes.
    private func handleLine(_ line: String, pending: inout String) -> LineOutcome {
        if StatementSplitter.isBlank(pending), let command = ShellCommand(line) {
            switch command {
            case .exit: return .exit
            case .help:
                for text in ShellCommand.helpText { output.line(text) }
                output.flush()
                return .more
            }
        }
        pending += pending.isEmpty ? line : "\n" + line
        let (statements, remainder, _) = StatementSplitter.split(pending)
        pending = StatementSplitter.isBlank(remainder) ? "" : remainder
        for statement in statements {
            executor.execute(statement.text)
            if signals.terminated || (!interactive && signals.interruptCount > 0) { return .exit }
        }
        return .more
    }
}

/// The shell's own commands, recognised on a line of their own between statements.
enum ShellCommand {
    case help
    case exit

    init?(_ line: String) {
        var word = line.trimming(" \t\r")
        if word.hasSuffix(";") { word = String(word.dropLast()).trimming(" \t") }
        switch word.lowercased() {
        case "help", "?": self = .help
        case "exit", "quit", "\\q": self = .exit
        default: return nil
        }
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
        "Shell commands: help, exit (or quit, or Ctrl-D).",
        "Keys: arrows, Home/End, Ctrl-A/E, Ctrl-K/U/W; Up/Down for history; Ctrl-C clears the line",
        "or stops a running query.",
    ]
}

extension String {
    func trimming(_ set: String) -> String {
        let drop = Set(set)
        var slice = Substring(self)
        while let first = slice.first, drop.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, drop.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
