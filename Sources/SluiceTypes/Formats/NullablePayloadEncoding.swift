/// Codecs whose encoding of some rows is no payload at all (a Kafka null), not empty bytes: KAFKA
/// writing a NULL value (Kafka's serializers return null) and codecs without columns (NONE, or a
/// key with no key columns). `RowCodec.encode` cannot say "null", so it returns empty bytes there.
public protocol NullablePayloadEncoding {
    func encodePayload(_ values: [Value]) throws(RecordError) -> [UInt8]?
}

extension RowCodec {
    /// The record payload for `values`: nil where Kafka would get a null key or value, else the
    /// encoded bytes. Callers that write records should use this rather than `encode`.
    public func encodePayload(_ values: [Value]) throws(RecordError) -> [UInt8]? {
        if let nullable = self as? any NullablePayloadEncoding { return try nullable.encodePayload(values) }
        return try encode(values)
    }
}
