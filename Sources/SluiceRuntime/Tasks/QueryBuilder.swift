import SluiceLog
import SluicePlanner
import SluiceTypes

/// Builds a ``RunningQuery`` from a plan: cuts the plan at a rekey into two stages when the rows
/// must move between partitions, creates the tasks, and places each at its starting position.
public struct QueryBuilder {
    public enum OffsetReset: String, Sendable {
        case earliest
        case latest
    }

    public var store: any TopicStore
    public var log: ProcessingLog
    public var offsetReset: OffsetReset

    public init(store: any TopicStore, log: ProcessingLog, offsetReset: OffsetReset) {
        self.store = store
        self.log = log
        self.offsetReset = offsetReset
    }

    /// A persistent query writing to `plan.sink`, committing offsets under `id`.
    public func persistent(id: String, plan: QueryPlan) throws -> RunningQuery {
        guard let sink = plan.sink else { throw RuntimeError("a persistent query needs a sink") }
        let sinkPartitions = store.describeTopic(sink.topic)?.config.partitions ?? 1
        return try build(id: id, plan: plan, group: id) { () throws -> (Operator, RecordBuffer?) in
            let op = try SinkOperator(sink: sink, partitions: sinkPartitions)
            return (op, op)
        }
    }

    /// A transient push query: rows go to `emit`; it ends at its LIMIT.
    public func transient(id: String, plan: QueryPlan, emit: @escaping ([String]) -> Void) throws -> RunningQuery {
        var result: ResultOperator?
        let query = try build(id: id, plan: plan, group: nil) { () throws -> (Operator, RecordBuffer?) in
            let op = ResultOperator(limit: plan.limit, isTable: plan.layout.isTable, emit: emit)
            result = op
            return (op, nil)
        }
        return RunningQuery(
            id: query.id, plan: plan, stages: query.stages, internalTopics: query.internalTopics, result: result)
    }

    func build(
        id: String, plan: QueryPlan, group: String?, makeSink: () throws -> (Operator, RecordBuffer?)
    ) throws -> RunningQuery {
        // The plan is a chain from the root down to one scan.
        var chain: [PlanNode] = []
        var node = plan.root
        while true {
            chain.append(node)
            switch node {
            case .scan: break
            case .filter(let input, _, _), .project(let input, _), .rekey(let input, _), .aggregate(let input, _),
                .flatMap(let input, _):
                node = input
                continue
            case .join:
                throw RuntimeError("not supported yet: joins")
            }
            break
        }
        guard case .scan(let scan) = chain.last else { throw RuntimeError("a query plan must start at a source") }
        let sourcePartitions = store.describeTopic(scan.source.topic)?.config.partitions ?? 1
        let committed = group.map { store.committedOffsets(group: $0) } ?? [:]

        let groupBy = chain.contains {
            if case .aggregate = $0 { return true }
            return false
        }
        let rekeyIndex = chain.firstIndex {
            if case .rekey = $0 { return true }
            return false
        }
        var needsRepartition = false
        if let rekeyIndex, case .rekey(let input, let rekey) = chain[rekeyIndex] {
            needsRepartition = sourcePartitions > 1 && !Self.isIdentityKey(rekey, input: input.layout)
        }

        let (terminal, sinkBuffer) = try makeSink()
        if needsRepartition, let rekeyIndex {
            let topic = "_sluice-\(id)-repartition"
            if store.describeTopic(topic) == nil {
                try store.createTopic(topic, config: TopicConfig(partitions: sourcePartitions))
            }
            let upper = Array(chain[..<rekeyIndex])
            let lower = Array(chain[rekeyIndex..<(chain.count - 1)])
            // Stage 2: repartition topic → upper operators → sink.
            var stage2: [StageTask] = []
            for p in 0..<sourcePartitions {
                let context = TaskContext(queryID: id, log: log)
                let (terminalOp, buffer) = p == 0 ? (terminal, sinkBuffer) : try makeSink()
                let head = try chainOperators(upper, ending: terminalOp, groupBy: groupBy)
                let tp = TopicPartition(topic, p)
                stage2.append(
                    try task(tp, head: head, context: context, buffers: buffer.map { [$0] } ?? [], group: group,
                             committed: committed, decode: RepartitionDecoder.decode))
            }
            // Stage 1: source → lower operators (including the rekey) → repartition topic.
            var stage1: [StageTask] = []
            for p in 0..<sourcePartitions {
                let context = TaskContext(queryID: id, log: log)
                let repartition = RepartitionSinkOperator(topic: topic, partitions: sourcePartitions)
                let head = try chainOperators(lower, ending: repartition, groupBy: groupBy)
                let decoder = try SourceDecoder(scan)
                stage1.append(
                    try task(TopicPartition(scan.source.topic, p), head: head, context: context, buffers: [repartition],
                             group: group, committed: committed, decode: decoder.decode))
            }
            return RunningQuery(id: id, plan: plan, stages: [stage1, stage2], internalTopics: [topic], result: nil)
        }
        var tasks: [StageTask] = []
        for p in 0..<sourcePartitions {
            let context = TaskContext(queryID: id, log: log)
            let (terminalOp, buffer) = p == 0 ? (terminal, sinkBuffer) : try makeSink()
            let head = try chainOperators(Array(chain.dropLast()), ending: terminalOp, groupBy: groupBy)
            let decoder = try SourceDecoder(scan)
            tasks.append(
                try task(TopicPartition(scan.source.topic, p), head: head, context: context,
                         buffers: buffer.map { [$0] } ?? [], group: group, committed: committed, decode: decoder.decode))
        }
        return RunningQuery(id: id, plan: plan, stages: [tasks], internalTopics: [], result: nil)
    }

