// log-bench: throughput and tail latency of the embedded topic log (SluiceLog's LogTopicStore).
//
//   swift run -c release --package-path Benchmarks log-bench [--dir DIR] [--mib N] [--rounds N]
//
// For 100-byte and 1 KiB values (8-byte keys) it appends N MiB of records (appends of 1000 records,
// `sync: .never`, so both sides of the comparison stop at the page cache; for 100 B also appends of
// about 1 MiB, 8800 records, each compared with its own raw baseline), then reads them back
// 1000 at a time from the page cache, once with `read` (records copied out) and once with `scan`
// (borrowed views, what a hot consumer loop uses). The baseline is the raw sequential write rate
// of the same directory in the same run: the same number of bytes, one write(2) per MiB (also
// shown, to split the log's cost from the kernel's: the same bytes in append-sized pieces, into a
// fresh file and into preallocated space as the log writes them). The same records are then
// appended again down to the disk (`sync: .onCommit`, ending with fsync) against raw 1 MiB writes
// ending with fsync, the two taking turns the same way. Last, tail latency:
// how long after an append a reader parked in waitForData has the record, in this process and
// from another process (this executable started again with --tail-child).
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SluiceLog

func monotonicNanos() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = monotonicNanos()
    try body()
    return Double(monotonicNanos() - start) / 1e9
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

func fmt(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

func directorySize(_ path: String) -> Int {
    let enumerator = FileManager.default.enumerator(atPath: path)
    var total = 0
    while let name = enumerator?.nextObject() as? String {
        guard name.hasSuffix(".log") else { continue }
        total += ((try? FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size]) as? Int) ?? 0
    }
    return total
}

/// Seconds to write `bytes` into a new file at `path` with one write(2) per `piece` bytes (and an
/// fsync at the end when asked): the baseline the log's appends are compared with. The file is
/// removed afterwards.
///
/// With `preallocated`, the file's blocks are allocated first (`posix_fallocate`, timed too), as the
/// log reserves space ahead of its active segment: the kernel's share of an append, without the
/// log's own work.
func timedRawWrite(
    path: String, bytes: Int, piece: Int, fsync sync: Bool, preallocated: Bool = false, startingWriteback: Bool = false
) -> Double {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    precondition(fd >= 0)
    let chunk = [UInt8](repeating: 0xA5, count: piece)
    let time = seconds {
        if preallocated { _ = posix_fallocate(fd, 0, off_t(bytes)) }
        var left = bytes
        var written = 0
        chunk.withUnsafeBytes { raw in
            while left > 0 {
                let n = write(fd, raw.baseAddress!, min(left, raw.count))
                precondition(n > 0)
                if startingWriteback, let startWriteback { _ = startWriteback(fd, written, n, 2) }  // SYNC_FILE_RANGE_WRITE
                written += n
                left -= n
            }
        }
        if sync { fsync(fd) }
    }
    close(fd)
    unlink(path)
    return time
}

/// Linux's `sync_file_range`, looked up at run time (Swift's Glibc module leaves it out): with
/// `SYNC_FILE_RANGE_WRITE` it starts the disk write of a range without waiting, which keeps the disk
/// busy while the program writes on. Nil where the C library has no such function.
let startWriteback: (@convention(c) (Int32, Int, Int, UInt32) -> Int32)? = {
    guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "sync_file_range") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int, Int, UInt32) -> Int32).self)
}()

/// One write(2) per `piece` bytes (1 MiB by default) of `bytes` into a new file in `directory`;
/// MB/s.
func rawWriteRate(directory: String, bytes: Int, piece: Int = 1 << 20, preallocated: Bool = false) -> Double {
    let time = timedRawWrite(
        path: directory + "/raw.bin", bytes: bytes, piece: piece, fsync: false, preallocated: preallocated)
    return Double(bytes) / time / 1e6
}

/// A fresh store in `path` with the topic "bench" (one partition, 256 MiB segments).
func benchStore(_ path: String, sync: LogStoreOptions.SyncPolicy) throws -> LogTopicStore {
    let store = try LogTopicStore(directory: path, options: LogStoreOptions(sync: sync))
    try store.createTopic("bench", config: TopicConfig(segmentBytes: 256 << 20))
    return store
}

