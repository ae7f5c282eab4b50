import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The shell on a terminal: a pseudo-terminal stands in for the user's, so the line editor's keys,
/// history, Ctrl-C and Ctrl-D are exercised as typed.
@Suite struct InteractiveShellTests {
    @Test func editsLinesRecallsHistoryAndCancelsPushQueries() throws {
        let data = try TemporaryDirectory()
        let terminal = try PseudoTerminalSession(arguments: ["--data-dir", data.path + "/d"], home: data.path)
        defer { terminal.close() }
        // A fresh prompt follows a newline; the editor's redraws of the line start with "\r".
        let prompt = "\nsluice> "

        #expect(terminal.waitForOutput(containing: prompt))
        #expect(terminal.output.contains("Type 'help' for help"))

        var mark = terminal.mark()
        terminal.type("CREATE STREAM s (id INT KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);\r")
        #expect(terminal.waitForOutput(containing: "Stream created", after: mark))
        #expect(terminal.waitForOutput(containing: prompt, after: mark))

        // Backspace, the arrow keys and Delete edit the line before it is sent.
        mark = terminal.mark()
        terminal.type("SHOW STREAMX\u{7F}S;")
        terminal.type(String(repeating: "\u{1B}[D", count: 9))  // Left x9: the cursor is on the space
        terminal.type("\u{1B}[3~")  // Delete removes the space ...
        terminal.type(" \r")  // ... and it is typed back
        #expect(terminal.waitForOutput(containing: "| S ", after: mark))
        #expect(terminal.waitForOutput(containing: prompt, after: mark))

        // Ctrl-C abandons a line without running it.
        mark = terminal.mark()
        terminal.type("DROP STREAM s;\u{03}")
        #expect(terminal.waitForOutput(containing: "^C", after: mark))
        #expect(terminal.waitForOutput(containing: prompt, after: mark))

        // A statement over two lines gets the continuation prompt; history recalls it as one line.
        mark = terminal.mark()
        terminal.type("SHOW\r")
        #expect(terminal.waitForOutput(containing: "\n     > ", after: mark))
        terminal.type("TOPICS;\r")
        #expect(terminal.waitForOutput(containing: "Kafka Topic", after: mark))
        #expect(terminal.waitForOutput(containing: prompt, after: mark))

        // Up twice: past SHOW TOPICS to SHOW STREAMS (the abandoned DROP was never recorded).
        mark = terminal.mark()
        terminal.type("\u{1B}[A\u{1B}[A\r")
        #expect(terminal.waitForOutput(containing: "| S ", after: mark))
        #expect(terminal.waitForOutput(containing: prompt, after: mark))
        #expect(terminal.output(after: mark).contains("Stream Name"))

        // A push query streams until interrupted; the stream still exists (the DROP never ran).
        mark = terminal.mark()
        terminal.type("INSERT INTO s (id, v) VALUES (7, 70);\r")
        #expect(terminal.waitForOutput(containing: prompt, after: mark))
        mark = terminal.mark()
        terminal.type("SELECT * FROM s EMIT CHANGES;\r")
        #expect(terminal.waitForOutput(containing: "Press CTRL-C to interrupt", after: mark))
        #expect(terminal.waitForOutput(containing: "| 70 ", after: mark))
        terminal.interrupt()
        #expect(terminal.waitForOutput(containing: "Query terminated", after: mark))
        #expect(terminal.waitForOutput(containing: prompt, after: mark))

        // Ctrl-D on an empty line leaves the shell.
        terminal.type("\u{04}")
        #expect(terminal.waitForExit() == 0)
    }
}

/// A `sluice` process whose standard input, output and error are a pseudo-terminal.
final class PseudoTerminalSession {
    private let master: Int32
    private let process: Process
    private var collected: [UInt8] = []

    init(arguments: [String], home: String) throws {
        let binary = try Sluice.requireBinary()
        master = try PseudoTerminalSession.openMaster()
        guard let name = PseudoTerminalSession.functions.ptsname(master) else { throw POSIXError(.ENOTTY) }
        let slave = open(String(cString: name), O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw POSIXError(.ENOTTY) }
        var size = winsize(ws_row: 40, ws_col: 120, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(slave, UInt(TIOCSWINSZ), &size)

        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home
        environment["TERM"] = "xterm"
        process.environment = environment
        let handle = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        process.standardInput = handle
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// The pseudo-terminal calls of the C library. Glibc's module map hides them (they need
    /// `_XOPEN_SOURCE`), so they are looked up at run time.
    struct Functions {
        typealias OpenFunction = @convention(c) (Int32) -> Int32
        typealias FDFunction = @convention(c) (Int32) -> Int32
        typealias NameFunction = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
        let posixOpenpt: OpenFunction
        let grantpt: FDFunction
        let unlockpt: FDFunction
        let ptsname: NameFunction
    }

    static let functions: Functions = {
        let handle = dlopen(nil, RTLD_NOW)
        func symbol<T>(_ name: String, _: T.Type) -> T {
            guard let pointer = dlsym(handle, name) else { fatalError("no \(name) in the C library") }
            return unsafeBitCast(pointer, to: T.self)
        }
        return Functions(
            posixOpenpt: symbol("posix_openpt", Functions.OpenFunction.self),
            grantpt: symbol("grantpt", Functions.FDFunction.self),
            unlockpt: symbol("unlockpt", Functions.FDFunction.self),
            ptsname: symbol("ptsname", Functions.NameFunction.self))
    }()

    static func openMaster() throws -> Int32 {
        let master = functions.posixOpenpt(O_RDWR | O_NOCTTY)
        guard master >= 0, functions.grantpt(master) == 0, functions.unlockpt(master) == 0 else {
            throw POSIXError(.ENOTTY)
        }
        return master
    }

    /// Everything the process wrote so far.
    var output: String {
        drain()
        return String(decoding: collected, as: UTF8.self)
    }

    func type(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(master, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }

    /// Sends SIGINT, as Ctrl-C on a controlling terminal would during a running query.
    func interrupt() { kill(process.processIdentifier, SIGINT) }

    /// A position in the output, to look for what comes after it.
    func mark() -> Int {
        drain()
        return collected.count
    }

    /// The output written after `mark`.
    func output(after mark: Int) -> String {
        drain()
        return String(decoding: collected[min(mark, collected.count)...], as: UTF8.self)
    }

    /// Set once a wait gave up, so the waits after it fail at once instead of each waiting out
    /// the hang guard.
    private var stuck = false

    /// Waits until `text` appears after `mark` (or the hang guard passes, or the process exits).
    func waitForOutput(containing text: String, after mark: Int = 0) -> Bool {
        let deadline = Date().addingTimeInterval(stuck ? 0 : Sluice.hangGuardSeconds)
        repeat {
            drain(wait: 50)
            if output(after: mark).contains(text) { return true }
            if !process.isRunning { return output(after: mark).contains(text) }
        } while Date() < deadline
        stuck = true
        Issue.record("no '\(text)' in:\n\(output(after: mark))")
        return false
    }

    func waitForExit() -> Int32 {
        let deadline = Date().addingTimeInterval(Sluice.hangGuardSeconds)
        while process.isRunning && Date() < deadline { drain(wait: 50) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("the shell did not exit")
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    private func drain(wait milliseconds: Int32 = 0) {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        var timeout = milliseconds
        while poll(&descriptor, 1, timeout) > 0 {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = read(master, &buffer, buffer.count)
            if n <= 0 { break }
            collected.append(contentsOf: buffer[..<n])
            timeout = 0
        }
    }

    func close() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        Glibc.close(master)
    }
}
