import SluiceTypes

/// `CAST(value AS type)` with ksqlDB's conversions. A value that cannot convert (a malformed
/// number in a string, a decimal that does not fit) is an ``EvaluationError``.
enum ValueCast {
    static func cast(_ v: Value, from: SQLType, to: SQLType) throws(EvaluationError) -> Value {
        if v.isNull { return .null }
        if from == to { return v }
        switch to {
        case .string:
            return .string(ValueText.render(v))
        case .integer:
            if case .string(let s) = v {
                guard let x = Int32(s.trimmingSpaces) else { throw EvaluationError("cannot cast '\(s)' to INTEGER") }
                return .integer(x)
            }
            guard let x = v.asInt64 else { throw EvaluationError("cannot cast \(from) to INTEGER") }
            return .integer(Int32(truncatingIfNeeded: x))
        case .bigint:
            if case .string(let s) = v {
                guard let x = Int64(s.trimmingSpaces) else { throw EvaluationError("cannot cast '\(s)' to BIGINT") }
                return .bigint(x)
            }
            guard let x = v.asInt64 else { throw EvaluationError("cannot cast \(from) to BIGINT") }
            return .bigint(x)
        case .double:
            if case .string(let s) = v {
                guard let x = Double(s.trimmingSpaces) else { throw EvaluationError("cannot cast '\(s)' to DOUBLE") }
                return .double(x)
            }
            guard let x = v.asDouble else { throw EvaluationError("cannot cast \(from) to DOUBLE") }
            return .double(x)
        case .decimal(let p, let s):
            var d: SQLDecimal?
            if case .string(let text) = v { d = DecimalOps.parse(text.trimmingSpaces) } else { d = v.asDecimal }
            guard let d else { throw EvaluationError("cannot cast \(ValueText.render(v)) to DECIMAL(\(p), \(s))") }
            // CAST rounds half-up to the scale; only too many integer digits is an error.
            do { return .decimal(try d.cast(precision: p, scale: s)) } catch { throw EvaluationError(error.message) }
        case .boolean:
            if case .string(let s) = v { return .boolean(s.trimmingSpaces.lowercased() == "true") }
            throw EvaluationError("cannot cast \(from) to BOOLEAN")
        case .timestamp:
            switch v {
            case .string(let s):
                guard let ms = TemporalParsing.parseTimestamp(s.trimmingSpaces) else {
                    throw EvaluationError("cannot cast '\(s)' to TIMESTAMP")
                }
                return .timestamp(ms)
            case .date(let d): return .timestamp(Int64(d) * 86_400_000)
            default: throw EvaluationError("cannot cast \(from) to TIMESTAMP")
            }
        case .date:
            switch v {
            case .string(let s):
                guard let d = TemporalParsing.parseDate(s.trimmingSpaces) else { throw EvaluationError("cannot cast '\(s)' to DATE") }
                return .date(d)
            case .timestamp(let ms): return .date(Int32(TemporalParsing.floorDiv(ms, 86_400_000)))
            default: throw EvaluationError("cannot cast \(from) to DATE")
            }
        case .time:
            switch v {
            case .string(let s):
                guard let t = TemporalParsing.parseTime(s.trimmingSpaces) else { throw EvaluationError("cannot cast '\(s)' to TIME") }
                return .time(t)
            case .timestamp(let ms): return .time(Int32(ms - TemporalParsing.floorDiv(ms, 86_400_000) * 86_400_000))
            default: throw EvaluationError("cannot cast \(from) to TIME")
            }
        case .array(let element):
            guard case .array(let items) = v, case .array(let fromElement) = from else {
                throw EvaluationError("cannot cast \(from) to \(to)")
            }
            return .array(try items.map { (x) throws(EvaluationError) in try cast(x, from: fromElement, to: element) })
        case .map(let k, let t):
            guard case .map(let entries) = v, case .map(let fk, let ft) = from else {
                throw EvaluationError("cannot cast \(from) to \(to)")
            }
            var out: [MapEntry] = []
            for e in entries {
                out.append(MapEntry(key: try cast(e.key, from: fk, to: k), value: try cast(e.value, from: ft, to: t)))
            }
            return .map(out)
        case .structure(let fields):
            guard case .structure(let entries) = v, case .structure(let fromFields) = from else {
                throw EvaluationError("cannot cast \(from) to \(to)")
            }
            var out: [StructEntry] = []
            for f in fields {
                let source = entries.first { $0.name == f.name }?.value ?? .null
                let sourceType = fromFields.first { $0.name == f.name }?.type ?? f.type
                out.append(StructEntry(name: f.name, value: try cast(source, from: sourceType, to: f.type)))
            }
            return .structure(out)
        case .bytes:
            throw EvaluationError("cannot cast \(from) to BYTES")
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
