/// How to read one value written with an Avro schema as a value of a SQL type, decided once per
/// codec so records are read without looking at schemas or names.
///
/// The conversions are ksqlDB's (`AvroData.toConnectData`, then `ConnectDataTranslator`):
/// Avro `int` (also `date`, `time-millis`) reads as INTEGER, BIGINT, DATE, TIME, TIMESTAMP or
/// STRING; `long` as BIGINT, TIMESTAMP or STRING; `float`/`double` as DOUBLE or STRING; `boolean`
/// as BOOLEAN or STRING; enums as STRING; decimals as DECIMAL (fitted to the column's precision
/// and scale); records as STRUCT (fields matched by exact name, else upper-cased name; unmatched
/// fields are NULL); Avro maps and arrays of Connect map entries as MAP. Anything else is ksqlDB's
/// "Cannot deserialize type X as type Y for path: P", raised when such a value is reached, even a
/// NULL one (ksqlDB checks the schema before the value).
indirect enum AvroReadNode: Sendable {
    case null
    case boolean(AvroScalarTarget)
    /// `int`, `date` or `time-millis`.
    case int(AvroScalarTarget)
    /// `long` or `timestamp-millis`.
    case long(AvroScalarTarget)
    case float(AvroScalarTarget)
    case double(AvroScalarTarget)
    case string
    case bytes
    case fixed(size: Int)
    /// `bytes` (size nil) or `fixed` with logical type decimal, read into DECIMAL(precision, scale).
    case decimal(size: Int?, writerScale: Int, precision: Int, scale: Int)
    case enumeration(symbols: [String])
    /// A union: the branch index, then that branch.
    case union([AvroReadNode])
    case array(AvroReadNode)
    /// An Avro map (string keys) read as MAP<STRING, value>.
    case map(AvroReadNode)
    /// An array of Connect map-entry records read as a MAP.
    case entries(key: AvroReadNode, value: AvroReadNode)
    case record(AvroRecordPlan)
    /// A union of several non-null types read as a STRUCT with one field per branch (Connect's
    /// `io.confluent.connect.avro.Union`): `slots[i]` is the struct field of branch i, or -1.
    case unionStruct(branches: [AvroReadNode], slots: [Int], template: [StructEntry])
    /// A writer value nobody reads: skipped by its schema.
    case skip(AvroSchema)
    /// The writer type cannot be read as the column type.
    case mismatch(String)
}

/// What a scalar Avro value becomes.
enum AvroScalarTarget: Sendable {
    case boolean, integer, bigint, double, string, date, time, timestamp
}

/// A record read into a struct (or into the columns of a row): each writer field is read in
/// order and stored in its slot, or skipped.
struct AvroRecordPlan: Sendable {
    var fields: [AvroReadNode]
    /// The target slot of each writer field, -1 to skip it.
    var slots: [Int]
    /// The struct with every field NULL, in the SQL type's field order.
    var template: [StructEntry]
}

extension AvroReadNode {
    /// The node reading `writer` as `target`. `path` is ksqlDB's error path (`->A->ARRAY`).
    static func build(writer: AvroSchema, target: SQLType, path: String) -> AvroReadNode {
        if case .union(let branches) = writer {
            // Connect validates the union's (optional) type before reading any branch.
            if branches.count == 1 { return build(writer: branches[0], target: target, path: path) }
            let nonNull = branches.filter { $0 != .null }
            if nonNull.count > 1 {
                guard case .structure(let fields) = target else {
                    return mismatch(writer, target, path)
                }
                return unionStruct(branches, fields: fields, path: path)
            }
            if let only = nonNull.first, let problem = validate(only, target, path) { return problem }
            return .union(branches.map { build(writer: $0, target: target, path: path) })
        }
        if writer == .null { return .null }
        if let problem = validate(writer, target, path) { return problem }
        switch (writer, target) {
        case (.boolean, .boolean): return .boolean(.boolean)
        case (.boolean, _): return .boolean(.string)
        case (.int, _), (.date, _), (.timeMillis, _): return .int(scalarTarget(target))
        case (.long, _), (.timestampMillis, _): return .long(scalarTarget(target))
        case (.float, _): return .float(scalarTarget(target))
        case (.double, _): return .double(scalarTarget(target))
        case (.string, _): return .string
        case (.enumeration(let e), _): return .enumeration(symbols: e.symbols)
        case (.bytes, .bytes): return .bytes
        case (.fixed(let f), .bytes) where f.decimalPrecision == nil: return .fixed(size: f.size)
        case (.decimal(_, let ws), .decimal(let p, let s)):
            return .decimal(size: nil, writerScale: ws, precision: p, scale: s)
        case (.fixed(let f), .decimal(let p, let s)) where f.decimalPrecision != nil:
            return .decimal(size: f.size, writerScale: f.decimalScale, precision: p, scale: s)
        case (.array(let items), .array(let element)):
            return .array(build(writer: items, target: element, path: path + "->ARRAY"))
        case (.array(.record(let entry)), .map(let key, let value)):
            return .entries(
                key: build(writer: entry.fields[0].schema, target: key, path: path + "->MAP_KEY"),
                value: build(writer: entry.fields[1].schema, target: value, path: path + "->MAP_VAL"))
        case (.map(let values), .map(_, let value)):
            return .map(build(writer: values, target: value, path: path + "->MAP_VAL"))
        case (.record(let r), .structure(let fields)):
            return .record(recordPlan(r, fields: fields, path: path))
        default:
            return mismatch(writer, target, path)
        }
    }

