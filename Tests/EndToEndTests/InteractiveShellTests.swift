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

extension InteractiveShellTests {
    /// A fresh prompt follows a newline; the editor's redraws of the line start with "\r".
    static let prompt = "\nsluice> "

    /// A shell on a new data directory, at its first prompt.
    func startShell(_ data: TemporaryDirectory) throws -> PseudoTerminalSession {
        let terminal = try PseudoTerminalSession(arguments: ["--data-dir", data.path + "/d"], home: data.path)
        #expect(terminal.waitForOutput(containing: Self.prompt))
        return terminal
    }

    /// Types `statement` + Enter and waits for `expected` and the next prompt.
    func run(_ terminal: PseudoTerminalSession, _ statement: String, expecting expected: String) {
        let mark = terminal.mark()
        terminal.type(statement + "\r")
        #expect(terminal.waitForOutput(containing: expected, after: mark))
        #expect(terminal.waitForOutput(containing: Self.prompt, after: mark))
    }

    @Test func tabCompletesKeywordsSourcesColumnsAndFunctions() throws {
        let data = try TemporaryDirectory()
        let terminal = try startShell(data)
        defer { terminal.close() }
        run(terminal, "CREATE STREAM readings (sensor_id STRING KEY, reading_value INT) WITH (KAFKA_TOPIC='readings', VALUE_FORMAT='JSON', PARTITIONS=1);", expecting: "Stream created")
        run(terminal, "INSERT INTO readings (sensor_id, reading_value) VALUES ('abc', 7);", expecting: "sluice> ")

        // `sel` -> `select `, `UCA` -> `UCASE(`, `SENSOR_I` -> `SENSOR_ID`, `READI` -> `READINGS `.
        let mark = terminal.mark()
        for piece in ["sel\t", "UCA\t", "SENSOR_I\t", ") AS up, READING_V\t FROM READI\t", "EMIT CHANGES LIMIT 1;"] {
            terminal.type(piece)
            usleep(100_000)  // each Tab is answered before the next key, as when typing
        }
        #expect(terminal.waitForOutput(containing: "select UCASE(SENSOR_ID) AS up, READING_VALUE FROM READINGS EMIT CHANGES LIMIT 1;", after: mark))
        terminal.type("\r")
        #expect(terminal.waitForOutput(containing: "| ABC ", after: mark))
        #expect(terminal.waitForOutput(containing: Self.prompt, after: mark))

        // Two candidates: the first Tab completes their common prefix, the second lists them.
        run(terminal, "CREATE STREAM readouts (x INT) WITH (KAFKA_TOPIC='readouts', VALUE_FORMAT='JSON', PARTITIONS=1);", expecting: "Stream created")
        let listed = terminal.mark()
        terminal.type("DESCRIBE R\t")
        #expect(terminal.waitForOutput(containing: "DESCRIBE READ", after: listed))
        terminal.type("\t")
        #expect(terminal.waitForOutput(containing: "READINGS  READOUTS", after: listed))
        terminal.type("\u{15}\u{04}")
        #expect(terminal.waitForExit() == 0)
    }

    @Test func controlRSearchesHistory() throws {
        let data = try TemporaryDirectory()
        let terminal = try startShell(data)
        defer { terminal.close() }
        run(terminal, "CREATE STREAM s (id INT KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);", expecting: "Stream created")
        run(terminal, "SHOW STREAMS;", expecting: "Stream Name")
        run(terminal, "SHOW TOPICS;", expecting: "Kafka Topic")

        let mark = terminal.mark()
        terminal.type("\u{12}STRE")
        #expect(terminal.waitForOutput(containing: "(reverse-i-search)`STRE': SHOW STREAMS;", after: mark))
        terminal.type("\r")
        #expect(terminal.waitForOutput(containing: "Stream Name", after: mark))
        #expect(terminal.waitForOutput(containing: Self.prompt, after: mark))

        // Ctrl-R twice goes further back; Ctrl-G gives the typed line back.
        let again = terminal.mark()
        terminal.type("SHOW\u{12}CREATE\u{07}")
        #expect(terminal.waitForOutput(containing: "(reverse-i-search)`CREATE': CREATE STREAM s", after: again))
        #expect(terminal.waitForOutput(containing: "\rsluice> SHOW\u{1B}[K", after: again))
        terminal.type(" QUERIES;\r")
        #expect(terminal.waitForOutput(containing: "Query ID", after: again))
        terminal.type("\u{04}")
        #expect(terminal.waitForExit() == 0)
        // History is kept in the data directory.
        let saved = (try? String(contentsOfFile: data.path + "/d/shell-history", encoding: .utf8)) ?? ""
        #expect(saved.contains("SHOW STREAMS;\nSHOW TOPICS;\nSHOW STREAMS;\nSHOW QUERIES;"), "\(saved)")
    }

