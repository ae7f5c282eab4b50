/// Bytes that do not decode as the expected binary format (record batch, varint, journal entry).
///
/// Kept apart from ``TopicStoreError`` because the codecs will also serve a Kafka wire client; the log
/// wraps it as ``TopicStoreError/Code/corrupt`` with the file and position.
public struct FormatError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The input ended inside a value.
        case truncated
        /// A length, count or field is out of range.
        case malformed
        /// The stored checksum does not match the bytes.
        case checksumMismatch
        /// Well formed but not supported here (another magic, a compression codec).
        case unsupported
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
