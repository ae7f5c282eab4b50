import SluiceEngine
import SluiceLog
import SluiceSQL

/// What the runner needs to run cases: a fresh topic store and engine per case, and limits.
public struct RunnerEnvironment: Sendable {
    public var makeStore: @Sendable () -> any TopicStore
    public var makeEngine: @Sendable (_ properties: [String: String], _ store: any TopicStore) throws -> any CaseEngine
    /// A case producing more records than this on one output topic is stopped and fails.
    public var maxOutputRecordsPerTopic: Int

    public init(
        makeStore: @escaping @Sendable () -> any TopicStore,
        makeEngine:
            @escaping @Sendable (_ properties: [String: String], _ store: any TopicStore) throws -> any CaseEngine,
        maxOutputRecordsPerTopic: Int = 100_000
    ) {
        self.makeStore = makeStore
        self.makeEngine = makeEngine
        self.maxOutputRecordsPerTopic = maxOutputRecordsPerTopic
    }

    /// Properties every case starts from, as ksqlDB's test executor sets them: read topics from the
    /// beginning, emit every change (no record cache), and a fixed service id (internal topic names
    /// contain it). A case's own `properties` override these.
    public static let baseProperties: [String: String] = [
        "auto.offset.reset": "earliest",
        "cache.max.bytes.buffering": "0",
        "ksql.service.id": "some.ksql.service.id",
    ]
}

/// Runs one case on a fresh engine and judges the result.
///
/// The steps follow ksqlDB's test executor: create the declared topics; execute the statements in
/// order (for REST cases only those before the first query, the rest after the inputs); write each
/// input record and let the queries process it before the next (ksqlDB's test driver pipes one
/// record at a time); then compare, per output topic and in order, the records the queries wrote
/// with the expected ones.
public enum CaseRunner {
    public static func run(_ testCase: ConformanceCase, in environment: RunnerEnvironment) -> CaseResult {
        let outcome = judge(testCase, in: environment)
        guard testCase.expectsFailure else { return outcome }
        // A testing-tool case under `incorrect/` passes when the run fails.
        switch outcome.status {
        case .fail:
            return CaseResult(
                file: testCase.file, name: testCase.name, status: .pass, reason: "failed as expected: \(outcome.reason)"
            )
        case .pass:
            return CaseResult(
                file: testCase.file, name: testCase.name, status: .fail,
                reason: "expected this test to fail, but it passed")
        case .error where testCase.loadError != nil:
            return CaseResult(
                file: testCase.file, name: testCase.name, status: .pass, reason: "failed as expected: \(outcome.reason)"
            )
        default:
            return outcome
        }
    }

    private static func judge(_ testCase: ConformanceCase, in environment: RunnerEnvironment) -> CaseResult {
        func result(_ status: CaseStatus, _ reason: String = "") -> CaseResult {
            CaseResult(file: testCase.file, name: testCase.name, status: status, reason: reason)
        }
        if let loadError = testCase.loadError { return result(.error, "invalid test: \(loadError)") }
        if let unsupported = testCase.unsupportedReason { return result(.unsupported, unsupported) }

        let store = environment.makeStore()
        if let problem = createTopics(for: testCase, in: store) { return result(.error, problem) }

        var properties = RunnerEnvironment.baseProperties
        properties.merge(testCase.properties) { _, caseValue in caseValue }
        let engine: any CaseEngine
        do {
            engine = try environment.makeEngine(properties, store)
        } catch {
            // A property the engine refuses is a rejection like any other.
            return classify(error, stage: "engine configuration", testCase: testCase)
        }
        defer { engine.close() }

        if let problem = SchemaRegistration.register(testCase, engine: engine) {
            return result(problem.unsupported ? .unsupported : .error, problem.message)
        }

        if let missing = missingTestOnlyFunction(in: testCase, engine: engine) {
            return result(.unsupported, "uses \(missing), a function only ksqlDB's test suite defines")
        }

        var execution = Execution(testCase: testCase, engine: engine, store: store, environment: environment)
        return execution.run()
    }

    /// Functions that exist only on the class path of ksqlDB's own test runs (test UDFs, UDAFs and
    /// UDTFs, and the testing tool's example extension), not in ksqlDB itself.
    static let testOnlyFunctions: Set<String> = [
        "TEST_UDF", "BAD_UDF", "TEST_UDTF", "THROWING_UDTF", "WHENCONDITION", "TEST_UDAF", "VAR_ARG",
        "MID_VAR_ARG", "OBJ_COL_ARG", "GENERIC_VAR_ARG", "MULTI_ARG", "FOUR_ARG", "FIVE_ARG", "BACKWARD_CONCAT",
    ]

    /// The first test-only function the case calls that the engine does not define (asked with
    /// `DESCRIBE FUNCTION`, so an engine that adds them gets the cases back).
    static func missingTestOnlyFunction(in testCase: ConformanceCase, engine: any CaseEngine) -> String? {
        let called = testCase.statements.reduce(into: Set<String>()) { $0.formUnion(StatementScanner.calledNames($1)) }
        for name in called.intersection(testOnlyFunctions).sorted() {
            if (try? engine.execute("DESCRIBE FUNCTION \(name);")) == nil { return name }
        }
        return nil
    }

    /// Creates the topics the test declares, the topics its `CREATE STREAM/TABLE` statements name,
    /// and the topics it writes inputs to, so statements over existing topics succeed as they do
    /// in ksqlDB's test framework. Returns a message when the store refuses.
    static func createTopics(for testCase: ConformanceCase, in store: any TopicStore) -> String? {
        var wanted: [(String, Int)] = testCase.topics.map { ($0.name, $0.partitions) }
        for statement in testCase.statements {
            if let declared = StatementScanner.declaredTopic(statement) {
                wanted.append((declared.name, max(declared.partitions ?? 1, 1)))
            }
        }
        wanted.append(contentsOf: testCase.inputs.map { ($0.topic, 1) })
        for (name, partitions) in wanted where store.describeTopic(name) == nil {
            do {
                try store.createTopic(name, config: TopicConfig(partitions: partitions))
            } catch {
                return "cannot create topic '\(name)': \(error)"
            }
        }
        return nil
    }

    /// Turns an error thrown while running a case into its result.
    static func classify(_ error: any Error, stage: String, testCase: ConformanceCase) -> CaseResult {
        func result(_ status: CaseStatus, _ reason: String) -> CaseResult {
            CaseResult(file: testCase.file, name: testCase.name, status: status, reason: reason)
        }
        let message = describe(error)
        if let sqlError = error as? SQLError {
            switch sqlError.diagnostic.category {
            case .notSupported: return result(.unsupported, "\(stage): not supported: \(message)")
            case .internalBug: return result(.error, "\(stage): internal error: \(message)")
            default: break
            }
        }
        if testCase.expectsRejection { return result(.pass, "rejected as expected (\(stage)): \(message)") }
        return result(.fail, "\(stage) rejected: \(message)")
    }

    /// One line describing an error: a diagnostic's message without the rendered source excerpt.
    static func describe(_ error: any Error) -> String {
        if let sqlError = error as? SQLError {
            return "\(sqlError.diagnostic.message) [\(sqlError.diagnostic.id)]"
        }
        return ConformanceReport.oneLine("\(error)")
    }
}
