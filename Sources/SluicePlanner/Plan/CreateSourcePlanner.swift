import SluiceSQL
import SluiceTypes

/// Checks a `CREATE STREAM|TABLE name (columns) WITH (...)` and builds its ``SourceDescription``.
public struct CreateSourcePlanner {
    public var types: TypeResolver
    /// `ksql.persistence.default.format.key` / `.value`, when set.
    public var defaultKeyFormat: FormatKind
    public var defaultValueFormat: FormatKind?

    public init(types: TypeResolver, defaultKeyFormat: FormatKind = .kafka, defaultValueFormat: FormatKind? = nil) {
        self.types = types
        self.defaultKeyFormat = defaultKeyFormat
        self.defaultValueFormat = defaultValueFormat
    }

    public func plan(_ statement: CreateSource, text: String, range: SourceRange) throws(Diagnostic) -> (SourceDescription, SourceProperties) {
        let props = try SourceProperties(statement.properties)
        let name = statement.name.value
        guard let topic = props.topic else {
            throw PlannerErrors.semantic(
                "missing-topic", "missing required property KAFKA_TOPIC in the WITH clause of '\(name)'", range)
        }
        guard let valueFormat = props.valueFormat ?? defaultValueFormat else {
            throw PlannerErrors.semantic(
                "missing-format", "missing required property VALUE_FORMAT (or FORMAT) in the WITH clause of '\(name)'",
                range)
        }
        var columns: [Column] = []
        var names: Set<String> = []
        for element in statement.elements {
            let columnName = element.name.value
            guard !RowLayout.pseudoColumnNames.contains(columnName) else {
                throw PlannerErrors.semantic(
                    "reserved-column", "'\(columnName)' is a reserved column name", element.name.range)
            }
            guard names.insert(columnName).inserted else {
                throw PlannerErrors.semantic(
                    "duplicate-column", "column '\(columnName)' is declared twice", element.name.range)
            }
            let type = try types.resolve(element.type, range: element.name.range)
            var namespace = ColumnNamespace.value
            switch element.constraint {
            case .none: break
            case .key:
                guard statement.kind == .stream else {
                    throw PlannerErrors.semantic(
                        "key-in-table", "a table declares its key with PRIMARY KEY, not KEY: '\(columnName)'",
                        element.name.range)
                }
                namespace = .key
            case .primaryKey:
                guard statement.kind == .table else {
                    throw PlannerErrors.semantic(
                        "primary-key-in-stream", "a stream has no PRIMARY KEY; declare '\(columnName)' with KEY",
                        element.name.range)
                }
                namespace = .key
            case .headers:
                let expected = SQLType.array(
                    .structure([StructField(name: "KEY", type: .string), StructField(name: "VALUE", type: .bytes)]))
                guard type == expected else {
                    throw PlannerErrors.semantic(
                        "bad-headers-type", "a HEADERS column must have type \(expected)", element.name.range)
                }
                namespace = .header(nil)
            case .header(let key):
                guard type == .bytes else {
                    throw PlannerErrors.semantic(
                        "bad-header-type", "a HEADER('\(key)') column must have type BYTES", element.name.range)
                }
                namespace = .header(key)
            }
            columns.append(Column(name: columnName, type: type, namespace: namespace))
        }
        if statement.kind == .table && !columns.contains(where: { $0.namespace == .key }) && !statement.elements.isEmpty {
            throw PlannerErrors.semantic(
                "table-without-key", "table '\(name)' needs a PRIMARY KEY column", statement.name.range)
        }
        let ordered = columns.filter { $0.namespace == .key } + columns.filter { $0.namespace != .key }
        var windowing: Windowing?
        if let windowType = props.windowType {
            switch windowType {
            case "SESSION":
                guard props.windowSize == nil else {
                    throw PlannerErrors.semantic("session-window-size", "WINDOW_SIZE must not be set for SESSION windows", range)
                }
                windowing = .session
            case "TUMBLING", "HOPPING":
                guard let size = props.windowSize else {
                    throw PlannerErrors.semantic(
                        "missing-window-size", "WINDOW_SIZE is required with WINDOW_TYPE '\(windowType)'", range)
                }
                windowing = .time(sizeMs: size.milliseconds)
            default:
                throw PlannerErrors.semantic(
                    "bad-window-type", "WINDOW_TYPE must be TUMBLING, HOPPING or SESSION, not '\(windowType)'", range)
            }
        }
        if windowing != nil && !ordered.contains(where: { $0.namespace == .key }) && !statement.elements.isEmpty {
            throw PlannerErrors.semantic("windowed-without-key", "a windowed source needs a key column", range)
        }
        if props.wrapSingleValue != nil, ordered.filter({ $0.namespace == .value }).count != 1,
            !statement.elements.isEmpty
        {
            throw PlannerErrors.semantic(
                "wrap-single-value", "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas", range)
        }
        if let ts = props.timestampColumn {
            guard let c = ordered.first(where: { $0.name == ts }) else {
                throw PlannerErrors.semantic("unknown-timestamp-column", "TIMESTAMP column '\(ts)' does not exist", range)
            }
            switch c.type {
            case .bigint, .timestamp: break
            case .string:
                guard props.timestampFormat != nil else {
                    throw PlannerErrors.semantic(
                        "missing-timestamp-format", "a STRING TIMESTAMP column needs TIMESTAMP_FORMAT", range)
                }
            default:
                throw PlannerErrors.semantic(
                    "bad-timestamp-column", "TIMESTAMP column '\(ts)' must be BIGINT, TIMESTAMP or STRING", range)
            }
        }
        var keyOptions = FormatOptions()
        var valueOptions = FormatOptions(wrapSingleValue: props.wrapSingleValue)
        if let d = props.keyDelimiter { keyOptions.delimiter = d }
        if let d = props.valueDelimiter { valueOptions.delimiter = d }
        let description = SourceDescription(
            name: name, kind: statement.kind, topic: topic, schema: LogicalSchema(columns: ordered),
            keyFormat: props.keyFormat ?? defaultKeyFormat, valueFormat: valueFormat, keyOptions: keyOptions,
            valueOptions: valueOptions, timestampColumn: props.timestampColumn, timestampFormat: props.timestampFormat,
            windowing: windowing, isReadOnly: statement.isSource, statementText: text)
        return (description, props)
    }
}
