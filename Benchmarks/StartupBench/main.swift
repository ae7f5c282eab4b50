import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// startup-bench: how long `sluice` takes to become usable.
///
///     swift build -c release                                   # the sluice binary under test
///     swift run -c release --package-path Benchmarks startup-bench [--sluice PATH] [--runs N] [--queries N]
///
/// Two measures, each on an empty data directory and on one holding `--queries` (default 50)
/// persistent queries (created first with `sluice run --until-idle` on a generated script):
/// - **prompt**: from spawning `sluice` on a pseudo-terminal to its first `sluice> ` prompt
///   (the time a user waits before typing);
/// - **pipe**: from spawning `sluice` with `SHOW STREAMS;` on standard input to its exit.
///
/// Every run is a new process; the first run of each kind is a discarded warm-up (page cache).
/// Targets: under 50 ms empty, under 500 ms with 50 queries.
struct Options {
    var sluice: String
    var runs = 15
    var queries = 50

    init(_ arguments: [String]) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        sluice = ProcessInfo.processInfo.environment["SLUICE_BIN"] ?? root.appendingPathComponent(".build/release/sluice").path
        var i = 0
        while i < arguments.count {
            let value = i + 1 < arguments.count ? arguments[i + 1] : ""
            switch arguments[i] {
            case "--sluice": sluice = value; i += 1
            case "--runs": runs = max(1, Int(value) ?? runs); i += 1
            case "--queries": queries = max(1, Int(value) ?? queries); i += 1
            default:
                FileHandle.standardError.write(Data("usage: startup-bench [--sluice PATH] [--runs N] [--queries N]\n".utf8))
                exit(2)
            }
            i += 1
        }
    }
}

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Starts `sluice arguments` with the given descriptors as its standard streams.
///
/// `posix_spawn` and `waitpid` rather than Foundation's `Process`: `waitUntilExit` notices an exit
/// only on its run loop's next tick (tens of milliseconds on Linux), which would swamp what is measured.
func spawn(_ binary: String, _ arguments: [String], stdin: Int32, stdout: Int32, stderr: Int32) -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, stdin, 0)
    posix_spawn_file_actions_adddup2(&actions, stdout, 1)
    posix_spawn_file_actions_adddup2(&actions, stderr, 2)
    let argv = ([binary] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, binary, &actions, nil, argv, environ)
    precondition(status == 0, "cannot start \(binary): \(String(cString: strerror(status)))")
    return pid
}

/// Waits for `pid` and returns its exit status (or 128 + signal).
@discardableResult
func waitFor(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let signal = status & 0x7F
    return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
}

/// Pseudo-terminal calls, looked up at run time (Glibc's module map hides them).
enum PTY {
    typealias Open = @convention(c) (Int32) -> Int32
    typealias Name = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static let handle = dlopen(nil, RTLD_NOW)
    static func symbol<T>(_ name: String, _: T.Type) -> T { unsafeBitCast(dlsym(handle, name)!, to: T.self) }
    static let posixOpenpt = symbol("posix_openpt", Open.self)
    static let grantpt = symbol("grantpt", Open.self)
    static let unlockpt = symbol("unlockpt", Open.self)
    static let ptsname = symbol("ptsname", Name.self)
}

/// Spawns sluice on a pseudo-terminal; returns seconds until the prompt, then leaves with Ctrl-D.
func timeToPrompt(_ options: Options, dataDirectory: String) -> Double {
    let master = PTY.posixOpenpt(O_RDWR | O_NOCTTY)
    precondition(master >= 0 && PTY.grantpt(master) == 0 && PTY.unlockpt(master) == 0, "no pseudo-terminal")
    let slave = open(String(cString: PTY.ptsname(master)!), O_RDWR | O_NOCTTY)
    var size = winsize(ws_row: 40, ws_col: 120, ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(slave, UInt(TIOCSWINSZ), &size)
    let start = now()
    let pid = spawn(options.sluice, ["--data-dir", dataDirectory], stdin: slave, stdout: slave, stderr: slave)
    close(slave)
    var seen: [UInt8] = []
    let prompt = Array("sluice> ".utf8)
    var elapsed = -1.0
    while elapsed < 0 {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 10_000) > 0 else { fatalError("no prompt within 10 s") }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = read(master, &buffer, buffer.count)
        guard n > 0 else { fatalError("sluice closed the terminal before its prompt") }
        seen += buffer[..<n]
        if seen.count >= prompt.count, (0...(seen.count - prompt.count)).contains(where: { seen[$0..<($0 + prompt.count)].elementsEqual(prompt) }) {
            elapsed = now() - start
        }
    }
    var eof: UInt8 = 4
    _ = write(master, &eof, 1)
    // Keep draining so the shell never blocks on output while it exits (read fails once it has).
    var buffer = [UInt8](repeating: 0, count: 4096)
    while read(master, &buffer, buffer.count) > 0 {}
    waitFor(pid)
    close(master)
    return elapsed
}