func throughput(directory: String, valueSize: Int, mebibytes: Int, rounds: Int) throws {
    let recordBytes = 8 + valueSize
    let count = mebibytes << 20 / recordBytes / 1000 * 1000
    let value = [UInt8](repeating: 0x61, count: valueSize)
    let batch = (0..<1000).map { index in
        ProducerRecord(key: Array(String(format: "k%07d", index).utf8), value: value, timestamp: 1_700_000_000_000)
    }
    // Appends of about 1 MiB as well (what a bulk loader or a batching producer hands over), when
    // that is more than 1000 records: 8800 records of 100 B (1.04 MB on disk).
    let bulkSize = (1 << 20) / (recordBytes + 10) / 100 * 100
    let bulk = (0..<bulkSize).map { index in
        ProducerRecord(key: Array(String(format: "k%07d", index).utf8), value: value, timestamp: 1_700_000_000_000)
    }
    let bulkAppends = bulkSize > 1000 ? count / bulkSize : 0
    // The machine is shared and page-cache write rates swing with the kernel's writeback, so the
    // baseline and the log take turns, `rounds` rounds each, and the medians are compared. Outside
    // interference only ever slows a round, so the best rounds are compared as well.
    var appendRates: [Double] = []
    var rawRates: [Double] = []
    // The same bytes in pieces the size of one append, as the log writes them: page-cache writes
    // of a size and alignment that is not a large power of two cost the kernel more per byte.
    var rawPieceRates: [Double] = []
    var preallocatedPieceRates: [Double] = []
    var readRates: [Double] = []
    var scanRates: [Double] = []
    var recordRates: [(append: Double, read: Double, scan: Double)] = []
    var bulkRates: [Double] = []
    var bulkRecordRates: [Double] = []
    var bulkRawRates: [Double] = []
    var onDisk = 0
    for round in 0..<rounds {
        let dataDirectory = directory + "/tp-\(valueSize)-\(round)"
        let store = try benchStore(dataDirectory, sync: .never)
        let partition = TopicPartition("bench", 0)
        let appendTime = try seconds {
            for _ in 0..<(count / 1000) { try store.append(batch, to: partition) }
        }
        onDisk = directorySize(dataDirectory)
        var read = 0
        var payload = 0
        let readTime = try seconds {
            var offset: Int64 = 0
            while true {
                let records = try store.read(partition, from: offset, maxRecords: 1000)
                guard let last = records.last else { break }
                read += records.count
                for record in records { payload += (record.key?.count ?? 0) + (record.value?.count ?? 0) }
                offset = last.offset + 1
            }
        }
        precondition(read == count && payload == count * recordBytes, "read back \(read) of \(count) records")
        var scanned = 0
        payload = 0
        let scanTime = try seconds {
            var offset: Int64 = 0
            while true {
                var visited = 0
                offset = try store.scan(partition, from: offset, maxRecords: 1000) { record in
                    visited += 1
                    payload += (record.key?.count ?? 0) + (record.value?.count ?? 0)
                }
                if visited == 0 { break }
                scanned += visited
            }
        }
        precondition(scanned == count && payload == count * recordBytes, "scanned \(scanned) of \(count) records")
        store.close()
        try? FileManager.default.removeItem(atPath: dataDirectory)
        rawRates.append(rawWriteRate(directory: directory, bytes: onDisk))
        if bulkAppends > 0 {
            let bulkDirectory = directory + "/bulk-\(valueSize)-\(round)"
            let store = try benchStore(bulkDirectory, sync: .never)
            let time = try seconds { for _ in 0..<bulkAppends { try store.append(bulk, to: partition) } }
            store.close()
            let bytes = directorySize(bulkDirectory)
            try? FileManager.default.removeItem(atPath: bulkDirectory)
            bulkRates.append(Double(bytes) / time / 1e6)
            bulkRecordRates.append(Double(bulkAppends * bulkSize) / time / 1e6)
            bulkRawRates.append(rawWriteRate(directory: directory, bytes: bytes))
        }
        rawPieceRates.append(rawWriteRate(directory: directory, bytes: onDisk, piece: onDisk / (count / 1000)))
        preallocatedPieceRates.append(
            rawWriteRate(directory: directory, bytes: onDisk, piece: onDisk / (count / 1000), preallocated: true))
        appendRates.append(Double(onDisk) / appendTime / 1e6)
        readRates.append(Double(onDisk) / readTime / 1e6)
        scanRates.append(Double(onDisk) / scanTime / 1e6)
        recordRates.append(
            (Double(count) / appendTime / 1e6, Double(count) / readTime / 1e6, Double(count) / scanTime / 1e6))
    }
    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    let appendMBs = median(appendRates)
    let raw = median(rawRates)
    let durable = try durableComparison(
        directory: directory, batch: batch, count: count, valueSize: valueSize, rounds: rounds)
    print(
        "\(valueSize) B values: \(count) records, \(fmt(Double(onDisk) / 1e6)) MB on disk (medians of \(rounds) rounds)\n"
            + "  append: \(fmt(median(recordRates.map(\.append)), 2)) M records/s, \(fmt(appendMBs)) MB/s "
            + "(rounds: \(appendRates.map { fmt($0, 0) }.joined(separator: ", ")))\n"
            + "  raw write of the same bytes, 1 MiB writes: \(fmt(raw)) MB/s "
            + "(rounds: \(rawRates.map { fmt($0, 0) }.joined(separator: ", "))) -> append at \(fmt(appendMBs / raw * 100, 0))% of raw; "
            + "best rounds \(fmt(appendRates.max()! / rawRates.max()! * 100, 0))%\n"
            + "  raw write in append-sized pieces (\(onDisk / (count / 1000)) bytes): \(fmt(median(rawPieceRates))) MB/s "
            + "(rounds: \(rawPieceRates.map { fmt($0, 0) }.joined(separator: ", "))) -> append at "
            + "\(fmt(appendMBs / median(rawPieceRates) * 100, 0))% of it\n"
            + "  the same pieces into preallocated space, as the log writes: \(fmt(median(preallocatedPieceRates))) MB/s "
            + "(rounds: \(preallocatedPieceRates.map { fmt($0, 0) }.joined(separator: ", "))) -> append at "
            + "\(fmt(appendMBs / median(preallocatedPieceRates) * 100, 0))% of it\n"
            + (bulkAppends == 0
                ? ""
                : "  appends of \(bulkSize) records (\(bulkAppends) of them): \(fmt(median(bulkRecordRates), 2)) M records/s, "
                    + "\(fmt(median(bulkRates))) MB/s (rounds: \(bulkRates.map { fmt($0, 0) }.joined(separator: ", "))); "
                    + "raw 1 MiB writes \(fmt(median(bulkRawRates))) MB/s (rounds: "
                    + "\(bulkRawRates.map { fmt($0, 0) }.joined(separator: ", "))) -> append at "
                    + "\(fmt(median(bulkRates) / median(bulkRawRates) * 100, 0))% of raw; best rounds "
                    + "\(fmt(bulkRates.max()! / bulkRawRates.max()! * 100, 0))%\n")
            + "  read (page cache, copied out): \(fmt(median(recordRates.map(\.read)), 2)) M records/s, "
            + "\(fmt(median(readRates))) MB/s (rounds: \(readRates.map { fmt($0, 0) }.joined(separator: ", ")))\n"
            + "  scan (page cache, borrowed): \(fmt(median(recordRates.map(\.scan)), 2)) M records/s, "
            + "\(fmt(median(scanRates))) MB/s (rounds: \(scanRates.map { fmt($0, 0) }.joined(separator: ", ")))\n"
            + "  to disk (the same records, ending with fsync): append \(fmt(median(durable.append))) MB/s (rounds: "
            + "\(durable.append.map { fmt($0, 0) }.joined(separator: ", "))); raw 1 MiB writes + fsync "
            + "\(fmt(median(durable.raw))) MB/s (rounds: \(durable.raw.map { fmt($0, 0) }.joined(separator: ", "))); "
            + "the same starting each MiB's disk write \(fmt(median(durable.rawStarted))) MB/s (rounds: "
            + "\(durable.rawStarted.map { fmt($0, 0) }.joined(separator: ", "))) -> append at "
            + "\(fmt(median(durable.append) / max(median(durable.raw), median(durable.rawStarted)) * 100, 0))% of the "
            + "faster raw; best rounds \(fmt(durable.append.max()! / max(durable.raw.max()!, durable.rawStarted.max()!) * 100, 0))%")
}

