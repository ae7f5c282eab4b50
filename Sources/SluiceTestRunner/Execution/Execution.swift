import SluiceEngine
import SluiceLog
import SluiceTypes

/// The state of one case while it runs: the engine, the records collected so far from each
/// output topic, and where each partition's reading stopped.
struct Execution {
    let testCase: ConformanceCase
    let engine: any CaseEngine
    let store: any TopicStore
    let environment: RunnerEnvironment

    /// Output topics in the order the test first expects them.
    private let watchedTopics: [String]
    private var collected: [String: [ConsumedRecord]] = [:]
    private var readPositions: [TopicPartition: Int64] = [:]

    init(testCase: ConformanceCase, engine: any CaseEngine, store: any TopicStore, environment: RunnerEnvironment) {
        self.testCase = testCase
        self.engine = engine
        self.store = store
        self.environment = environment
        var seen: Set<String> = []
        watchedTopics = testCase.outputs.map(\.topic).filter { seen.insert($0).inserted }
    }

    private func result(_ status: CaseStatus, _ reason: String = "") -> CaseResult {
        CaseResult(file: testCase.file, name: testCase.name, status: status, reason: reason)
    }

    mutating func run() -> CaseResult {
        // REST cases run their queries after the inputs; other cases have none to hold back.
        let statements = testCase.statements
        var split = statements.count
        if testCase.kind == .rest, let first = statements.firstIndex(where: StatementScanner.isQuery) {
            split = first
        }
        if let stop = execute(statements[..<split]) { return stop }
        if let stop = process(stage: "processing the statements' records") { return stop }

        for (index, input) in testCase.inputs.enumerated() {
            if let stop = write(input, index: index) { return stop }
            if let stop = process(stage: "processing input \(index + 1)") { return stop }
        }

        if let stop = execute(statements[split...]) { return stop }
        if split < statements.count, let stop = process(stage: "processing the queries") { return stop }

        if let mismatch = verifyOutputs() {
            // ksqlDB checks outputs before it notices a missing exception; either way it fails.
            if testCase.expectsRejection {
                return result(.fail, "expected a rejection, none happened; also \(mismatch)")
            }
            return result(.fail, mismatch)
        }
        if testCase.expectsRejection {
            return result(.fail, "expected a statement to be rejected, but all \(statements.count) were accepted")
        }
        if let difference = PostConditions.difference(testCase.postSources, engine: engine) {
            return result(.fail, difference)
        }
        if let responses = testCase.responses,
            responses.contains(where: { $0["query"] != nil || $0["queryProto"] != nil })
        {
            return result(.unsupported, "REST query responses are not compared yet (statements and outputs matched)")
        }
        return result(.pass)
    }

    // MARK: - Steps

    private func execute(_ statements: ArraySlice<String>) -> CaseResult? {
        for (index, statement) in zip(statements.indices, statements) {
            do {
                // Query responses are not compared yet, so a push query's rows are not kept.
                cancelStreams(try engine.execute(statement))
            } catch {
                return CaseRunner.classify(error, stage: "statement \(index + 1)", testCase: testCase)
            }
        }
        return nil
    }

    private func cancelStreams(_ results: [StatementResult]) {
        for case .stream(let handle) in results { handle.cancel() }
    }

    private mutating func process(stage: String) -> CaseResult? {
        do {
            try engine.runUntilIdle()
        } catch {
            return CaseRunner.classify(error, stage: stage, testCase: testCase)
        }
        return collect()
    }

    private func write(_ input: InputRecord, index: Int) -> CaseResult? {
        let stage = "input \(index + 1) (topic '\(input.topic)')"
        guard let layout = engine.layout(forTopic: input.topic) else {
            return result(.fail, "\(stage): no stream or table reads this topic, so its format is unknown")
        }
        let key: [UInt8]?
        let value: [UInt8]?
        do {
            key = try RecordEncoder.key(input, layout: layout, registry: engine.schemaRegistry)
            value = try RecordEncoder.value(input, layout: layout, registry: engine.schemaRegistry)
        } catch {
            return result(error.unsupported ? .unsupported : .fail, "\(stage): \(error.message)")
        }
        let record = ProducerRecord(key: key, value: value, timestamp: input.timestamp, headers: input.headers)
        do {
            try store.append([record], to: TopicPartition(input.topic, input.partition ?? 0))
        } catch {
            return result(.fail, "\(stage): cannot write the record: \(error)")
        }
        return nil
    }

