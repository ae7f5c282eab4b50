import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What one run of the `sluice` binary did.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
    /// stdout as bytes, for output that need not be UTF-8 (`stdout` is empty then).
    var stdoutData: Data
    /// True if the run had to be killed by the hang guard.
    var timedOut: Bool

    /// stdout lines with surrounding blanks trimmed.
    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
}

/// Runs the built `sluice` executable as a subprocess, the way a user would.
///
/// The binary is found, in order: `$SLUICE_BIN`; next to the test bundle (where `swift build` /
/// `swift test` put it, whatever the scratch path); `.build/debug/sluice` in the repository. The
/// tests never build it: the documented command is `swift build && swift test`.
///
/// Output goes to files rather than pipes, so a chatty process can never block on a full pipe, and
/// every run has a generous hang guard: a process still running after it is killed and the test
/// fails with what it had printed. No test asserts on how long anything takes.
enum Sluice {
    static let hangGuardSeconds: Double = 120

    static let binary: String? = {
        let fileManager = FileManager.default
        if let fromEnvironment = ProcessInfo.processInfo.environment["SLUICE_BIN"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        var candidates: [String] = []
        let testExecutable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testExecutable.deletingLastPathComponent()
        // On Linux the tests run from `.../debug/SluicePackageTests.xctest`; on macOS from inside a
        // bundle `.../debug/SluicePackageTests.xctest/Contents/MacOS/...`.
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("sluice").path)
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug/sluice").path)
        return candidates.first { path in
            var isDirectory: ObjCBool = false
            return fileManager.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && fileManager.isExecutableFile(atPath: path)
        }
    }()

    /// The repository root, from this file's path.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // EndToEndTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static func requireBinary() throws -> String {
        guard let binary else {
            Issue.record("the sluice binary was not found: run `swift build` first, or set SLUICE_BIN")
            throw SkipError()
        }
        return binary
    }

    struct SkipError: Error {}

    /// Runs `sluice arguments` with `input` on standard input (empty when nil) and waits for it.
    static func run(
        _ arguments: [String], input: String? = nil, in directory: URL? = nil, environment: [String: String] = [:]
    ) throws -> ProcessResult {
        let running = try start(arguments, input: input, in: directory, environment: environment)
        return running.wait()
    }

    /// Runs `sluice arguments` with `bytes` on standard input, which need not be UTF-8.
    static func run(_ arguments: [String], inputBytes bytes: [UInt8]) throws -> ProcessResult {
        try start(arguments, inputData: Data(bytes)).wait()
    }

    /// Starts `sluice arguments` without waiting; `inputData`, when given, replaces `input`.
    static func start(
        _ arguments: [String], input: String? = nil, inputData: Data? = nil, in directory: URL? = nil,
        environment: [String: String] = [:]
    ) throws -> RunningSluice {
        let binary = try requireBinary()
        let scratch = try TemporaryDirectory(prefix: "sluice-io")
        let stdinPath = scratch.url.appendingPathComponent("stdin")
        try (inputData ?? Data((input ?? "").utf8)).write(to: stdinPath)
        let stdoutPath = scratch.url.appendingPathComponent("stdout")
        let stderrPath = scratch.url.appendingPathComponent("stderr")
        try Data().write(to: stdoutPath)
        try Data().write(to: stderrPath)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = scratch.url.path  // no history file in the user's home
        env.removeValue(forKey: "SLUICE_DATA_DIR")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardInput = try FileHandle(forReadingFrom: stdinPath)
        process.standardOutput = try FileHandle(forWritingTo: stdoutPath)
        process.standardError = try FileHandle(forWritingTo: stderrPath)
        try process.run()
        return RunningSluice(process: process, scratch: scratch, stdoutPath: stdoutPath, stderrPath: stderrPath)
    }
}

/// A `sluice` process that is still running.
final class RunningSluice {
    let process: Process
    let scratch: TemporaryDirectory
    let stdoutPath: URL
    let stderrPath: URL

    init(process: Process, scratch: TemporaryDirectory, stdoutPath: URL, stderrPath: URL) {
        self.process = process
        self.scratch = scratch
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
    }

    var stdout: String { (try? String(contentsOf: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits until `condition` holds for (stdout, stderr), the process exits, or the hang guard
    /// fires. Returns whether the condition held.
    func waitFor(_ condition: (String, String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(Sluice.hangGuardSeconds)
        while Date() < deadline {
            if condition(stdout, stderr) { return true }
            if !process.isRunning { return condition(stdout, stderr) }
            usleep(50_000)
        }
        return false
    }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the process to exit (killing it past the hang guard) and collects its output.
    func wait() -> ProcessResult {
        let deadline = Date().addingTimeInterval(Sluice.hangGuardSeconds)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(20_000)
        }
        process.waitUntilExit()
        let result = ProcessResult(
            status: timedOut ? -1 : process.terminationStatus, stdout: stdout, stderr: stderr,
            stdoutData: (try? Data(contentsOf: stdoutPath)) ?? Data(), timedOut: timedOut)
        if timedOut {
            Issue.record("sluice \(process.arguments ?? []) did not finish; stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)")
        }
        return result
    }
}

/// A directory under the system's temporary directory, removed when the value goes away.
final class TemporaryDirectory {
    let url: URL

    init(prefix: String = "sluice-e2e") throws {
        let base = FileManager.default.temporaryDirectory
        url = base.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var path: String { url.path }

    func file(_ name: String, contents: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(contents.utf8).write(to: file)
        return file
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// The cells of a boxed table row (`| a | b |`), trimmed; nil for a line that is not a row.
func tableCells(_ line: String) -> [String]? {
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    guard trimmed.hasPrefix("|"), trimmed.hasSuffix("|"), trimmed.count >= 2 else { return nil }
    return trimmed.dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false)
        .map { $0.trimmingCharacters(in: .whitespaces) }
}

/// Every boxed-table row in `text` (header rows included).
func tableRows(_ text: String) -> [[String]] {
    text.split(separator: "\n").compactMap { tableCells(String($0)) }
}
