import SluiceSQL

/// `sluice fmt FILE.sql...`: prints every statement in canonical form.
enum FormatCommand {
    static func run(_ arguments: ParsedArguments, _ context: inout CommandContext) throws -> Int32 {
        guard !arguments.positionals.isEmpty else {
            throw UsageError("missing the SQL file to format ('-' reads standard input)", command: "fmt")
        }
        var failed = false
        var first = true
        for path in arguments.positionals {
            let script: String
            do {
                script = try readTextFile(path)
            } catch {
                context.output.flush()
                context.errors.line("error: \(error.message)")
                context.errors.flush()
                failed = true
                continue
            }
            let fileName = path == "-" ? "<stdin>" : path
            let (statements, errors) = SQLParser.parseScriptRecovering(script)
            // Report in source order, so a terminal shows each error between its neighbours.
            var events: [(offset: Int, statement: ParsedStatement?, error: SQLError?)] = []
            events += statements.map { ($0.range.start, $0, nil) }
            events += errors.map { ($0.diagnostic.range?.start ?? Int.max, nil, $0) }
            events.sort { $0.offset < $1.offset }
            for event in events {
                if let parsed = event.statement {
                    if !first { context.output.line() }
                    first = false
                    context.output.line(SQLFormatter.format(parsed.statement))
                } else if let error = event.error {
                    failed = true
                    context.output.flush()
                    context.errors.line(DiagnosticRenderer.render(error, fileName: fileName))
                    context.errors.flush()
                }
            }
        }
        return failed ? 1 : 0
    }
}
