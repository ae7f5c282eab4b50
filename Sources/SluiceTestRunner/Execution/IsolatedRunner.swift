import SluiceTypes

#if canImport(Glibc)
    import Glibc
#endif

/// Runs cases in forked worker processes, so a case that crashes the engine (a trap, a failed
/// precondition) or never finishes costs that case only.
///
/// Each worker is a `fork` of the runner: it inherits the loaded cases, runs a contiguous range
/// of them one at a time on a fresh engine each, and reports over a pipe — a "started" line before
/// each case and a result line after it. When a worker dies mid-case, that case is an `error`
/// (with the runtime's fatal-error line, read from the worker's captured stderr), and a new worker
/// picks up the rest of the range. A case that runs past the timeout gets its worker killed the
/// same way. Results are handed to `report` in case order, whatever order workers finish in.
///
/// Only on Linux; elsewhere ``isAvailable`` is false and callers run cases in process.
enum IsolatedRunner {
    #if os(Linux)
        static let isAvailable = true
    #else
        static let isAvailable = false
    #endif

    static func run(
        _ cases: [ConformanceCase], environment: RunnerEnvironment, jobs: Int, timeoutSeconds: Double,
        report: (Int, CaseResult) -> Void
    ) {
        #if os(Linux)
            var scheduler = Scheduler(
                cases: cases, environment: environment, jobs: max(1, jobs), timeout: timeoutSeconds)
            scheduler.run(report: report)
        #else
            for (index, testCase) in cases.enumerated() { report(index, CaseRunner.run(testCase, in: environment)) }
        #endif
    }

    /// Splits `count` cases into ranges of consecutive cases of at most `size`.
    static func chunks(count: Int, size: Int) -> [Range<Int>] {
        stride(from: 0, to: count, by: max(size, 1)).map { $0..<min($0 + max(size, 1), count) }
    }
}

