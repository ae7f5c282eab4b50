/// The DELIMITED format: one CSV record, fields in column order (ksqlDB's `KsqlDelimitedSerializer`
/// / `Deserializer` over Commons CSV).
///
/// Reading: field count must equal the column count; an empty field (quoted or not) is NULL;
/// BOOLEAN is `Boolean.parseBoolean` (anything but `true` in any case is false), INTEGER/BIGINT/
/// DATE/TIME/TIMESTAMP Java integer parsing, DOUBLE `Double.parseDouble`, DECIMAL fitted without
/// rounding, BYTES Base64. Writing: NULL is an empty field, DECIMAL plain (`0.0000001`), DOUBLE
/// Java's `Double.toString`, BYTES Base64, temporal types as numbers; quoting as `CSVFormat.DEFAULT`
/// (minimal quoting, see `appendField`). ARRAY, MAP and STRUCT columns are rejected.
public struct DelimitedCodec: RowCodec {
    public let columns: [Column]
    public let delimiter: UInt8
    private let types: [SQLType]

    public init(columns: [Column], options: FormatOptions) throws(RecordError) {
        if options.wrapSingleValue == true {
            throw RecordError("Format 'DELIMITED' does not support 'WRAP_SINGLE_VALUE' set to 'true'.")
        }
        guard options.delimiter < 0x80, options.delimiter != 0x22, options.delimiter != 0x0A, options.delimiter != 0x0D
        else {
            throw RecordError("not supported yet: DELIMITED delimiter byte 0x\(String(options.delimiter, radix: 16))")
        }
        for c in columns {
            switch c.type {
            case .array: throw RecordError("The 'DELIMITED' format does not support type 'ARRAY', column: `\(c.name)`")
            case .map: throw RecordError("The 'DELIMITED' format does not support type 'MAP', column: `\(c.name)`")
            case .structure: throw RecordError("The 'DELIMITED' format does not support type 'STRUCT', column: `\(c.name)`")
            case .decimal(let p, let s): try SQLDecimal.validateType(precision: p, scale: s)
            default: break
            }
        }
        self.columns = columns
        delimiter = options.delimiter
        types = columns.map(\.type)
    }

    public func decode(_ bytes: [UInt8]) throws(RecordError) -> [Value] {
        if columns.isEmpty { return [] }
        return try bytes.withUnsafeBufferPointer { (buf) throws(RecordError) -> [Value] in try decode(buf) }
    }

    public func decode(_ buf: UnsafeBufferPointer<UInt8>) throws(RecordError) -> [Value] {
        if columns.isEmpty { return [] }
        let fields = try CSVRecordParser(delimiter: delimiter).firstRecord(buf)
        if fields.isEmpty { throw RecordError("Error deserializing delimited: No fields in record") }
        guard fields.count == columns.count else {
            throw RecordError(
                "Column count mismatch on deserialization. expected: \(columns.count), got: \(fields.count)")
        }
        var values: [Value] = []
        values.reserveCapacity(fields.count)
        for (i, f) in fields.enumerated() {
            if f.start == f.end {
                values.append(.null)
            } else if f.hasEscapedQuotes {
                var unquoted: [UInt8] = []
                var j = f.start
                while j < f.end {
                    unquoted.append(buf[j])
                    j += buf[j] == 0x22 ? 2 : 1
                }
                let type = types[i]
                let name = columns[i].name
                values.append(try unquoted.withUnsafeBufferPointer { (b) throws(RecordError) -> Value in
                    try DelimitedCodec.parse(b, as: type, column: name)
                })
            } else {
                values.append(try DelimitedCodec.parse(UnsafeBufferPointer(rebasing: buf[f.start..<f.end]), as: types[i], column: columns[i].name))
            }
        }
        return values
    }

