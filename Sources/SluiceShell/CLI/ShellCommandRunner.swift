import Foundation

/// `sluice [shell]`: opens the data directory and runs the ``Shell`` on it.
enum ShellCommandRunner {
    static func run(_ arguments: ParsedArguments, _ context: inout CommandContext) throws -> Int32 {
        if let extra = arguments.positionals.first {
            throw UsageError("unexpected argument '\(extra)' (to run a file, use 'sluice run \(extra)')", command: "shell")
        }
        // `-f FILE` and `-e SQL` run statements as `sluice run --until-idle` does, then exit.
        let files = arguments.all("file")
        let statements = arguments.all("execute")
        if !files.isEmpty || !statements.isEmpty {
            var scripts: [(name: String, text: String)] = []
            for path in files { scripts.append((path, try readTextFile(path))) }
            for text in statements { scripts.append(("-e", text)) }
            return try RunCommand.execute(scripts, untilIdle: true, keepGoing: false, arguments, &context, command: "shell")
        }
        let properties = try Commands.properties(arguments, command: "shell")
        let format = try Commands.outputFormat(arguments, command: "shell")
        let signals = context.watchSignals()
        let interactive = Terminal.isTerminal(0) && Terminal.isTerminal(1)

        let directory = try DataDirectory(path: Commands.dataDirectoryPath(arguments))
        defer { directory.unlock() }
        let engine = try directory.openEngine(properties: properties)
        defer { engine.close() }
        if interactive { engine.start() }
        defer { if interactive { engine.stop() } }

        let printer = ResultPrinter(output: context.output, errors: context.errors, signals: signals)
        printer.showsInterruptHint = interactive
        printer.format = format
        let executor = StatementExecutor(engine: engine, printer: printer, stepped: !interactive)
        let absolute = URL(fileURLWithPath: directory.path).standardizedFileURL.path
        let banner = [
            "sluice \(SluiceVersion.current): continuous SQL. Data directory: \(absolute)",
            "Statements end with ';'. Type 'help' for help, 'exit' or Ctrl-D to leave.",
            "",
        ]
        let shell = Shell(
            executor: executor, signals: signals, interactive: interactive, banner: banner,
            historyPath: History.path(inDataDirectory: directory.path))
        let status = shell.run()
        if !interactive && (signals.interruptCount > 0 || signals.terminated) { return 130 }
        return status
    }
}

/// `sluice run [FILE.sql...]`: executes files, then keeps their queries running or runs until idle.
/// Without files it runs the persistent queries the data directory's command log restarts.
enum RunCommand {
    static func run(_ arguments: ParsedArguments, _ context: inout CommandContext) throws -> Int32 {
        var scripts: [(name: String, text: String)] = []
        for path in arguments.positionals {
            scripts.append((path, try readTextFile(path)))
        }
        return try execute(
            scripts, untilIdle: arguments.has("until-idle"), keepGoing: arguments.has("keep-going"), arguments,
            &context, command: "run")
    }

    /// Runs `scripts` (name for error positions, text) on the data directory's engine.
    static func execute(
        _ scripts: [(name: String, text: String)], untilIdle: Bool, keepGoing: Bool, _ arguments: ParsedArguments,
        _ context: inout CommandContext, command: String
    ) throws -> Int32 {
        let properties = try Commands.properties(arguments, command: command)
        let format = try Commands.outputFormat(arguments, command: command)
        let signals = context.watchSignals()

        let directory = try DataDirectory(path: Commands.dataDirectoryPath(arguments))
        defer { directory.unlock() }
        let engine = try directory.openEngine(properties: properties)
        defer { engine.close() }
        if !untilIdle { engine.start() }
        defer { if !untilIdle { engine.stop() } }

        let printer = ResultPrinter(output: context.output, errors: context.errors, signals: signals)
        printer.format = format
        let executor = StatementExecutor(engine: engine, printer: printer, stepped: untilIdle)
        for script in scripts {
            let succeeded = executor.executeScript(
                script.text, fileName: script.name, stopOnError: !keepGoing, shouldStop: { signals.terminated })
            if signals.terminated { return 130 }
            if !succeeded && !keepGoing { return 1 }
        }
        let status: Int32 = executor.failures > 0 ? 1 : 0
        if untilIdle {
            do {
                try engine.runUntilIdle()
            } catch {
                printer.printError(error)
                return 1
            }
            return status
        }

        context.errors.line("sluice: queries are running on \(directory.path); press Ctrl-C to stop.")
        context.errors.flush()
        let interruptsBefore = signals.interruptCount
        while !signals.terminated && signals.interruptCount == interruptsBefore {
            _ = signals.waitForSignal(timeout: 1)
        }
        context.errors.line("sluice: stopping.")
        return status
    }
}

/// The contents of a UTF-8 text file, or standard input for "-".
func readTextFile(_ path: String) throws(CommandFailure) -> String {
    if path == "-" {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        return String(decoding: data, as: UTF8.self)
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            throw CommandFailure(isDirectory.boolValue ? "'\(path)' is a directory" : "cannot read '\(path)'")
        }
        throw CommandFailure("no such file '\(path)'")
    }
    return String(decoding: data, as: UTF8.self)
}
