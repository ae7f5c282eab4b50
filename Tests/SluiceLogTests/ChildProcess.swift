import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The `log-crash-child` helper executable (Sources/LogCrashChild), run as a separate process.
///
/// Found next to the test bundle, where `swift build` puts every product of the package whatever
/// the scratch path, or through `$LOG_CRASH_CHILD`. Its stdout goes to a file, not a pipe, so it
/// can never block on a full pipe; each acknowledgement line is one `write`, complete or absent
/// when the child is killed.
struct CrashChild {
    static let binary: String? = {
        if let path = ProcessInfo.processInfo.environment["LOG_CRASH_CHILD"], !path.isEmpty { return path }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("log-crash-child").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }()

    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    /// Starts `log-crash-child DIRECTORY arguments...`.
    init(directory: String, arguments: [String], outputPrefix: String) throws {
        guard let binary = Self.binary else {
            throw ChildError("log-crash-child not found next to the tests; build it with `swift build` first")
        }
        stdoutPath = outputPrefix + ".out"
        stderrPath = outputPrefix + ".err"
        FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [directory] + arguments
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
    }

    /// Waits until the child has acknowledged something (or exited, or 20 s passed).
    func waitForFirstAcknowledgement() {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline && process.isRunning {
            if let size = try? FileManager.default.attributesOfItem(atPath: stdoutPath)[.size] as? NSNumber,
                size.intValue > 0
            {
                return
            }
            usleep(1000)
        }
    }

    func kill() {
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The acknowledged ranges `(first offset, count)` printed so far.
    func acknowledgements() -> [(Int64, Int)] {
        let text = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 3, fields[0] == "A", let first = Int64(fields[1]), let count = Int(fields[2]) else {
                return nil
            }
            return (first, count)
        }
    }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
}

struct ChildError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
