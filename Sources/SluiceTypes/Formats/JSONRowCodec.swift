/// The JSON and JSON_SR formats for keys and values.
///
/// Layout: an object with one member per column, named as the column and in column order; or, for
/// a single key column, or a single value column with `WRAP_SINGLE_VALUE=false`, the bare JSON of
/// that column. Reading matches members to columns as ksqlDB does (exact name, else upper-cased
/// key; missing members are NULL, unknown members ignored), reads only the members it needs and
/// ignores bytes after the first JSON value (as Jackson's `readTree`).
///
/// JSON_SR frames the JSON with Confluent's schema-registry header: a zero magic byte and a 4-byte
/// big-endian schema id. Reading checks the magic byte and skips the header; writing uses
/// `schemaID` (there is no registry yet, so the id is not looked up).
public struct JSONRowCodec: RowCodec {
    public let columns: [Column]
    public let isKey: Bool
    /// Whether the record is the bare JSON of the single column.
    public let isUnwrapped: Bool
    /// The JSON_SR schema id, or nil for plain JSON.
    public let schemaID: UInt32?

    private var rowPlan: JSONStructPlan
    private let singlePlan: JSONReadPlan?
    /// What goes before each column's value, escaped once: `{"A":` for the first column and
    /// `,"B":` for the others, back to back, with each one's start (and the end) in `prefixStarts`.
    private let memberPrefixes: [UInt8]
    private let prefixStarts: [Int]

    public init(columns: [Column], options: FormatOptions, isKey: Bool, schemaID: UInt32? = nil) throws(RecordError) {
        for c in columns { try JSONCoercion.validate(c.type) }
        if !isKey, options.wrapSingleValue == false, columns.count != 1 {
            throw RecordError("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas")
        }
        self.columns = columns
        self.isKey = isKey
        self.schemaID = schemaID
        isUnwrapped = columns.count == 1 && (isKey || options.wrapSingleValue == false)
        rowPlan = JSONStructPlan(names: columns.map(\.name), types: columns.map(\.type))
        singlePlan = isUnwrapped ? JSONReadPlan(columns[0].type) : nil
        var prefixes: [UInt8] = []
        var starts: [Int] = []
        for (i, column) in columns.enumerated() {
            starts.append(prefixes.count)
            var w = JSONWriter()
            w.bytes.append(i == 0 ? 0x7B : 0x2C)
            w.writeKey(column.name)
            prefixes += w.bytes
        }
        starts.append(prefixes.count)
        memberPrefixes = prefixes
        prefixStarts = starts
    }

    /// This codec, reading past the STRING columns `read` marks false (they decode as NULL).
    public func skippingUnreadStrings(_ read: [Bool]) -> JSONRowCodec {
        guard !isUnwrapped else { return self }
        var copy = self
        for (i, column) in columns.enumerated() where i < read.count && !read[i] && column.type == .string {
            copy.rowPlan.skip(i)
        }
        return copy
    }

    public func decode(_ bytes: [UInt8]) throws(RecordError) -> [Value] {
        if columns.isEmpty { return [] }
        return try bytes.withUnsafeBufferPointer { (buf) throws(RecordError) -> [Value] in try decode(buf) }
    }

    public func decode(_ buf: UnsafeBufferPointer<UInt8>) throws(RecordError) -> [Value] {
        var values: [Value] = []
        try decode(buf, into: &values)
        return values
    }