    /// Reads what the queries appended to the watched topics since the last call.
    private mutating func collect() -> CaseResult? {
        for topic in watchedTopics {
            guard let description = store.describeTopic(topic) else { continue }
            for partition in 0..<description.config.partitions {
                let tp = TopicPartition(topic, partition)
                var position = readPositions[tp] ?? 0
                while true {
                    let batch: [ConsumedRecord]
                    do {
                        batch = try store.read(tp, from: position, maxRecords: 1024)
                    } catch {
                        return result(.error, "cannot read output topic '\(topic)': \(error)")
                    }
                    if batch.isEmpty { break }
                    collected[topic, default: []].append(contentsOf: batch)
                    position = batch[batch.count - 1].offset + 1
                    if collected[topic, default: []].count > environment.maxOutputRecordsPerTopic {
                        let limit = environment.maxOutputRecordsPerTopic
                        return result(.fail, "runaway output: more than \(limit) records on topic '\(topic)'")
                    }
                }
                readPositions[tp] = position
            }
        }
        return nil
    }

    // MARK: - Verification

    /// The first difference between expected and actual outputs, or nil when all match.
    private func verifyOutputs() -> String? {
        let ranWithInsertStatements = testCase.inputs.isEmpty
        for topic in watchedTopics {
            let expected = testCase.outputs.filter { $0.topic == topic }
            let records = collected[topic] ?? []
            guard let layout = engine.layout(forTopic: topic) else {
                return "output topic '\(topic)': no stream or table writes or reads it"
                    + (records.isEmpty ? "" : " (\(records.count) records were written)")
            }
            var actual: [(ActualKey, ActualValue, ConsumedRecord)] = []
            for (index, record) in records.enumerated() {
                do {
                    actual.append(
                        (
                            try RecordDecoder.key(record.key, layout: layout, registry: engine.schemaRegistry),
                            try RecordDecoder.value(record.value, layout: layout, registry: engine.schemaRegistry), record
                        ))
                } catch {
                    return "topic '\(topic)' record \(index + 1): cannot read it: \(error.message)"
                }
            }
            if actual.count != expected.count {
                return "topic '\(topic)': expected \(expected.count) records, got \(actual.count)"
                    + firstDifference(expected, actual, ranWithInsertStatements: ranWithInsertStatements)
            }
            for (index, (want, got)) in zip(expected, actual).enumerated() {
                if let difference = OutputComparison.difference(
                    expected: want, key: got.0, value: got.1, record: got.2,
                    ranWithInsertStatements: ranWithInsertStatements)
                {
                    return "topic '\(topic)' record \(index + 1): \(difference)"
                }
            }
        }
        return nil
    }

    /// For a count mismatch, where the lists first part ways, to make the reason useful.
    private func firstDifference(
        _ expected: [ExpectedRecord], _ actual: [(ActualKey, ActualValue, ConsumedRecord)],
        ranWithInsertStatements: Bool
    ) -> String {
        for index in 0..<min(expected.count, actual.count) {
            let got = actual[index]
            if let difference = OutputComparison.difference(
                expected: expected[index], key: got.0, value: got.1, record: got.2,
                ranWithInsertStatements: ranWithInsertStatements)
            {
                return "; first difference at record \(index + 1): \(difference)"
            }
        }
        if actual.count > expected.count {
            let extra = actual[expected.count]
            let shown = OutputComparison.render(key: extra.0, value: extra.1, timestamp: extra.2.timestamp)
            return "; first extra record: \(shown)"
        }
        let missing = expected[actual.count]
        return "; first missing record: \(OutputComparison.render(missing))"
    }
}
