import Foundation
import SluiceEngine
import SluiceLog

/// `--isolate`: the query runs in a child process over an on-disk store the parent filled, so
/// its peak resident set is the engine's alone. In the ordinary run the input sits in the same
/// process (the generated or read records, and with the memory store the topics too), which
/// hides what the engine itself needs; here the child reads its input from the log files.
///
/// The parent loads the query's source topics into a fresh `LogTopicStore` directory, closes it
/// and starts `nexmark-bench --run-stored DIR --queries NAME`; the child declares the sources,
/// starts the query, runs it until idle and prints one JSON line with its run time, CPU time,
/// peak RSS (the kernel's high-water mark of its memory, start-up included) and output count.
func isolatedThroughput(_ q: BenchQuery, _ w: Workload, _ o: Options) throws -> ThroughputResult {
    if let r = skipped(q, w) { return r }
    var r = ThroughputResult(query: q.name)
    runNumber += 1
    let dir = (o.dir ?? NSTemporaryDirectory()) + "/nexmark-bench-\(getpid())-\(runNumber)"
    try? FileManager.default.removeItem(atPath: dir)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let store = try LogTopicStore(directory: dir, options: LogStoreOptions(sync: .never))
    let l0 = monotonicNow()
    for topic in q.sources {
        try store.createTopic(topic, config: TopicConfig(partitions: 1))
        try fill(store, topic, w.records(ofTopic: topic))
        r.events += w.records(ofTopic: topic).count
        r.inputBytes += w.bytes(ofTopic: topic)
    }
    store.close()
    r.loadS = monotonicNow() - l0

    let child = Process()
    child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    child.arguments = ["--run-stored", dir, "--queries", q.name, "--sql-dir", o.sqlDir]
    let out = Pipe()
    child.standardOutput = out
    try child.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    child.waitUntilExit()
    guard child.terminationStatus == 0,
        let line = String(data: data, encoding: .utf8)?.split(separator: "\n").last,
        let fields = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    else {
        r.status = "failed"
        r.reason = "the isolated run exited with status \(child.terminationStatus)"
        return r
    }
    if let status = fields["status"] as? String, status != "ok" {
        r.status = status
        r.reason = fields["reason"] as? String ?? ""
        return r
    }
    r.runS = fields["run_s"] as? Double ?? 0
    r.cpuS = fields["cpu_s"] as? Double ?? 0
    r.peakRSS = (fields["peak_rss_kb"] as? Int ?? 0) << 10
    r.baseRSS = (fields["base_rss_kb"] as? Int ?? 0) << 10
    r.outputs = Int64(fields["outputs"] as? Int ?? 0)
    r.processingLog = fields["processing_log"] as? Int ?? 0
    return r
}

/// The child side of `--isolate`: runs `q` over the store in `dir` and prints the JSON line.
func runStored(_ q: BenchQuery, dir: String) -> Never {
    func finish(_ fields: String) -> Never {
        print("{\(fields)}")
        exit(0)
    }
    do {
        let store = try LogTopicStore(directory: dir, options: LogStoreOptions(sync: .never))
        let available = Set(Workload.topicNames.filter { store.describeTopic($0) != nil })
        let engine = try Engine(store: store, configuration: EngineConfiguration())
        _ = try engine.execute(sourceDDL(for: available))
        do {
            _ = try engine.execute(q.sql)
        } catch {
            finish("\"status\":\"pending\",\"reason\":\(jsonString(firstLine(error)))")
        }
        let base = currentRSSBytes() >> 10
        let c0 = processCPUSeconds()
        let t0 = monotonicNow()
        try engine.runUntilIdle()
        let runS = monotonicNow() - t0
        let cpuS = processCPUSeconds() - c0
        // VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss across exec, so it would
        // report the parent's resident set at the fork.
        let peak = peakRSSBytes() >> 10
        let outputs = try sinkCount(store, q.sink)
        let logged = engine.processingLog.total
        engine.close()
        store.close()
        finish(
            "\"status\":\"ok\",\"run_s\":\(runS),\"cpu_s\":\(cpuS),\"peak_rss_kb\":\(peak),"
                + "\"base_rss_kb\":\(base),\"outputs\":\(outputs),\"processing_log\":\(logged)")
    } catch {
        finish("\"status\":\"failed\",\"reason\":\(jsonString(firstLine(error)))")
    }
}