    private func task(
        _ tp: TopicPartition, head: Operator, context: TaskContext, buffers: [RecordBuffer], group: String?,
        committed: [TopicPartition: Int64], decode: @escaping (ConsumedRecord, Int, TaskContext) -> RuntimeRow?
    ) throws -> StageTask {
        let start = try store.startOffset(tp)
        let position: Int64
        var restoreUntil: Int64 = 0
        if let done = committed[tp] {
            // Replay from the start to rebuild operator state, discarding what was already written.
            position = start
            restoreUntil = done
        } else {
            position = offsetReset == .earliest ? start : try store.endOffset(tp)
        }
        return StageTask(
            input: tp, position: position, restoreUntil: restoreUntil, decode: decode, head: head, context: context,
            buffers: buffers, group: group)
    }

    /// Operators for `nodes` (root first), the last one feeding `terminal`.
    private func chainOperators(_ nodes: [PlanNode], ending terminal: Operator, groupBy: Bool) throws -> Operator {
        var next = terminal
        for node in nodes {
            switch node {
            case .scan: break
            case .filter(let input, let predicate, _):
                next = FilterOperator(predicate: predicate, isTable: input.layout.isTable, next: next)
            case .project(let input, let p):
                next = ProjectOperator(p, inputValueCount: input.layout.valueCount, next: next)
            case .rekey(let input, let r):
                next = RekeyOperator(
                    r, inputValueCount: input.layout.valueCount, dropNullKeys: groupBy,
                    isTable: input.layout.isTable, next: next)
            case .aggregate(_, let a):
                next = AggregateOperator(a, next: next)
            case .flatMap(_, let f):
                next = FlatMapOperator(f, next: next)
            case .join:
                throw RuntimeError("not supported yet: joins")
            }
        }
        return next
    }

    /// Whether a rekey keeps the key as it is (GROUP BY the key columns, in order).
    static func isIdentityKey(_ rekey: RekeyNode, input: RowLayout) -> Bool {
        guard rekey.keys.count == input.keyCount else { return false }
        for (i, k) in rekey.keys.enumerated() {
            guard case .column(let index, _) = k, index == i else { return false }
        }
        return true
    }
}

/// A query that cannot be built or run.
public struct RuntimeError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension QueryBuilder {
    /// Runs a pull query: the plan over everything its source holds now, then stops. Tables give
    /// their current rows, streams every row, each cut to the plan's LIMIT.
    public func snapshot(id: String, plan: QueryPlan) throws -> [[String]] {
        var collectors: [SnapshotOperator] = []
        var reader = self
        reader.offsetReset = .earliest
        let query = try reader.build(id: id, plan: plan, group: nil) { () throws -> (Operator, RecordBuffer?) in
            let op = SnapshotOperator(isTable: plan.layout.isTable)
            collectors.append(op)
            return (op, nil)
        }
        var ends: [TopicPartition: Int64] = [:]
        for task in query.stages.first ?? [] { ends[task.input] = try store.endOffset(task.input) }
        while true {
            var progressed = false
            for stage in query.stages {
                for task in stage where ends[task.input].map({ task.position < $0 }) ?? true {
                    if try task.poll(store, maxRecords: 1000) { progressed = true }
                }
            }
            if !progressed { break }
        }
        for topic in query.internalTopics { try? store.deleteTopic(topic) }
        let rows = collectors.flatMap(\.rows)
        if let limit = plan.limit { return Array(rows.prefix(limit)) }
        return rows
    }
}
