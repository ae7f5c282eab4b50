import SluiceSQL
import SluiceTypes

/// A source a test expects to exist once its statements ran (its `post.sources` section).
public struct ExpectedSource: Sendable, Hashable {
    public var name: String
    /// "stream" or "table", lower-cased; nil when not given.
    public var type: String?
    /// The column list as the test writes it, e.g. "ID INT KEY, `v` STRING".
    public var schema: String?
    public var keyFormat: String?
    public var valueFormat: String?

    public init(
        name: String, type: String? = nil, schema: String? = nil, keyFormat: String? = nil, valueFormat: String? = nil
    ) {
        self.name = name
        self.type = type
        self.schema = schema
        self.keyFormat = keyFormat
        self.valueFormat = valueFormat
    }

    /// Reads one entry of `post.sources`; formats may be a name or `{"format": NAME, ...}`.
    static func parse(_ json: JSONValue) -> ExpectedSource? {
        guard let name = json["name"]?.stringValue else { return nil }
        func format(_ field: JSONValue?) -> String? {
            guard let field, !field.isNull else { return nil }
            return field.stringValue ?? field["format"]?.stringValue
        }
        return ExpectedSource(
            name: name, type: json["type"]?.stringValue?.lowercased(), schema: json["schema"]?.stringValue,
            keyFormat: format(json["keyFormat"]), valueFormat: format(json["valueFormat"]))
    }
}

/// What the engine says about one of its sources, for post-condition checks.
public struct SourceInfo: Sendable {
    public var isTable: Bool
    public var keyFormat: FormatKind
    public var valueFormat: FormatKind
    /// Key then value columns (header columns are not compared); nil when the engine cannot tell.
    public var columns: [Column]?

    public init(isTable: Bool, keyFormat: FormatKind, valueFormat: FormatKind, columns: [Column]?) {
        self.isTable = isTable
        self.keyFormat = keyFormat
        self.valueFormat = valueFormat
        self.columns = columns
    }
}

/// Checks `post.sources` the way ksqlDB's test executor does after the outputs matched: each
/// source exists, has the expected kind, formats and schema (names, types and key/value roles of
/// its columns, in order). Serde features, format properties and header columns are not checked.
enum PostConditions {
    /// The first difference, or nil when every expected source matches.
    static func difference(_ expected: [ExpectedSource], engine: any CaseEngine) -> String? {
        for source in expected {
            guard let info = engine.describeSource(source.name) else {
                return "post: no source named '\(source.name)'"
            }
            if let type = source.type, type != (info.isTable ? "table" : "stream") {
                return "post: '\(source.name)' is a \(info.isTable ? "table" : "stream"), expected a \(type)"
            }
            if let format = source.keyFormat, format.uppercased() != info.keyFormat.rawValue {
                return "post: '\(source.name)' has key format \(info.keyFormat.rawValue), expected \(format)"
            }
            if let format = source.valueFormat, format.uppercased() != info.valueFormat.rawValue {
                return "post: '\(source.name)' has value format \(info.valueFormat.rawValue), expected \(format)"
            }
            if let schema = source.schema, let actual = info.columns {
                guard let wanted = columns(of: schema) else { continue }
                if wanted != actual {
                    return "post: '\(source.name)' has schema \(render(actual)), expected \(render(wanted))"
                }
            }
        }
        return nil
    }

    /// The key and value columns a schema string declares (header columns left out), or nil when
    /// it cannot be read (a custom type name, or text the parser rejects).
    static func columns(of schema: String) -> [Column]? {
        let wrapper = "CREATE STREAM POST_CONDITION (\(schema)) WITH (kafka_topic='post', value_format='JSON');"
        guard case .createSource(let create)? = try? SQLParser.parseStatement(wrapper) else { return nil }
        var keys: [Column] = []
        var values: [Column] = []
        for element in create.elements {
            guard let type = resolve(element.type) else { return nil }
            switch element.constraint {
            case .key, .primaryKey: keys.append(Column(name: element.name.value, type: type, namespace: .key))
            case .none: values.append(Column(name: element.name.value, type: type, namespace: .value))
            case .headers, .header: continue
            }
        }
        return keys + values
    }

    static func resolve(_ syntax: TypeSyntax) -> SQLType? {
        switch syntax {
        case .boolean: return .boolean
        case .integer: return .integer
        case .bigint: return .bigint
        case .double: return .double
        case .decimal(let precision, let scale): return .decimal(precision: precision, scale: scale)
        case .string: return .string
        case .bytes: return .bytes
        case .date: return .date
        case .time: return .time
        case .timestamp: return .timestamp
        case .array(let element): return resolve(element).map(SQLType.array)
        case .map(let key, let value):
            guard let k = resolve(key), let v = resolve(value) else { return nil }
            return .map(key: k, value: v)
        case .structure(let fields):
            var resolved: [StructField] = []
            for field in fields {
                guard let type = resolve(field.type) else { return nil }
                resolved.append(StructField(name: field.name.value, type: type))
            }
            return .structure(resolved)
        case .named:
            return nil
        }
    }

    static func render(_ columns: [Column]) -> String {
        "'" + columns.map { "\($0.name) \($0.type)\($0.namespace == .key ? " KEY" : "")" }.joined(separator: ", ") + "'"
    }
}
