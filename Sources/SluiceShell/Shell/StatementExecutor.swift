import SluiceEngine
import SluiceSQL

/// Runs statements one at a time against the engine and prints what each produced.
///
/// Shared by the shell and `sluice run`. Statements are split by ``StatementSplitter`` and handed to
/// the engine one by one, so results appear as each finishes and a push query in the middle of a
/// script streams before the next statement runs. An error's position is moved from the statement
/// into the whole script, so `sluice run` reports file lines.
public final class StatementExecutor {
    public let engine: Engine
    public let printer: ResultPrinter
    /// When true nothing runs in the background: the executor calls `runUntilIdle()` after each
    /// statement, so every persistent query has caught up before the next statement runs.
    public let stepped: Bool
    public private(set) var failures = 0

    public init(engine: Engine, printer: ResultPrinter, stepped: Bool) {
        self.engine = engine
        self.printer = printer
        self.stepped = stepped
    }

    /// How push queries wait for rows under this executor.
    public var pushPolicy: PushWaitPolicy {
        if stepped {
            let engine = engine
            return .catchUp(step: { try engine.runUntilIdle() }, quietPeriod: 0.25)
        }
        return .live
    }

    /// Executes one statement (text without the `;`). `script` and `offset` say where it sits in a
    /// larger text, for error positions. Returns false if it failed; the error has been printed.
    @discardableResult
    public func execute(_ statement: String, script: String? = nil, offset: Int = 0, fileName: String? = nil) -> Bool {
        printer.spoolStatement(statement)
        do {
            let results = try engine.execute(statement + ";")
            if stepped { try engine.runUntilIdle() }
            for result in results {
                try printer.print(result, policy: pushPolicy)
            }
            return true
        } catch {
            failures += 1
            printer.printError(relocate(error, statement: statement, script: script, offset: offset), fileName: fileName)
            return false
        }
    }

    /// Prints an error that is not a statement's (a shell command used wrongly) and counts it as a
    /// failure, so a piped script with a bad command still exits 1.
    public func reportFailure(_ error: any Error) {
        failures += 1
        printer.printError(error)
    }

    /// Executes every statement of a script in order; stops at the first failure when
    /// `stopOnError`. Returns true if all succeeded.
    public func executeScript(_ script: String, fileName: String?, stopOnError: Bool, shouldStop: () -> Bool = { false }) -> Bool {
        let (pieces, remainder, remainderOffset) = StatementSplitter.split(script)
        var allSucceeded = true
        var statements = pieces
        if !StatementSplitter.isBlank(remainder) {
            // A last statement without ';' still runs, as ksqlDB's RUN SCRIPT allows.
            statements.append(.init(text: remainder, offset: remainderOffset))
        }
        for piece in statements {
            if shouldStop() { return false }
            if !execute(piece.text, script: script, offset: piece.offset, fileName: fileName) {
                allSucceeded = false
                if stopOnError { return false }
            }
        }
        return allSucceeded
    }

    /// Moves an error's range from the statement's text into the script's.
    private func relocate(_ error: any Error, statement: String, script: String?, offset: Int) -> any Error {
        guard let script, var sqlError = error as? SQLError else { return error }
        // The engine reports positions in the text it was given (the statement plus ';').
        guard sqlError.source == statement + ";" || sqlError.source == statement else { return error }
        guard var range = sqlError.diagnostic.range, range != .none else { return error }
        range.start += offset
        range.end += offset
        sqlError.diagnostic.range = range
        sqlError.source = script
        return sqlError
    }
}
