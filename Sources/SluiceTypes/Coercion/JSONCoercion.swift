/// ksqlDB's JSON deserialization rules, from a parsed `JSONValue` to a `Value` of a SQL type.
///
/// The record codecs apply the same rules straight from bytes; this tree form serves the test
/// runner, `INSERT VALUES`-style inputs and anything else that already holds a `JSONValue`.
/// JSON `null` is SQL NULL for every type. Struct fields (and row columns) are looked up as
/// `FieldMatcher` describes; missing fields are NULL and unknown members are ignored. Map keys are
/// always JSON strings, so only `MAP<STRING, ...>` can be read (see `validate`).
public enum JSONCoercion {
    public static func value(_ json: JSONValue, as type: SQLType) throws(RecordError) -> Value {
        do {
            return try coerce(json, to: type)
        } catch {
            throw error.recordError
        }
    }

    /// The values of `columns` from a JSON object, matched as struct fields are.
    public static func row(_ json: JSONValue, columns: [Column]) throws(RecordError) -> [Value] {
        let type = SQLType.structure(columns.map { StructField(name: $0.name, type: $0.type) })
        guard case .structure(let entries) = try value(json, as: type) else {
            return Array(repeating: .null, count: columns.count)
        }
        return entries.map(\.value)
    }

    /// Rejects types the JSON formats cannot carry: maps with non-STRING keys (anywhere inside),
    /// and decimals beyond 38 digits (Sluice's limit).
    public static func validate(_ type: SQLType) throws(RecordError) {
        switch type {
        case .map(let key, let value):
            guard key == .string else { throw RecordError("JSON only supports MAP types with STRING keys") }
            try validate(value)
        case .array(let element): try validate(element)
        case .structure(let fields): for f in fields { try validate(f.type) }
        case .decimal(let precision, let scale): try SQLDecimal.validateType(precision: precision, scale: scale)
        default: break
        }
    }

    static func coerce(_ json: JSONValue, to type: SQLType) throws(CoercionError) -> Value {
        switch json {
        case .null:
            return .null
        case .bool(let b):
            return try ScalarCoercion.coerce(.bool(b), to: type)
        case .number(let text):
            return try withUTF8Bytes(text) { (t) throws(CoercionError) -> Value in
                try ScalarCoercion.coerce(.number(t, isInteger: JSONNumberLiteral.isIntegerLiteral(t)), to: type)
            }
        case .string(let s):
            return try withUTF8Bytes(s) { (t) throws(CoercionError) -> Value in try ScalarCoercion.coerce(.string(t), to: type) }
        case .array(let elements):
            switch type {
            case .array(let elementType):
                var values: [Value] = []
                values.reserveCapacity(elements.count)
                for (i, e) in elements.enumerated() {
                    do {
                        values.append(try coerce(e, to: elementType))
                    } catch {
                        throw error.under("[\(i)]")
                    }
                }
                return .array(values)
            case .string:
                return .string(JacksonText.stringValue(of: json))
            default:
                throw .cannotConvert("ArrayNode", to: type)
            }
        case .object(let members):
            switch type {
            case .map(let keyType, let valueType):
                var entries: [MapEntry] = []
                for m in JacksonText.deduplicated(members) {
                    do {
                        let key = try coerce(.string(m.key), to: keyType)
                        entries.append(MapEntry(key: key, value: try coerce(m.value, to: valueType)))
                    } catch {
                        throw error.under(".\(m.key).value")
                    }
                }
                return .map(entries)
            case .structure(let fields):
                return .structure(try structure(members, fields: fields))
            case .string:
                return .string(JacksonText.stringValue(of: json))
            default:
                throw .cannotConvert("ObjectNode", to: type)
            }
        }
    }

    private static func structure(_ members: [JSONMember], fields: [StructField]) throws(CoercionError) -> [StructEntry] {
        let matcher = FieldMatcher(names: fields.map(\.name))
        // For each field: index of the member that supplies it, and whether by exact key.
        var source = [(member: Int, exact: Bool)?](repeating: nil, count: fields.count)
        for (mi, m) in members.enumerated() {
            let match = withUTF8Bytes(m.key) { matcher.match($0) }
            func take(_ field: Int, _ exact: Bool) {
                if exact || source[field]?.exact != true { source[field] = (mi, exact) }
            }
            switch match {
            case .none: break
            case .one(let f, let exact): take(f, exact)
            case .several(let all): for hit in all { take(hit.index, hit.exact) }
            }
        }
        var entries: [StructEntry] = []
        entries.reserveCapacity(fields.count)
        for (i, field) in fields.enumerated() {
            var value = Value.null
            if let s = source[i] {
                do {
                    value = try coerce(members[s.member].value, to: field.type)
                } catch {
                    throw error.under(".\(field.name)")
                }
            }
            entries.append(StructEntry(name: field.name, value: value))
        }
        return entries
    }
}
