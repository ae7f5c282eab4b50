import SluiceEngine
import SluiceLog
import SluiceTypes
import Testing

@testable import SluiceTestRunner

@Suite struct CaseRunnerTests {
    static let createInput =
        "CREATE STREAM INPUT (ID BIGINT KEY, V INT) WITH (kafka_topic='input', value_format='JSON');"
    static let createOutput = "CREATE STREAM OUTPUT AS SELECT * FROM INPUT;"

    static func value(_ text: String) -> JSONValue { try! JSONParser.parse(text) }

    static func passThrough(
        outputs: [ExpectedRecord], inputs: [InputRecord]? = nil, expectsRejection: Bool = false
    ) -> ConformanceCase {
        ConformanceCase(
            file: "f.json", name: "case", statements: [createInput, createOutput],
            inputs: inputs ?? [
                InputRecord(topic: "input", key: .number(text: "1"), value: value(#"{"V": 1}"#), timestamp: 5),
                InputRecord(topic: "input", key: .number(text: "2"), value: value(#"{"V": 2}"#), timestamp: 6),
            ],
            outputs: outputs, expectsRejection: expectsRejection)
    }

    static let matchingOutputs = [
        ExpectedRecord(topic: "OUTPUT", key: .number(text: "1"), value: value(#"{"V": 1}"#), timestamp: 5),
        ExpectedRecord(topic: "OUTPUT", key: .number(text: "2"), value: value(#"{"v": 2.0}"#)),
    ]

    @Test func matchingOutputsPass() {
        let result = CaseRunner.run(Self.passThrough(outputs: Self.matchingOutputs), in: ScriptedEngine.environment())
        #expect(result.status == .pass, "\(result.reason)")
    }

    @Test func inputsAreProcessedOneAtATime() {
        final class Counter: @unchecked Sendable { var calls: [Int] = [] }
        let counter = Counter()
        let environment = ScriptedEngine.environment { engine in
            engine.transform = { record in
                counter.calls.append(Int(record.offset))
                return ScriptedEngine.copy(record)
            }
        }
        _ = CaseRunner.run(Self.passThrough(outputs: Self.matchingOutputs), in: environment)
        #expect(counter.calls == [0, 1])
    }

    @Test func aWrongValueFailsWithTheRecordInTheReason() {
        var outputs = Self.matchingOutputs
        outputs[1].value = Self.value(#"{"V": 3}"#)
        let result = CaseRunner.run(Self.passThrough(outputs: outputs), in: ScriptedEngine.environment())
        #expect(result.status == .fail)
        #expect(result.reason.contains("topic 'OUTPUT' record 2"))
        #expect(result.reason.contains(#"{"V":2}"#))
    }

    @Test func countsMustAgree() {
        let result = CaseRunner.run(
            Self.passThrough(outputs: [Self.matchingOutputs[0]]), in: ScriptedEngine.environment())
        #expect(result.status == .fail)
        #expect(result.reason.contains("expected 1 records, got 2"))
    }

    @Test func timestampsAreComparedOnlyWhenGiven() {
        var outputs = Self.matchingOutputs
        outputs[0].timestamp = 6
        #expect(CaseRunner.run(Self.passThrough(outputs: outputs), in: ScriptedEngine.environment()).status == .fail)
        outputs[0].timestamp = nil
        #expect(CaseRunner.run(Self.passThrough(outputs: outputs), in: ScriptedEngine.environment()).status == .pass)
    }

    @Test func headersMustMatchAndDefaultToNone() {
        var inputs = Self.passThrough(outputs: []).inputs
        inputs[0].headers = [Header(key: "h", value: [1])]
        #expect(
            CaseRunner.run(
                Self.passThrough(outputs: Self.matchingOutputs, inputs: inputs), in: ScriptedEngine.environment()
            ).status == .fail)
        var outputs = Self.matchingOutputs
        outputs[0].headers = [Header(key: "h", value: [1])]
        #expect(
            CaseRunner.run(Self.passThrough(outputs: outputs, inputs: inputs), in: ScriptedEngine.environment()).status
                == .pass)
    }

    @Test func windowedOutputsNeedTheWindow() {
        let windowed = TopicLayout(
            keyFormat: .kafka, valueFormat: .json, keyColumns: [Column(name: "ID", type: .bigint, namespace: .key)],
            valueColumns: [], windowing: .time(sizeMs: 10))
        let environment = ScriptedEngine.environment(layouts: ["input": ScriptedEngine.jsonStream, "OUTPUT": windowed])
        { engine in
            engine.transform = { record in
                var key = record.key ?? []
                RecordEncoder.appendBigEndian(record.timestamp / 10 * 10, to: &key)
                return [ProducerRecord(key: key, value: record.value, timestamp: record.timestamp)]
            }
        }
        var outputs = Self.matchingOutputs
        #expect(CaseRunner.run(Self.passThrough(outputs: outputs), in: environment).status == .fail)
        outputs[0].window = WindowData(start: 0, end: 10, kind: .time)
        outputs[1].window = WindowData(start: 0, end: 10, kind: .time)
        #expect(CaseRunner.run(Self.passThrough(outputs: outputs), in: environment).status == .pass)
        outputs[1].window = WindowData(start: 0, end: 10, kind: .session)
        #expect(CaseRunner.run(Self.passThrough(outputs: outputs), in: environment).status == .fail)
    }

    @Test func expectedExceptionsPassOnlyWhenSomethingIsRejected() {
        let rejecting = ScriptedEngine.environment { engine in
            engine.rejections = [
                .init(containing: "OUTPUT AS", error: ScriptedEngine.sqlError(.semantic, "no such column"))
            ]
        }
        let test = Self.passThrough(outputs: [], expectsRejection: true)
        let rejected = CaseRunner.run(test, in: rejecting)
        #expect(rejected.status == .pass && rejected.reason.contains("no such column"))
        let accepted = CaseRunner.run(test, in: ScriptedEngine.environment())
        #expect(accepted.status == .fail && accepted.reason.contains("to be rejected"))
        // An unexpected rejection fails the case.
        let unexpected = CaseRunner.run(Self.passThrough(outputs: Self.matchingOutputs), in: rejecting)
        #expect(unexpected.status == .fail && unexpected.reason.contains("statement 2"))
    }

    @Test func runtimeFailuresCountAsRejections() {
        let environment = RunnerEnvironment(
            makeStore: { MemoryTopicStore() },
            makeEngine: { _, store in ThrowingEngine(store: store) })
        #expect(CaseRunner.run(Self.passThrough(outputs: [], expectsRejection: true), in: environment).status == .pass)
        let result = CaseRunner.run(Self.passThrough(outputs: Self.matchingOutputs), in: environment)
        #expect(result.status == .fail && result.reason.contains("processing input 1"))
    }

    @Test func notSupportedIsUnsupportedAndInternalErrorsAreErrors() {
        let unsupported = ScriptedEngine.environment { engine in
            engine.rejections = [.init(containing: "INPUT (", error: ScriptedEngine.sqlError(.notSupported, "AVRO"))]
        }
        #expect(CaseRunner.run(Self.passThrough(outputs: Self.matchingOutputs), in: unsupported).status == .unsupported)
        #expect(
            CaseRunner.run(Self.passThrough(outputs: [], expectsRejection: true), in: unsupported).status
                == .unsupported)
        let broken = ScriptedEngine.environment { engine in
            engine.rejections = [.init(containing: "INPUT (", error: ScriptedEngine.sqlError(.internalBug, "oops"))]
        }
        #expect(CaseRunner.run(Self.passThrough(outputs: Self.matchingOutputs), in: broken).status == .error)
    }

    @Test func testOnlyFunctionsTheEngineLacksAreUnsupported() {
        var test = Self.passThrough(outputs: Self.matchingOutputs)
        test.statements[1] = "CREATE STREAM OUTPUT AS SELECT ID, TEST_UDF(V) AS V FROM INPUT;"
        let lacking = ScriptedEngine.environment { engine in
            engine.rejections = [
                .init(containing: "DESCRIBE FUNCTION", error: ScriptedEngine.sqlError(.semantic, "unknown function"))
            ]
        }
        let result = CaseRunner.run(test, in: lacking)
        #expect(result.status == .unsupported && result.reason.contains("TEST_UDF"))
        // An engine that defines the function runs the case.
        #expect(CaseRunner.run(test, in: ScriptedEngine.environment()).status == .pass)
    }

    @Test func inputTopicsWithoutASourceFail() {
        let environment = ScriptedEngine.environment(layouts: ["OUTPUT": ScriptedEngine.jsonStream])
        let result = CaseRunner.run(Self.passThrough(outputs: Self.matchingOutputs), in: environment)
        #expect(result.status == .fail && result.reason.contains("input 1"))
    }

    @Test func schemaFormatsAreWrittenAndReadThroughTheColumns() {
        var avro = ScriptedEngine.jsonStream
        avro.valueFormat = .avro
        let environment = ScriptedEngine.environment(layouts: ["input": avro, "OUTPUT": avro])
        #expect(CaseRunner.run(Self.passThrough(outputs: Self.matchingOutputs), in: environment).status == .pass)
    }

    @Test func declaredAndInputTopicsExistBeforeTheStatementsRun() {
        let store = MemoryTopicStore()
        let test = ConformanceCase(
            file: "f", name: "n",
            statements: [
                "CREATE TABLE T (ID INT PRIMARY KEY) WITH (kafka_topic='declared', partitions=3, value_format='JSON');"
            ],
            topics: [TopicSpec(name: "listed", partitions: 2)],
            inputs: [InputRecord(topic: "written", value: .null)])
        #expect(CaseRunner.createTopics(for: test, in: store) == nil)
        #expect(store.describeTopic("declared")?.config.partitions == 3)
        #expect(store.describeTopic("listed")?.config.partitions == 2)
        #expect(store.describeTopic("written")?.config.partitions == 1)
    }

    @Test func runawayOutputStops() {
        var environment = ScriptedEngine.environment { engine in
            engine.transform = { record in Array(repeating: ScriptedEngine.copy(record)[0], count: 50) }
        }
        environment.maxOutputRecordsPerTopic = 60
        let result = CaseRunner.run(Self.passThrough(outputs: Self.matchingOutputs), in: environment)
        #expect(result.status == .fail && result.reason.contains("runaway"))
    }

    @Test func incorrectTestingToolCasesPassByFailing() {
        var test = Self.passThrough(outputs: [Self.matchingOutputs[0]])
        test.expectsFailure = true
        #expect(CaseRunner.run(test, in: ScriptedEngine.environment()).status == .pass)
        test.outputs = Self.matchingOutputs
        #expect(CaseRunner.run(test, in: ScriptedEngine.environment()).status == .fail)
    }

    @Test func casePropertiesOverrideTheBase() {
        final class Seen: @unchecked Sendable { var properties: [String: String] = [:] }
        let seen = Seen()
        let environment = RunnerEnvironment(
            makeStore: { MemoryTopicStore() },
            makeEngine: { properties, store in
                seen.properties = properties
                return ScriptedEngine(
                    store: store, layouts: ["input": ScriptedEngine.jsonStream, "OUTPUT": ScriptedEngine.jsonStream])
            })
        var test = Self.passThrough(outputs: Self.matchingOutputs)
        test.properties = ["auto.offset.reset": "latest", "x": "y"]
        _ = CaseRunner.run(test, in: environment)
        #expect(seen.properties["auto.offset.reset"] == "latest")
        #expect(seen.properties["x"] == "y")
        #expect(seen.properties["ksql.service.id"] == "some.ksql.service.id")
    }
}

/// An engine whose queries fail at run time.
final class ThrowingEngine: CaseEngine {
    struct RuntimeFailure: Error, CustomStringConvertible {
        var description: String { "deserialization failed" }
    }

    let store: any TopicStore
    init(store: any TopicStore) { self.store = store }
    func execute(_ statement: String) throws -> [StatementResult] { [] }
    func runUntilIdle() throws {
        if (try? store.endOffset(TopicPartition("input", 0))) ?? 0 > 0 { throw RuntimeFailure() }
    }
    func layout(forTopic topic: String) -> TopicLayout? { ScriptedEngine.jsonStream }
    func describeSource(_ name: String) -> SourceInfo? { nil }
    func close() {}
}
