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

        #expect(terminal.waitForOutput(containing: "sluice> "))
        #expect(terminal.output.contains("Type 'help' for help"))

        terminal.type("CREATE STREAM s (id INT KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);\r")
        #expect(terminal.waitForOutput(containing: "sluice> ", occurrences: 2))

        // Backspace and the arrow keys edit the line before it is sent.
        terminal.type("SHOW STREAMX\u{7F}S;")
        terminal.type("\u{1B}[D\u{1B}[D\u{1B}[D\u{1B}[D\u{1B}[D\u{1B}[D\u{1B}[D\u{1B}[D\u{1B}[D")  // 9 x Left
        terminal.type("\u{1B}[3~")  // Delete removes the space after SHOW
        terminal.type(" \r")  // ... and the space is typed back
        #expect(terminal.waitForOutput(containing: "sluice> ", occurrences: 3))
        let afterShow = terminal.output
        #expect(afterShow.contains("| S "), "\(afterShow)")

        // Ctrl-C abandons a line without running it.
        terminal.type("DROP STREAM s;\u{03}")
        #expect(terminal.waitForOutput(containing: "sluice> ", occurrences: 4))
        #expect(terminal.output.contains("^C"))

        // A statement over two lines gets the continuation prompt, then history recalls it as one
        // line: Up twice skips back past it to SHOW STREAMS.
        terminal.type("SHOW\r")
        #expect(terminal.waitForOutput(containing: "     > "))
        terminal.type("TOPICS;\r")
        #expect(terminal.waitForOutput(containing: "sluice> ", occurrences: 5))
        let tablesBefore = terminal.output.components(separatedBy: "| S ").count
        terminal.type("\u{1B}[A\u{1B}[A\r")
        #expect(terminal.waitForOutput(containing: "sluice> ", occurrences: 6))
        #expect(terminal.output.components(separatedBy: "| S ").count == tablesBefore + 1)

        // A push query streams until interrupted; the stream still exists (the DROP never ran).
        terminal.type("INSERT INTO s (id, v) VALUES (7, 70);\r")
        #expect(terminal.waitForOutput(containing: "sluice> ", occurrences: 7))
        terminal.type("SET 'auto.offset.reset' = 'earliest';\r")
        #expect(terminal.waitForOutput(containing: "sluice> ", occurrences: 8))
        terminal.type("SELECT * FROM s EMIT CHANGES;\r")
        #expect(terminal.waitForOutput(containing: "Press CTRL-C to interrupt"))
        #expect(terminal.waitForOutput(containing: "| 70 "))
        terminal.interrupt()
        #expect(terminal.waitForOutput(containing: "Query terminated"))
        #expect(terminal.waitForOutput(containing: "sluice> ", occurrences: 9))

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

    /// Waits until `text` has appeared `occurrences` times (or the hang guard passes).
    func waitForOutput(containing text: String, occurrences: Int = 1) -> Bool {
        let deadline = Date().addingTimeInterval(Sluice.hangGuardSeconds)
        while Date() < deadline {
            drain(wait: 50)
            if String(decoding: collected, as: UTF8.self).components(separatedBy: text).count - 1 >= occurrences {
                return true
            }
            if !process.isRunning {
                drain()
                return String(decoding: collected, as: UTF8.self).components(separatedBy: text).count - 1 >= occurrences
            }
        }
        Issue.record("no '\(text)' x\(occurrences) in:\n\(String(decoding: collected, as: UTF8.self))")
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
