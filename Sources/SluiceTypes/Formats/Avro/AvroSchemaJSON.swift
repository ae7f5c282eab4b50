/// Avro schema JSON: writing it as Avro's `Schema.toString()` does (compact; a named type is
/// defined once and then referred to by name; `namespace` only where it differs from the
/// enclosing one), and parsing it (the subset of the specification Sluice models).
extension AvroSchema {
    /// The schema's JSON text.
    public var jsonText: String {
        var w = AvroSchemaJSONWriter()
        w.write(self, enclosingNamespace: nil)
        return String(decoding: w.out.bytes, as: UTF8.self)
    }

    /// Parses Avro schema JSON, e.g. `"int"`, `["null","string"]` or a record definition.
    public static func parse(_ text: String) throws(RecordError) -> AvroSchema {
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            throw RecordError("Invalid Avro schema JSON: \(error)")
        }
        return try parse(json)
    }

    /// Parses an Avro schema held as a JSON tree (as QTT test files hold them).
    public static func parse(_ json: JSONValue) throws(RecordError) -> AvroSchema {
        var p = AvroSchemaParser()
        return try p.parse(json, namespace: nil)
    }
}

private struct AvroSchemaJSONWriter {
    var out = JSONWriter(capacity: 256)
    var defined: Set<String> = []

    mutating func write(_ schema: AvroSchema, enclosingNamespace: String?) {
        switch schema {
        case .null: out.writeString("null")
        case .boolean: out.writeString("boolean")
        case .int: out.writeString("int")
        case .long: out.writeString("long")
        case .float: out.writeString("float")
        case .double: out.writeString("double")
        case .bytes: out.writeString("bytes")
        case .string: out.writeString("string")
        case .date: logical("int", "date")
        case .timeMillis: logical("int", "time-millis")
        case .timestampMillis: logical("long", "timestamp-millis")
        case .decimal(let p, let s):
            // Connect adds scale and precision before the logical type.
            out.beginObject()
            member("type")
            out.writeString("bytes")
            out.writeComma()
            member("scale")
            out.writeInt(Int64(s))
            out.writeComma()
            member("precision")
            out.writeInt(Int64(p))
            out.writeComma()
            member("logicalType")
            out.writeString("decimal")
            out.endObject()
        case .fixed(let f):
            if reference(f.name, enclosingNamespace) { return }
            out.beginObject()
            member("type")
            out.writeString("fixed")
            out.writeComma()
            names(f.name, enclosingNamespace)
            member("size")
            out.writeInt(Int64(f.size))
            if let p = f.decimalPrecision {
                out.writeComma()
                member("logicalType")
                out.writeString("decimal")
                out.writeComma()
                member("precision")
                out.writeInt(Int64(p))
                out.writeComma()
                member("scale")
                out.writeInt(Int64(f.decimalScale))
            }
            out.endObject()
        case .enumeration(let e):
            if reference(e.name, enclosingNamespace) { return }
            out.beginObject()
            member("type")
            out.writeString("enum")
            out.writeComma()
            names(e.name, enclosingNamespace)
            member("symbols")
            out.beginArray()
            for (i, s) in e.symbols.enumerated() {
                if i > 0 { out.writeComma() }
                out.writeString(s)
            }
            out.endArray()
            out.endObject()
        case .array(let items):
            out.beginObject()
            member("type")
            out.writeString("array")
            out.writeComma()
            member("items")
            write(items, enclosingNamespace: enclosingNamespace)
            out.endObject()
        case .map(let values):
            out.beginObject()
            member("type")
            out.writeString("map")
            out.writeComma()
            member("values")
            write(values, enclosingNamespace: enclosingNamespace)
            out.endObject()
        case .union(let branches):
            out.beginArray()
            for (i, b) in branches.enumerated() {
                if i > 0 { out.writeComma() }
                write(b, enclosingNamespace: enclosingNamespace)
            }
            out.endArray()
        case .record(let r):
            if reference(r.name, enclosingNamespace) { return }
            out.beginObject()
            member("type")
            out.writeString("record")
            out.writeComma()
            names(r.name, enclosingNamespace)
            member("fields")
            out.beginArray()
            for (i, f) in r.fields.enumerated() {
                if i > 0 { out.writeComma() }
                out.beginObject()
                member("name")
                out.writeString(f.name)
                out.writeComma()
                member("type")
                write(f.schema, enclosingNamespace: r.name.namespace)
                if let d = f.defaultJSON {
                    out.writeComma()
                    member("default")
                    out.writeNumberText(d)
                }
                out.endObject()
            }
            out.endArray()
            var props = r.properties
            if r.isMapEntry && !props.contains(where: { $0.key == "connect.internal.type" }) {
                props.append(AvroProperty(key: "connect.internal.type", valueJSON: "\"MapEntry\""))
            }
            for p in props {
                out.writeComma()
                member(p.key)
                out.writeNumberText(p.valueJSON)
            }
            out.endObject()
        }
    }