/// The same comparison down to the disk, which is what "the raw sequential write rate of the disk"
/// means when both sides must reach it: appends with `sync: .onCommit` (close fsyncs the active
/// segment; rolls fsync sealed ones; the disk write is started every MiB, `writebackBytes`)
/// against raw writes of the same bytes, one write(2) per MiB, followed by fsync: once plain, and
/// once starting the disk write of each MiB as it is written, as the log does (the faster of the
/// two is the disk's raw rate). The three take turns for `rounds` rounds.
func durableComparison(directory: String, batch: [ProducerRecord], count: Int, valueSize: Int, rounds: Int) throws
    -> (append: [Double], raw: [Double], rawStarted: [Double])
{
    var appendRates: [Double] = []
    var rawRates: [Double] = []
    var rawStartedRates: [Double] = []
    for round in 0..<rounds {
        let dataDirectory = directory + "/durable-\(valueSize)-\(round)"
        let store = try benchStore(dataDirectory, sync: .onCommit)
        let partition = TopicPartition("bench", 0)
        let appendTime = try seconds {
            for _ in 0..<(count / batch.count) { try store.append(batch, to: partition) }
            store.close()
        }
        let bytes = directorySize(dataDirectory)
        try? FileManager.default.removeItem(atPath: dataDirectory)
        let rawTime = timedRawWrite(path: directory + "/raw-durable.bin", bytes: bytes, piece: 1 << 20, fsync: true)
        let rawStartedTime = timedRawWrite(
            path: directory + "/raw-durable.bin", bytes: bytes, piece: 1 << 20, fsync: true, startingWriteback: true)
        appendRates.append(Double(bytes) / appendTime / 1e6)
        rawRates.append(Double(bytes) / rawTime / 1e6)
        rawStartedRates.append(Double(bytes) / rawStartedTime / 1e6)
    }
    return (appendRates, rawRates, rawStartedRates)
}

