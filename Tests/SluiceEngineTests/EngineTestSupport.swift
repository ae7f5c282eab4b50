import SluiceEngine
import SluiceLog
import SluiceTypes

/// An engine on a fresh in-memory store, and ways to read what its queries wrote.
struct EngineHarness {
    let store = MemoryTopicStore()
    let engine: Engine

    init(properties: [String: String] = [:]) throws {
        engine = try Engine(store: store, configuration: EngineConfiguration(properties: properties))
    }

    @discardableResult
    func run(_ script: String) throws -> [StatementResult] {
        let results = try engine.execute(script)
        try engine.runUntilIdle()
        return results
    }

    /// Every record of a topic, all partitions, in partition then offset order.
    func records(_ topic: String) throws -> [ConsumedRecord] {
        guard let d = store.describeTopic(topic) else { return [] }
        var out: [ConsumedRecord] = []
        for p in 0..<d.config.partitions {
            out += try store.read(TopicPartition(topic, p), from: 0, maxRecords: 100_000)
        }
        return out
    }

    /// The values of a topic's records as text (tombstones as "<null>").
    func valueTexts(_ topic: String) throws -> [String] {
        try records(topic).map { $0.value.map { String(decoding: $0, as: UTF8.self) } ?? "<null>" }
    }
}
