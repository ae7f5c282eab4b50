import SluiceSQL
import SluiceTypes

/// The metastore: sources, custom types and the persistent queries that write them.
///
/// Not thread-safe: the engine owns it and serialises statements.
public struct Catalog: Sendable {
    public private(set) var sources: [String: SourceDescription] = [:]
    public private(set) var types: [String: SQLType] = [:]
    /// Queries that read each source, so `DROP` can refuse while they run.
    public private(set) var readers: [String: Set<String>] = [:]

    public init() {}

    public func source(_ name: String) -> SourceDescription? { sources[name] }

    public mutating func register(_ source: SourceDescription) { sources[source.name] = source }

    public mutating func remove(_ name: String) { sources.removeValue(forKey: name) }

    public mutating func registerType(_ name: String, _ type: SQLType) { types[name] = type }

    public mutating func removeType(_ name: String) { types.removeValue(forKey: name) }

    public mutating func addReader(query: String, of source: String) { readers[source, default: []].insert(query) }

    public mutating func removeReader(query: String) {
        for key in readers.keys { readers[key]?.remove(query) }
    }

    /// Sources whose topic is `topic` (several may share one).
    public func sources(onTopic topic: String) -> [SourceDescription] {
        sources.values.filter { $0.topic == topic }.sorted { $0.name < $1.name }
    }

    /// The catalogued name closest to `name`, for "did you mean" hints.
    public func nearestSourceName(to name: String) -> String? {
        EditDistance.nearest(to: name, among: Array(sources.keys))
    }
}