/// Appends of one record each: the fixed cost per call (two flock calls, one pwrite, the shared
/// page's stores, the notify).
func singleRecordAppends(directory: String) throws {
    let dataDirectory = directory + "/single"
    let store = try LogTopicStore(directory: dataDirectory, options: LogStoreOptions(sync: .never))
    try store.createTopic("bench", config: TopicConfig())
    let partition = TopicPartition("bench", 0)
    let record = [ProducerRecord(key: Array("k0000001".utf8), value: [UInt8](repeating: 0x61, count: 100), timestamp: 1)]
    let count = 200_000
    let time = try seconds { for _ in 0..<count { try store.append(record, to: partition) } }
    store.close()
    try? FileManager.default.removeItem(atPath: dataDirectory)
    print("single-record appends (100 B): \(fmt(Double(count) / time / 1e6, 2)) M appends/s, \(fmt(time / Double(count) * 1e9, 0)) ns each")
}

/// CRC-32C speed over 64 KiB batches (the log's largest per-byte cost on append and read).
func checksumRate() -> Double {
    let data = [UInt8](repeating: 0x5A, count: 64 << 10)
    var sink: UInt32 = 0
    let time = seconds { for _ in 0..<4096 { sink ^= CRC32C.checksum(data) } }
    if sink == 1 { print("") }
    return Double(data.count * 4096) / time / 1e9
}

/// Appends `count` single records stamped with the monotonic clock, pausing between them so the
/// reader is parked each time.
func stampedAppends(_ store: LogTopicStore, _ partition: TopicPartition, count: Int) throws {
    for _ in 0..<count {
        usleep(300)
        var stamp = monotonicNanos().bigEndian
        let value = withUnsafeBytes(of: &stamp) { Array($0) }
        try store.append([ProducerRecord(key: nil, value: value, timestamp: 0)], to: partition)
    }
}

/// Waits at the tail for `count` records; returns append-to-visible delays in microseconds.
func tailDelays(_ store: LogTopicStore, _ partition: TopicPartition, count: Int) throws -> [Double] {
    var delays: [Double] = []
    var next = try store.endOffset(partition)
    while delays.count < count {
        guard store.waitForData([partition: next], timeout: 10) else { fatalError("no record within 10 s") }
        let records = try store.read(partition, from: next, maxRecords: 100)
        // Taken after the read: a record appended between the wake-up and the read is stamped
        // later than a clock read before it (that subtraction used to overflow now and then).
        let now = monotonicNanos()
        for record in records {
            let stamp = record.value!.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
            delays.append(Double(now - stamp) / 1000)
            next = record.offset + 1
        }
    }
    return delays
}

func report(_ label: String, _ delays: [Double]) {
    let sorted = delays.sorted()
    print(
        "  \(label): p50 \(fmt(percentile(sorted, 0.5))) µs, p99 \(fmt(percentile(sorted, 0.99))) µs, "
            + "max \(fmt(sorted.last!)) µs (\(sorted.count) records)")
}

