import SluiceTypes

/// The schemas ksqlDB registers for columns it declares itself (a `CREATE STREAM` with columns,
/// the sink of a `CREATE ... AS SELECT`): for AVRO the exact schema its serializer writes; for
/// JSON_SR and PROTOBUF the shape Connect generates (`JsonSchemaData`, `ProtobufData`: every field
/// optional, fields numbered or indexed in column order). Registering them keeps the registry's
/// subjects, versions and ids as ksqlDB's would be.
enum DerivedRegistrySchema {
    /// The schema for `columns` in `format`, or nil when the format has no registry or there are
    /// no columns. `wrap` is `WRAP_SINGLE_VALUE` (single keys are unwrapped where the format can).
    static func schema(
        format: FormatKind, columns: [Column], isKey: Bool, wrap: Bool?
    ) -> (type: RegisteredSchemaType, text: String)? {
        guard let type = RegisteredSchemaType(format: format), !columns.isEmpty else { return nil }
        let unwrapped = columns.count == 1 && (isKey || wrap == false)
        switch type {
        case .avro:
            guard let text = try? AvroRowCodec.schemaJSON(columns: columns, isKey: isKey, wrap: wrap) else { return nil }
            return (type, text)
        case .json:
            let schema =
                unwrapped
                ? jsonSchema(columns[0].type, optional: true)
                : jsonObject(columns.map { StructField(name: $0.name, type: $0.type) })
            return (type, JSONWriter.string(schema))
        case .protobuf:
            var lines = ["syntax = \"proto3\";", ""]
            var counter = 1
            protoMessage(
                name: "ConnectDefault1", fields: columns.map { StructField(name: $0.name, type: $0.type) },
                indent: "", counter: &counter, into: &lines)
            return (type, lines.joined(separator: "\n") + "\n")
        }
    }

    // MARK: JSON Schema

    private static func jsonObject(_ fields: [StructField]) -> JSONValue {
        .object([
            JSONMember("type", .string("object")),
            JSONMember(
                "properties",
                .object(fields.enumerated().map { JSONMember($1.name, jsonSchema($1.type, optional: true, index: $0)) })),
        ])
    }

    private static func jsonSchema(_ type: SQLType, optional: Bool, index: Int? = nil) -> JSONValue {
        var members: [JSONMember] = []
        if let index { members.append(JSONMember("connect.index", .number(Int64(index)))) }
        if optional {
            members.append(JSONMember("oneOf", .array([.object([JSONMember("type", .string("null"))]), jsonSchema(type, optional: false)])))
            return .object(members)
        }
        func add(_ key: String, _ value: String) { members.append(JSONMember(key, .string(value))) }
        switch type {
        case .boolean: add("type", "boolean")
        case .integer:
            add("type", "integer")
            add("connect.type", "int32")
        case .bigint:
            add("type", "integer")
            add("connect.type", "int64")
        case .double:
            add("type", "number")
            add("connect.type", "float64")
        case .string: add("type", "string")
        case .bytes:
            add("type", "string")
            add("connect.type", "bytes")
        case .decimal(let p, let s):
            add("type", "number")
            add("title", "org.apache.kafka.connect.data.Decimal")
            add("connect.type", "bytes")
            members.append(
                JSONMember(
                    "connect.parameters",
                    .object([JSONMember("scale", .string(String(s))), JSONMember("connect.decimal.precision", .string(String(p)))])))
        case .date:
            add("type", "integer")
            add("title", "org.apache.kafka.connect.data.Date")
            add("connect.type", "int32")
        case .time:
            add("type", "integer")
            add("title", "org.apache.kafka.connect.data.Time")
            add("connect.type", "int32")
        case .timestamp:
            add("type", "integer")
            add("title", "org.apache.kafka.connect.data.Timestamp")
            add("connect.type", "int64")
        case .array(let element):
            add("type", "array")
            members.append(JSONMember("items", jsonSchema(element, optional: true)))
        case .map(_, let value):
            add("type", "object")
            members.append(JSONMember("additionalProperties", jsonSchema(value, optional: true)))
            add("connect.type", "map")
        case .structure(let fields):
            return jsonObject(fields)
        }
        return .object(members)
    }

    // MARK: Protobuf

    private static func protoMessage(
        name: String, fields: [StructField], indent: String, counter: inout Int, into lines: inout [String]
    ) {
        lines.append("\(indent)message \(name) {")
        var nested: [String] = []
        var declarations: [String] = []
        for (i, f) in fields.enumerated() {
            let number = i + 1
            switch f.type {
            case .array(let element):
                declarations.append("\(indent)  repeated \(protoType(element, field: f.name, indent: indent + "  ", counter: &counter, nested: &nested)) \(f.name) = \(number);")
            case .map(_, let value):
                let v = protoType(value, field: f.name, indent: indent + "  ", counter: &counter, nested: &nested)
                declarations.append("\(indent)  map<string, \(v)> \(f.name) = \(number);")
            default:
                declarations.append("\(indent)  \(protoType(f.type, field: f.name, indent: indent + "  ", counter: &counter, nested: &nested)) \(f.name) = \(number);")
            }
        }
        lines.append(contentsOf: nested)
        lines.append(contentsOf: declarations)
        lines.append("\(indent)}")
    }

    private static func protoType(
        _ type: SQLType, field: String, indent: String, counter: inout Int, nested: inout [String]
    ) -> String {
        switch type {
        case .boolean: return "bool"
        case .integer: return "int32"
        case .bigint: return "int64"
        case .double: return "double"
        case .string: return "string"
        case .bytes: return "bytes"
        case .decimal: return "confluent.type.Decimal"
        case .date: return "google.type.Date"
        case .time: return "google.type.TimeOfDay"
        case .timestamp: return "google.protobuf.Timestamp"
        case .array(let element): return protoType(element, field: field, indent: indent, counter: &counter, nested: &nested)
        case .map(_, let value): return protoType(value, field: field, indent: indent, counter: &counter, nested: &nested)
        case .structure(let fields):
            counter += 1
            let name = "ConnectDefault\(counter)"
            protoMessage(name: name, fields: fields, indent: indent, counter: &counter, into: &nested)
            return name
        }
    }
}
