import Foundation
import SluiceLog

/// `sluice produce TOPIC`: appends the lines of standard input to a topic.
enum ProduceCommand {
    static func run(_ arguments: ParsedArguments, _ context: inout CommandContext) throws -> Int32 {
        guard let topic = arguments.positionals.first else {
            throw UsageError("missing the topic to produce to", command: "produce")
        }
        if arguments.positionals.count > 1 {
            throw UsageError("unexpected argument '\(arguments.positionals[1])'", command: "produce")
        }
        let separator = arguments.value("key-separator")
        if separator == "" { throw UsageError("option '--key-separator' needs a non-empty value", command: "produce") }
        let fixedPartition = try arguments.integer("partition", in: 0...Int(Int32.max), command: "produce")
        let createPartitions = try arguments.integer("partitions", in: 1...10_000, command: "produce")
        let nullMarker = arguments.value("null-marker")
        let fixedTimestamp = try timestamp(arguments)
        let signals = context.watchSignals()

        let directory = try DataDirectory(path: Commands.dataDirectoryPath(arguments), use: .forTopics)
        defer { directory.unlock() }
        let store = try directory.openStore()
        if store.describeTopic(topic) == nil {
            let partitions = createPartitions ?? 1
            do {
                try store.createTopic(topic, config: TopicConfig(partitions: partitions))
            } catch {
                throw CommandFailure(error.message)
            }
            context.errors.line("Created topic '\(topic)' with \(partitions) partition\(partitions == 1 ? "" : "s").")
            context.errors.flush()
        }
        guard let description = store.describeTopic(topic) else { throw CommandFailure("no topic named '\(topic)'") }
        let partitionCount = description.config.partitions
        if let fixedPartition, fixedPartition >= partitionCount {
            throw CommandFailure("topic '\(topic)' has \(partitionCount) partition\(partitionCount == 1 ? "" : "s"); there is no partition \(fixedPartition)")
        }

        // On a terminal every line is written as soon as it is typed; from a pipe lines are batched.
        let batchLimit = Terminal.isTerminal(0) ? 1 : 1000
        var pending: [Int: [ProducerRecord]] = [:]
        var pendingCount = 0
        var produced = 0
        func flush() throws(CommandFailure) {
            for partition in pending.keys.sorted() {
                do {
                    _ = try store.append(pending[partition]!, to: TopicPartition(topic, partition))
                } catch {
                    throw CommandFailure("cannot append to '\(topic)' partition \(partition): \(error.message)")
                }
            }
            produced += pendingCount
            pending.removeAll(keepingCapacity: true)
            pendingCount = 0
        }

        let reader = PlainLineReader(fd: 0, shouldStop: { signals.interruptCount > 0 || signals.terminated })
        let separatorBytes = separator.map { Array($0.utf8) }
        let nullMarkerBytes = nullMarker.map { Array($0.utf8) }
        var lineNumber = 0
        // Lines stay bytes: a value that is not UTF-8 is stored as it came, not repaired.
        while let line = reader.readLineBytes() {
            lineNumber += 1
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            var key: [UInt8]?
            var valueBytes = line[...]
            if let separator, let separatorBytes {
                guard let range = line.firstRange(of: separatorBytes) else {
                    try flush()
                    throw CommandFailure(
                        "line \(lineNumber) has no key separator '\(separator)'; \(produced) record\(produced == 1 ? "" : "s") before it were written")
                }
                key = Array(line[..<range.lowerBound])
                valueBytes = line[range.upperBound...]
            }
            let value: [UInt8]? = nullMarkerBytes.map { valueBytes.elementsEqual($0) } == true ? nil : Array(valueBytes)
            let partition: Int
            if let fixedPartition {
                partition = fixedPartition
            } else {
                partition = Partitioner.partition(forKey: key, partitionCount: partitionCount)
            }
            let timestamp = fixedTimestamp ?? Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
            pending[partition, default: []].append(ProducerRecord(key: key, value: value, timestamp: timestamp))
            pendingCount += 1
            if pendingCount >= batchLimit { try flush() }
        }
        try flush()
        context.output.line("Produced \(produced) record\(produced == 1 ? "" : "s") to topic '\(topic)'.")
        return 0
    }

    /// `--timestamp MS`: milliseconds since the epoch, as Kafka's record timestamps are; negative
    /// values are refused because Kafka reserves them (-1 means "no timestamp").
    private static func timestamp(_ arguments: ParsedArguments) throws(UsageError) -> Int64? {
        guard let text = arguments.value("timestamp") else { return nil }
        guard let millis = Int64(text), millis >= 0 else {
            throw UsageError(
                "option '--timestamp' expects milliseconds since the epoch (a whole number, at least 0), got '\(text)'",
                command: "produce")
        }
        return millis
    }
}