    static func parse(_ t: UnsafeBufferPointer<UInt8>, as type: SQLType, column: String) throws(RecordError) -> Value {
        func failure() -> RecordError {
            RecordError("Error deserializing delimited: For input string: \"\(String(decoding: t, as: UTF8.self))\", column: `\(column)` \(type)")
        }
        switch type {
        case .boolean: return .boolean(JavaNumberParsing.parseBoolean(t))
        case .integer:
            guard let v = JavaNumberParsing.parseInt(t) else { throw failure() }
            return .integer(v)
        case .bigint:
            guard let v = JavaNumberParsing.parseLong(t) else { throw failure() }
            return .bigint(v)
        case .double:
            guard let v = JavaNumberParsing.parseDouble(t) else { throw failure() }
            return .double(v)
        case .string: return .string(String(decoding: t, as: UTF8.self))
        case .decimal(let p, let s):
            guard let literal = DecimalLiteral.parse(t) else { throw failure() }
            return .decimal(try literal.ensureFit(precision: p, scale: s))
        case .bytes:
            guard let b = Base64.decode(t, paddingRequired: false, skipsWhitespace: false) else { throw failure() }
            return .bytes(b)
        case .date:
            guard let v = JavaNumberParsing.parseInt(t) else { throw failure() }
            return .date(v)
        case .time:
            guard let v = JavaNumberParsing.parseInt(t) else { throw failure() }
            return .time(v)
        case .timestamp:
            guard let v = JavaNumberParsing.parseLong(t) else { throw failure() }
            return .timestamp(v)
        case .array, .map, .structure:
            throw RecordError("The 'DELIMITED' format does not support type '\(type)'")
        }
    }

    public func encode(_ values: [Value]) throws(RecordError) -> [UInt8] {
        guard values.count == columns.count else {
            throw RecordError("Column count mismatch on serialization. expected: \(columns.count), got: \(values.count)")
        }
        var out: [UInt8] = []
        out.reserveCapacity(16 * values.count)
        var text: [UInt8] = []
        for (i, v) in values.enumerated() {
            if i > 0 { out.append(delimiter) }
            text.removeAll(keepingCapacity: true)
            switch v {
            case .null: continue
            case .boolean(let b): text.append(contentsOf: (b ? "true" : "false").utf8)
            case .integer(let x): DecimalDigits.append(Int64(x), to: &text)
            case .bigint(let x): DecimalDigits.append(x, to: &text)
            case .double(let d): JavaDoubleFormat.append(d, to: &text)
            case .decimal(let d): d.appendPlainString(to: &text)
            case .string(let s): text.append(contentsOf: s.utf8)
            case .bytes(let b): Base64.append(b, to: &text)
            case .date(let x): DecimalDigits.append(Int64(x), to: &text)
            case .time(let x): DecimalDigits.append(Int64(x), to: &text)
            case .timestamp(let x): DecimalDigits.append(x, to: &text)
            case .array, .map, .structure:
                throw RecordError("The 'DELIMITED' format does not support type '\(columns[i].type)'")
            }
            appendField(text, first: i == 0, to: &out)
        }
        return out
    }

    /// Commons CSV's minimal quoting (the version ksqlDB ships): quote when the field is empty and
    /// first in the record; when it is first and starts with anything but an ASCII letter or digit;
    /// when it starts with a character <= `#`; when it holds a line break, a quote or the delimiter;
    /// or when it ends with a character <= space. Quotes inside are doubled.
    func appendField(_ text: [UInt8], first: Bool, to out: inout [UInt8]) {
        var quote = false
        if text.isEmpty {
            quote = first
        } else {
            let c = text[0]
            let alphanumeric = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
            if (first && !alphanumeric) || c <= 0x23 {
                quote = true
            } else if text.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0x22 || $0 == delimiter }) {
                quote = true
            } else if text[text.count - 1] <= 0x20 {
                quote = true
            }
        }
        if !quote {
            out.append(contentsOf: text)
            return
        }
        out.append(0x22)
        for c in text {
            if c == 0x22 { out.append(0x22) }
            out.append(c)
        }
        out.append(0x22)
    }
}
