import Foundation
import SluiceLog

/// The input of a run: the records of each source topic, and the order of all events across the
/// topics (event-id order), which paced runs append in.
final class Workload: @unchecked Sendable {
    static let topicNames = ["person", "auction", "bid"]

    /// Indexed by `NexmarkGenerator.Kind.rawValue`.
    var records: [[ProducerRecord]] = [[], [], []]
    var bytes = [0, 0, 0]
    /// Kind of each event in event order; the n-th event of a kind is `records[kind][n]`.
    var order: [UInt8] = []
    let origin: String

    init(origin: String) { self.origin = origin }

    func records(ofTopic topic: String) -> [ProducerRecord] {
        Workload.topicNames.firstIndex(of: topic).map { records[$0] } ?? []
    }

    func bytes(ofTopic topic: String) -> Int {
        Workload.topicNames.firstIndex(of: topic).map { bytes[$0] } ?? 0
    }

    var available: Set<String> {
        Set(Workload.topicNames.indices.filter { !records[$0].isEmpty }.map { Workload.topicNames[$0] })
    }

    /// `events` Nexmark events (all three kinds) from the generator.
    static func generate(events: Int, seed: UInt64, eventRate: Int) -> Workload {
        var gen = NexmarkGenerator(seed: seed, eventRate: eventRate)
        let w = Workload(origin: "generated: \(events) events, seed \(seed), \(eventRate) events/s event time")
        w.order.reserveCapacity(events)
        w.records[2].reserveCapacity(events / 50 * 46 + 46)
        for id in 0..<Int64(events) {
            let (kind, record) = gen.event(id)
            let k = Int(kind.rawValue)
            w.records[k].append(record)
            w.bytes[k] += record.value?.count ?? 0
            w.order.append(kind.rawValue)
        }
        return w
    }

    /// The bids of a JSON-lines file (`../shared/bench/gen_bids.py`): value = the line without its
    /// newline, timestamp = its `dateTime`. With `uniqueTimes` the `dateTime` digits are rewritten
    /// in place to `base + line number` (same width), so every event has its own timestamp (paced
    /// runs find an output's input by it).
    static func readBids(_ path: String, limit: Int = Int.max, uniqueTimes: Bool = false) throws -> Workload {
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        let w = Workload(origin: "bids from \(path)")
        let key = Array("\"dateTime\":".utf8)
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            var i = 0
            while i < bytes.count, w.records[2].count < limit {
                if bytes[i] == UInt8(ascii: "\n") {
                    if i > start {
                        var line = Array(bytes[start..<i])
                        var ts = timestamp(in: line, key)
                        if uniqueTimes, let position = ts.position, position.1 == 13 {
                            let (at, width) = position
                            let t = NexmarkGenerator.baseMillis + Int64(w.records[2].count)
                            var v = t
                            for k in stride(from: at + width - 1, through: at, by: -1) {
                                line[k] = UInt8(ascii: "0") + UInt8(v % 10)
                                v /= 10
                            }
                            ts.value = t
                        }
                        w.records[2].append(ProducerRecord(key: nil, value: line, timestamp: ts.value))
                        w.bytes[2] += line.count
                        w.order.append(NexmarkGenerator.Kind.bid.rawValue)
                    }
                    start = i + 1
                }
                i += 1
            }
        }
        return w
    }

    /// The value of `"dateTime":` in a line and where its digits are.
    private static func timestamp(in line: [UInt8], _ key: [UInt8]) -> (value: Int64, position: (Int, Int)?) {
        guard line.count > key.count else { return (0, nil) }
        outer: for i in 0...(line.count - key.count) {
            for j in 0..<key.count where line[i + j] != key[j] { continue outer }
            var k = i + key.count
            while k < line.count, line[k] == UInt8(ascii: " ") { k += 1 }
            let at = k
            var v: Int64 = 0
            while k < line.count, line[k] >= 48, line[k] <= 57 {
                v = v * 10 + Int64(line[k] - 48)
                k += 1
            }
            return (v, (at, k - at))
        }
        return (0, nil)
    }

    /// Writes `DIR/person.json`, `DIR/auction.json`, `DIR/bid.json`, one value per line.
    func dump(to dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (k, name) in Workload.topicNames.enumerated() {
            var out = [UInt8]()
            out.reserveCapacity(bytes[k] + records[k].count)
            for r in records[k] {
                out += r.value ?? []
                out.append(UInt8(ascii: "\n"))
            }
            try Data(out).write(to: URL(fileURLWithPath: dir + "/" + name + ".json"))
        }
    }
}
