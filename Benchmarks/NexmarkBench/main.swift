import Foundation
import SluiceEngine
import SluiceLog

/// Nexmark in Sluice SQL: generates the Nexmark event streams (persons, auctions, bids; see
/// Generator.swift) or reads a bid file of `../shared/bench/gen_bids.py`, loads them into embedded
/// topics and runs each query of `queries/*.sql` through the engine.
///
///     swift run -c release --package-path Benchmarks nexmark-bench --events 1000000
///     nexmark-bench --bids /tmp/bids5m.json --queries q0,q1,q2,q5t,agg
///     nexmark-bench --queries q1,q2 --latency --rate 100000
///
/// Throughput: the query's source topics are filled first (`load s`), then one engine runs the
/// query on this thread until idle (`runUntilIdle`). events = records in the topics it reads;
/// events/s over wall time, events per CPU-second over the process's user + system time during
/// the run (getrusage); bytes/event = input bytes / events; peak RSS = the kernel's high-water
/// mark reset before the run (it includes the loaded input); outputs = records in the sink topic.
/// A query whose statements the engine rejects is reported `pending` with the engine's error.
///
/// Latency (`--latency`): a producer thread appends the events (all kinds, in event order) at
/// `--rate` events/s while the engine's background thread runs the query; an output's delay is
/// the time from its input's append to the output being readable in the sink (p50/p99/p99.9/max).
/// Every event gets its own timestamp (1 ms apart), and an output carries the timestamp of the
/// input that produced it, which is how an output finds its input.

struct Options {
    var events = 1_000_000
    var seed: UInt64 = 42
    var eventRate: Int?
    var bidsFile: String?
    var queries: [String]?
    var sqlDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("queries").path
    var json = false
    var disk = false
    var dir: String?
    var fsync = false
    var latency = false
    var rate = 100_000
    var latencyEvents = 500_000
    var repeatCount = 1
    var dump: String?
    var list = false
    var isolate = false
    var runStored: String?
}

