import SluiceLog
import SluiceTypes

/// Compares one output record with its expectation, as ksqlDB's test executor does: window and
/// key, value, headers (none expected when the test gives none), and the timestamp only when the
/// test gives one. When a test has no input records (it produced data with `INSERT ... VALUES`),
/// an expected timestamp of 0 is not checked.
enum OutputComparison {
    static func difference(
        expected: ExpectedRecord, key: ActualKey, value: ActualValue, record: ConsumedRecord,
        ranWithInsertStatements: Bool
    ) -> String? {
        var matches = true
        if let window = expected.window {
            matches = key.window == window && RecordComparator.matches(key.key, expected.key)
        } else {
            // An expectation without a window never matches a windowed key.
            matches = key.window == nil && RecordComparator.matches(key.key, expected.key)
        }
        matches = matches && RecordComparator.matches(value, expected.value)
        matches = matches && headersMatch(record.headers, expected.headers ?? [])
        let expectedTimestamp = expected.timestamp ?? record.timestamp
        if record.timestamp != expectedTimestamp && (!ranWithInsertStatements || expectedTimestamp != 0) {
            matches = false
        }
        if matches { return nil }
        let actual = render(key: key, value: value, timestamp: record.timestamp, headers: record.headers)
        return "expected \(render(expected)) but was \(actual)"
    }

    static func headersMatch(_ actual: [Header], _ expected: [Header]) -> Bool {
        actual.count == expected.count && zip(actual, expected).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    static func render(_ record: ExpectedRecord) -> String {
        var text = "<\(JSONWriter.string(record.key)), \(JSONWriter.string(record.value))>"
        if let window = record.window { text += " window=\(window)" }
        if let timestamp = record.timestamp { text += " ts=\(timestamp)" }
        if let headers = record.headers, !headers.isEmpty { text += " headers=\(render(headers))" }
        return text
    }

    static func render(key: ActualKey, value: ActualValue, timestamp: Int64, headers: [Header] = []) -> String {
        var text = "<\(key.key), \(value)>"
        if let window = key.window { text += " window=\(window)" }
        text += " ts=\(timestamp)"
        if !headers.isEmpty { text += " headers=\(render(headers))" }
        return text
    }

    static func render(_ headers: [Header]) -> String {
        "[" + headers.map { "\($0.key)=\($0.value.map(Base64.encode) ?? "null")" }.joined(separator: ", ") + "]"
    }
}
