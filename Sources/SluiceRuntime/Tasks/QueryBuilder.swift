import SluiceLog
import SluicePlanner
import SluiceTypes

/// Builds a ``RunningQuery`` from a plan: one task per partition, each with its own operators.
///
/// The plan tree is walked from the root down. A rekey that must move rows between partitions
/// (the source has several partitions and the key changes) cuts the tree: the part below it
/// becomes an upstream stage writing to an internal repartition topic, which the part above
/// reads. A join's task reads the same partition of both of its sides.
public struct QueryBuilder {
    public enum OffsetReset: String, Sendable {
        case earliest
        case latest
    }

    public var store: any TopicStore
    public var log: ProcessingLog
    public var offsetReset: OffsetReset
    /// A stateful task snapshots its state after this many records (and every 10 s).
    public var snapshotEveryRecords = TaskSnapshot.everyRecords
    /// Where persistent queries copy the records they drop (nil: nowhere; see ``TaskContext``).
    public var deadLetterTopic: String?
    /// Records read per input per poll, and the most state a task may keep (nil: no limit).
    public var maxPollRecords = 500
    public var maxStateBytes: Int?
    /// `ksql.timestamp.throw.on.invalid`.
    public var failOnInvalidTimestamp = false

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
        id: String, plan original: QueryPlan, group: String?, useSnapshots: Bool = true,
        makeSink: () throws -> (Operator, RecordBuffer?)
    ) throws -> RunningQuery {
        var plan = original
        plan.root = ColumnPruning.prune(plan.root)
        var graph = GraphBuilder(
            queryID: id, store: store, log: log, group: group, offsetReset: offsetReset,
            committed: group.map { store.committedOffsets(group: $0) } ?? [:],
            groupBy: Self.containsAggregate(plan.root))
        let partitions = try graph.partitionCount(plan.root)
        var tasks: [StageTask] = []
        for p in 0..<partitions {
            let context = TaskContext(queryID: id, log: log)
            let (terminal, buffer) = try makeSink()
            graph.components = []
            let inputs = try graph.inputs(plan.root, partition: p, downstream: terminal, path: "")
            let task = StageTask(
                inputs: inputs, context: context, buffers: buffer.map { [$0] } ?? [], group: group,
                components: graph.components)
            task.stateKey = "\(p)"
            tasks.append(task)
        }
        let stages = graph.upstreamOrder.map { graph.upstream[$0]! } + [tasks]
        for task in stages.joined() { task.context.failOnInvalidTimestamp = failOnInvalidTimestamp }
        if group != nil, let deadLetterTopic {
            if store.describeTopic(deadLetterTopic) == nil {
                try store.createTopic(deadLetterTopic, config: TopicConfig(partitions: 1))
            }
            for task in stages.joined() { task.context.deadLetterTopic = deadLetterTopic }
        }
        var internalTopics = graph.upstreamOrder
        if group != nil, stages.joined().contains(where: { !$0.components.isEmpty }) {
            let stateTopic = "_sluice-\(id)-state"
            internalTopics.append(stateTopic)
            if store.describeTopic(stateTopic) == nil {
                try store.createTopic(stateTopic, config: TopicConfig(partitions: 1, cleanupPolicy: .compact))
            }
            let started = ContinuousClock.now
            var restoredBytes = 0
            let latest = useSnapshots ? try TaskSnapshot.latest(in: stateTopic, store: store) : [:]
            for task in stages.joined() where !task.components.isEmpty {
                let key = Array(task.stateKey.utf8)
                task.snapshots = (stateTopic, key)
                task.snapshotEveryRecords = snapshotEveryRecords
                task.maxStateBytes = maxStateBytes
                guard let bytes = latest[key] else { continue }
                restoredBytes += bytes.count
                guard let positions = TaskSnapshot.restore(bytes, components: task.components) else {
                    // A snapshot this build cannot read: start over from fresh operators, by replay.
                    return try build(id: id, plan: original, group: group, useSnapshots: false, makeSink: makeSink)
                }
                for input in task.inputs {
                    guard let at = positions[input.partition] else { continue }
                    input.position = max(at, try store.startOffset(input.partition))
                }
            }
            let query = RunningQuery(id: id, plan: plan, stages: stages, internalTopics: internalTopics, result: nil)
            query.maxPollRecords = maxPollRecords
            query.restoredStateBytes = restoredBytes
            query.restoreDuration = ContinuousClock.now - started
            return query
        }
        let query = RunningQuery(id: id, plan: plan, stages: stages, internalTopics: internalTopics, result: nil)
        query.maxPollRecords = maxPollRecords
        return query
    }

    static func containsAggregate(_ node: PlanNode) -> Bool {
        switch node {
        case .aggregate: true
        case .scan: false
        case .filter(let i, _, _), .project(let i, _), .rekey(let i, _), .flatMap(let i, _): containsAggregate(i)
        case .join(let j): containsAggregate(j.left) || containsAggregate(j.right)
        }
    }

    /// Whether a rekey keeps the key as it is (the key columns, in order).
    static func isIdentityKey(_ rekey: RekeyNode, input: RowLayout) -> Bool {
        guard rekey.keys.count == input.keyCount else { return false }
        for (i, k) in rekey.keys.enumerated() {
            guard case .column(let index, _) = k, index == i else { return false }
        }
        return true
    }
}