let usage = """
    usage: nexmark-bench [--events N] [--seed S] [--event-rate R] [--bids FILE] [--queries q0,q1,...]
                         [--sql-dir DIR] [--disk [--dir DIR] [--fsync]] [--json] [--repeat N]
                         [--latency [--rate N] [--latency-events N]] [--dump DIR] [--list]
      --events N          Nexmark events to generate, all three kinds (default 1000000: 20k persons,
                          60k auctions, 920k bids)
      --event-rate R      event time advances R events/s (default 10000; 1000 with --latency)
      --bids FILE         read bids from a JSON-lines file (../shared/bench/gen_bids.py) instead;
                          queries over persons or auctions are then skipped
      --queries LIST      query files to run (default: every queries/*.sql)
      --disk              on-disk LogTopicStore in --dir (default a temporary directory; removed
                          after each query), no fsync unless --fsync; default the in-memory store
      --isolate           run each query in a child process over an on-disk store filled by this
                          one, so peak RSS is the engine's own (input not in its memory)
      --json              one JSON object per query instead of the table
      --repeat N          run each query N times, report the run with the median CPU time
      --latency           paced run: append at --rate events/s (default 100000), --latency-events
                          events (default 500000), report append-to-output delay percentiles
      --dump DIR          write the generated events to DIR/{person,auction,bid}.json and exit
      --list              list the queries, their sources and sinks
    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("nexmark-bench: \(message)\n".utf8))
    exit(2)
}

func note(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

func parseOptions() -> Options {
    var o = Options()
    var args = Array(CommandLine.arguments.dropFirst())
    func value(_ flag: String) -> String {
        guard !args.isEmpty else { fail("\(flag) needs a value\n\(usage)") }
        return args.removeFirst()
    }
    func number(_ flag: String) -> Int {
        let v = value(flag).replacingOccurrences(of: "_", with: "")
        guard let n = Int(v), n > 0 else { fail("\(flag): not a positive number: \(v)") }
        return n
    }
    while !args.isEmpty {
        let a = args.removeFirst()
        switch a {
        case "--events": o.events = number(a)
        case "--seed": o.seed = UInt64(number(a))
        case "--event-rate": o.eventRate = number(a)
        case "--bids": o.bidsFile = value(a)
        case "--queries": o.queries = value(a).split(separator: ",").map(String.init)
        case "--sql-dir": o.sqlDir = value(a)
        case "--json": o.json = true
        case "--disk": o.disk = true
        case "--dir": o.dir = value(a)
        case "--fsync": o.fsync = true
        case "--latency": o.latency = true
        case "--rate": o.rate = number(a)
        case "--latency-events": o.latencyEvents = number(a)
        case "--repeat": o.repeatCount = number(a)
        case "--dump": o.dump = value(a)
        case "--list": o.list = true
        case "--isolate": o.isolate = true
        case "--run-stored": o.runStored = value(a)
        case "-h", "--help":
            print(usage)
            exit(0)
        default: fail("unknown argument '\(a)'\n\(usage)")
        }
    }
    return o
}

// MARK: - Stores

/// A fresh store for one run, and how to dispose of it.
func makeStore(_ o: Options, run: Int) throws -> (any TopicStore, () -> Void) {
    guard o.disk else { return (MemoryTopicStore(), {}) }
    let base = o.dir ?? NSTemporaryDirectory()
    let dir = base + "/nexmark-bench-\(getpid())-\(run)"
    try? FileManager.default.removeItem(atPath: dir)
    let store = try LogTopicStore(directory: dir, options: LogStoreOptions(sync: o.fsync ? .onCommit : .never))
    return (store, {
        store.close()
        try? FileManager.default.removeItem(atPath: dir)
    })
}

func fill(_ store: any TopicStore, _ topic: String, _ records: [ProducerRecord]) throws {
    var i = 0
    while i < records.count {
        let end = min(i + 1_000, records.count)
        try store.append(Array(records[i..<end]), to: TopicPartition(topic, 0))
        i = end
    }
}

func sinkCount(_ store: any TopicStore, _ sink: String) throws -> Int64 {
    guard let d = store.describeTopic(sink) else { return 0 }
    var n: Int64 = 0
    for p in 0..<d.config.partitions { n += try store.endOffset(TopicPartition(sink, p)) }
    return n
}

/// The engine's error, first line only (its position and the source excerpt follow).
func firstLine(_ error: any Error) -> String {
    String(String(describing: error).split(separator: "\n").first ?? "")
}

// MARK: - Throughput

struct ThroughputResult {
    var query: String
    var status = "ok"
    var reason = ""
    var events = 0
    var inputBytes = 0
    var loadS = 0.0
    var runS = 0.0
    var cpuS = 0.0
    var outputs: Int64 = 0
    var peakRSS = 0
    var baseRSS = 0
    var processingLog = 0

    var eventsPerS: Double { runS > 0 ? Double(events) / runS : 0 }
    var eventsPerCPUS: Double { cpuS > 0 ? Double(events) / cpuS : 0 }
}

nonisolated(unsafe) var runNumber = 0

/// Why `q` cannot run on `w`'s input, when it cannot.
func missingInput(_ q: BenchQuery, _ w: Workload) -> String? {
    let missing = q.sources.filter { !w.available.contains($0) }
    return missing.isEmpty ? nil : "needs \(missing.joined(separator: ", ")), not in the input (\(w.origin))"
}

/// A fresh store holding `w`'s topics and an engine with their sources declared, for one run.
func prepareRun(_ w: Workload, _ o: Options) throws -> (store: any TopicStore, engine: Engine, dispose: () -> Void) {
    runNumber += 1
    let (store, dispose) = try makeStore(o, run: runNumber)
    for topic in Workload.topicNames where w.available.contains(topic) {
        try store.createTopic(topic, config: TopicConfig(partitions: 1))
    }
    let engine = try Engine(store: store, configuration: EngineConfiguration())
    _ = try engine.execute(sourceDDL(for: w.available))
    return (store, engine, dispose)
}

/// A result marking `q` skipped, when `w` lacks one of its source topics.
func skipped(_ q: BenchQuery, _ w: Workload) -> ThroughputResult? {
    guard let reason = missingInput(q, w) else { return nil }
    var r = ThroughputResult(query: q.name)
    r.status = "skipped"
    r.reason = reason
    return r
}

func throughput(_ q: BenchQuery, _ w: Workload, _ o: Options) throws -> ThroughputResult {
    if let r = skipped(q, w) { return r }
    var r = ThroughputResult(query: q.name)
    let (store, engine, dispose) = try prepareRun(w, o)
    defer { dispose() }
    defer { engine.close() }
    do {
        _ = try engine.execute(q.sql)
    } catch {
        r.status = "pending"
        r.reason = firstLine(error)
        return r
    }
    // Before loading: the input is part of the resident set (the memory store keeps it).
    resetPeakRSS()
    r.baseRSS = currentRSSBytes()
    let l0 = monotonicNow()
    for topic in q.sources {
        try fill(store, topic, w.records(ofTopic: topic))
        r.events += w.records(ofTopic: topic).count
        r.inputBytes += w.bytes(ofTopic: topic)
    }
    r.loadS = monotonicNow() - l0
    let c0 = processCPUSeconds()
    let t0 = monotonicNow()
    try engine.runUntilIdle()
    r.runS = monotonicNow() - t0
    r.cpuS = processCPUSeconds() - c0
    r.peakRSS = peakRSSBytes()
    r.outputs = try sinkCount(store, q.sink)
    r.processingLog = engine.processingLog.total
    return r
}

func printThroughput(_ results: [ThroughputResult], _ o: Options, _ w: Workload) {
    if o.json {
        for r in results {
            if r.status != "ok" {
                print("""
                    {"engine":"sluice","bench":"nexmark","query":\(jsonString(r.query)),"status":\(jsonString(r.status)),\
                    "reason":\(jsonString(r.reason))}
                    """)
                continue
            }
            print("""
                {"engine":"sluice","bench":"nexmark","query":\(jsonString(r.query)),"status":"ok",\
                "store":"\(o.isolate ? "disk, isolated" : o.disk ? "disk" : "memory")","events":\(r.events),"input_bytes":\(r.inputBytes),\
                "bytes_per_event":\(r.inputBytes / max(r.events, 1)),"load_s":\(fmt(r.loadS)),"run_s":\(fmt(r.runS)),\
                "cpu_s":\(fmt(r.cpuS)),"events_per_s":\(Int(r.eventsPerS)),"events_per_cpu_s":\(Int(r.eventsPerCPUS)),\
                "outputs":\(r.outputs),"peak_rss_mb":\(r.peakRSS >> 20),"base_rss_mb":\(r.baseRSS >> 20),\
                "processing_log":\(r.processingLog)}
                """)
        }
        return
    }
    print("nexmark-bench: \(w.origin); \(o.isolate ? "on-disk LogTopicStore, each query in a child process (peak RSS is its own)" : o.disk ? "on-disk LogTopicStore" : "in-memory store"); 1 partition per topic")
    var rows: [[String]] = []
    var notes: [String] = []
    for r in results {
        if r.status != "ok" {
            rows.append([r.query, r.status] + Array(repeating: "", count: 10))
            notes.append("\(r.query): \(r.status): \(r.reason)")
            continue
        }
        rows.append([
            r.query, "ok", "\(r.events)", "\(r.inputBytes / max(r.events, 1))", fmt(r.loadS, 2), fmt(r.runS, 3),
            human(r.eventsPerS), fmt(r.cpuS, 3), human(r.eventsPerCPUS), "\(r.baseRSS >> 20)", "\(r.peakRSS >> 20)", "\(r.outputs)",
        ])
        if r.processingLog > 0 { notes.append("\(r.query): \(r.processingLog) processing-log entries") }
    }
    print(renderTable(
        ["query", "status", "events", "B/event", "load s", "run s", "events/s", "CPU s", "events/CPU-s", "base MB",
         "peak RSS MB", "outputs"], rows, left: [0, 1]), terminator: "")
    for n in notes { print(n) }
}

// MARK: - Latency

struct LatencyResult {
    var query: String
    var status = "ok"
    var reason = ""
    var inputs = 0
    var achievedRate = 0.0
    var outputs = 0
    var cpuS = 0.0
    var p50: Double?, p99: Double?, p999: Double?, max: Double?
}

/// Append times, indexed by an event's timestamp minus the workload's first.
final class AppendTimes: @unchecked Sendable {
    let lock = NSLock()
    var times: [Double]
    init(count: Int) { times = Array(repeating: 0, count: count) }
}

func latency(_ q: BenchQuery, _ w: Workload, _ o: Options) throws -> LatencyResult {
    var r = LatencyResult(query: q.name)
    if let reason = missingInput(q, w) {
        r.status = "skipped"
        r.reason = reason
        return r
    }
    let (store, engine, dispose) = try prepareRun(w, o)
    defer { dispose() }
    do {
        _ = try engine.execute(q.sql)
    } catch {
        engine.close()
        r.status = "pending"
        r.reason = firstLine(error)
        return r
    }
    // Only the kinds the query reads are appended, in event order.
    let wanted = Set(q.sources.compactMap { Workload.topicNames.firstIndex(of: $0) }.map(UInt8.init))
    var firstTs = Int64.max
    var lastTs = Int64.min
    for k in wanted {
        if let f = w.records[Int(k)].first?.timestamp { firstTs = min(firstTs, f) }
        if let l = w.records[Int(k)].last?.timestamp { lastTs = max(lastTs, l) }
    }
    guard firstTs <= lastTs, lastTs - firstTs < 1 << 31 else { fail("latency: timestamps out of range") }
    let times = AppendTimes(count: Int(lastTs - firstTs + 1))
    let base = firstTs
    let count = w.order.reduce(0) { $0 + (wanted.contains($1) ? 1 : 0) }
    let rate = o.rate
    let done = AppendTimes(count: 1)
    engine.start()
    let c0 = monotonicNow()
    let cpu0 = processCPUSeconds()
    let producer = Thread {
        let batch = max(1, rate / 1000)  // one batch per millisecond
        let interval = Double(batch) / Double(rate)
        var next = monotonicNow()
        var index = [0, 0, 0]
        var i = 0
        var pending: [[ProducerRecord]] = [[], [], []]
        while i < w.order.count {
            var n = 0
            while i < w.order.count, n < batch {
                let k = Int(w.order[i])
                if wanted.contains(w.order[i]) {
                    pending[k].append(w.records[k][index[k]])
                    n += 1
                }
                index[k] += 1
                i += 1
            }
            let t = monotonicNow()
            times.lock.lock()
            for k in 0..<3 {
                for rec in pending[k] where times.times[Int(rec.timestamp - base)] == 0 {
                    times.times[Int(rec.timestamp - base)] = t
                }
            }
            times.lock.unlock()
            for k in 0..<3 where !pending[k].isEmpty {
                _ = try? store.append(pending[k], to: TopicPartition(Workload.topicNames[k], 0))
                pending[k].removeAll(keepingCapacity: true)
            }
            next += interval
            let sleep = next - monotonicNow()
            if sleep > 0 { Thread.sleep(forTimeInterval: sleep) }
        }
        done.lock.lock()
        done.times[0] = monotonicNow()
        done.lock.unlock()
    }
    producer.start()
    var delays: [Double] = []
    delays.reserveCapacity(count)
    var outputs = 0
    var positions: [TopicPartition: Int64] = [:]
    let partitions = store.describeTopic(q.sink)?.config.partitions ?? 1
    for p in 0..<partitions { positions[TopicPartition(q.sink, p)] = 0 }
    let deadline = monotonicNow() + Double(count) / Double(rate) + 60
    var producerEnd = 0.0
    while monotonicNow() < deadline {
        _ = store.waitForData(positions, timeout: 0.05)
        var got = 0
        for (tp, position) in positions {
            let records = (try? store.read(tp, from: position, maxRecords: 10_000)) ?? []
            let seen = monotonicNow()
            times.lock.lock()
            for rec in records {
                let idx = Int(rec.timestamp - firstTs)
                if idx >= 0, idx < times.times.count, times.times[idx] > 0 { delays.append((seen - times.times[idx]) * 1000) }
            }
            times.lock.unlock()
            positions[tp] = position + Int64(records.count)
            got += records.count
        }
        outputs += got
        done.lock.lock()
        producerEnd = done.times[0]
        done.lock.unlock()
        if producerEnd > 0, got == 0, engine.isIdle {
            // One more look: the engine may have committed between our read and isIdle.
            var late = 0
            for (tp, position) in positions { late += Int((try? store.endOffset(tp)) ?? position) - Int(position) }
            if late == 0 { break }
        }
    }
    r.cpuS = processCPUSeconds() - cpu0
    engine.close()
    r.inputs = count
    r.achievedRate = producerEnd > 0 ? Double(count) / (producerEnd - c0) : 0
    r.outputs = outputs
    delays.sort()
    r.p50 = percentile(delays, 0.5)
    r.p99 = percentile(delays, 0.99)
    r.p999 = percentile(delays, 0.999)
    r.max = delays.last
    if producerEnd == 0 { r.status = "timeout" }
    return r
}

func printLatency(_ results: [LatencyResult], _ o: Options, _ w: Workload) {
    func ms(_ v: Double?) -> String { v.map { fmt($0, 2) } ?? "null" }
    if o.json {
        for r in results {
            if r.status == "pending" || r.status == "skipped" {
                print("""
                    {"engine":"sluice","bench":"nexmark-latency","query":\(jsonString(r.query)),"status":\(jsonString(r.status)),\
                    "reason":\(jsonString(r.reason))}
                    """)
                continue
            }
            print("""
                {"engine":"sluice","bench":"nexmark-latency","query":\(jsonString(r.query)),"status":\(jsonString(r.status)),\
                "store":"\(o.disk ? "disk" : "memory")","rate":\(o.rate),"achieved_rate":\(Int(r.achievedRate)),\
                "inputs":\(r.inputs),"outputs":\(r.outputs),"cpu_s":\(fmt(r.cpuS)),"p50_ms":\(ms(r.p50)),\
                "p99_ms":\(ms(r.p99)),"p999_ms":\(ms(r.p999)),"max_ms":\(ms(r.max))}
                """)
        }
        return
    }
    print("nexmark-bench --latency: \(w.origin); target \(o.rate) events/s; \(o.disk ? "on-disk LogTopicStore" : "in-memory store")")
    var rows: [[String]] = []
    var notes: [String] = []
    for r in results {
        if r.status == "pending" || r.status == "skipped" {
            rows.append([r.query, r.status] + Array(repeating: "", count: 8))
            notes.append("\(r.query): \(r.status): \(r.reason)")
            continue
        }
        rows.append([
            r.query, r.status, "\(r.inputs)", human(r.achievedRate), "\(r.outputs)", fmt(r.cpuS, 2), ms(r.p50), ms(r.p99),
            ms(r.p999), ms(r.max),
        ])
    }
    print(renderTable(
        ["query", "status", "inputs", "achieved/s", "outputs", "CPU s", "p50 ms", "p99 ms", "p99.9 ms", "max ms"], rows,
        left: [0, 1]), terminator: "")
    for n in notes { print(n) }
}

// MARK: - Main

let options = parseOptions()
do {
    let all = try BenchQuery.loadAll(options.sqlDir)
    if options.list {
        for q in all { print("\(q.name)\t\(q.sources.joined(separator: ","))\t→ \(q.sink)\t\(q.summary)") }
        exit(0)
    }
    var selected = all
    if let dir = options.runStored {
        guard let name = options.queries?.first, let q = all.first(where: { $0.name == name }) else {
            fail("--run-stored needs --queries NAME")
        }
        runStored(q, dir: dir)
    }
    if let names = options.queries {
        selected = try names.map { name in
            guard let q = all.first(where: { $0.name == name }) else {
                throw NSError(domain: "nexmark-bench", code: 2, userInfo: [
                    NSLocalizedDescriptionKey: "no query '\(name)' in \(options.sqlDir) (have \(all.map(\.name).joined(separator: ", ")))",
                ])
            }
            return q
        }
    }
    let eventRate = options.eventRate ?? (options.latency ? 1000 : 10_000)
    let g0 = monotonicNow()
    let workload: Workload
    if let file = options.bidsFile {
        workload = try Workload.readBids(
            file, limit: options.latency ? options.latencyEvents : Int.max, uniqueTimes: options.latency)
    } else {
        workload = Workload.generate(
            events: options.latency ? options.latencyEvents : options.events, seed: options.seed, eventRate: eventRate)
    }
    note("nexmark-bench: \(workload.origin): \(zip(Workload.topicNames, workload.records).map { "\($0.1.count) \($0.0)" }.joined(separator: ", ")) in \(fmt(monotonicNow() - g0, 2)) s")
    if let dir = options.dump {
        try workload.dump(to: dir)
        note("wrote \(dir)/person.json, auction.json, bid.json")
        exit(0)
    }
    if options.latency {
        var results: [LatencyResult] = []
        for q in selected {
            note("  \(q.name)...")
            results.append(try latency(q, workload, options))
        }
        printLatency(results, options, workload)
    } else {
        var results: [ThroughputResult] = []
        for q in selected {
            var runs: [ThroughputResult] = []
            for _ in 0..<options.repeatCount {
                let r = try options.isolate ? isolatedThroughput(q, workload, options) : throughput(q, workload, options)
                runs.append(r)
                if r.status != "ok" { break }
                note("  \(q.name): \(r.events) events, \(fmt(r.runS)) s, \(fmt(r.cpuS)) CPU s, \(r.outputs) outputs")
            }
            results.append(runs.sorted { $0.cpuS < $1.cpuS }[runs.count / 2])
        }
        printThroughput(results, options, workload)
    }
} catch {
    FileHandle.standardError.write(Data("nexmark-bench: \(error)\n".utf8))
    exit(1)
}
