import SluiceLog

/// `sluice consume TOPIC`: prints a topic's records, by default as Kafka's console consumer does
/// (``ConsoleRecordFormat``), with `--decode` as `PRINT` does (``RecordDisplay``).
///
/// Where reading starts is one of: the end (default), the beginning (`--from-beginning`), an offset
/// in one partition (`--partition P --offset O`), or a consumer group's committed offsets
/// (`--group G`, see ``GroupOffsetCommitter``). Without `--follow` reading stops at the ends the
/// partitions had when it started.
enum ConsumeCommand {
    /// Records printed between two commits of a group's offsets, besides the commit at the end of
    /// every pass over the partitions and at exit.
    static let commitInterval = 500

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
        let start = try startPoint(arguments, partition: onlyPartition)
        var console = try consoleFormat(arguments)
        let signals = context.watchSignals()
        if case .reset(.end) = start, !follow {
            context.errors.line("note: without --from-beginning, --group, --offset or --follow there is nothing to print")
            context.errors.flush()
        }

        let directory = try DataDirectory(path: Commands.dataDirectoryPath(arguments), use: .forTopics)
        defer { directory.unlock() }
        let store = try directory.openStore()
        guard let description = store.describeTopic(topic) else {
            throw TopicCommand.unknownTopic(topic, store)
        }
        let partitionCount = description.config.partitions
        console?.timestampType = description.config.timestampType
        if let onlyPartition, onlyPartition >= partitionCount {
            throw CommandFailure("topic '\(topic)' has \(partitionCount) partition\(partitionCount == 1 ? "" : "s"); there is no partition \(onlyPartition)")
        }
        let partitions = onlyPartition.map { [$0] } ?? Array(0..<partitionCount)
        let startOffsets = try startOffsets(start, store: store, topic: topic, partitions: partitions, notes: context.errors)
        var committer: GroupOffsetCommitter?
        if case .group(let group, _) = start { committer = GroupOffsetCommitter(store: store, group: group, topic: topic) }

        // --decode: the engine knows the formats of the topics its streams and tables use; without
        // one the display guesses from the bytes, as PRINT does for topics it does not know.
        let display = console == nil ? try RecordDisplay.forTopic(topic, directory: directory) : nil

        var reader = try MergedTopicReader(store: store, topic: topic, startOffsets: startOffsets)
        let out = context.output
        for line in display?.headerLines ?? [] { out.line(line) }
        var line: [UInt8] = []
        var printed = 0
        let interruptsAtStart = signals.interruptCount
        func stopRequested() -> Bool { signals.terminated || signals.interruptCount != interruptsAtStart || out.isBroken }
        /// Flushes what was printed, then commits it for the group: never the other way round, so a
        /// committed record has reached standard output.
        func flushAndCommit() throws(CommandFailure) {
            out.flush()
            guard !out.isBroken else { return }
            try committer?.commit(reader.consumedPositions)
        }
        reading: while !stopRequested() {
            while let (partition, record) = try reader.next() {
                if let display {
                    out.line(display.line(for: record, partition: partition))
                } else if let console {
                    line.removeAll(keepingCapacity: true)
                    console.append(record, partition: partition, to: &line)
                    out.writeBytes(line)
                }
                printed += 1
                if let maxRecords, printed >= maxRecords { break reading }
                if stopRequested() { break reading }
                if printed % commitInterval == 0 { try flushAndCommit() }
            }
            try flushAndCommit()
            guard follow else { break }
            reader.extendEnds()
            if !reader.hasMore {
                _ = store.waitForData(reader.positions, timeout: 0.5)
                reader.extendEnds()
            }
        }
        try flushAndCommit()
        return 0
    }

    /// `--from-beginning`, `--group` and `--offset`, checked against each other.
    private static func startPoint(_ arguments: ParsedArguments, partition: Int?) throws(UsageError) -> StartPoint {
        let fromBeginning = arguments.has("from-beginning")
        let group = arguments.value("group")
        if group == "" { throw UsageError("option '--group' needs a non-empty group name", command: "consume") }
        guard let offset = try arguments.integer("offset", in: 0...Int.max, command: "consume") else {
            if let group { return .group(group, otherwise: fromBeginning ? .beginning : .end) }
            return .reset(fromBeginning ? .beginning : .end)
        }
        if partition == nil {
            throw UsageError("option '--offset' needs '--partition': an offset belongs to one partition", command: "consume")
        }
        if fromBeginning {
            throw UsageError("options '--offset' and '--from-beginning' cannot be used together", command: "consume")
        }
        if group != nil {
            throw UsageError("options '--offset' and '--group' cannot be used together", command: "consume")
        }
        return .offset(Int64(offset))
    }

    /// The default output's fields from the `--print-*` flags; nil for `--decode`, whose lines show
    /// time, key and partition already.
    private static func consoleFormat(_ arguments: ParsedArguments) throws(UsageError) -> ConsoleRecordFormat? {
        let format = ConsoleRecordFormat(
            printTimestamp: arguments.has("print-timestamp"), printPartition: arguments.has("print-partition"),
            printOffset: arguments.has("print-offset"), printKey: arguments.has("print-key"))
        guard arguments.has("decode") else { return format }
        if arguments.has("raw") {
            throw UsageError("options '--decode' and '--raw' cannot be used together", command: "consume")
        }
        for flag in ["print-timestamp", "print-partition", "print-offset", "print-key"] where arguments.has(flag) {
            throw UsageError(
                "option '--\(flag)' applies to the default output; '--decode' shows time, key and partition already",
                command: "consume")
        }
        return nil
    }
}
