import SluiceEngine
import SluiceLog
import SluiceTypes

/// Turns stored records into one line of text each, the way `PRINT` shows them (`sluice consume
/// --decode`):
///
/// ```
/// rowtime: 2024/01/01 00:00:01.000 Z, key: s1, value: {"sensor":"s1","value":9}, partition: 0
/// ```
///
/// The default output of `sluice consume` is ``ConsoleRecordFormat`` instead: bytes as stored.
struct RecordDisplay {
    var headerLines: [String] = []
    var formatKey: ([UInt8]?) -> String
    var formatValue: ([UInt8]?) -> String

    func line(for record: ConsumedRecord, partition: Int) -> String {
        "rowtime: \(Self.formatTimestamp(record.timestamp)), key: \(formatKey(record.key)), value: \(formatValue(record.value)), partition: \(partition)"
    }

    /// Bytes shown as text when they are printable UTF-8, else as hex; `<null>` for a missing payload.
    static func guess(_ bytes: [UInt8]?) -> String { RecordRenderer(format: nil).render(value: bytes) }

    static func formatTimestamp(_ millis: Int64) -> String { RecordRenderer.timestamp(millis) }

    /// The display for `topic`: decoded through the stream or table declared over it when the
    /// data directory's catalog has one (replaying the command log, without running any query),
    /// else by guessing from the bytes.
    static func forTopic(_ topic: String, directory: DataDirectory) throws(CommandFailure) -> RecordDisplay {
        let engine = try directory.openEngine(properties: [:])
        defer { engine.close() }
        guard let format = engine.topicFormat(forTopic: topic) else {
            return RecordDisplay(formatKey: guess, formatValue: guess)
        }
        let renderer = RecordRenderer(format: format)
        let header = [
            "Source: \(format.sourceName) (\(format.isTable ? "table" : "stream")), key format: \(format.keyFormat.rawValue)\(format.windowing != nil ? " (windowed)" : ""), value format: \(format.valueFormat.rawValue)"
        ]
        return RecordDisplay(
            headerLines: header,
            formatKey: { renderer.render(key: $0) },
            formatValue: { renderer.render(value: $0) })
    }
}