    private mutating func member(_ key: String) { out.writeKey(key) }

    private mutating func logical(_ type: String, _ logicalType: String) {
        out.beginObject()
        member("type")
        out.writeString(type)
        out.writeComma()
        member("logicalType")
        out.writeString(logicalType)
        out.endObject()
    }

    /// Writes a reference to an already defined named type; false if it is not defined yet (and
    /// now counts as defined).
    private mutating func reference(_ name: AvroName, _ enclosingNamespace: String?) -> Bool {
        if defined.contains(name.fullName) {
            out.writeString(name.namespace == enclosingNamespace ? name.name : name.fullName)
            return true
        }
        defined.insert(name.fullName)
        return false
    }

    /// `"name":...,` and `"namespace":...,` when it differs from the enclosing namespace.
    private mutating func names(_ name: AvroName, _ enclosingNamespace: String?) {
        member("name")
        out.writeString(name.name)
        out.writeComma()
        if name.namespace != enclosingNamespace {
            member("namespace")
            out.writeString(name.namespace ?? "")
            out.writeComma()
        }
    }
}

private struct AvroSchemaParser {
    /// Named types defined so far, by full name.
    var named: [String: AvroSchema] = [:]
    /// Named types being defined (for detecting recursion).
    var defining: Set<String> = []
    var depth = 0

    static let primitives: [String: AvroSchema] = [
        "null": .null, "boolean": .boolean, "int": .int, "long": .long, "float": .float,
        "double": .double, "bytes": .bytes, "string": .string,
    ]

    mutating func parse(_ json: JSONValue, namespace: String?) throws(RecordError) -> AvroSchema {
        depth += 1
        defer { depth -= 1 }
        guard depth < 200 else { throw RecordError("Avro schema is nested too deeply") }
        switch json {
        case .string(let name):
            return try resolve(name, namespace: namespace)
        case .array(let branches):
            var out: [AvroSchema] = []
            for b in branches { out.append(try parse(b, namespace: namespace)) }
            return .union(out)
        case .object:
            return try parseObject(json, namespace: namespace)
        default:
            throw RecordError("Invalid Avro schema: \(json)")
        }
    }

    mutating func resolve(_ name: String, namespace: String?) throws(RecordError) -> AvroSchema {
        if let p = AvroSchemaParser.primitives[name] { return p }
        let candidates = name.contains(".") ? [name] : [namespace.map { "\($0).\(name)" } ?? name, name]
        for c in candidates {
            if let s = named[c] { return s }
            if defining.contains(c) { throw RecordError("Recursive Avro schemas are not supported: \(c)") }
        }
        throw RecordError("Undefined Avro type name: \(name)")
    }