/// Spawns sluice with `SHOW STREAMS;` on a pipe; returns seconds until it exits.
func timeToFinishPipe(_ options: Options, dataDirectory: String, scratch: String) -> Double {
    let inputPath = scratch + "/show.sql"
    _ = FileManager.default.createFile(atPath: inputPath, contents: Data("SHOW STREAMS;\n".utf8))
    let input = open(inputPath, O_RDONLY)
    let null = open("/dev/null", O_WRONLY)
    defer {
        close(input)
        close(null)
    }
    let start = now()
    let pid = spawn(options.sluice, ["--data-dir", dataDirectory], stdin: input, stdout: null, stderr: null)
    let status = waitFor(pid)
    let elapsed = now() - start
    precondition(status == 0, "sluice failed on \(dataDirectory)")
    return elapsed
}

/// A data directory with `count` persistent queries over one stream, made by `sluice run`.
func directoryWithQueries(_ options: Options, count: Int, scratch: String) -> String {
    let directory = scratch + "/with-queries"
    var script = """
        CREATE STREAM readings (sensor STRING KEY, reading DOUBLE, site STRING)
          WITH (KAFKA_TOPIC='readings', VALUE_FORMAT='JSON', PARTITIONS=2);
        INSERT INTO readings (sensor, reading, site) VALUES ('s1', 1.5, 'a');

        """
    for i in 1...count {
        switch i % 3 {
        case 0:
            script += "CREATE TABLE counts_\(i) AS SELECT sensor, COUNT(*) AS n, MAX(reading) AS top FROM readings GROUP BY sensor EMIT CHANGES;\n"
        case 1:
            script += "CREATE STREAM hot_\(i) AS SELECT sensor, reading * \(i) AS scaled FROM readings WHERE reading > \(i) EMIT CHANGES;\n"
        default:
            script += "CREATE STREAM sites_\(i) AS SELECT sensor, site, UCASE(sensor) AS s FROM readings WHERE site = 'x\(i)' EMIT CHANGES;\n"
        }
    }
    let path = scratch + "/queries.sql"
    _ = FileManager.default.createFile(atPath: path, contents: Data(script.utf8))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: options.sluice)
    process.arguments = ["run", path, "--until-idle", "--data-dir", directory]
    process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
    try! process.run()
    process.waitUntilExit()
    if process.terminationStatus != 0 {
        FileHandle.standardError.write(Data("startup-bench: creating the queries failed (script: \(path))\n".utf8))
        exit(1)
    }
    return directory
}

func report(_ label: String, _ samples: [Double], target: Double) {
    let sorted = samples.sorted()
    let median = sorted[sorted.count / 2]
    let ms = { (s: Double) in String(format: "%.1f", s * 1000) }
    let verdict = median < target ? "ok" : "MISSED"
    defer { fflush(nil) }
    print("\(label.padding(toLength: 34, withPad: " ", startingAt: 0)) min \(ms(sorted.first!)) ms  median \(ms(median)) ms  max \(ms(sorted.last!)) ms  (target < \(ms(target)) ms: \(verdict))")
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
guard FileManager.default.isExecutableFile(atPath: options.sluice) else {
    FileHandle.standardError.write(Data("no sluice binary at \(options.sluice); run `swift build -c release` or pass --sluice\n".utf8))
    exit(1)
}
let scratch = NSTemporaryDirectory() + "startup-bench-\(getpid())"
try! FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: scratch) }
print("sluice: \(options.sluice); \(options.runs) runs each (after one warm-up)")

func measure(_ runs: Int, _ body: (Int) -> Double) -> [Double] {
    _ = body(-1)
    return (0..<runs).map(body)
}

let emptyPrompt = measure(options.runs) { run in timeToPrompt(options, dataDirectory: scratch + "/empty-p\(run)") }
report("prompt, empty directory", emptyPrompt, target: 0.050)
let emptyPipe = measure(options.runs) { run in timeToFinishPipe(options, dataDirectory: scratch + "/empty-s\(run)", scratch: scratch) }
report("pipe SHOW STREAMS, empty directory", emptyPipe, target: 0.050)

let queries = directoryWithQueries(options, count: options.queries, scratch: scratch)
let loadedPrompt = measure(options.runs) { _ in timeToPrompt(options, dataDirectory: queries) }
report("prompt, \(options.queries) persistent queries", loadedPrompt, target: 0.500)
let loadedPipe = measure(options.runs) { _ in timeToFinishPipe(options, dataDirectory: queries, scratch: scratch) }
report("pipe, \(options.queries) persistent queries", loadedPipe, target: 0.500)