    /// Decodes into `values`, replacing what it held and reusing its storage when no one else
    /// holds it (the caller keeps one array from record to record: no allocation per record).
    public func decode(_ buf: UnsafeBufferPointer<UInt8>, into values: inout [Value]) throws(RecordError) {
        let count = columns.count
        JSONRowCodec.reset(&values, toNulls: count)
        if count == 0 { return }
        var cursor = JSONCursor(buf)
        if schemaID != nil {
            guard buf.count > 0, buf[0] == 0 else {
                throw RecordError(
                    "Got unexpected JSON serialization format that did not start with the magic byte. If this "
                        + "stream was not serialized using the JsonSchemaConverter, then make sure the stream is "
                        + "declared with JSON format (not JSON_SR).")
            }
            guard buf.count >= 5 else { throw RecordError("JSON_SR record shorter than its 5-byte header") }
            cursor.pos = 5
        }
        cursor.skipByteOrderMark()
        cursor.skipWhitespace()
        if cursor.atEnd { throw RecordError("Invalid JSON: no content to read") }
        do throws(JSONReadError) {
            if let plan = singlePlan {
                let value = try cursor.readValue(plan)
                // Only the literal `null` reads as NULL here.
                if value.isNull && !isKey {
                    throw JSONReadError.coercion(CoercionError(message: "JSON value is null"))
                }
                values[0] = value
                return
            }
            guard cursor.peek() == 0x7B else {
                // Not an object: a syntax error, a null record (all NULL for a key), or a value of
                // the wrong kind.
                let tree = try cursor.syntax { (c) throws(JSONParseError) in try c.parseValue() }
                if tree.isNull {
                    if isKey { return }
                    throw JSONReadError.coercion(CoercionError(message: "JSON value is null"))
                }
                throw JSONReadError.coercion(.cannotConvert(tree.nodeKindName, to: rowPlan.type))
            }
            try values.withUnsafeMutableBufferPointer { (v) throws(JSONReadError) in
                try cursor.readFields(rowPlan, into: v)
            }
        } catch {
            throw error.recordError
        }
    }

    /// Makes `values` `count` NULLs, overwriting in place what it can: cheaper than removing all
    /// and appending again. (Grown from empty, not with `Array(repeating:count:)`: that allocates
    /// through a generic runtime call that looks up the storage class's metadata every time.)
    @inline(__always)
    static func reset(_ values: inout [Value], toNulls count: Int) {
        if values.count > count { values.removeLast(values.count - count) }
        let kept = values.count
        if kept > 0 {
            values.withUnsafeMutableBufferPointer { v in
                for i in 0..<kept { v[i] = .null }
            }
        }
        if kept < count {
            values.reserveCapacity(count)
            for _ in kept..<count { values.append(.null) }
        }
    }

    public func encode(_ values: [Value]) throws(RecordError) -> [UInt8] {
        try checkCount(values)
        if columns.isEmpty { return [] }
        return ByteSink.withStackSink { sink in
            write(values, to: &sink)
            return Array(sink.bytes)
        }
    }

    /// `encode`, appending to `out`: a caller that copies each record's bytes elsewhere anyway
    /// can keep one buffer (`removeAll(keepingCapacity: true)` between records) and save an
    /// allocation per record.
    public func encode(_ values: [Value], into out: inout [UInt8]) throws(RecordError) {
        try checkCount(values)
        if columns.isEmpty { return }
        ByteSink.withStackSink { sink in
            write(values, to: &sink)
            out.append(contentsOf: sink.bytes)
        }
    }

    private func checkCount(_ values: [Value]) throws(RecordError) {
        guard values.count == columns.count else {
            throw RecordError("Column count mismatch on serialization. expected: \(columns.count), got: \(values.count)")
        }
    }

    private func write(_ values: [Value], to sink: inout ByteSink) {
        if let id = schemaID {
            let p = sink.reserve(5)
            p[0] = 0
            p[1] = UInt8(truncatingIfNeeded: id >> 24)
            p[2] = UInt8(truncatingIfNeeded: id >> 16)
            p[3] = UInt8(truncatingIfNeeded: id >> 8)
            p[4] = UInt8(truncatingIfNeeded: id)
            sink.advance(5)
        }
        if isUnwrapped {
            ValueJSONWriter.write(values[0], to: &sink)
            return
        }
        memberPrefixes.withUnsafeBufferPointer { prefixes in
            prefixStarts.withUnsafeBufferPointer { starts in
                for i in 0..<values.count {
                    sink.append(UnsafeBufferPointer(rebasing: prefixes[starts[i]..<starts[i + 1]]))
                    ValueJSONWriter.write(values[i], to: &sink)
                }
            }
        }
        sink.append(0x7D)
    }
}