#if os(Linux)
    extension IsolatedRunner {
        private struct Worker {
            var pid: pid_t
            var fd: Int32
            var stderrPath: String
            /// Cases still owed by this worker.
            var range: Range<Int>
            /// The case the worker said it started and has not finished, if any.
            var current: Int?
            var currentStartedAt: Double
            var buffer: [UInt8] = []
        }

        private struct Scheduler {
            let cases: [ConformanceCase]
            let environment: RunnerEnvironment
            let jobs: Int
            let timeout: Double
            var pending: [Range<Int>]
            var workers: [Worker] = []
            var results: [CaseResult?]
            var nextToReport = 0

            init(cases: [ConformanceCase], environment: RunnerEnvironment, jobs: Int, timeout: Double) {
                self.cases = cases
                self.environment = environment
                self.jobs = jobs
                self.timeout = timeout
                // Small chunks keep both workers busy to the end; each chunk costs one fork.
                pending = IsolatedRunner.chunks(count: cases.count, size: 40).reversed()
                results = Array(repeating: nil, count: cases.count)
            }

            mutating func run(report: (Int, CaseResult) -> Void) {
                while !pending.isEmpty || !workers.isEmpty {
                    while workers.count < jobs, let range = pending.popLast() {
                        if let worker = spawn(range) {
                            workers.append(worker)
                        } else {
                            // No fork: run the range here rather than not at all.
                            for index in range { results[index] = CaseRunner.run(cases[index], in: environment) }
                        }
                    }
                    flush(report)
                    if workers.isEmpty { continue }
                    wait()
                    flush(report)
                }
                flush(report)
            }

            private mutating func flush(_ report: (Int, CaseResult) -> Void) {
                while nextToReport < results.count, let result = results[nextToReport] {
                    report(nextToReport, result)
                    nextToReport += 1
                }
            }

            private func spawn(_ range: Range<Int>) -> Worker? {
                var fds: [Int32] = [0, 0]
                guard pipe(&fds) == 0 else { return nil }
                var template = Array("/tmp/sluice-conformance-XXXXXX".utf8CString)
                let stderrFD = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
                let stderrPath = String(cString: template.map { UInt8(bitPattern: $0) } + [0])
                let pid = fork()
                if pid < 0 {
                    close(fds[0])
                    close(fds[1])
                    if stderrFD >= 0 { close(stderrFD); unlink(stderrPath) }
                    return nil
                }
                if pid == 0 {
                    close(fds[0])
                    let devNull = open("/dev/null", O_WRONLY)
                    if devNull >= 0 { dup2(devNull, 1) }
                    if stderrFD >= 0 { dup2(stderrFD, 2) }
                    // The child inherited every descriptor of the parent, flock'ed lock files of
                    // open data directories among them: holding those would keep the parent's
                    // directories locked for as long as the child runs. Keep only stdio and the pipe.
                    for descriptor in Int32(3)..<Int32(4096) where descriptor != fds[1] { close(descriptor) }
                    for index in range {
                        IsolatedRunner.send(fds[1], "{\"start\":\(index)}\n")
                        let result = CaseRunner.run(cases[index], in: environment)
                        let status = JSONText.quoted(result.status.rawValue)
                        let reason = JSONText.quoted(result.reason)
                        IsolatedRunner.send(fds[1], "{\"index\":\(index),\"status\":\(status),\"reason\":\(reason)}\n")
                    }
                    _exit(0)
                }
                close(fds[1])
                if stderrFD >= 0 { close(stderrFD) }
                return Worker(
                    pid: pid, fd: fds[0], stderrPath: stderrPath, range: range, current: nil,
                    currentStartedAt: IsolatedRunner.now())
            }

            /// Waits for output from any worker (or a timeout), then handles it.
            private mutating func wait() {
                var polls = workers.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
                _ = poll(&polls, nfds_t(polls.count), 200)
                var finished: [Int] = []
                for (slot, entry) in polls.enumerated() {
                    if entry.revents != 0 {
                        if !drain(slot) { finished.append(slot) }
                    }
                    if !finished.contains(slot), let current = workers[slot].current,
                        IsolatedRunner.now() - workers[slot].currentStartedAt > timeout
                    {
                        kill(workers[slot].pid, SIGKILL)
                        results[current] = CaseResult(
                            file: cases[current].file, name: cases[current].name, status: .error,
                            reason: "timed out after \(Int(timeout)) seconds")
                        workers[slot].range = (current + 1)..<workers[slot].range.upperBound
                        workers[slot].current = nil
                        finished.append(slot)
                    }
                }
                for slot in finished.sorted(by: >) {
                    retire(slot)
                }
            }

            /// Reads what a worker wrote; false once its pipe is closed.
            private mutating func drain(_ slot: Int) -> Bool {
                var chunk = [UInt8](repeating: 0, count: 65536)
                let count = chunk.withUnsafeMutableBytes { read(workers[slot].fd, $0.baseAddress, $0.count) }
                if count <= 0 { return false }
                workers[slot].buffer.append(contentsOf: chunk[0..<count])
                while let newline = workers[slot].buffer.firstIndex(of: 0x0A) {
                    let line = Array(workers[slot].buffer[..<newline])
                    workers[slot].buffer.removeSubrange(...newline)
                    handle(line, slot: slot)
                }
                return true
            }

            private mutating func handle(_ line: [UInt8], slot: Int) {
                guard let message = try? JSONParser.parse(line) else { return }
                if let start = message["start"]?.int64Value {
                    workers[slot].current = Int(start)
                    workers[slot].currentStartedAt = IsolatedRunner.now()
                } else if let index = message["index"]?.int64Value.map({ Int($0) }), index < cases.count,
                    let status = message["status"]?.stringValue.flatMap(CaseStatus.init(rawValue:))
                {
                    results[index] = CaseResult(
                        file: cases[index].file, name: cases[index].name, status: status,
                        reason: message["reason"]?.stringValue ?? "")
                    workers[slot].current = nil
                    workers[slot].range = (index + 1)..<workers[slot].range.upperBound
                }
            }

            /// Reaps a worker whose pipe closed (or that was killed) and requeues what it still owed.
            private mutating func retire(_ slot: Int) {
                let worker = workers.remove(at: slot)
                close(worker.fd)
                var status: Int32 = 0
                waitpid(worker.pid, &status, 0)
                let signal = status & 0x7F
                var owed = worker.range
                if let current = worker.current, results[current] == nil {
                    let detail = fatalMessage(in: worker.stderrPath)
                    let how =
                        signal != 0 ? "crashed (signal \(signal))" : "worker exited with status \((status >> 8) & 0xFF)"
                    results[current] = CaseResult(
                        file: cases[current].file, name: cases[current].name, status: .error,
                        reason: detail.isEmpty ? how : "\(how): \(detail)")
                    owed = (current + 1)..<owed.upperBound
                }
                unlink(worker.stderrPath)
                if !owed.isEmpty { pending.append(owed) }
            }

            /// The runtime's "Fatal error: ..." line (or the last line) of a worker's stderr.
            private func fatalMessage(in path: String) -> String {
                guard let file = fopen(path, "r") else { return "" }
                defer { fclose(file) }
                var bytes: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 65536)
                while bytes.count < 4_000_000 {
                    let count = fread(&buffer, 1, buffer.count, file)
                    if count <= 0 { break }
                    bytes.append(contentsOf: buffer[0..<count])
                }
                let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
                let markers = ["Fatal error", "Precondition failed", "Assertion failed", "fatal error"]
                if let line = lines.first(where: { line in markers.contains { line.contains($0) } }) {
                    return ConformanceReport.oneLine(line, limit: 300)
                }
                return ""
            }
        }

        fileprivate static func send(_ fd: Int32, _ text: String) {
            var bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if written <= 0 { return }
                offset += written
            }
        }

        fileprivate static func now() -> Double {
            var spec = timespec()
            clock_gettime(CLOCK_MONOTONIC, &spec)
            return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
        }
    }
#endif
