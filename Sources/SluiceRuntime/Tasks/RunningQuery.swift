import SluiceLog
import SluicePlanner
import SluiceTypes

/// A query that is running: its stages' tasks, polled by the engine's scheduler.
///
/// Stages are ordered upstream first; a stage reads a source topic or the repartition topic the
/// stage before it writes. A persistent query commits its position under its id as consumer group;
/// a transient query keeps positions in memory only.
public final class RunningQuery: @unchecked Sendable {
    public enum State: String, Sendable {
        case running = "RUNNING"
        case paused = "PAUSED"
        case done = "DONE"
        case failed = "ERROR"
    }

    public let id: String
    public let plan: QueryPlan
    public internal(set) var state: State = .running
    /// Why the query failed, when it did.
    public internal(set) var failure: String?
    /// How this start restored state from snapshots: bytes read and the time it took (zero when
    /// there was no snapshot; the replay after it is not included).
    public internal(set) var restoredStateBytes = 0
    public internal(set) var restoreDuration = Duration.zero
    /// Internal topics the query owns (deleted with it).
    public let internalTopics: [String]
    let stages: [[StageTask]]
    let result: ResultOperator?
    /// Called once when a transient query ends (LIMIT reached or failure).
    var onFinish: ((String?) -> Void)?

    init(
        id: String, plan: QueryPlan, stages: [[StageTask]], internalTopics: [String], result: ResultOperator?
    ) {
        self.id = id
        self.plan = plan
        self.stages = stages
        self.internalTopics = internalTopics
        self.result = result
    }

    /// Every input partition and the position its task reads next (for waiting on new data).
    public var positions: [TopicPartition: Int64] {
        var out: [TopicPartition: Int64] = [:]
        for stage in stages { for t in stage { for i in t.inputs { out[i.partition] = i.position } } }
        return out
    }

    /// Runs each task once; returns whether any task read records.
    /// Records a task reads per input per poll: with the inputs staying in the log until read,
    /// this bounds what a query holds in flight however fast records arrive.
    public var maxPollRecords = 500

    public func poll(_ store: any TopicStore) -> Bool { poll(store, maxRecords: maxPollRecords) }

    public func poll(_ store: any TopicStore, maxRecords: Int) -> Bool {
        guard state == .running else { return false }
        var progressed = false
        do {
            for stage in stages {
                for task in stage {
                    if try task.poll(store, maxRecords: maxRecords) { progressed = true }
                    if let fatal = task.context.fatal {
                        state = .failed
                        failure = fatal
                        onFinish?(fatal)
                        onFinish = nil
                        return true
                    }
                    if let result, result.isDone {
                        finish(nil)
                        return true
                    }
                }
            }
        } catch {
            state = .failed
            failure = error.description
            onFinish?(error.description)
            onFinish = nil
        }
        return progressed
    }

    /// Commits a snapshot of every stateful task that processed records since its last one (a
    /// clean stop), so the next start resumes from it without replaying.
    public func checkpoint(_ store: any TopicStore) {
        guard state == .running || state == .paused else { return }
        do {
            for stage in stages { for task in stage { try task.checkpoint(store) } }
        } catch {
            // The snapshot is an optimisation: without it the next start replays.
        }
    }

    func finish(_ reason: String?) {
        guard state == .running || state == .paused else { return }
        state = .done
        onFinish?(reason)
        onFinish = nil
    }

    /// Rows written to the sink so far (persistent queries).
    public var recordsProcessed: Int {
        stages.reduce(0) { $0 + $1.reduce(0) { $0 + $1.inputs.reduce(0) { $0 + Int($1.position) } } }
    }

    /// Sets what to run once when the query ends (a transient query's handle is told).
    public func setFinishHandler(_ handler: @escaping (String?) -> Void) { onFinish = handler }

    public func pause() { if state == .running { state = .paused } }
    public func resume() { if state == .paused { state = .running } }
    public func stop() { finish("terminated") }
}
