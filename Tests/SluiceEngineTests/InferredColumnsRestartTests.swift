import Foundation
import SluiceEngine
import SluiceLog
import Testing

@Suite("Sources with inferred columns across a restart")
struct InferredColumnsRestartTests {
    /// The schema registry is in memory; the command log must keep the columns it supplied.
    @Test func aSourceWhoseColumnsCameFromTheRegistryComesBack() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-infer-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = MemoryTopicStore()
        do {
            let engine = try Engine(store: store, configuration: EngineConfiguration(dataDirectory: directory))
            _ = try engine.schemaRegistry.register(
                subject: "bids-value", schemaType: .avro,
                schema: #"{"type":"record","name":"Bid","fields":[{"name":"price","type":"long"},{"name":"item","type":"string"}]}"#)
            _ = try engine.execute(
                "CREATE STREAM bids (id STRING KEY) WITH (kafka_topic='bids', value_format='AVRO', partitions=1);")
            engine.close()
        }
        let reopened = try Engine(store: store, configuration: EngineConfiguration(dataDirectory: directory))
        defer { reopened.close() }
        #expect(reopened.sourceNames == ["BIDS"])
        let format = try #require(reopened.topicFormat(forTopic: "bids"))
        #expect(format.valueColumns.map(\.name) == ["PRICE", "ITEM"])
    }
}
