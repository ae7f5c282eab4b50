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
/// Besides SQL, the shell understands its own commands on a line of their own (``ShellCommand``:
/// `help`, `history`, `clear`, `spool`, `output`, `version`, `exit`).
public final class Shell {
    public static let prompt = "sluice> "
    public static let continuationPrompt = "     > "

    private let executor: StatementExecutor
    private let signals: SignalWatcher
    private let interactive: Bool
    private let output: TextOutput
    private let banner: [String]
    private let historyPath: String?
    /// The history of the interactive shell (nil when reading a pipe).
    private var history: History?

    /// - Parameters:
    ///   - executor: runs statements; its `stepped` flag should be `!interactive`.
    ///   - banner: lines printed before the first prompt in interactive mode.
    ///   - historyPath: where the interactive shell keeps its history (nil: in memory only).
    public init(
        executor: StatementExecutor, signals: SignalWatcher, interactive: Bool, banner: [String],
        historyPath: String? = nil
    ) {
        self.executor = executor
        self.signals = signals
        self.interactive = interactive
        self.output = executor.printer.output
        self.banner = banner
        self.historyPath = historyPath
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
        let history = History(path: historyPath)
        self.history = history
        let signals = signals
        let engine = executor.engine
        let editor = LineEditor(
            output: output, history: history, completionNames: { engine.completionNames() },
            shouldStop: { signals.terminated })
        var pending = ""
        // The lines of the statement being typed, recorded in history as one line once it ends.
        var typed: [String] = []
        defer {
            history.save()
            editor.close()
        }
        while true {
            let prompt = StatementSplitter.isBlank(pending) ? Shell.prompt : Shell.continuationPrompt
            switch editor.readLine(prompt: prompt, earlier: pending) {
            case .endOfInput:
                return 0
            case .interrupted:
                pending = ""
                typed = []
            case .line(let line):
                typed.append(line)
                let outcome = handleLine(line, pending: &pending)
                if StatementSplitter.isBlank(pending) {
                    history.add(Shell.historyEntry(typed))
                    typed = []
                }
                if outcome == .exit { return 0 }
            }
            if signals.terminated { return 0 }
        }
    }

    private enum LineOutcome { case more, exit }

    /// A statement typed over several lines as one history entry: the lines joined with spaces,
    /// unless one holds a `--` comment, which would swallow the lines after it (then newlines).
    static func historyEntry(_ lines: [String]) -> String {
        let pieces = lines.map { $0.trimming(" \t") }.filter { !$0.isEmpty }
        return pieces.joined(separator: pieces.contains { $0.contains("--") } ? "\n" : " ")
    }

    /// Adds a line to the pending text and runs every statement it completes.
    private func handleLine(_ line: String, pending: inout String) -> LineOutcome {
        if StatementSplitter.isBlank(pending), let command = ShellCommand(line) {
            return run(command)
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

    private func run(_ command: ShellCommand) -> LineOutcome {
        let printer = executor.printer
        switch command {
        case .exit:
            return .exit
        case .help:
            for text in ShellCommand.helpText { printer.line(text) }
        case .history:
            let entries = history?.entries ?? []
            let digits = String(entries.count).count
            for (index, entry) in entries.enumerated() {
                let number = String(index + 1)
                printer.line(String(repeating: " ", count: digits - number.count) + number + "  " + entry)
            }
        case .clear:
            if interactive { output.write("\u{1B}[H\u{1B}[2J") }
        case .version:
            printer.message("sluice \(SluiceVersion.current)")
        case .spool(let path?):
            do {
                try printer.startSpooling(to: path)
                printer.message("Spooling to '\(path)'.")
            } catch {
                executor.reportFailure(error)
            }
        case .spool(nil):
            if let path = printer.spoolPath {
                printer.stopSpooling()
                printer.message("Stopped spooling to '\(path)'.")
            } else {
                printer.message("Not spooling.")
            }
        case .output(let format?):
            printer.format = format
            printer.message("Output format: \(format.rawValue)")
        case .output(nil):
            printer.message("Output format: \(printer.format.rawValue)")
        case .misuse(let text):
            executor.reportFailure(CommandFailure(text))
        }
        printer.flush()
        return .more
    }
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
