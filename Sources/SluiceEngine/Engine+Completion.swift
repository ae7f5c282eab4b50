/// The names the interactive shell offers on Tab, taken from the live catalog.
///
/// A snapshot rather than a view: the shell asks once per Tab press, and copying a few hundred
/// names under the engine's lock is cheaper than holding the lock while the user reads a list.
public struct CompletionNames: Sendable, Equatable {
    /// One stream or table and its column names (key, value and header columns).
    public struct Source: Sendable, Equatable {
        public var name: String
        public var isTable: Bool
        public var topic: String
        public var columns: [String]

        public init(name: String, isTable: Bool, topic: String, columns: [String]) {
            self.name = name
            self.isTable = isTable
            self.topic = topic
            self.columns = columns
        }
    }

    public var sources: [Source]
    public var topics: [String]
    /// Scalar, aggregate and table functions, upper-case.
    public var functions: [String]

    public init(sources: [Source] = [], topics: [String] = [], functions: [String] = []) {
        self.sources = sources
        self.topics = topics
        self.functions = functions
    }
}

extension Engine {
    /// Sources with their columns, topics and function names, for tab completion.
    public func completionNames() -> CompletionNames {
        lock.lock()
        let sources = catalog.sources.values.sorted { $0.name < $1.name }.map { source in
            CompletionNames.Source(
                name: source.name, isTable: source.kind == .table, topic: source.topic,
                columns: source.schema.columns.map(\.name))
        }
        lock.unlock()
        let functionNames = functions.functionNames().map(\.name)
        return CompletionNames(sources: sources, topics: store.topicNames().sorted(), functions: functionNames)
    }
}
