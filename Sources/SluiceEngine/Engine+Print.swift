import SluiceLog
import SluicePlanner
import SluiceSQL
import SluiceTypes

extension Engine {
    /// `PRINT 'topic' [FROM BEGINNING] [INTERVAL n] [LIMIT n]`: the topic's raw records as text,
    /// as they arrive.
    func printTopic(_ print: PrintTopic) throws -> StatementResult {
        let name = store.describeTopic(print.topic) != nil ? print.topic
            : store.topicNames().first { $0.uppercased() == print.topic.uppercased() }
        guard let topic = name, let description = store.describeTopic(topic) else {
            throw EngineErrors.semantic(
                "unknown-topic", "topic '\(print.topic)' does not exist", nil,
                help: EditDistance.nearest(to: print.topic, among: store.topicNames()).map { "did you mean '\($0)'?" })
        }
        var positions: [TopicPartition: Int64] = [:]
        for p in 0..<description.config.partitions {
            let tp = TopicPartition(topic, p)
            positions[tp] = print.fromBeginning ? try store.startOffset(tp) : try store.endOffset(tp)
        }
        let handle = PushQueryHandle(queryID: "print_\(topic)", headers: [])
        let renderer = RecordRenderer(source: catalog.sources(onTopic: topic).first)
        let work = PrintWork(
            store: store, positions: positions, interval: max(1, print.interval ?? 1), limit: print.limit,
            handle: handle, renderer: renderer)
        return startTransient(work, handle: handle)
    }
}

/// Renders raw records the way PRINT shows them: decoded through the topic's source when one is
/// declared, as text when the bytes are printable UTF-8, as hex otherwise.
public struct RecordRenderer: Sendable {
    let keyCodec: (any RowCodec)?
    let valueCodec: (any RowCodec)?
    let windowing: Windowing?

    init(source: SourceDescription?) {
        self.init(format: source.map(TopicFormat.init))
    }

    /// A renderer for records of a topic with the given formats; nil guesses from the bytes.
    public init(format: TopicFormat?) {
        if let format {
            keyCodec = try? Codecs.make(
                format: format.keyFormat, columns: format.keyColumns, options: format.keyOptions, isKey: true)
            valueCodec = try? Codecs.make(
                format: format.valueFormat, columns: format.valueColumns, options: format.valueOptions, isKey: false)
            windowing = format.windowing
        } else {
            keyCodec = nil
            valueCodec = nil
            windowing = nil
        }
    }

    public func line(_ record: ConsumedRecord, partition: Int) -> String {
        "rowtime: \(Self.timestamp(record.timestamp)), key: \(render(key: record.key)), value: \(render(value: record.value)), partition: \(partition)"
    }

    /// `2024/01/01 00:00:01.000 Z` (UTC).
    public static func timestamp(_ millis: Int64) -> String {
        TemporalText.timestamp(millis: millis).replacingDashesAndT() + " Z"
    }

    public func render(value: [UInt8]?) -> String { render(value, codec: valueCodec) }

    /// The key as text, with `[start]` (or `[start/end]` for sessions) when it is windowed.
    public func render(key: [UInt8]?) -> String {
        guard var bytes = key else { return "<null>" }
        var windowText = ""
        if let windowing {
            let trailer = windowing == .session ? 16 : 8
            if bytes.count >= trailer {
                let start = Self.bigEndian(bytes, bytes.count - 8)
                windowText = windowing == .session
                    ? " [\(start)/\(Self.bigEndian(bytes, bytes.count - 16))]" : " [\(start)]"
                bytes.removeLast(trailer)
            }
        }
        return render(bytes, codec: keyCodec) + windowText
    }

    /// Printable bytes as text; otherwise the codec's values, or hex when they do not decode.
    public func render(_ bytes: [UInt8]?, codec: (any RowCodec)?) -> String {
        guard let bytes else { return "<null>" }
        if let codec, let values = try? codec.decode(bytes), values.count == 1, !Self.isPrintable(bytes) {
            return values.map(RecordRenderer.text).joined(separator: ", ")
        }
        if Self.isPrintable(bytes) { return String(decoding: bytes, as: UTF8.self) }
        if let codec, let values = try? codec.decode(bytes) { return values.map(RecordRenderer.text).joined(separator: ", ") }
        return "0x" + bytes.map { String($0, radix: 16).leftPadded(2) }.joined()
    }

    static func text(_ v: Value) -> String {
        switch v {
        case .null: "<null>"
        case .string(let s): s
        case .integer(let x): String(x)
        case .bigint(let x): String(x)
        case .double(let x): JavaDoubleFormat.string(x)
        default: "\(v)"
        }
    }

    static func isPrintable(_ bytes: [UInt8]) -> Bool {
        guard String(validating: bytes, as: UTF8.self) != nil else { return false }
        return !bytes.contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
    }

    static func bigEndian(_ b: [UInt8], _ at: Int) -> Int64 {
        var u: UInt64 = 0
        for i in 0..<8 { u = u << 8 | UInt64(b[at + i]) }
        return Int64(bitPattern: u)
    }
}

extension String {
    fileprivate func replacingDashesAndT() -> String {
        String(map { $0 == "-" ? "/" : ($0 == "T" ? " " : $0) })
    }

    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// PRINT's reader, polled by the scheduler like a push query.
final class PrintWork: TransientWork, @unchecked Sendable {
    let store: any TopicStore
    var positions: [TopicPartition: Int64]
    let interval: Int
    let limit: Int?
    let handle: PushQueryHandle
    let renderer: RecordRenderer
    private var seen = 0
    private var printed = 0
    private(set) var isFinished = false

    init(
        store: any TopicStore, positions: [TopicPartition: Int64], interval: Int, limit: Int?, handle: PushQueryHandle,
        renderer: RecordRenderer
    ) {
        self.store = store
        self.positions = positions
        self.interval = interval
        self.limit = limit
        self.handle = handle
        self.renderer = renderer
    }

    func poll() -> Bool {
        if handle.isCancelled { isFinished = true }
        guard !isFinished else { return false }
        var progressed = false
        for tp in positions.keys.sorted(by: { $0.partition < $1.partition }) {
            guard let records = try? store.read(tp, from: positions[tp]!, maxRecords: 500), !records.isEmpty else {
                continue
            }
            progressed = true
            for record in records {
                positions[tp] = record.offset + 1
                if seen % interval == 0 {
                    handle.push([renderer.line(record, partition: tp.partition)])
                    printed += 1
                    if let limit, printed >= limit {
                        isFinished = true
                        handle.finish(nil)
                        return true
                    }
                }
                seen += 1
            }
        }
        return progressed
    }

    func cancel() {
        isFinished = true
        handle.finish("cancelled")
    }
}
