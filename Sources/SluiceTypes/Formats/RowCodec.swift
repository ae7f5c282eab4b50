/// The serialization formats ksqlDB names in `KEY_FORMAT` / `VALUE_FORMAT` / `FORMAT`.
public enum FormatKind: String, Hashable, Sendable, CaseIterable {
    case json = "JSON"
    case jsonSR = "JSON_SR"
    case delimited = "DELIMITED"
    case kafka = "KAFKA"
    case none = "NONE"
    case avro = "AVRO"
    case protobuf = "PROTOBUF"
    case protobufNoSR = "PROTOBUF_NOSR"
}

/// Options from the `WITH` clause that change how a format reads and writes.
public struct FormatOptions: Hashable, Sendable {
    /// `WRAP_SINGLE_VALUE`: nil means the format's default (wrapped for JSON values).
    public var wrapSingleValue: Bool?
    /// `VALUE_DELIMITER` / `KEY_DELIMITER` for DELIMITED; a single byte, or TAB / SPACE.
    public var delimiter: UInt8
    /// A schema from the schema registry to read and write with instead of the one derived from
    /// the columns (AVRO, JSON_SR and PROTOBUF only); nil for the derived one.
    public var physicalSchema: PhysicalSchema?

    public init(wrapSingleValue: Bool? = nil, delimiter: UInt8 = UInt8(ascii: ","), physicalSchema: PhysicalSchema? = nil) {
        self.wrapSingleValue = wrapSingleValue
        self.delimiter = delimiter
        self.physicalSchema = physicalSchema
    }
}

/// Why a record could not be read or written. Never stops a query: the runtime counts it, logs it
/// to the processing log and skips the record.
public struct RecordError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Turns the bytes of a record's key or value into the values of a fixed list of columns, and back.
///
/// A codec is built once per query and source from the columns it must produce, so decoding can skip
/// fields nobody reads. Codecs are immutable values and safe to share between tasks.
public protocol RowCodec: Sendable {
    /// The values of the codec's columns, in column order. A JSON `null` value record or an empty
    /// DELIMITED line is a decode error for values; the caller treats a missing (nil) payload as a
    /// tombstone before calling this.
    func decode(_ bytes: [UInt8]) throws(RecordError) -> [Value]
    /// The same, from bytes borrowed for the call (a record read in place from the log).
    func decode(borrowing bytes: UnsafeRawBufferPointer) throws(RecordError) -> [Value]
    /// The same into `values`, whose storage the codec may reuse (see `JSONRowCodec`).
    func decode(borrowing bytes: UnsafeRawBufferPointer, into values: inout [Value]) throws(RecordError)
    /// The bytes for one record; `values` line up with the codec's columns.
    func encode(_ values: [Value]) throws(RecordError) -> [UInt8]
}

extension RowCodec {
    /// Copies the bytes into an array; codecs that can read borrowed bytes directly override it.
    public func decode(borrowing bytes: UnsafeRawBufferPointer) throws(RecordError) -> [Value] {
        try decode([UInt8](bytes))
    }

    public func decode(borrowing bytes: UnsafeRawBufferPointer, into values: inout [Value]) throws(RecordError) {
        values = try decode(borrowing: bytes)
    }
}
