import SluiceLog

/// `sluice topic list|create|describe|delete`.
enum TopicCommand {
    static func run(_ arguments: ParsedArguments, _ context: inout CommandContext) throws -> Int32 {
        guard let action = arguments.positionals.first else {
            throw UsageError("missing action: list, create, describe or delete", command: "topic")
        }
        let names = Array(arguments.positionals.dropFirst())
        func requireName() throws(UsageError) -> String {
            guard let name = names.first else { throw UsageError("'topic \(action)' needs a topic name", command: "topic") }
            guard names.count == 1 else { throw UsageError("unexpected argument '\(names[1])'", command: "topic") }
            return name
        }
        if action != "create" {
            for option in ["partitions", "retention-ms"] where arguments.value(option) != nil {
                throw UsageError("option '--\(option)' only applies to 'topic create'", command: "topic")
            }
            if arguments.has("compact") { throw UsageError("option '--compact' only applies to 'topic create'", command: "topic") }
        }
        let renderer = TableRenderer()
        let out = context.output
        var directory: DataDirectory?
        defer { directory?.unlock() }
        func openStore(_ arguments: ParsedArguments) throws(CommandFailure) -> LogTopicStore {
            if directory == nil { directory = try DataDirectory(path: Commands.dataDirectoryPath(arguments), use: .forTopics) }
            let opened = directory!
            return try opened.openStore()
        }

        switch action {
        case "list", "ls":
            if let extra = names.first { throw UsageError("unexpected argument '\(extra)'", command: "topic") }
            let store = try openStore(arguments)
            var rows: [[String]] = []
            for name in store.topicNames() {
                guard let description = store.describeTopic(name) else { continue }
                let counts = recordCounts(store, name, partitions: description.config.partitions)
                rows.append([name, String(description.config.partitions), String(counts.reduce(0, +)), description.config.cleanupPolicy.rawValue])
            }
            for line in renderer.render(headers: ["Topic", "Partitions", "Records", "Cleanup Policy"], rows: rows) { out.line(line) }
            if rows.isEmpty { out.line("(no topics)") }
        case "create":
            let name = try requireName()
            let partitions = try arguments.integer("partitions", in: 1...10_000, command: "topic") ?? 1
            let retention = try arguments.integer("retention-ms", in: 1...Int.max, command: "topic")
            let config = TopicConfig(
                partitions: partitions, cleanupPolicy: arguments.has("compact") ? .compact : .delete,
                retentionMs: retention.map(Int64.init))
            let store = try openStore(arguments)
            do {
                try store.createTopic(name, config: config)
            } catch {
                throw CommandFailure(error.message)
            }
            out.line("Created topic '\(name)' with \(partitions) partition\(partitions == 1 ? "" : "s").")
        case "describe":
            let name = try requireName()
            let store = try openStore(arguments)
            guard let description = store.describeTopic(name) else { throw unknownTopic(name, store) }
            let config = description.config
            out.line("Name           : \(description.name)")
            out.line("Partitions     : \(config.partitions)")
            out.line("Cleanup policy : \(config.cleanupPolicy.rawValue)")
            out.line("Retention      : \(config.retentionMs.map { "\($0) ms" } ?? "forever")\(config.retentionBytes.map { ", \($0) bytes per partition" } ?? "")")
            var rows: [[String]] = []
            for partition in 0..<config.partitions {
                let tp = TopicPartition(name, partition)
                let start = (try? store.startOffset(tp)) ?? 0
                let end = (try? store.endOffset(tp)) ?? 0
                rows.append([String(partition), String(start), String(end), String(end - start)])
            }
            for line in renderer.render(headers: ["Partition", "Start Offset", "End Offset", "Records"], rows: rows) { out.line(line) }
        case "delete", "rm":
            let name = try requireName()
            let store = try openStore(arguments)
            guard store.describeTopic(name) != nil else { throw unknownTopic(name, store) }
            do {
                try store.deleteTopic(name)
            } catch {
                throw CommandFailure(error.message)
            }
            out.line("Deleted topic '\(name)'.")
        default:
            var message = "unknown action '\(action)' for 'topic'"
            if let near = nearest(to: action, among: ["list", "create", "describe", "delete"]) { message += "; did you mean '\(near)'?" }
            throw UsageError(message, command: "topic")
        }
        return 0
    }

    static func recordCounts(_ store: any TopicStore, _ topic: String, partitions: Int) -> [Int64] {
        (0..<partitions).map { partition in
            let tp = TopicPartition(topic, partition)
            let end = (try? store.endOffset(tp)) ?? 0
            let start = (try? store.startOffset(tp)) ?? 0
            return max(0, end - start)
        }
    }

    static func unknownTopic(_ name: String, _ store: any TopicStore) -> CommandFailure {
        var message = "no topic named '\(name)'"
        if let near = nearest(to: name, among: store.topicNames()) { message += "; did you mean '\(near)'?" }
        return CommandFailure(message)
    }
}