    mutating func parseObject(_ json: JSONValue, namespace: String?) throws(RecordError) -> AvroSchema {
        guard let typeJSON = json["type"] else { throw RecordError("Avro schema object has no type: \(json)") }
        guard case .string(let type) = typeJSON else {
            // {"type": {...}} or {"type": [...]}: the nested schema.
            return try parse(typeJSON, namespace: namespace)
        }
        let logicalType = json["logicalType"]?.stringValue
        switch type {
        case "int":
            if logicalType == "date" { return .date }
            if logicalType == "time-millis" { return .timeMillis }
            return .int
        case "long":
            if logicalType == "timestamp-millis" { return .timestampMillis }
            return .long
        case "bytes":
            if logicalType == "decimal", let (p, s) = decimalParameters(json) { return .decimal(precision: p, scale: s) }
            return .bytes
        case "record", "error":
            let name = try fullName(json, namespace: namespace)
            defining.insert(name.fullName)
            guard let fieldsJSON = json["fields"]?.arrayValue else { throw RecordError("Avro record \(name.fullName) has no fields") }
            var fields: [AvroField] = []
            for f in fieldsJSON {
                guard let fieldName = f["name"]?.stringValue, let fieldType = f["type"] else {
                    throw RecordError("Invalid field in Avro record \(name.fullName)")
                }
                let schema = try parse(fieldType, namespace: name.namespace)
                fields.append(AvroField(name: fieldName, schema: schema, defaultJSON: f["default"].map { JSONWriter.string($0) }))
            }
            var props: [AvroProperty] = []
            var isMapEntry = name.fullName == "io.confluent.connect.avro.MapEntry"
            if case .object(let members) = json {
                for m in members where !["type", "name", "namespace", "fields", "doc", "aliases"].contains(m.key) {
                    if m.key == "connect.internal.type" && m.value.stringValue == "MapEntry" {
                        isMapEntry = true
                        continue
                    }
                    props.append(AvroProperty(key: m.key, valueJSON: JSONWriter.string(m.value)))
                }
            }
            defining.remove(name.fullName)
            let schema = AvroSchema.record(AvroRecord(name: name, fields: fields, isMapEntry: isMapEntry, properties: props))
            named[name.fullName] = schema
            return schema
        case "enum":
            let name = try fullName(json, namespace: namespace)
            guard let symbols = json["symbols"]?.arrayValue else { throw RecordError("Avro enum \(name.fullName) has no symbols") }
            var out: [String] = []
            for s in symbols {
                guard let str = s.stringValue else { throw RecordError("Invalid symbol in Avro enum \(name.fullName)") }
                out.append(str)
            }
            let schema = AvroSchema.enumeration(AvroEnum(name: name, symbols: out))
            named[name.fullName] = schema
            return schema
        case "fixed":
            let name = try fullName(json, namespace: namespace)
            guard let size = json["size"]?.int64Value, size >= 0, size <= Int64(Int32.max) else {
                throw RecordError("Invalid size in Avro fixed \(name.fullName)")
            }
            var fixed = AvroFixed(name: name, size: Int(size))
            if logicalType == "decimal", let (p, s) = decimalParameters(json) { fixed.decimal = (p, s) }
            let schema = AvroSchema.fixed(fixed)
            named[name.fullName] = schema
            return schema
        case "array":
            guard let items = json["items"] else { throw RecordError("Avro array has no items") }
            return .array(try parse(items, namespace: namespace))
        case "map":
            guard let values = json["values"] else { throw RecordError("Avro map has no values") }
            return .map(try parse(values, namespace: namespace))
        default:
            return try resolve(type, namespace: namespace)
        }
    }

    /// Precision and scale of a decimal logical type; nil when invalid (Avro then ignores the
    /// logical type).
    func decimalParameters(_ json: JSONValue) -> (Int, Int)? {
        guard let p = json["precision"]?.int64Value, p >= 1, p <= 1000 else { return nil }
        let s = json["scale"]?.int64Value ?? 0
        guard s >= 0 && s <= p else { return nil }
        return (Int(p), Int(s))
    }

    func fullName(_ json: JSONValue, namespace: String?) throws(RecordError) -> AvroName {
        guard let name = json["name"]?.stringValue, !name.isEmpty else { throw RecordError("Avro named type has no name: \(json)") }
        if name.contains(".") { return AvroName(fullName: name) }
        return AvroName(name: name, namespace: json["namespace"]?.stringValue ?? namespace)
    }
}