    @Test func bracketedPasteRunsOnlyOnEnter() throws {
        let data = try TemporaryDirectory()
        let terminal = try startShell(data)
        defer { terminal.close() }
        run(terminal, "CREATE STREAM s (id INT KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);", expecting: "Stream created")
        run(terminal, "INSERT INTO s (id, v) VALUES (1, 42);", expecting: "sluice> ")

        // A terminal sends a paste between ESC[200~ and ESC[201~, with Enter as "\r".
        let mark = terminal.mark()
        terminal.type("\u{1B}[200~SELECT id,\r  v\rFROM s\r  EMIT CHANGES LIMIT 1;\r\u{1B}[201~")
        #expect(terminal.waitForOutput(containing: "LIMIT 1;↵", after: mark))
        usleep(300_000)
        let pasted = terminal.output(after: mark)
        #expect(!pasted.contains("     > ") && !pasted.contains("| 42"), "the paste ran before Enter: \(pasted)")
        terminal.type("\r")
        #expect(terminal.waitForOutput(containing: "| 42 ", after: mark))
        #expect(terminal.waitForOutput(containing: Self.prompt, after: mark))

        // History gives the pasted statement back whole.
        let recalled = terminal.mark()
        terminal.type("\u{1B}[A\r")
        #expect(terminal.waitForOutput(containing: "| 42 ", after: recalled))
        terminal.type("\u{04}")
        #expect(terminal.waitForExit() == 0)
    }

    @Test func controlWUAndKDelete() throws {
        let data = try TemporaryDirectory()
        let terminal = try startShell(data)
        defer { terminal.close() }
        run(terminal, "CREATE STREAM s (id INT KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);", expecting: "Stream created")

        // Ctrl-W deletes the previous word: SHOW TOPICS; -> SHOW STREAMS;
        run(terminal, "SHOW TOPICS;\u{17}STREAMS;", expecting: "Stream Name")
        // Ctrl-U deletes to the start: the DROP never runs.
        run(terminal, "DROP STREAM s;\u{15}SHOW STREAMS;", expecting: "| S ")
        // Ctrl-K deletes to the end: after Ctrl-A and two words right, the DROP is cut off.
        run(terminal, "SHOW STREAMS; DROP STREAM s;\u{01}\u{1B}f\u{1B}f\u{1B}[C\u{0B}", expecting: "| S ")
        run(terminal, "SHOW STREAMS;", expecting: "| S ")
        terminal.type("\u{04}")
        #expect(terminal.waitForExit() == 0)
    }

    @Test func resizingRedrawsLongLinesForTheNewWidth() throws {
        let data = try TemporaryDirectory()
        let terminal = try startShell(data)
        defer { terminal.close() }
        run(terminal, "CREATE STREAM s (id INT KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);", expecting: "Stream created")

        let padding = String(repeating: "x", count: 150)
        terminal.type("SHOW STREAMZ; /* \(padding) */")
        #expect(terminal.waitForOutput(containing: "\(padding.prefix(40)) */"))
        let mark = terminal.mark()
        terminal.resize(columns: 40, rows: 20)
        // The redraw after SIGWINCH fits the new width: from Home, fix the typo and run the line.
        terminal.type("\u{01}\u{1B}f\u{1B}f\u{7F}S")
        #expect(terminal.waitForOutput(containing: "sluice> SHOW STREAMS; /* xxxx", after: mark))
        let redraws = terminal.output(after: mark).split(separator: "\r").map { stripEscapes(String($0)) }
        #expect(redraws.allSatisfy { $0.count <= 40 }, "\(redraws)")
        terminal.type("\u{05}\r")
        // SHOW STREAMS's five columns do not fit 40 columns: the rows print vertically.
        #expect(terminal.waitForOutput(containing: "-[ RECORD 1 ]", after: mark))
        #expect(terminal.waitForOutput(containing: "Stream Name  | S", after: mark))
        terminal.type("\u{04}")
        #expect(terminal.waitForExit() == 0)
    }