    static func recordPlan(_ record: AvroRecord, fields: [StructField], path: String) -> AvroRecordPlan {
        let matcher = AvroFieldMatcher(fields.map(\.name))
        var nodes: [AvroReadNode] = []
        var slots: [Int] = []
        for f in record.fields {
            if let slot = matcher.slot(of: f.name) {
                nodes.append(build(writer: f.schema, target: fields[slot].type, path: path + "->" + fields[slot].name))
                slots.append(slot)
            } else {
                nodes.append(.skip(f.schema))
                slots.append(-1)
            }
        }
        return AvroRecordPlan(fields: nodes, slots: slots, template: fields.map { StructEntry(name: $0.name, value: .null) })
    }

    private static func unionStruct(_ branches: [AvroSchema], fields: [StructField], path: String) -> AvroReadNode {
        let matcher = AvroFieldMatcher(fields.map(\.name))
        var nodes: [AvroReadNode] = []
        var slots: [Int] = []
        for b in branches {
            if b != .null, let slot = matcher.slot(of: b.unionBranchName) {
                nodes.append(build(writer: b, target: fields[slot].type, path: path + "->" + fields[slot].name))
                slots.append(slot)
            } else {
                nodes.append(b == .null ? .null : .skip(b))
                slots.append(-1)
            }
        }
        return .unionStruct(branches: nodes, slots: slots, template: fields.map { StructEntry(name: $0.name, value: .null) })
    }

    private static func scalarTarget(_ t: SQLType) -> AvroScalarTarget {
        switch t {
        case .boolean: .boolean
        case .integer: .integer
        case .bigint: .bigint
        case .double: .double
        case .date: .date
        case .time: .time
        case .timestamp: .timestamp
        default: .string
        }
    }

    /// `ConnectDataTranslator.validateSchema`: which Connect types a column type accepts.
    private static func validate(_ writer: AvroSchema, _ target: SQLType, _ path: String) -> AvroReadNode? {
        let w = writer.connectTypeName
        let ok: Bool
        switch target {
        case .boolean: ok = w == "boolean"
        case .integer, .date, .time: ok = w == "int32"
        case .bigint, .timestamp: ok = w == "int32" || w == "int64"
        case .double: ok = w == "float32" || w == "float64"
        case .string: ok = ["int32", "int64", "float32", "float64", "boolean", "string"].contains(w)
        case .bytes:
            // Connect accepts any BYTES, but a decimal is not bytes in ksqlDB.
            if case .decimal = writer { ok = false } else if case .fixed(let f) = writer { ok = f.decimalPrecision == nil } else { ok = w == "bytes" }
        case .decimal:
            switch writer {
            case .decimal: ok = true
            case .fixed(let f): ok = f.decimalPrecision != nil
            default: ok = false
            }
        case .array: ok = w == "array"
        case .map: ok = w == "map"
        case .structure: ok = w == "struct"
        }
        return ok ? nil : mismatch(writer, target, path)
    }

    private static func mismatch(_ writer: AvroSchema, _ target: SQLType, _ path: String) -> AvroReadNode {
        .mismatch("Cannot deserialize type \(writer.connectTypeName) as type \(connectTypeName(target)) for path: \(path)")
    }

    static func connectTypeName(_ t: SQLType) -> String {
        switch t {
        case .boolean: "boolean"
        case .integer, .date, .time: "int32"
        case .bigint, .timestamp: "int64"
        case .double: "float64"
        case .decimal, .bytes: "bytes"
        case .string: "string"
        case .array: "array"
        case .map: "map"
        case .structure: "struct"
        }
    }
}

/// ksqlDB's struct field lookup when reading Connect data: a writer field matches the SQL field
/// with its exact name, else the one with its upper-cased name.
struct AvroFieldMatcher {
    let slots: [String: Int]

    init(_ names: [String]) {
        var s: [String: Int] = [:]
        for (i, n) in names.enumerated() where s[n] == nil { s[n] = i }
        slots = s
    }

    func slot(of name: String) -> Int? {
        slots[name] ?? slots[name.uppercased()]
    }
}
