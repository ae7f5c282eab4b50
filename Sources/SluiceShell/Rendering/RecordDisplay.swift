import SluiceEngine
import SluiceLog
import SluiceTypes

/// Turns stored records into one line of text each, the way `PRINT` shows them:
///
/// ```
/// rowtime: 2024/01/01 00:00:01.000 Z, key: s1, value: {"sensor":"s1","value":9}, partition: 0
/// ```
struct RecordDisplay {
    var headerLines: [String] = []
    var formatKey: ([UInt8]?) -> String
    var formatValue: ([UInt8]?) -> String
    var raw = false

    func line(for record: ConsumedRecord, partition: Int) -> String {
        if raw { return formatValue(record.value) }
        return "rowtime: \(Self.formatTimestamp(record.timestamp)), key: \(formatKey(record.key)), value: \(formatValue(record.value)), partition: \(partition)"
    }

    /// Bytes shown as text when they are printable UTF-8, else as hex; `<null>` for a missing payload.
    static func guess(_ bytes: [UInt8]?) -> String {
        guard let bytes else { return "<null>" }
        if let text = String(validating: bytes, as: UTF8.self),
            text.unicodeScalars.allSatisfy({ $0.value >= 0x20 || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        {
            return text
        }
        return "0x" + bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// `2024/01/01 00:00:01.000 Z` (UTC), from milliseconds since the epoch.
    static func formatTimestamp(_ millis: Int64) -> String {
        var days = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
        let msOfDay = millis - days * 86_400_000
        // Civil date from days since 1970-01-01 (proleptic Gregorian calendar).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let hours = msOfDay / 3_600_000
        let minutes = msOfDay / 60_000 % 60
        let seconds = msOfDay / 1000 % 60
        let ms = msOfDay % 1000
        return "\(pad(year, 4))/\(pad(month, 2))/\(pad(day, 2)) \(pad(hours, 2)):\(pad(minutes, 2)):\(pad(seconds, 2)).\(pad(ms, 3)) Z"
    }

    /// The display for `topic`: decoded through the stream or table declared over it when the
    /// data directory's catalog has one (replaying the command log, without running any query),
    /// else by guessing from the bytes.
    static func forTopic(_ topic: String, directory: DataDirectory, raw: Bool) throws(CommandFailure) -> RecordDisplay {
        let engine = try directory.openEngine(properties: [:])
        defer { engine.close() }
        guard let format = engine.topicFormat(forTopic: topic) else {
            return RecordDisplay(formatKey: guess, formatValue: guess, raw: raw)
        }
        let keyCodec = try? Codecs.make(
            format: format.keyFormat, columns: format.keyColumns, options: format.keyOptions, isKey: true)
        let valueCodec = try? Codecs.make(
            format: format.valueFormat, columns: format.valueColumns, options: format.valueOptions, isKey: false)
        let isSession = format.windowing == .session
        let isWindowed = format.windowing != nil
        let header = [
            "Source: \(format.sourceName) (\(format.isTable ? "table" : "stream")), key format: \(format.keyFormat.rawValue)\(isWindowed ? " (windowed)" : ""), value format: \(format.valueFormat.rawValue)"
        ]
        return RecordDisplay(
            headerLines: header,
            formatKey: { bytes in
                guard var bytes else { return "<null>" }
                var window = ""
                // A windowed key ends with the window start (and, for sessions, the end before it),
                // each eight bytes big-endian.
                let trailer = isSession ? 16 : 8
                if isWindowed && bytes.count >= trailer {
                    let start = bigEndian(bytes, at: bytes.count - 8)
                    window = isSession ? " [\(start)/\(bigEndian(bytes, at: bytes.count - 16))]" : " [\(start)]"
                    bytes.removeLast(trailer)
                }
                return decoded(bytes, keyCodec) + window
            },
            formatValue: { bytes in
                guard let bytes else { return "<null>" }
                return raw ? guess(bytes) : decoded(bytes, valueCodec)
            },
            raw: raw)
    }

    /// Printable bytes as text (JSON, DELIMITED, KAFKA strings); otherwise the codec's values
    /// (binary KAFKA integers and doubles), or hex when they do not decode.
    private static func decoded(_ bytes: [UInt8], _ codec: (any RowCodec)?) -> String {
        let text = guess(bytes)
        if !text.hasPrefix("0x"), String(validating: bytes, as: UTF8.self) != nil { return text }
        if let codec, let values = try? codec.decode(bytes) {
            return values.map { $0.isNull ? "<null>" : $0.sqlText }.joined(separator: ", ")
        }
        return text
    }

    private static func bigEndian(_ bytes: [UInt8], at index: Int) -> Int64 {
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | UInt64(bytes[index + i]) }
        return Int64(bitPattern: value)
    }
}
