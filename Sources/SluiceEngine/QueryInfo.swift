import SluicePlanner
import SluiceLog
import SluiceRuntime

/// What the engine remembers of a persistent query: the running query and the statement behind it.
final class QueryInfo {
    let id: String
    let statementText: String
    let sinkName: String?
    let running: RunningQuery
    /// at_least_once or exactly_once, as set when the query was created.
    let guarantee: String

    init(id: String, statementText: String, sinkName: String?, running: RunningQuery, guarantee: String) {
        self.id = id
        self.statementText = statementText
        self.sinkName = sinkName
        self.running = running
        self.guarantee = guarantee
    }
}

/// A transient push query or PRINT, polled by the scheduler until it ends or is cancelled.
protocol TransientWork: AnyObject {
    var isFinished: Bool { get }
    var positions: [TopicPartition: Int64] { get }
    func poll() -> Bool
    func cancel()
}
