import SluiceLog
import SluiceTypes

/// Why part of a test file cannot be turned into a case.
struct LoadError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Reads the record, window and header shapes shared by all three test formats.
enum RecordParsing {
    static func inputRecord(_ json: JSONValue, at index: Int) throws -> InputRecord {
        let context = "input \(index + 1)"
        guard case .object = json else { throw LoadError("\(context) is not an object") }
        guard let topic = json["topic"]?.stringValue, !topic.isEmpty else {
            throw LoadError("\(context) has no 'topic'")
        }
        guard let value = json["value"] else { throw LoadError("\(context) has no 'value'") }
        var partition: Int?
        if let p = json["partition"], !p.isNull {
            guard let number = p.int64Value else { throw LoadError("\(context): 'partition' is not an integer") }
            partition = Int(number)
        }
        return InputRecord(
            topic: topic,
            key: json["key"] ?? .null,
            value: value,
            timestamp: try timestamp(json, context: context) ?? 0,
            window: try window(json["window"], context: context),
            headers: try headers(json["headers"], context: context) ?? [],
            partition: partition
        )
    }

    static func expectedRecord(_ json: JSONValue, at index: Int) throws -> ExpectedRecord {
        let context = "output \(index + 1)"
        guard case .object = json else { throw LoadError("\(context) is not an object") }
        guard let topic = json["topic"]?.stringValue, !topic.isEmpty else {
            throw LoadError("\(context) has no 'topic'")
        }
        guard let value = json["value"] else { throw LoadError("\(context) has no 'value'") }
        return ExpectedRecord(
            topic: topic,
            key: json["key"] ?? .null,
            value: value,
            timestamp: try timestamp(json, context: context),
            window: try window(json["window"], context: context),
            headers: try headers(json["headers"], context: context)
        )
    }

    static func timestamp(_ json: JSONValue, context: String) throws -> Int64? {
        guard let field = json["timestamp"], !field.isNull else { return nil }
        if let number = field.int64Value { return number }
        if let text = field.stringValue, let number = Int64(text) { return number }
        throw LoadError("\(context): 'timestamp' is not an integer")
    }

    static func window(_ json: JSONValue?, context: String) throws -> WindowData? {
        guard let json, !json.isNull else { return nil }
        guard let start = json["start"]?.int64Value, let end = json["end"]?.int64Value else {
            throw LoadError("\(context): 'window' needs integer 'start' and 'end'")
        }
        guard let typeName = json["type"]?.stringValue, let kind = WindowData.Kind(rawValue: typeName.uppercased())
        else {
            throw LoadError("\(context): window 'type' must be 'time' or 'session'")
        }
        return WindowData(start: start, end: end, kind: kind)
    }

    static func headers(_ json: JSONValue?, context: String) throws -> [Header]? {
        guard let json, !json.isNull else { return nil }
        guard let items = json.arrayValue else { throw LoadError("\(context): 'headers' is not an array") }
        return try items.map { item in
            guard let key = item.member(caseInsensitive: "KEY")?.stringValue else {
                throw LoadError("\(context): a header has no 'KEY'")
            }
            let raw = item.member(caseInsensitive: "VALUE") ?? .null
            if raw.isNull { return Header(key: key, value: nil) }
            guard let text = raw.stringValue, let bytes = Base64.decode(text) else {
                throw LoadError("\(context): header '\(key)' has a VALUE that is not base64")
            }
            return Header(key: key, value: bytes)
        }
    }
}
