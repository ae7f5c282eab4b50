import Foundation
import SluiceEngine
import SluiceLog

/// Runs the Nexmark-style bid queries of `../shared/bench` through Sluice's engine, on the same
/// JSON-lines input the Flink and DuckDB baselines read, and prints one JSON line per query.
///
///     python3 ../shared/bench/gen_bids.py /tmp/bids.json 1000000 --seed 42
///     swift run -c release --package-path Benchmarks sluice-bench /tmp/bids.json
///
/// Throughput: all bids are appended to an in-memory topic first (timed apart as `load_s`), then
/// one persistent query reads them all (`run_s`, events/s). Memory: the process's peak resident
/// set after each query. Latency (`--latency`): a producer thread appends bids at a fixed rate
/// while the engine's background thread runs q2; each output record's delay is the time from its
/// append to its being readable in the sink topic (p50/p99/max, milliseconds).
///
/// Joins (`--queries stj,ssj`, not in the default set): `stj` enriches every bid from a table of
/// 1,004 channels (the four hot ones and channel-0...channel-999), loaded before the run, with a
/// LEFT JOIN on `channel` (the bids are re-keyed by channel first); `ssj` joins the bids of the
/// cold auctions (about 1% of bids, a derived stream) with all bids of the same auction within
/// 2 seconds (GRACE PERIOD 1 SECOND), so both sides are re-keyed by auction and every bid goes
/// through the window store. events/s counts input bids over the whole run.

struct Options {
    var path = ""
    var queries = ["q0", "q1", "q2", "q5", "agg"]   // also: stj, ssj (joins)
    var latency = false
    var rate = 20_000
    var latencyEvents = 200_000
    var properties: [String: String] = [:]
}

func parseOptions() -> Options {
    var o = Options()
    var args = Array(CommandLine.arguments.dropFirst())
    while !args.isEmpty {
        let a = args.removeFirst()
        switch a {
        case "--queries": o.queries = args.removeFirst().split(separator: ",").map(String.init)
        case "--latency": o.latency = true
        case "--rate": o.rate = Int(args.removeFirst()) ?? o.rate
        case "--latency-events": o.latencyEvents = Int(args.removeFirst()) ?? o.latencyEvents
        case "--property", "-p":
            // NAME=VALUE, e.g. -p processing.guarantee=exactly_once (repeatable).
            let pair = args.removeFirst().split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { o.properties[pair[0]] = pair[1] }
        default: o.path = a
        }
    }
    guard !o.path.isEmpty else {
        FileHandle.standardError.write(Data("usage: sluice-bench BIDS.json [--queries q0,q1] [--latency [--rate N]]\n".utf8))
        exit(2)
    }
    return o
}

let sourceDDL = """
    CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING,
      dateTime BIGINT, extra STRING)
      WITH (kafka_topic='bids', value_format='JSON', timestamp='dateTime');
    """

let queries: [String: String] = [
    "q0": "CREATE STREAM q0 AS SELECT auction, bidder, price, channel, url, dateTime, extra FROM bid;",
    "q1": "CREATE STREAM q1 AS SELECT auction, bidder, 0.908 * price AS price, dateTime FROM bid;",
    "q2": "CREATE STREAM q2 AS SELECT auction, price FROM bid WHERE auction % 123 = 0;",
    "q5": """
        CREATE TABLE q5 AS SELECT auction, COUNT(*) AS num FROM bid
          WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 4 SECONDS) GROUP BY auction;
        """,
    "agg": """
        CREATE TABLE agg AS SELECT channel, COUNT(*) AS cnt, SUM(price) AS sum_price, MAX(price) AS max_price
          FROM bid GROUP BY channel;
        """,
    "stj": """
        CREATE STREAM stj AS SELECT b.channel AS channel, b.auction, b.price, c.region
          FROM bid b LEFT JOIN channels c ON b.channel = c.channel;
        """,
    "ssj": """
        CREATE STREAM cold AS SELECT * FROM bid WHERE auction % 100 <> 0;
        CREATE STREAM ssj AS SELECT c.auction AS auction, c.bidder AS cold_bidder, b.bidder AS other_bidder,
          c.price AS cold_price, b.price AS other_price
          FROM cold c JOIN bid b WITHIN 2 SECONDS GRACE PERIOD 1 SECOND ON c.auction = b.auction;
        """,
]

