/// The version `sluice --version` prints.
public enum SluiceVersion {
    public static let current = "0.1.0"
}

/// One subcommand: its name, what it does, its options and its help text.
struct CommandDescriptor {
    var name: String
    var summary: String
    /// The usage line(s) after `sluice `.
    var usage: [String]
    var options: [OptionSpec]
    /// Paragraphs printed after the options in `--help`.
    var details: [String] = []

    func helpText() -> String {
        var lines = ["\(summary)", "", "Usage:"]
        lines += usage.map { "  sluice \($0)" }
        let shown = options + [.flag("help", short: "h", "Show this help.")]
        lines += ["", "Options:"]
        let width = min(30, shown.map { $0.synopsis.count }.max() ?? 0)
        for option in shown {
            let synopsis = option.synopsis
            if synopsis.count > width {
                lines.append("  \(synopsis)")
                lines.append("  " + String(repeating: " ", count: width) + "  " + option.help)
            } else {
                lines.append("  \(synopsis)" + String(repeating: " ", count: width - synopsis.count) + "  " + option.help)
            }
        }
        if !details.isEmpty {
            lines.append("")
            lines += details
        }
        return lines.joined(separator: "\n")
    }
}

/// The `sluice` command line: global options, subcommand dispatch, help and exit statuses.
///
/// Exit statuses: 0 success, 1 the command failed (an SQL error, a missing file, a failed test), 2
/// the command line itself was wrong (unknown command or option, missing argument), 130 stopped by
/// SIGINT where that is not the normal way to stop.
public enum CommandLineTool {
    /// Runs `sluice` with `arguments` (without the program name).
    ///
    /// - Parameters:
    ///   - testUsage: the conformance runner's own option list, shown by `sluice test --help`.
    ///   - testCommand: runs `sluice test` (the conformance runner lives in another target): takes
    ///     the arguments after `test` and a line printer, returns the exit status.
    public static func main(
        arguments: [String], testUsage: String? = nil, testCommand: ([String], (String) -> Void) -> Int32
    ) -> Int32 {
        let out = TextOutput.standardOutput()
        let err = TextOutput.standardError()
        defer {
            out.flush()
            err.flush()
        }
        var context = CommandContext(output: out, errors: err)

        // Leading global options, then the command name (the shell when there is none).
        var rest = arguments[...]
        var leading: [String] = []
        while let first = rest.first, first.hasPrefix("-") {
            if first == "--help" || first == "-h" {
                out.line(topLevelHelp())
                return 0
            }
            if first == "--version" || first == "-V" {
                out.line("sluice \(SluiceVersion.current)")
                return 0
            }
            if first == "--data-dir" || first == "--property" || first == "-p" {
                leading.append(first)
                rest = rest.dropFirst()
                if let value = rest.first {
                    leading.append(value)
                    rest = rest.dropFirst()
                }
                continue
            }
            if first.hasPrefix("--data-dir=") || first.hasPrefix("--property=") {
                leading.append(first)
                rest = rest.dropFirst()
                continue
            }
            // Any other option belongs to the default command (the shell), which rejects what it
            // does not know.
            break
        }

        var commandName = "shell"
        if let first = rest.first, !first.hasPrefix("-") {
            commandName = first
            rest = rest.dropFirst()
        }
        let commandArguments = leading + Array(rest)

        if commandName == "help" {
            if let topic = rest.first, let descriptor = Commands.all.first(where: { $0.name == topic }) {
                out.line(descriptor.helpText())
            } else {
                out.line(topLevelHelp())
            }
            return 0
        }
        if commandName == "test" {
            if commandArguments.contains("--help") || commandArguments.contains("-h") {
                if let testUsage {
                    out.line(Commands.test.summary)
                    out.line()
                    out.line(testUsage)
                } else {
                    out.line(Commands.test.helpText())
                }
                return 0
            }
            out.flush()
            return testCommand(commandArguments) { line in
                out.line(line)
                out.flush()
            }
        }
        guard let descriptor = Commands.all.first(where: { $0.name == commandName }) else {
            var message = "unknown command '\(commandName)'"
            if let near = nearest(to: commandName, among: Commands.all.map(\.name)) {
                message += "; did you mean '\(near)'?"
            }
            err.line("error: \(message)")
            err.line("Run 'sluice --help' for the list of commands.")
            return 2
        }
        if commandArguments.contains("--help") || commandArguments.contains("-h") {
            out.line(descriptor.helpText())
            return 0
        }
        do {
            let parsed = try ParsedArguments.parse(commandArguments, options: descriptor.options, command: commandName)
            return try Commands.run(descriptor.name, parsed, &context)
        } catch let usage as UsageError {
            err.line("error: \(usage.message)")
            err.line("Run 'sluice \(usage.command ?? commandName) --help' for usage.")
            return 2
        } catch let failure as CommandFailure {
            out.flush()
            err.line("error: \(failure.message)")
            return failure.exitCode
        } catch {
            out.flush()
            err.line("error: \(error)")
            return 1
        }
    }

    static func topLevelHelp() -> String {
        var lines = [
            "sluice \(SluiceVersion.current): continuous SQL over streams of events, with an embedded log.",
            "",
            "Usage:",
            "  sluice [--data-dir DIR] [COMMAND] [OPTIONS]",
            "",
            "Commands:",
        ]
        let width = Commands.all.map(\.name.count).max() ?? 0
        for command in Commands.all {
            lines.append("  " + command.name + String(repeating: " ", count: width - command.name.count + 2) + command.summary)
        }
        lines += [
            "",
            "Without a command, sluice opens the interactive shell.",
            "Global options:",
            "  --data-dir DIR   Where topics and the command log live (default ./sluice-data,",
            "                   or $SLUICE_DATA_DIR).",
            "  -h, --help       Show help; 'sluice COMMAND --help' shows a command's.",
            "  -V, --version    Show the version.",
        ]
        return lines.joined(separator: "\n")
    }
}

/// What every command gets: its outputs and a lazily installed signal watcher.
struct CommandContext {
    let output: TextOutput
    let errors: TextOutput
    private(set) var signals: SignalWatcher?

    init(output: TextOutput, errors: TextOutput) {
        self.output = output
        self.errors = errors
    }

    /// Starts turning SIGINT / SIGTERM into polled counters (once).
    mutating func watchSignals() -> SignalWatcher {
        if let signals { return signals }
        let watcher = SignalWatcher()
        watcher.install()
        signals = watcher
        return watcher
    }
}
