import Foundation
import Testing

@testable import SluiceLog

/// A fresh directory under the system temporary directory, removed when the value goes away.
final class TemporaryDirectory: @unchecked Sendable {
    let path: String

    init() {
        var template = Array((NSTemporaryDirectory() + "/sluice-log-test-XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(created != nil, "mkdtemp failed")
        path = String(cString: template)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ relative: String) -> String { path + "/" + relative }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func record(_ key: String?, _ value: String?, at timestamp: Int64 = 1_000, headers: [Header] = []) -> ProducerRecord {
    ProducerRecord(key: key.map(bytes), value: value.map(bytes), timestamp: timestamp, headers: headers)
}

/// The values of `records` as strings ("∅" for a tombstone).
func values(_ records: [ConsumedRecord]) -> [String] {
    records.map { $0.value.map { String(decoding: $0, as: UTF8.self) } ?? "∅" }
}

/// Options for tests: no fsync (speed), small batches and index intervals so indexes have many entries.
func testOptions(maintenanceOnRoll: Bool = false) -> LogStoreOptions {
    LogStoreOptions(sync: .never, indexIntervalBytes: 128, maxBatchBytes: 256, maintenanceOnRoll: maintenanceOnRoll)
}

/// The two implementations, for tests that every ``TopicStore`` must pass.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory
    case log

    var testDescription: String { rawValue }

    /// A new, empty store; the directory (if any) must stay alive as long as the store.
    func make() throws -> (store: any TopicStore, directory: TemporaryDirectory?) {
        switch self {
        case .memory:
            return (MemoryTopicStore(), nil)
        case .log:
            let directory = TemporaryDirectory()
            return (try LogTopicStore(directory: directory.path, options: testOptions()), directory)
        }
    }
}

/// Segment log files of a partition, oldest first.
func segmentLogs(_ directory: TemporaryDirectory, _ topic: String, _ partition: Int = 0) throws -> [String] {
    let path = directory.file("topics/\(topic)/\(partition)")
    return try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".log") }.sorted()
        .map { path + "/" + $0 }
}

func fileSize(_ path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.size] as! NSNumber).intValue
}

/// Overwrites bytes of a file in place.
func patchFile(_ path: String, at offset: Int, with replacement: [UInt8]) throws {
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seek(toOffset: UInt64(offset))
    try handle.write(contentsOf: Data(replacement))
}

func appendToFile(_ path: String, _ extra: [UInt8]) throws {
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(extra))
}

func truncateFile(_ path: String, to length: Int) throws {
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.truncate(atOffset: UInt64(length))
}

/// Runs `body` on a new thread.
func onThread(_ body: @escaping @Sendable () -> Void) {
    let thread = Thread(block: body)
    thread.start()
}
