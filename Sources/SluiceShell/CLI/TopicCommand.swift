import Foundation
import SluiceLog

/// `sluice topic list|create|describe|alter|delete`.
enum TopicCommand {
    static let actions = ["list", "create", "describe", "alter", "delete"]

    static func run(_ arguments: ParsedArguments, _ context: inout CommandContext) throws -> Int32 {
        guard let action = arguments.positionals.first else {
            throw UsageError("missing action: list, create, describe, alter or delete", command: "topic")
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
        if action != "create" && action != "alter" && !arguments.all("config").isEmpty {
            throw UsageError("option '--config' only applies to 'topic create' and 'topic alter'", command: "topic")
        }
        if action != "alter" && !arguments.all("delete-config").isEmpty {
            throw UsageError("option '--delete-config' only applies to 'topic alter'", command: "topic")
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
            var config = TopicConfig(
                partitions: partitions, cleanupPolicy: arguments.has("compact") ? .compact : .delete,
                retentionMs: retention.map(Int64.init))
            try apply(arguments.all("config"), to: &config)
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
            for (index, setting) in config.settings().enumerated() {
                out.line((index == 0 ? "Configs        : " : String(repeating: " ", count: 17)) + "\(setting.key)=\(setting.value)")
            }
            var rows: [[String]] = []
            for partition in 0..<config.partitions {
                let tp = TopicPartition(name, partition)
                let start = (try? store.startOffset(tp)) ?? 0
                let end = (try? store.endOffset(tp)) ?? 0
                let storage = try? store.storage(of: tp)
                rows.append([
                    String(partition), String(start), String(end), String(end - start),
                    storage.map { String($0.segments) } ?? "?", storage.map { String($0.bytes) } ?? "?",
                ])
            }
            let headers = ["Partition", "Start Offset", "End Offset", "Records", "Segments", "Bytes"]
            for line in renderer.render(headers: headers, rows: rows) { out.line(line) }
        case "alter":
            let name = try requireName()
            let changes = arguments.all("config")
            let resets = arguments.all("delete-config")
            if changes.isEmpty && resets.isEmpty {
                throw UsageError("'topic alter' needs at least one --config KEY=VALUE or --delete-config KEY", command: "topic")
            }
            let store = try openStore(arguments)
            guard let description = store.describeTopic(name) else { throw unknownTopic(name, store) }
            var config = description.config
            try apply(changes, to: &config)
            for key in resets {
                do {
                    try config.reset(key)
                } catch {
                    throw UsageError(error.message, command: "topic")
                }
            }
            do {
                try store.alterTopic(name, config: config)
            } catch {
                throw CommandFailure(error.message)
            }
            let changed = zip(description.config.settings(), config.settings()).filter { $0.0.value != $0.1.value }
            if changed.isEmpty {
                out.line("Topic '\(name)' unchanged.")
            } else {
                out.line("Altered topic '\(name)': " + changed.map { "\($0.1.key)=\($0.1.value)" }.joined(separator: ", ") + ".")
            }
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
            if let near = nearest(to: action, among: actions) { message += "; did you mean '\(near)'?" }
            throw UsageError(message, command: "topic")
        }
        return 0
    }

    /// Applies `KEY=VALUE` settings (Kafka's topic config names) in order.
    static func apply(_ settings: [String], to config: inout TopicConfig) throws(UsageError) {
        for setting in settings {
            guard let equals = setting.firstIndex(of: "="), equals != setting.startIndex else {
                throw UsageError("--config needs KEY=VALUE, not '\(setting)'", command: "topic")
            }
            let key = String(setting[..<equals]).trimmingCharacters(in: .whitespaces)
            let value = String(setting[setting.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            do {
                try config.set(key, to: value)
            } catch {
                var message = error.message
                if message.hasPrefix("unknown topic config"), let near = nearest(to: key, among: TopicConfig.settingKeys) {
                    message = "unknown topic config '\(key)'; did you mean '\(near)'?"
                }
                throw UsageError(message, command: "topic")
            }
        }
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
