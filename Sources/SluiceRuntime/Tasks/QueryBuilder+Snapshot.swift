import SluiceLog
import SluicePlanner

extension QueryBuilder {
    /// Runs a pull query: the plan over everything its sources hold now, then stops. Tables give
    /// their current rows, streams every row, cut to the plan's LIMIT.
    public func snapshot(id: String, plan: QueryPlan) throws -> [[String]] {
        var collectors: [SnapshotOperator] = []
        var reader = self
        reader.offsetReset = .earliest
        let query = try reader.build(id: id, plan: plan, group: nil) { () throws -> (Operator, RecordBuffer?) in
            let op = SnapshotOperator(isTable: plan.layout.isTable)
            collectors.append(op)
            return (op, nil)
        }
        defer { for topic in query.internalTopics { try? store.deleteTopic(topic) } }
        // Source partitions are read up to their end as of now; internal topics until drained.
        var ends: [TopicPartition: Int64] = [:]
        for stage in query.stages {
            for task in stage {
                for input in task.inputs where !query.internalTopics.contains(input.partition.topic) {
                    ends[input.partition] = try store.endOffset(input.partition)
                }
            }
        }
        while true {
            var progressed = false
            for stage in query.stages {
                for task in stage
                where task.inputs.contains(where: { input in ends[input.partition].map { input.position < $0 } ?? true }) {
                    if try task.poll(store, maxRecords: 1000) { progressed = true }
                }
            }
            if !progressed { break }
        }
        let rows = collectors.flatMap(\.rows)
        if let limit = plan.limit { return Array(rows.prefix(max(0, limit))) }
        return rows
    }
}
