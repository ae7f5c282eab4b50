import SluiceLog
import Testing

@testable import SluiceTestRunner

#if os(Linux)
    import Glibc

    /// Isolation forks worker processes; these cases check that a crash or a hang costs one case.
    @Suite(.serialized) struct IsolationTests {
        static func testCase(_ name: String, value: String) -> ConformanceCase {
            ConformanceCase(
                file: "iso.json", name: name,
                statements: [
                    "CREATE STREAM INPUT (ID BIGINT KEY, V INT) WITH (kafka_topic='input', value_format='JSON');"
                ],
                inputs: [InputRecord(topic: "input", key: .number(text: "1"), value: .string(value))],
                outputs: [ExpectedRecord(topic: "OUTPUT", key: .number(text: "1"), value: .string(value))])
        }

        static let environment = ScriptedEngine.environment { engine in
            engine.transform = { record in
                let text = String(decoding: record.value ?? [], as: UTF8.self)
                if text.contains("crash") { fatalError("scripted crash") }
                if text.contains("hang") { while true { sleep(1) } }
                return ScriptedEngine.copy(record)
            }
        }

        @Test func aCrashingCaseIsAnErrorAndTheRestStillRun() {
            let cases = [
                Self.testCase("a", value: "ok"), Self.testCase("b", value: "crash"), Self.testCase("c", value: "ok"),
            ]
            var results: [Int: CaseResult] = [:]
            var order: [Int] = []
            IsolatedRunner.run(cases, environment: Self.environment, jobs: 2, timeoutSeconds: 30) { index, result in
                results[index] = result
                order.append(index)
            }
            #expect(order == [0, 1, 2])
            #expect(results[0]?.status == .pass && results[2]?.status == .pass)
            #expect(results[1]?.status == .error)
            #expect(results[1]?.reason.contains("crashed") == true)
            #expect(results[1]?.reason.contains("scripted crash") == true)
        }

        @Test func aHangingCaseTimesOut() {
            let cases = [Self.testCase("slow", value: "hang"), Self.testCase("fine", value: "ok")]
            var results: [CaseResult] = []
            IsolatedRunner.run(cases, environment: Self.environment, jobs: 1, timeoutSeconds: 1) { _, result in
                results.append(result)
            }
            #expect(results.map(\.status) == [.error, .pass])
            #expect(results.first?.reason.contains("timed out") == true)
        }
    }
#endif
