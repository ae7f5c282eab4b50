/// The SQL types of JSON Schemas (the JSON_SR format's registered schemas), as Connect's
/// `JsonSchemaData` reads them and ksqlDB then maps the Connect types (see `SchemaInference`):
///
/// - `boolean` BOOLEAN; `string` STRING (BYTES with `"connect.type": "bytes"`).
/// - `integer` BIGINT; INT with `connect.type` `int8`/`int16`/`int32`; Connect's logical Date and
///   Time (by `title`) DATE and TIME, Timestamp TIMESTAMP.
/// - `number` DOUBLE; Connect's Decimal (title `org.apache.kafka.connect.data.Decimal`, or
///   `connect.type` `bytes`) DECIMAL with the precision and scale of `connect.parameters`.
/// - `array` ARRAY of its `items`; with `"connect.type": "map"`, an array of `key`/`value`
///   objects, a MAP.
/// - `object` STRUCT of its `properties` (ordered by `connect.index` when every property has one,
///   else as written); with `"connect.type": "map"`, or with only `additionalProperties`, a MAP.
/// - `oneOf`/`anyOf` with `null` and one other schema (or `"type": ["null", T]`): that schema.
///   Other unions have no SQL type.
/// - `$ref` to `#/definitions/...` or `#/$defs/...` is followed.
enum JSONSchemaInference {
    static func type(ofSchemaText text: String, upperCase: Bool) throws(RecordError) -> SQLType? {
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            throw RecordError("Invalid JSON schema: \(error)")
        }
        var reader = Reader(root: json, upperCase: upperCase)
        return reader.type(json, depth: 0)
    }

    private struct Reader {
        let root: JSONValue
        let upperCase: Bool

        mutating func type(_ schema: JSONValue, depth: Int) -> SQLType? {
            guard depth < 64 else { return nil }
            if case .bool(true) = schema { return nil }
            guard case .object = schema else { return nil }
            if let ref = schema["$ref"]?.stringValue {
                guard let target = resolve(ref) else { return nil }
                return type(target, depth: depth + 1)
            }
            for unionKey in ["oneOf", "anyOf"] {
                if let branches = schema[unionKey]?.arrayValue {
                    let nonNull = branches.filter { $0["type"]?.stringValue != "null" }
                    guard nonNull.count == 1 else { return nil }
                    return type(nonNull[0], depth: depth + 1)
                }
            }
            if let allOf = schema["allOf"]?.arrayValue, allOf.count == 1 {
                return type(allOf[0], depth: depth + 1)
            }
            var typeName = schema["type"]?.stringValue
            if let names = schema["type"]?.arrayValue {
                let nonNull = names.compactMap(\.stringValue).filter { $0 != "null" }
                guard nonNull.count == 1 else { return nil }
                typeName = nonNull[0]
            }
            if typeName == nil, schema["properties"] != nil { typeName = "object" }
            let connectType = schema["connect.type"]?.stringValue
            let title = schema["title"]?.stringValue
            switch typeName {
            case "boolean":
                return .boolean
            case "string":
                return connectType == "bytes" ? .bytes : .string
            case "integer":
                switch title {
                case "org.apache.kafka.connect.data.Date": return .date
                case "org.apache.kafka.connect.data.Time": return .time
                case "org.apache.kafka.connect.data.Timestamp": return .timestamp
                default: break
                }
                switch connectType {
                case "int8", "int16", "int32": return .integer
                default: return .bigint
                }
            case "number":
                if title == "org.apache.kafka.connect.data.Decimal" || connectType == "bytes" {
                    return decimal(schema)
                }
                return .double
            case "array":
                guard let items = schema["items"] else { return nil }
                if connectType == "map" {
                    guard let value = items["properties"]?["value"], let v = type(value, depth: depth + 1) else {
                        return nil
                    }
                    return .map(key: .string, value: v)
                }
                return type(items, depth: depth + 1).map(SQLType.array)
            case "object":
                let properties = schema["properties"]?.objectValue
                if connectType == "map" || (properties == nil && schema["additionalProperties"]?.objectValue != nil) {
                    guard let values = schema["additionalProperties"], let v = type(values, depth: depth + 1) else {
                        return nil
                    }
                    return .map(key: .string, value: v)
                }
                var members = properties ?? []
                let indexes = members.map { $0.value["connect.index"]?.int64Value }
                if !members.isEmpty, indexes.allSatisfy({ $0 != nil }) {
                    members = zip(members, indexes).sorted { $0.1! < $1.1! }.map(\.0)
                }
                var fields: [StructField] = []
                for m in members {
                    guard let t = type(m.value, depth: depth + 1) else { continue }
                    fields.append(StructField(name: SchemaInference.name(m.key, upperCase: upperCase), type: t))
                }
                return .structure(fields)
            default:
                return nil
            }
        }

        /// Connect's decimal: precision from `connect.decimal.precision` (64 when absent, as
        /// Connect defaults it), scale from `scale`.
        private func decimal(_ schema: JSONValue) -> SQLType? {
            let params = schema["connect.parameters"]
            func int(_ key: String) -> Int? {
                guard let v = params?[key] else { return nil }
                if let s = v.stringValue { return Int(s) }
                return v.int64Value.map { Int($0) }
            }
            let scale = int("scale") ?? 0
            let precision = int("connect.decimal.precision") ?? 64
            return .decimal(precision: precision, scale: scale)
        }

        private func resolve(_ ref: String) -> JSONValue? {
            guard ref.hasPrefix("#/") else { return nil }
            var node: JSONValue? = root
            for part in ref.dropFirst(2).split(separator: "/") {
                node = node?[String(part)]
            }
            return node
        }
    }
}