/// Sources a query needs besides `bid`, created (and filled) before its run starts.
func prepare(_ name: String, _ store: MemoryTopicStore, _ engine: Engine) throws {
    guard name == "stj" else { return }
    try store.createTopic("channels", config: TopicConfig(partitions: 1))
    let regions = ["emea", "amer", "apac"]
    var rows: [ProducerRecord] = []
    let names = ["Google", "Facebook", "Baidu", "Apple"] + (0..<1000).map { "channel-\($0)" }
    for (i, channel) in names.enumerated() {
        let value = "{\"region\":\"\(regions[i % regions.count])\"}"
        rows.append(ProducerRecord(key: Array(channel.utf8), value: Array(value.utf8), timestamp: 0))
    }
    try store.append(rows, to: TopicPartition("channels", 0))
    _ = try engine.execute("""
        CREATE TABLE channels (channel STRING PRIMARY KEY, region STRING)
          WITH (kafka_topic='channels', value_format='JSON');
        """)
}

func peakRSSBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}

func now() -> Double { Date().timeIntervalSince1970 }

/// The bids as records: value = the line, timestamp = its `dateTime`.
func loadBids(_ path: String) throws -> (records: [ProducerRecord], bytes: Int) {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    var records: [ProducerRecord] = []
    var start = data.startIndex
    let key = Array("\"dateTime\":".utf8)
    data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
        let bytes = raw.bindMemory(to: UInt8.self)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\n") {
                let line = Array(bytes[(start - data.startIndex)..<i])
                if !line.isEmpty { records.append(ProducerRecord(key: nil, value: line, timestamp: timestamp(of: line, key))) }
                start = data.startIndex + i + 1
            }
            i += 1
        }
    }
    return (records, data.count)
}

func timestamp(of line: [UInt8], _ key: [UInt8]) -> Int64 {
    guard line.count > key.count else { return 0 }
    outer: for i in 0...(line.count - key.count) {
        for j in 0..<key.count where line[i + j] != key[j] { continue outer }
        var v: Int64 = 0
        var k = i + key.count
        while k < line.count, line[k] == UInt8(ascii: " ") { k += 1 }
        while k < line.count, line[k] >= 48, line[k] <= 57 {
            v = v * 10 + Int64(line[k] - 48)
            k += 1
        }
        return v
    }
    return 0
}

func throughput(_ o: Options) throws {
    let t0 = now()
    let (records, bytes) = try loadBids(o.path)
    let parse = now() - t0
    for name in o.queries {
        guard let sql = queries[name] else { continue }
        let store = MemoryTopicStore()
        try store.createTopic("bids", config: TopicConfig(partitions: 1))
        let l0 = now()
        var i = 0
        while i < records.count {
            let end = min(i + 10_000, records.count)
            try store.append(Array(records[i..<end]), to: TopicPartition("bids", 0))
            i = end
        }
        let load = now() - l0
        let engine = try Engine(store: store, configuration: EngineConfiguration(properties: o.properties))
        _ = try engine.execute(sourceDDL)
        try prepare(name, store, engine)
        let r0 = now()
        _ = try engine.execute(sql)
        try engine.runUntilIdle()
        let run = now() - r0
        let outTopic = name.uppercased()
        var outputs: Int64 = 0
        if let d = store.describeTopic(outTopic) {
            for p in 0..<d.config.partitions { outputs += try store.endOffset(TopicPartition(outTopic, p)) }
        }
        // stj: how many bids found their channel (the table is loaded first, so ~55% should).
        var matched = ""
        if name == "stj" {
            var found = 0
            var position: Int64 = 0
            let out = TopicPartition(outTopic, 0)
            while true {
                let got = try store.read(out, from: position, maxRecords: 50_000)
                if got.isEmpty { break }
                for r in got {
                    if let v = r.value, !String(decoding: v, as: UTF8.self).contains("\"REGION\":null") { found += 1 }
                }
                position += Int64(got.count)
            }
            matched = ",\"matched\":\(found)"
        }
        let line = """
            {"engine":"sluice","query":"\(name)","events":\(records.count),"input_bytes":\(bytes),\
            "bytes_per_event":\(bytes / max(records.count, 1)),"read_file_s":\(String(format: "%.3f", parse)),\
            "load_s":\(String(format: "%.3f", load)),"run_s":\(String(format: "%.3f", run)),\
            "events_per_s":\(Int(Double(records.count) / run)),"outputs":\(outputs),\
            "peak_rss_mb":\(peakRSSBytes() / 1_048_576),"processing_log":\(engine.processingLog.total)\(matched)}
            """
        print(line)
        engine.close()
    }
}

