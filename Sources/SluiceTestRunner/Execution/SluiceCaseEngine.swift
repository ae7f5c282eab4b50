import SluiceEngine
import SluiceLog
import SluiceSQL

/// The runner's view of the real engine.
///
/// TODO(engine API): replace this placeholder with the adapter over `Engine` as soon as
/// `SluiceEngine.Engine` lands; until then every case reports the engine as unavailable.
enum SluiceCaseEngine {
    static let environment = RunnerEnvironment(
        makeStore: { MemoryTopicStore() },
        makeEngine: { _, _ in
            throw SQLError(
                Diagnostic(category: .notSupported, id: "runner.no-engine", message: "the engine is not available yet"),
                source: "")
        }
    )
}
