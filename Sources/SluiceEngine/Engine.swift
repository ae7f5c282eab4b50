import Foundation
import SluiceFunctions
import SluiceLog
import SluicePlanner
import SluiceRuntime
import SluiceSQL
import SluiceTypes

/// The façade every door uses: executes statements against a catalog and a topic store, and
/// runs the persistent and transient queries they start.
///
/// Concurrency: one lock guards the catalog and the query set. Statements run on the caller's
/// thread; queries run either on the caller's thread (``runUntilIdle()``, deterministic, used by
/// tests and `sluice run --until-idle`) or on the background thread ``start()`` launches, which
/// sleeps on the store's `waitForData` when there is nothing to do.
public final class Engine: @unchecked Sendable {
    public let store: any TopicStore
    public let processingLog = ProcessingLog()
    /// The schemas of AVRO, PROTOBUF and JSON_SR topics (see Engine+SchemaRegistry.swift).
    public let schemaRegistry = SchemaRegistry()
    let configuration: EngineConfiguration
    /// The built-in functions with the settings of the current properties
    /// (`ksql.functions.collect_list.limit`...).
    var functions: FunctionRegistry { FunctionRegistry.standard.configured(FunctionConfiguration(properties: properties)) }
    let lock = NSRecursiveLock()

    var catalog = Catalog()
    var properties: [String: String]
    var variables: [String: String] = [:]
    var queries: [String: QueryInfo] = [:]
    var queryOrder: [String] = []
    var transients: [TransientWork] = []
    var nextQueryNumber = 1
    /// Numbers push queries apart from persistent ones, so persistent ids stay stable across restarts.
    var transientCount = 0
    var commandLog: CommandLog?
    /// True while replaying the command log: results are not shown and nothing is logged again.
    var replaying = false

    private var backgroundThread: Thread?
    private let stopFlag = StopFlag()

    public init(store: any TopicStore, configuration: EngineConfiguration = EngineConfiguration()) throws {
        self.store = store
        self.configuration = configuration
        properties = EngineConfiguration.defaultProperties.merging(configuration.properties) { $1 }
        if let dir = configuration.dataDirectory {
            let log = try CommandLog(directory: dir + "/commands")
            replaying = true
            defer { replaying = false }
            for statement in try log.statements() {
                do {
                    _ = try executeOne(statement, origin: nil)
                } catch {
                    FileHandle.standardError.write(
                        Data("warning: a statement in the command log failed on replay: \(error)\n".utf8))
                }
            }
            commandLog = log
        }
    }

    // MARK: - Statements

    /// Executes every statement of `script` in order; throws ``SQLError`` at the first statement
    /// that is rejected (statements before it stay executed).
    public func execute(_ script: String) throws -> [StatementResult] {
        var results: [StatementResult] = []
        try execute(script) { results.append($0) }
        return results
    }

    /// As ``execute(_:)``, handing each result over as its statement finishes.
    public func execute(_ script: String, onResult: (StatementResult) -> Void) throws {
        for piece in SQLParser.splitStatements(script) {
            let result = try executeOne(piece.text, origin: (script, piece.range.start))
            onResult(result)
        }
    }

    /// Executes one statement's text. `origin` is the script it came from and its offset there,
    /// so errors point into the whole script.
    func executeOne(_ rawText: String, origin: (String, Int)?) throws -> StatementResult {
        lock.lock()
        defer { lock.unlock() }
        var text = rawText
        if !variables.isEmpty || rawText.contains("${") {
            text = try VariableSubstitution.substitute(rawText, variables: variables)
        }
        let statement: Statement
        do {
            statement = try SQLParser.parseStatement(text)
        } catch let error as SQLError {
            throw rebase(error, text: text, rawText: rawText, origin: origin)
        }
        do {
            return try run(statement, text: text)
        } catch let d as Diagnostic {
            throw rebase(SQLError(d, source: text), text: text, rawText: rawText, origin: origin)
        } catch let e as SQLError {
            throw e
        } catch let e as RecordError {
            throw SQLError(Diagnostic(category: .semantic, id: "engine.format", message: e.message), source: text)
        } catch let e as RuntimeError {
            let notSupported = e.description.hasPrefix("not supported yet")
            throw SQLError(
                Diagnostic(category: notSupported ? .notSupported : .semantic, id: "engine.runtime", message: e.description),
                source: text)
        } catch let e as TopicStoreError {
            throw SQLError(Diagnostic(category: .io, id: "engine.store", message: e.message), source: text)
        }
    }

