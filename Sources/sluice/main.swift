import SluiceShell
import SluiceTestRunner

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The whole command line lives in SluiceShell; `sluice test` is handed to the conformance runner.
let status = CommandLineTool.main(
    arguments: Array(CommandLine.arguments.dropFirst()), testUsage: ConformanceCommand.usage
) { arguments, output in
    ConformanceCommand.run(arguments: arguments, output: output)
}
exit(status)
