/// The PROTOBUF and PROTOBUF_NOSR formats for keys and values.
///
/// Layout: always a message with one field per column, numbered from 1 in column order (protobuf
/// has no unwrapped single values; single key columns are wrapped too). See `ProtobufMessage`
/// for the types. With the schema registry (PROTOBUF) the message follows Confluent's header:
/// magic byte 0, the 4-byte big-endian schema id, and the message indexes (a single 0 byte for
/// the first message); PROTOBUF_NOSR is the bare message.
///
/// Protobuf has no NULL for plain scalars: by default a NULL scalar is not written and reads
/// back as 0, "", false or empty bytes, and a NULL array or map reads back empty; only messages
/// (STRUCT, DECIMAL, DATE, TIME, TIMESTAMP) read back as NULL. `nullable` selects ksqlDB's
/// WRAPPER or OPTIONAL representations, which keep scalar NULLs.
public struct ProtobufRowCodec: RowCodec {
    public let columns: [Column]
    public let isKey: Bool
    /// PROTOBUF (with schema registry framing) rather than PROTOBUF_NOSR.
    public let schemaRegistry: Bool
    public let schemaID: UInt32
    public let nullable: ProtobufNullableRepresentation

    private let message: ProtobufMessage

    public init(columns: [Column], options: FormatOptions, isKey: Bool, schemaRegistry: Bool) throws(RecordError) {
        try self.init(columns: columns, options: options, isKey: isKey, schemaRegistry: schemaRegistry, schemaID: 1, nullable: .none)
    }

    public init(
        columns: [Column], options: FormatOptions, isKey: Bool, schemaRegistry: Bool, schemaID: UInt32,
        nullable: ProtobufNullableRepresentation
    ) throws(RecordError) {
        let format = schemaRegistry ? "PROTOBUF" : "PROTOBUF_NOSR"
        if options.wrapSingleValue == false {
            throw RecordError("Format '\(format)' does not support 'WRAP_SINGLE_VALUE' set to 'false'.")
        }
        message = try ProtobufMessage.ksql(columns: columns, format: format, nullable: nullable)
        self.columns = columns
        self.isKey = isKey
        self.schemaRegistry = schemaRegistry
        self.schemaID = schemaID
        self.nullable = nullable
    }

    public func decode(_ bytes: [UInt8]) throws(RecordError) -> [Value] {
        if columns.isEmpty { return [] }
        return try bytes.withUnsafeBufferPointer { (buf) throws(RecordError) -> [Value] in try decode(buf) }
    }

    public func decode(_ buf: UnsafeBufferPointer<UInt8>) throws(RecordError) -> [Value] {
        if columns.isEmpty { return [] }
        var start = 0
        if schemaRegistry {
            try ConfluentFraming.checkHeader(buf)
            start = try ProtobufMessageIndexes.skipFirstMessage(buf, from: ConfluentFraming.headerSize)
        }
        var d = ProtobufDecoder(buf, position: start)
        var values = message.emptyValues
        try message.read(&d, until: buf.count, into: &values, depth: 0)
        return values
    }

    public func encode(_ values: [Value]) throws(RecordError) -> [UInt8] {
        guard values.count == columns.count else {
            throw RecordError("Column count mismatch on serialization. expected: \(columns.count), got: \(values.count)")
        }
        if columns.isEmpty { return [] }
        var e = ProtobufEncoder(capacity: 16 + 16 * columns.count)
        if schemaRegistry {
            ConfluentFraming.appendHeader(schemaID: schemaID, to: &e.bytes)
            ProtobufMessageIndexes.appendFirstMessage(to: &e.bytes)
        }
        try message.write(values, to: &e)
        return e.bytes
    }
}