    /// Points an error's range into the whole script when the statement text is unchanged there.
    private func rebase(_ error: SQLError, text: String, rawText: String, origin: (String, Int)?) -> SQLError {
        guard let (script, offset) = origin, text == rawText else { return error }
        var d = error.diagnostic
        if let r = d.range { d.range = SourceRange(start: r.start + offset, end: r.end + offset) }
        return SQLError(d, source: script)
    }

    /// Appends a statement that changed the catalog to the command log.
    func remember(_ text: String) throws {
        guard !replaying, let commandLog else { return }
        try commandLog.append(text)
    }

    // MARK: - Running queries

    /// Runs every query on this thread until none has unread input. Deterministic.
    /// A persistent query that fails while running is reported as the error, once.
    public func runUntilIdle() throws {
        lock.lock()
        defer { lock.unlock() }
        let failedBefore = Set(queryOrder.filter { queries[$0]?.running.state == .failed })
        while pollAll() {}
        for id in queryOrder where !failedBefore.contains(id) {
            guard let q = queries[id], q.running.state == .failed else { continue }
            throw EngineErrors.semantic("query-failed", "query \(id) failed: \(q.running.failure ?? "unknown error")")
        }
    }

    /// Runs one batch of every query on this thread; returns whether any made progress (tests use
    /// it to stop a query part-way, as a crash would).
    @discardableResult
    public func step() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return pollAll()
    }

    /// One pass over every query; returns whether any made progress.
    @discardableResult
    func pollAll() -> Bool {
        var progressed = false
        for id in queryOrder {
            if let q = queries[id], q.running.poll(store) { progressed = true }
        }
        for work in transients where !work.isFinished {
            if work.poll() { progressed = true }
        }
        transients.removeAll { $0.isFinished }
        return progressed
    }

    /// Starts the background thread that runs queries as data arrives.
    public func start() {
        lock.lock()
        defer { lock.unlock() }
        guard backgroundThread == nil else { return }
        stopFlag.set(false)
        let thread = Thread { [weak self] in self?.backgroundLoop() }
        thread.name = "sluice-queries"
        backgroundThread = thread
        thread.start()
    }

    /// Stops the background thread (queries stay registered and resume on the next start).
    public func stop() {
        lock.lock()
        let running = backgroundThread != nil
        backgroundThread = nil
        lock.unlock()
        guard running else { return }
        stopFlag.set(true)
        stopFlag.waitUntilStopped()
    }

    private func backgroundLoop() {
        defer { stopFlag.markStopped() }
        while !stopFlag.isSet {
            lock.lock()
            let progressed = pollAll()
            var positions: [TopicPartition: Int64] = [:]
            if !progressed {
                for id in queryOrder where queries[id]?.running.state == .running {
                    positions.merge(queries[id]!.running.positions) { a, _ in a }
                }
                for work in transients { positions.merge(work.positions) { a, _ in a } }
            }
            lock.unlock()
            if !progressed {
                if positions.isEmpty {
                    Thread.sleep(forTimeInterval: 0.05)
                } else {
                    _ = store.waitForData(positions, timeout: 0.1)
                }
            }
        }
    }

    /// Whether every persistent query has read all its input (for `sluice run --until-idle`).
    public var isIdle: Bool {
        lock.lock()
        defer { lock.unlock() }
        for id in queryOrder {
            guard let q = queries[id], q.running.state == .running else { continue }
            for (tp, position) in q.running.positions {
                if let end = try? store.endOffset(tp), end > position { return false }
            }
        }
        return true
    }

    /// Stops everything and releases the data directory.
    public func close() {
        stop()
        lock.lock()
        defer { lock.unlock() }
        for id in queryOrder { queries[id]?.running.checkpoint(store) }
        for work in transients { work.cancel() }
        transients.removeAll()
    }

    /// The formats of the source declared over `topic`.
    public func topicFormat(forTopic topic: String) -> TopicFormat? {
        lock.lock()
        defer { lock.unlock() }
        return catalog.sources(onTopic: topic).first.map(TopicFormat.init)
    }

    /// The names of the streams and tables in the catalog (for tests and completion).
    public var sourceNames: [String] {
        lock.lock()
        defer { lock.unlock() }
        return catalog.sources.keys.sorted()
    }
}

/// A flag the background thread polls, and a way to wait for it to notice.
final class StopFlag: @unchecked Sendable {
    private let condition = NSCondition()
    private var flag = false
    private var stopped = false

    func set(_ value: Bool) {
        condition.lock()
        flag = value
        if !value { stopped = false }
        condition.unlock()
    }

    var isSet: Bool {
        condition.lock()
        defer { condition.unlock() }
        return flag
    }

    func markStopped() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    func waitUntilStopped() {
        condition.lock()
        while !stopped { condition.wait() }
        condition.unlock()
    }
}