    @Test func wideRowsPrintVertically() throws {
        let data = try TemporaryDirectory()
        let terminal = try startShell(data)
        defer { terminal.close() }
        let columns = (1...10).map { "measurement_\($0)" }
        run(terminal, "CREATE STREAM wide (id INT KEY, \(columns.map { "\($0) INT" }.joined(separator: ", "))) WITH (KAFKA_TOPIC='wide', VALUE_FORMAT='JSON', PARTITIONS=1);", expecting: "Stream created")
        run(terminal, "INSERT INTO wide (id, \(columns.joined(separator: ", "))) VALUES (1, \((1...10).map { String($0 * 11) }.joined(separator: ", ")));", expecting: "sluice> ")

        let mark = terminal.mark()
        terminal.type("SELECT * FROM wide EMIT CHANGES LIMIT 1;\r")
        #expect(terminal.waitForOutput(containing: "-[ RECORD 1 ]", after: mark))
        #expect(terminal.waitForOutput(containing: "MEASUREMENT_7  | 77", after: mark))
        #expect(terminal.waitForOutput(containing: Self.prompt, after: mark))
        #expect(!terminal.output(after: mark).contains("| MEASUREMENT_1 "))
        terminal.type("\u{04}")
        #expect(terminal.waitForExit() == 0)
    }

    @Test func shellCommandsSwitchOutputSpoolAndListHistory() throws {
        let data = try TemporaryDirectory()
        let terminal = try startShell(data)
        defer { terminal.close() }
        run(terminal, "version", expecting: "sluice ")
        run(terminal, "CREATE STREAM s (id INT KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);", expecting: "Stream created")
        let spool = data.path + "/spool.txt"
        run(terminal, "spool \(spool)", expecting: "Spooling to")
        run(terminal, "output json", expecting: "Output format: json")
        run(terminal, "SHOW STREAMS;", expecting: "{\"Stream Name\":\"S\",\"Kafka Topic\":\"s\"")
        run(terminal, "output table", expecting: "Output format: table")
        run(terminal, "spool off", expecting: "Stopped spooling")
        run(terminal, "history", expecting: "5  SHOW STREAMS;")
        let spooled = (try? String(contentsOfFile: spool, encoding: .utf8)) ?? ""
        #expect(spooled.contains("sluice> SHOW STREAMS;\n{\"Stream Name\":\"S\""), "\(spooled)")
        run(terminal, "output xml", expecting: "unknown output format 'xml'")
        terminal.type("exit\r")
        #expect(terminal.waitForExit() == 0)
    }
}

/// `text` without ANSI escape sequences (ESC, '[', parameters, one final letter).
func stripEscapes(_ text: String) -> String {
    var result = ""
    var inEscape = false
    var sawBracket = false
    for character in text {
        if inEscape {
            if !sawBracket && character == "[" {
                sawBracket = true
            } else if character.isLetter || character == "~" {
                inEscape = false
            }
        } else if character == "\u{1B}" {
            inEscape = true
            sawBracket = false
        } else if character != "\n" {
            result.append(character)
        }
    }
    return result
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

    /// Sets the terminal's size and sends SIGWINCH, as a terminal window being resized does (the
    /// process has no controlling terminal here, so the kernel would not signal it).
    func resize(columns: UInt16, rows: UInt16) {
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        kill(process.processIdentifier, SIGWINCH)
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
