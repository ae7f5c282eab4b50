// A helper process for the log's crash and multi-process tests (Tests/SluiceLogTests): it opens a
// data directory with LogTopicStore and writes to topic `crash`, printing what was acknowledged.
//
//   log-crash-child DIR append SEED    append forever (plain appends and transactions, random sizes)
//   log-crash-child DIR append-stalling SEED   the same, each segment write pausing half-way
//   log-crash-child DIR produce COUNT  append COUNT single records, then exit
//
// Every record's value starts with "o<offset>;", its own offset, so a checker can tell a record in
// the wrong place from a right one. After each append returns, one line goes to stdout, unbuffered:
// "A <firstOffset> <count>" (everything in that range is acknowledged).
#if canImport(Glibc)
import Glibc
#endif
import SluiceLog

func say(_ line: String) {
    var bytes = Array((line + "\n").utf8)
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress! + done, $0.count - done) }
        if n <= 0 { exit(3) }
        done += n
    }
}

func fail(_ message: String) -> Never {
    var bytes = Array(("log-crash-child: " + message + "\n").utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress!, $0.count) }
    exit(2)
}

/// xorshift64*: deterministic per seed, no Foundation.
struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 2_685_821_657_736_338_717
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

func records(from first: Int64, count: Int, random: inout Random) -> [ProducerRecord] {
    (0..<count).map { index in
        let offset = first + Int64(index)
        var value = Array("o\(offset);".utf8)
        value.append(contentsOf: repeatElement(UInt8(ascii: "x"), count: random.below(300)))
        return ProducerRecord(key: Array("k\(offset % 17)".utf8), value: value, timestamp: 1_000 + offset)
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 4 else { fail("usage: log-crash-child DIR append SEED | DIR produce COUNT") }
let partition = TopicPartition("crash", 0)
let store: LogTopicStore
do {
    store = try LogTopicStore(directory: arguments[1], options: LogStoreOptions(sync: .never, maxBatchBytes: 4096))
    if store.describeTopic("crash") == nil {
        do {
            try store.createTopic("crash", config: TopicConfig(segmentBytes: 64 << 10))
        } catch where error.code == .topicExists {}
    }
} catch {
    fail("open: \(error)")
}

switch arguments[2] {
case "append", "append-stalling":
    // append-stalling: every segment write stops half-way for 2 ms, so a kill often tears a batch
    // and leaves the writer's mark on the shared page.
    if arguments[2] == "append-stalling" { WriteFaults.stallWrites(toPathsContaining: ".log", microseconds: 2000) }
    var random = Random(state: UInt64(arguments[3]) ?? 1 | 1)
    var round = 0
    while true {
        round += 1
        do {
            let first = try store.endOffset(partition)
            // Now and then a large append, which rolls segments inside one call: a long stretch
            // inside the writer's critical section for a kill to land in.
            let count = random.below(8) == 0 ? 500 + random.below(1500) : 1 + random.below(40)
            let batch = records(from: first, count: count, random: &random)
            if round % 7 == 0 {
                try store.commit(StoreTransaction(
                    appends: [(partition, batch)], group: "crash-group", offsets: [partition: first]))
            } else {
                let got = try store.append(batch, to: partition)
                if got != first { fail("append landed at \(got), expected \(first)") }
            }
            say("A \(first) \(batch.count)")
        } catch {
            fail("append: \(error)")
        }
    }
case "produce":
    for _ in 0..<(Int(arguments[3]) ?? 0) {
        do {
            let first = try store.append(
                [ProducerRecord(key: nil, value: Array("p".utf8), timestamp: 1)], to: partition)
            say("A \(first) 1")
        } catch {
            fail("produce: \(error)")
        }
    }
    store.close()
default:
    fail("unknown mode \(arguments[2])")
}
