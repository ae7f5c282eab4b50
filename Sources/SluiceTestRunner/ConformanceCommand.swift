#if canImport(Glibc)
    import Glibc
#endif

/// `sluice test FILE_OR_DIR... [--report FILE] [--min-pass N] [--filter TEXT] [--jobs N]
/// [--timeout SECONDS] [--no-isolation]`: runs ksqlDB-style conformance tests and reports.
///
/// Prints one line per case (`PASS  file: name`, or `FAIL` / `ERROR` / `UNSUPPORTED` with the
/// reason), then the summary line `conformance: P of T cases pass (...)` last. The exit status is
/// 0 when every case passed — or, with `--min-pass N`, when at least N did (the CI ratchet) —
/// 1 otherwise, and 2 for a usage error.
public enum ConformanceCommand {
    public static let usage = """
        usage: sluice test FILE_OR_DIR... [options]
          FILE_OR_DIR        a query-validation test file (.json), a directory of them, or a
                             statements.sql/input.json/output.json directory; FILE:NAME runs one case
          --report FILE      write every case's result as JSON to FILE
          --min-pass N       exit 0 when at least N cases pass (instead of requiring all)
          --filter TEXT      run only cases whose "file: name" contains TEXT (repeatable)
          --jobs N           worker processes (default: the number of processors)
          --timeout SECONDS  fail a case that runs longer (default 60)
          --no-isolation     run cases in this process (a crashing case stops the run)
        """

    /// Parsed command-line options.
    public struct Options: Sendable, Equatable {
        public var paths: [String] = []
        public var reportPath: String?
        public var minimumPassing: Int?
        public var filters: [String] = []
        public var jobs: Int?
        public var timeoutSeconds: Double = 60
        public var isolated = true

        public init() {}
    }

    /// Runs the command with the real engine; returns the exit status.
    public static func run(arguments: [String], output: (String) -> Void) -> Int32 {
        run(arguments: arguments, environment: SluiceCaseEngine.environment, output: output)
    }

    /// Runs the command with a chosen engine (tests use scripted fakes).
    public static func run(arguments: [String], environment: RunnerEnvironment, output: (String) -> Void) -> Int32 {
        let options: Options
        do {
            options = try parse(arguments)
        } catch {
            output("error: \(error.message)")
            output(usage)
            return 2
        }
        if options.paths.isEmpty {
            output(usage)
            return 2
        }

        var cases: [ConformanceCase] = []
        for path in options.paths {
            do {
                for source in try TestDiscovery.sources(for: path) {
                    cases.append(contentsOf: TestDiscovery.cases(in: source))
                }
            } catch {
                output("error: \(error.message)")
                return 2
            }
        }
        if !options.filters.isEmpty {
            cases = cases.filter { testCase in options.filters.contains { testCase.qualifiedName.contains($0) } }
        }

        var results: [CaseResult] = []
        results.reserveCapacity(cases.count)
        func record(_: Int, _ result: CaseResult) {
            results.append(result)
            output(result.line)
        }
        if options.isolated && IsolatedRunner.isAvailable {
            IsolatedRunner.run(
                cases, environment: environment, jobs: options.jobs ?? defaultJobs(),
                timeoutSeconds: options.timeoutSeconds, report: record)
        } else {
            for (index, testCase) in cases.enumerated() {
                record(index, CaseRunner.run(testCase, in: environment))
            }
        }

        let report = ConformanceReport(results: results)
        if let reportPath = options.reportPath {
            if let problem = write(report.json, to: reportPath) {
                output("error: cannot write the report to \(reportPath): \(problem)")
                output(report.summaryLine)
                return 2
            }
        }
        if cases.isEmpty { output("no test cases found") }
        output(report.summaryLine)
        return report.exitStatus(minimumPassing: options.minimumPassing)
    }

    /// Parses the arguments after `sluice test`.
    public static func parse(_ arguments: [String]) throws(LoadFailure) -> Options {
        var options = Options()
        var index = 0
        func value(for flag: String) throws(LoadFailure) -> String {
            index += 1
            guard index < arguments.count else { throw LoadFailure("\(flag) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--report":
                options.reportPath = try value(for: argument)
            case "--min-pass":
                let text = try value(for: argument)
                guard let number = Int(text), number >= 0 else {
                    throw LoadFailure("--min-pass needs a number, not '\(text)'")
                }
                options.minimumPassing = number
            case "--filter":
                options.filters.append(try value(for: argument))
            case "--jobs":
                let text = try value(for: argument)
                guard let number = Int(text), number >= 1 else {
                    throw LoadFailure("--jobs needs a positive number, not '\(text)'")
                }
                options.jobs = number
            case "--timeout":
                let text = try value(for: argument)
                guard let number = Double(text), number > 0 else {
                    throw LoadFailure("--timeout needs a positive number, not '\(text)'")
                }
                options.timeoutSeconds = number
            case "--no-isolation":
                options.isolated = false
            case "--":
                options.paths.append(contentsOf: arguments[(index + 1)...])
                index = arguments.count
                continue
            default:
                if argument.hasPrefix("--") { throw LoadFailure("unknown option '\(argument)'") }
                options.paths.append(argument)
            }
            index += 1
        }
        return options
    }

    private static func defaultJobs() -> Int {
        #if canImport(Glibc)
            let count = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
            return min(max(count, 1), 8)
        #else
            return 1
        #endif
    }

    /// Writes `text` to `path`; returns a problem description on failure.
    private static func write(_ text: String, to path: String) -> String? {
        #if canImport(Glibc)
            guard let file = fopen(path, "w") else { return String(cString: strerror(errno)) }
            defer { fclose(file) }
            let bytes = Array(text.utf8)
            let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            return written == bytes.count ? nil : "short write"
        #else
            return "writing files is only supported on Linux"
        #endif
    }
}