func tailLatency(directory: String, samples: Int) throws {
    let dataDirectory = directory + "/tail"
    let store = try LogTopicStore(directory: dataDirectory, options: LogStoreOptions(sync: .never))
    try store.createTopic("tail", config: TopicConfig())
    let partition = TopicPartition("tail", 0)
    print("tail latency (append -> record read by a reader parked in waitForData):")

    let writer = Thread {
        do { try stampedAppends(store, partition, count: samples) } catch { fatalError("\(error)") }
    }
    let start = try store.endOffset(partition)
    writer.start()
    _ = start
    report("in-process", try tailDelays(store, partition, count: samples))

    let child = Process()
    child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    child.arguments = ["--tail-child", dataDirectory, String(samples)]
    try child.run()
    let delays = try tailDelays(store, partition, count: samples)
    child.waitUntilExit()
    report("cross-process", delays)
    store.close()
    try? FileManager.default.removeItem(atPath: dataDirectory)
}

/// `--append-only VALUE_BYTES RECORDS_PER_APPEND MIB`: just the append loop (for `perf`), with the
/// process's user and system time per record from `getrusage`.
func appendOnly(directory: String, valueSize: Int, perAppend: Int, mebibytes: Int) throws {
    let value = [UInt8](repeating: 0x61, count: valueSize)
    let batch = (0..<perAppend).map { index in
        ProducerRecord(key: Array(String(format: "k%07d", index).utf8), value: value, timestamp: 1_700_000_000_000)
    }
    let appends = max(1, mebibytes << 20 / (8 + valueSize) / perAppend)
    let dataDirectory = directory + "/append-only"
    let store = try LogTopicStore(directory: dataDirectory, options: LogStoreOptions(sync: .never))
    try store.createTopic("bench", config: TopicConfig(segmentBytes: 1 << 30))
    let partition = TopicPartition("bench", 0)
    var before = rusage()
    getrusage(RUSAGE_SELF.rawValue, &before)
    let time = try seconds { for _ in 0..<appends { try store.append(batch, to: partition) } }
    var after = rusage()
    getrusage(RUSAGE_SELF.rawValue, &after)
    func micros(_ time: timeval) -> Double { Double(time.tv_sec) * 1e6 + Double(time.tv_usec) }
    let records = Double(appends * perAppend)
    let bytes = Double(directorySize(dataDirectory))
    store.close()
    try? FileManager.default.removeItem(atPath: dataDirectory)
    print(
        "append-only: \(appends) appends of \(perAppend) records of \(valueSize) B: "
            + "\(fmt(records / time / 1e6, 2)) M records/s, \(fmt(bytes / time / 1e6)) MB/s; per record: user "
            + "\(fmt((micros(after.ru_utime) - micros(before.ru_utime)) * 1000 / records)) ns, system "
            + "\(fmt((micros(after.ru_stime) - micros(before.ru_stime)) * 1000 / records)) ns")
}

// MARK: - Main

var arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--tail-child", arguments.count == 3 {
    // The other process of the cross-process measurement.
    let store = try LogTopicStore(directory: arguments[1], options: LogStoreOptions(sync: .never))
    usleep(100_000)  // let the parent park
    try stampedAppends(store, TopicPartition("tail", 0), count: Int(arguments[2])!)
    store.close()
    exit(0)
}
var base = NSTemporaryDirectory()
var mebibytes = 256
var rounds = 3
var appendOnlyArguments: [Int] = []
while let flag = arguments.first {
    arguments.removeFirst()
    switch flag {
    case "--dir": base = arguments.removeFirst()
    case "--mib": mebibytes = Int(arguments.removeFirst()) ?? mebibytes
    case "--rounds": rounds = max(1, Int(arguments.removeFirst()) ?? rounds)
    case "--append-only" where arguments.count >= 3:
        appendOnlyArguments = arguments.prefix(3).compactMap { Int($0) }
        arguments.removeFirst(3)
    default:
        print("usage: log-bench [--dir DIR] [--mib N] [--rounds N] [--append-only VALUE_BYTES RECORDS_PER_APPEND MIB]")
        exit(2)
    }
}
let directory = base + "/log-bench-\(getpid())"
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }
if appendOnlyArguments.count == 3 {
    let (valueSize, perAppend, total) = (appendOnlyArguments[0], appendOnlyArguments[1], appendOnlyArguments[2])
    try appendOnly(directory: directory, valueSize: valueSize, perAppend: perAppend, mebibytes: total)
    try? FileManager.default.removeItem(atPath: directory)
    exit(0)
}
print("log-bench in \(directory), \(mebibytes) MiB of records per size")
print("CRC-32C: \(fmt(checksumRate(), 2)) GB/s")
for valueSize in [100, 1024] { try throughput(directory: directory, valueSize: valueSize, mebibytes: mebibytes, rounds: rounds) }
try singleRecordAppends(directory: directory)
try tailLatency(directory: directory, samples: 2000)