/// Walks a plan for one query, building operators per partition and the upstream stages that
/// feed repartition topics.
struct GraphBuilder {
    let queryID: String
    let store: any TopicStore
    let log: ProcessingLog
    let group: String?
    let offsetReset: QueryBuilder.OffsetReset
    let committed: [TopicPartition: Int64]
    /// GROUP BY drops rows whose new key is NULL; PARTITION BY and joins keep or drop them themselves.
    let groupBy: Bool
    /// Whether the operators between the input being built and the end of its stage keep state.
    /// Only then does a restart replay the input from its start (to rebuild that state); a
    /// stateless chain resumes at its committed position.
    var chainIsStateful = false
    /// The stateful operators (and table decoders) created for the task being built.
    var components: [StatefulComponent] = []
    /// Upstream stages by the repartition topic they write, in creation order.
    var upstream: [String: [StageTask]] = [:]
    var upstreamOrder: [String] = []

    init(
        queryID: String, store: any TopicStore, log: ProcessingLog, group: String?,
        offsetReset: QueryBuilder.OffsetReset, committed: [TopicPartition: Int64], groupBy: Bool
    ) {
        self.queryID = queryID
        self.store = store
        self.log = log
        self.group = group
        self.offsetReset = offsetReset
        self.committed = committed
        self.groupBy = groupBy
    }

    /// How many partitions (and so tasks) the rows of `node` are spread over.
    func partitionCount(_ node: PlanNode) throws -> Int {
        switch node {
        case .scan(let s):
            guard let d = store.describeTopic(s.source.topic) else {
                throw RuntimeError("topic '\(s.source.topic)' of \(s.source.name) does not exist")
            }
            return d.config.partitions
        case .filter(let i, _, _), .project(let i, _), .rekey(let i, _), .aggregate(let i, _), .flatMap(let i, _):
            return try partitionCount(i)
        case .join(let j) where j.foreignKey:
            return try partitionCount(j.left)
        case .join(let j):
            let l = try partitionCount(j.left)
            let r = try partitionCount(j.right)
            guard l == r else {
                throw RuntimeError(
                    "cannot join: the two sides have different numbers of partitions (\(l) and \(r)); repartition one side first")
            }
            return l
        }
    }