/// End-to-end delay of q2 while bids arrive at a fixed rate.
func latency(_ o: Options) throws {
    let (records, _) = try loadBids(o.path)
    let store = MemoryTopicStore()
    try store.createTopic("bids", config: TopicConfig(partitions: 1))
    let engine = try Engine(store: store, configuration: EngineConfiguration(properties: o.properties))
    _ = try engine.execute(sourceDDL + "CREATE STREAM q2 AS SELECT auction, price FROM bid;")
    engine.start()
    let count = min(o.latencyEvents, records.count)
    let batch = 100
    let interval = Double(batch) / Double(o.rate)
    final class Box: @unchecked Sendable { var appended: [Int64: Double] = [:]; let lock = NSLock() }
    let box = Box()
    let producer = Thread {
        var next = now()
        var offset: Int64 = 0
        var i = 0
        while i < count {
            let end = min(i + batch, count)
            let slice = records[i..<end].map { ProducerRecord(key: nil, value: $0.value, timestamp: $0.timestamp) }
            let t = now()
            box.lock.lock()
            for k in 0..<slice.count { box.appended[offset + Int64(k)] = t }
            box.lock.unlock()
            _ = try? store.append(slice, to: TopicPartition("bids", 0))
            offset += Int64(slice.count)
            i = end
            next += interval
            let sleep = next - now()
            if sleep > 0 { Thread.sleep(forTimeInterval: sleep) }
        }
    }
    producer.start()
    var delays: [Double] = []
    delays.reserveCapacity(count)
    var position: Int64 = 0
    let out = TopicPartition("Q2", 0)
    let deadline = now() + Double(count) / Double(o.rate) + 30
    while delays.count < count && now() < deadline {
        _ = store.waitForData([out: position], timeout: 0.05)
        let got = (try? store.read(out, from: position, maxRecords: 10_000)) ?? []
        let seen = now()
        box.lock.lock()
        for r in got {
            if let t = box.appended[r.offset] { delays.append((seen - t) * 1000) }
        }
        box.lock.unlock()
        position += Int64(got.count)
    }
    engine.close()
    delays.sort()
    func pct(_ p: Double) -> String {
        delays.isEmpty ? "null" : String(format: "%.2f", delays[min(delays.count - 1, Int(Double(delays.count) * p))])
    }
    print("""
        {"engine":"sluice","query":"q2-latency","rate":\(o.rate),"events":\(delays.count),\
        "p50_ms":\(pct(0.5)),"p99_ms":\(pct(0.99)),"max_ms":\(pct(1.0))}
        """)
}

let options = parseOptions()
do {
    if options.latency { try latency(options) } else { try throughput(options) }
} catch {
    FileHandle.standardError.write(Data("sluice-bench: \(error)\n".utf8))
    exit(1)
}
