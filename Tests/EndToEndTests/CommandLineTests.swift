import Foundation
import Testing

/// The command line itself: help, version, and how mistakes are reported.
@Suite struct CommandLineTests {
    @Test func topLevelHelpListsEveryCommand() throws {
        let result = try Sluice.run(["--help"])
        #expect(result.status == 0)
        for command in ["shell", "run", "produce", "consume", "topic", "fmt", "test"] {
            #expect(result.stdout.contains("\n  \(command) "), "help lacks '\(command)'")
        }
        #expect(result.stdout.contains("--data-dir"))
    }

    @Test(arguments: ["shell", "run", "produce", "consume", "topic", "fmt", "test"])
    func everyCommandHasHelp(command: String) throws {
        let result = try Sluice.run([command, "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.lowercased().contains("usage:"))
        #expect(result.stdout.contains("sluice \(command)") || command == "shell")
        #expect(result.stderr.isEmpty)
    }

    @Test func versionIsPrinted() throws {
        let result = try Sluice.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("sluice "))
        #expect(result.stdout.split(separator: " ").last?.first?.isNumber == true)
    }

    @Test func unknownOptionIsAUsageError() throws {
        let data = try TemporaryDirectory()
        let result = try Sluice.run(["consume", "t", "--from-begining", "--data-dir", data.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown option '--from-begining'"))
        #expect(result.stderr.contains("did you mean '--from-beginning'?"))
        #expect(result.stdout.isEmpty)
    }

    @Test func unknownCommandIsAUsageError() throws {
        let result = try Sluice.run(["prodcue", "t"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown command 'prodcue'; did you mean 'produce'?"))
    }

    @Test func missingArgumentIsAUsageError() throws {
        let data = try TemporaryDirectory()
        let produce = try Sluice.run(["produce", "--data-dir", data.path])
        #expect(produce.status == 2)
        #expect(produce.stderr.contains("missing the topic"))

        let badNumber = try Sluice.run(["consume", "t", "--max", "lots", "--data-dir", data.path])
        #expect(badNumber.status == 2)
        #expect(badNumber.stderr.contains("'--max' expects a whole number"))

        let missingValue = try Sluice.run(["run", "x.sql", "--data-dir"])
        #expect(missingValue.status == 2)
        #expect(missingValue.stderr.contains("'--data-dir' needs a value"))
    }

    @Test func missingFileFailsWithoutUsageError() throws {
        let data = try TemporaryDirectory()
        let result = try Sluice.run(["run", "--until-idle", "--data-dir", data.path, data.url.appendingPathComponent("nope.sql").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no such file"))
    }

    @Test func secondProcessOnTheSameDataDirectoryIsRefused() throws {
        let data = try TemporaryDirectory()
        // A running `run` holds the directory; a second process must not open it.
        let script = try data.file("idle.sql", contents: "SHOW STREAMS;\n")
        let first = try Sluice.start(["run", "--data-dir", data.path + "/d", script.path])
        #expect(first.waitFor { _, err in err.contains("press Ctrl-C to stop") })
        let second = try Sluice.run(["topic", "list", "--data-dir", data.path + "/d"])
        #expect(second.status == 1)
        #expect(second.stderr.contains("in use by another sluice process"))
        first.signal(SIGINT)
        let firstResult = first.wait()
        #expect(firstResult.status == 0)
        // Once the first is gone the directory opens again.
        let third = try Sluice.run(["topic", "list", "--data-dir", data.path + "/d"])
        #expect(third.status == 0)
    }
}
