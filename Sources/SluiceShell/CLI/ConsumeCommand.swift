import SluiceLog

/// `sluice consume TOPIC`: prints a topic's records.
enum ConsumeCommand {
    static func run(_ arguments: ParsedArguments, _ context: inout CommandContext) throws -> Int32 {
        guard let topic = arguments.positionals.first else {
            throw UsageError("missing the topic to consume", command: "consume")
        }
        if arguments.positionals.count > 1 {
            throw UsageError("unexpected argument '\(arguments.positionals[1])'", command: "consume")
        }
        let maxRecords = try arguments.integer("max", in: 1...Int.max, command: "consume")
        let onlyPartition = try arguments.integer("partition", in: 0...Int(Int32.max), command: "consume")
        let follow = arguments.has("follow")
        let fromBeginning = arguments.has("from-beginning")
        let raw = arguments.has("raw")
        let signals = context.watchSignals()
        if !follow && !fromBeginning {
            context.errors.line("note: without --from-beginning or --follow there is nothing to print")
            context.errors.flush()
        }

        let directory = try DataDirectory(path: Commands.dataDirectoryPath(arguments), use: .forTopics)
        defer { directory.unlock() }
        let store = try directory.openStore()
        guard let description = store.describeTopic(topic) else {
            throw TopicCommand.unknownTopic(topic, store)
        }
        let partitionCount = description.config.partitions
        if let onlyPartition, onlyPartition >= partitionCount {
            throw CommandFailure("topic '\(topic)' has \(partitionCount) partition\(partitionCount == 1 ? "" : "s"); there is no partition \(onlyPartition)")
        }
        let partitions = onlyPartition.map { [$0] } ?? Array(0..<partitionCount)

        // The engine knows the formats of the topics its streams and tables use; without one the
        // display guesses from the bytes, as PRINT does for topics it does not know.
        let display = try RecordDisplay.forTopic(topic, directory: directory, raw: raw)

        var reader = try MergedTopicReader(store: store, topic: topic, partitions: partitions, fromBeginning: fromBeginning)
        let out = context.output
        if !raw {
            for line in display.headerLines { out.line(line) }
        }
        var printed = 0
        let interruptsAtStart = signals.interruptCount
        func stopRequested() -> Bool { signals.terminated || signals.interruptCount != interruptsAtStart }
        reading: while !stopRequested() {
            while let (partition, record) = try reader.next() {
                out.line(display.line(for: record, partition: partition))
                printed += 1
                if let maxRecords, printed >= maxRecords { break reading }
                if stopRequested() { break reading }
            }
            out.flush()
            guard follow else { break }
            reader.extendEnds()
            if !reader.hasMore {
                _ = store.waitForData(reader.positions, timeout: 0.5)
                reader.extendEnds()
            }
        }
        out.flush()
        return 0
    }
}

/// Reads several partitions of one topic up to their end offsets, merging records by timestamp
/// (ties by partition), in bounded memory: each partition keeps one small batch buffered.
struct MergedTopicReader {
    let store: any TopicStore
    let topic: String
    private var buffers: [Int: [ConsumedRecord]] = [:]
    private var nextOffsets: [Int: Int64] = [:]
    private var endOffsets: [Int: Int64] = [:]
    private let batchSize = 500

    init(store: any TopicStore, topic: String, partitions: [Int], fromBeginning: Bool) throws(CommandFailure) {
        self.store = store
        self.topic = topic
        for partition in partitions {
            let tp = TopicPartition(topic, partition)
            do {
                let end = try store.endOffset(tp)
                nextOffsets[partition] = fromBeginning ? try store.startOffset(tp) : end
                endOffsets[partition] = end
            } catch {
                throw CommandFailure("cannot read '\(tp)': \(error.message)")
            }
            buffers[partition] = []
        }
    }

    /// Where each partition will be read next, as `waitForData` wants it.
    var positions: [TopicPartition: Int64] {
        var result: [TopicPartition: Int64] = [:]
        for (partition, offset) in nextOffsets { result[TopicPartition(topic, partition)] = offset }
        return result
    }

    /// Whether records remain before the current end offsets.
    var hasMore: Bool {
        nextOffsets.contains { partition, offset in offset < endOffsets[partition]! || !(buffers[partition]?.isEmpty ?? true) }
    }

    /// Moves the end offsets to the partitions' current ends (for --follow).
    mutating func extendEnds() {
        for partition in endOffsets.keys {
            if let end = try? store.endOffset(TopicPartition(topic, partition)) { endOffsets[partition] = end }
        }
    }

    /// The record with the smallest timestamp among the partitions' next records.
    mutating func next() throws(CommandFailure) -> (Int, ConsumedRecord)? {
        var best: (partition: Int, timestamp: Int64)?
        for partition in buffers.keys.sorted() {
            if buffers[partition]!.isEmpty { try refill(partition) }
            guard let head = buffers[partition]!.first else { continue }
            if best == nil || head.timestamp < best!.timestamp { best = (partition, head.timestamp) }
        }
        guard let best else { return nil }
        let record = buffers[best.partition]!.removeFirst()
        return (best.partition, record)
    }

    private mutating func refill(_ partition: Int) throws(CommandFailure) {
        let offset = nextOffsets[partition]!
        let end = endOffsets[partition]!
        guard offset < end else { return }
        let tp = TopicPartition(topic, partition)
        do {
            let records = try store.read(tp, from: offset, maxRecords: Int(min(Int64(batchSize), end - offset)))
            let kept = records.filter { $0.offset < end }
            buffers[partition] = kept
            if kept.count < records.count {
                nextOffsets[partition] = end  // the rest is read once the end moves (--follow)
            } else if let last = records.last {
                nextOffsets[partition] = last.offset + 1
            } else {
                // Nothing readable below the end (e.g. removed by retention or compaction): skip ahead.
                nextOffsets[partition] = end
            }
        } catch {
            throw CommandFailure("cannot read '\(tp)': \(error.message)")
        }
    }
}