    /// The inputs (topic partitions with their first operator) for `node`'s rows of partition `p`,
    /// after chaining `node`'s operators in front of `downstream`.
    ///
    /// `path` names the node's place in the tree (`L`/`R` for join sides, `K` past a rekey), so each
    /// partition's walk finds the same repartition topic for the same rekey.
    mutating func inputs(_ node: PlanNode, partition p: Int, downstream: Operator, path: String) throws -> [TaskInput] {
        switch node {
        case .scan(let scan):
            let decoder = try SourceDecoder(scan)
            if decoder.isTable { components.append(decoder) }
            return [try input(TopicPartition(scan.source.topic, p), head: downstream, decode: decoder.decode)]
        case .filter(let input, let predicate, _):
            return try inputs(input, partition: p, downstream: FilterOperator(
                            predicate: predicate, inputKeyCount: input.layout.keyCount, inputValueCount: input.layout.valueCount,
                            isTable: input.layout.isTable, next: downstream), path: path)
        case .project(let input, let projection):
            return try inputs(input, partition: p, downstream: ProjectOperator(projection, inputKeyCount: input.layout.keyCount, inputValueCount: input.layout.valueCount, next: downstream), path: path)
        case .aggregate(let input, let aggregate):
            let outer = chainIsStateful
            chainIsStateful = true
            defer { chainIsStateful = outer }
            let op = AggregateOperator(aggregate, next: downstream)
            components.append(op)
            return try inputs(input, partition: p, downstream: op, path: path)
        case .flatMap(let input, let flatMap):
            return try inputs(input, partition: p, downstream: FlatMapOperator(flatMap, next: downstream), path: path)
        case .join where !chainIsStateful:
            chainIsStateful = true
            defer { chainIsStateful = false }
            return try inputs(node, partition: p, downstream: downstream, path: path)
        case .join(let join) where join.foreignKey:
            // Every task sees the whole right table, so a left row can find its right row anywhere.
            let op = ForeignKeyJoinOperator(join, next: downstream)
            components.append(op)
            var all = try inputs(join.left, partition: p, downstream: op.input(.left), path: path + "L")
            for q in 0..<(try partitionCount(join.right)) {
                all += try inputs(join.right, partition: q, downstream: op.input(.right), path: path + "R")
            }
            return all
        case .join(let join):
            let op = JoinOperator(join, next: downstream)
            components.append(op)
            return try inputs(join.left, partition: p, downstream: op.input(.left), path: path + "L")
                + inputs(join.right, partition: p, downstream: op.input(.right), path: path + "R")
        case .rekey(let input, let rekey):
            let count = try partitionCount(input)
            let dropNullKeys = groupBy
            let makeRekey = { (next: Operator) in
                RekeyOperator(
                    rekey, inputKeyCount: input.layout.keyCount, inputValueCount: input.layout.valueCount, dropNullKeys: dropNullKeys,
                    isTable: input.layout.isTable, next: next)
            }
            if count <= 1 || QueryBuilder.isIdentityKey(rekey, input: input.layout) {
                return try inputs(input, partition: p, downstream: makeRekey(downstream), path: path + "K")
            }
            let topic = try repartitionTopic(path: path, input: input, partitions: count, makeRekey: makeRekey)
            return [try self.input(TopicPartition(topic, p), head: downstream, decode: RepartitionDecoder.decode)]
        }
    }

    /// The repartition topic a rekey writes, creating it and its upstream stage the first time.
    private mutating func repartitionTopic(
        path: String, input: PlanNode, partitions: Int, makeRekey: (Operator) -> RekeyOperator
    ) throws -> String {
        let topic = "_sluice-\(queryID)-repartition" + (path.isEmpty ? "" : "-\(path)")
        if upstream[topic] != nil { return topic }
        if store.describeTopic(topic) == nil {
            try store.createTopic(topic, config: TopicConfig(partitions: partitions))
        }
        let outer = chainIsStateful
        chainIsStateful = false
        defer { chainIsStateful = outer }
        let outerComponents = components
        defer { components = outerComponents }
        var tasks: [StageTask] = []
        for p in 0..<partitions {
            let context = TaskContext(queryID: queryID, log: log)
            let sink = RepartitionSinkOperator(topic: topic, partitions: partitions)
            components = []
            let ins = try inputs(input, partition: p, downstream: makeRekey(sink), path: path + "K")
            let task = StageTask(inputs: ins, context: context, buffers: [sink], group: group, components: components)
            task.stateKey = "\(topic)/\(p)"
            tasks.append(task)
        }
        upstream[topic] = tasks
        upstreamOrder.append(topic)
        return topic
    }

    private func input(
        _ tp: TopicPartition, head: Operator, decode: @escaping (RecordView, Int, TaskContext) -> RuntimeRow?
    ) throws -> TaskInput {
        let start = try store.startOffset(tp)
        if let done = committed[tp] {
            guard chainIsStateful else {
                return TaskInput(partition: tp, position: max(done, start), restoreUntil: 0, decode: decode, head: head)
            }
            // Replay from the start to rebuild operator state, discarding what was already written.
            return TaskInput(partition: tp, position: start, restoreUntil: done, decode: decode, head: head)
        }
        let position = offsetReset == .earliest ? start : try store.endOffset(tp)
        return TaskInput(partition: tp, position: position, restoreUntil: 0, decode: decode, head: head)
    }
}
