import SluiceEngine
import SluiceTypes

/// Fills the engine's schema registry before a case's statements run, the way ksqlDB's test
/// executor fills its mock registry, so that schema ids come out the same (tests name them in
/// `KEY_SCHEMA_ID` / `VALUE_SCHEMA_ID`):
///
/// 1. Schemas the test gives an id (`keySchemaId` / `valueSchemaId`) are registered with it, in
///    the order of the `topics` section.
/// 2. Then every topic is registered, key schema before value schema, with new ids counting from
///    1 (a schema registered already keeps its id). The topics are the test's, then those that
///    `CREATE STREAM/TABLE` statements with columns declare (with the schemas ksqlDB derives from
///    the columns, where the test gives none), then those inputs and outputs name. ksqlDB keeps
///    them in a `java.util.HashMap` keyed by name, so they are registered in its iteration order
///    (``JavaHashMapOrder``).
enum SchemaRegistration {
    /// Nil when done; otherwise why the case cannot run (`unsupported` when the engine has no
    /// registry but the case needs one).
    static func register(_ testCase: ConformanceCase, engine: any CaseEngine) -> (message: String, unsupported: Bool)? {
        let needsRegistry = testCase.topics.contains(where: \.hasRegisteredSchema)
        guard let registry = engine.schemaRegistry else {
            guard let topic = testCase.topics.first(where: \.hasRegisteredSchema), needsRegistry else { return nil }
            return ("needs a schema registry (topic '\(topic.name)' registers a schema)", true)
        }
        do {
            for topic in testCase.topics {
                for (isKey, schema) in [(true, topic.keySchema), (false, topic.valueSchema)] {
                    guard let schema, let id = schema.id else { continue }
                    try registry.register(
                        subject: SchemaRegistry.subject(topic: topic.name, isKey: isKey), schemaType: schema.type,
                        schema: schema.text, references: schema.references, id: id)
                }
            }
            for topic in allTopics(testCase, engine: engine) {
                for (isKey, schema) in [(true, topic.key), (false, topic.value)] {
                    guard let schema else { continue }
                    try registry.register(
                        subject: SchemaRegistry.subject(topic: topic.name, isKey: isKey), schemaType: schema.type,
                        schema: schema.text, references: schema.references)
                }
            }
        } catch {
            return ("cannot register the test's schemas: \(error)", false)
        }
        return nil
    }

    struct Topic {
        var name: String
        var key: TopicSchema?
        var value: TopicSchema?
    }

    /// ksqlDB's `TestCaseBuilderUtil.getAllTopics`, in registration order.
    static func allTopics(_ testCase: ConformanceCase, engine: any CaseEngine) -> [Topic] {
        var names: [String] = []
        var byName: [String: Topic] = [:]
        func add(_ topic: Topic) {
            if byName[topic.name] == nil { names.append(topic.name) }
            byName[topic.name] = topic
        }
        for t in testCase.topics { add(Topic(name: t.name, key: t.keySchema, value: t.valueSchema)) }
        for statement in testCase.statements {
            guard let declared = engine.declaredTopicSchemas(statement) else { continue }
            let key = declared.key.map { TopicSchema(type: $0.type, text: $0.text) }
            let value = declared.value.map { TopicSchema(type: $0.type, text: $0.text) }
            if var existing = byName[declared.topic] {
                existing.key = existing.key ?? key
                existing.value = existing.value ?? value
                add(existing)
            } else {
                add(Topic(name: declared.topic, key: key, value: value))
            }
        }
        for topic in testCase.inputs.map(\.topic) + testCase.outputs.map(\.topic) where byName[topic] == nil {
            add(Topic(name: topic))
        }
        return JavaHashMapOrder.order(names).compactMap { byName[$0] }
    }
}

/// The order a `java.util.HashMap<String, V>` iterates its keys, given the order they were first
/// put: buckets in index order (`hash ^ (hash >>> 16)` masked by the table size, `String.hashCode`
/// over UTF-16 units), keys within a bucket in insertion order. The table starts at 16 buckets and
/// doubles whenever it holds more than three quarters of its size (resizing keeps each bucket's
/// order).
enum JavaHashMapOrder {
    static func order(_ keys: [String]) -> [String] {
        var capacity = 16
        while keys.count > capacity * 3 / 4 { capacity *= 2 }
        let indexed = keys.enumerated().map { (position: $0.offset, key: $0.element, bucket: bucket($0.element, capacity)) }
        return indexed.sorted { ($0.bucket, $0.position) < ($1.bucket, $1.position) }.map(\.key)
    }

    static func hashCode(_ s: String) -> Int32 {
        var h: Int32 = 0
        for unit in s.utf16 { h = h &* 31 &+ Int32(unit) }
        return h
    }

    static func bucket(_ key: String, _ capacity: Int) -> Int {
        let h = UInt32(bitPattern: hashCode(key))
        return Int((h ^ (h >> 16)) & UInt32(capacity - 1))
    }
}
