/// One stored record, borrowed: what ``TopicStore/scan(_:from:maxRecords:_:)`` hands its body.
///
/// The key and value point into the store's own buffer (for the log, the batch bytes read from the
/// segment; for the memory store, the stored arrays), so a scan decodes records in place with no
/// allocation per record. They are valid only during the call that received the view: copy what
/// must outlive it (`Array(view.value!)`, or ``consumed()``).
///
/// A nil ``key`` or ``value`` is a null (a value of nil is a tombstone); a present but empty one is
/// an empty buffer. Headers stay encoded until ``headers()`` asks for them.
public struct RecordView {
    public let offset: Int64
    /// Milliseconds since the epoch.
    public let timestamp: Int64
    /// nil for a null key.
    public let key: UnsafeRawBufferPointer?
    /// nil for a null value (a tombstone).
    public let value: UnsafeRawBufferPointer?
    public let headerCount: Int
    /// The record's attributes byte (unused by Kafka so far; compaction copies it).
    package let attributes: Int8
    package let headerStorage: HeaderStorage

    /// Where the headers are: still encoded in the batch (the log), or already values (the memory
    /// store), borrowed either way.
    package enum HeaderStorage {
        /// The encoded headers after the count, already checked to be well formed.
        case encoded(UnsafeRawBufferPointer)
        case decoded(UnsafePointer<[Header]>)
    }

    package init(
        offset: Int64, timestamp: Int64, attributes: Int8 = 0, key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?, headerCount: Int, headers: HeaderStorage
    ) {
        self.offset = offset
        self.timestamp = timestamp
        self.attributes = attributes
        self.key = key
        self.value = value
        self.headerCount = headerCount
        self.headerStorage = headers
    }

    /// The headers, copied out (allocates only when there are some).
    public func headers() -> [Header] {
        if headerCount == 0 { return [] }
        switch headerStorage {
        case .decoded(let headers):
            return headers.pointee
        case .encoded(let bytes):
            var reader = ByteReader(bytes)
            var headers: [Header] = []
            headers.reserveCapacity(headerCount)
            // RecordIterator checked the framing, so a failure here is a bug, not bad data.
            do throws(FormatError) {
                for _ in 0..<headerCount {
                    let keyLength = try reader.readVarint()
                    let key = String(decoding: try reader.readSlice(Int(keyLength)), as: UTF8.self)
                    headers.append(Header(key: key, value: try reader.readNullableBytes()))
                }
            } catch {
                preconditionFailure("headers changed after RecordIterator checked them: \(error.message)")
            }
            return headers
        }
    }

    /// The encoded headers after the count, for copying a record verbatim (compaction).
    package var headerBytes: UnsafeRawBufferPointer {
        guard case .encoded(let bytes) = headerStorage else {
            preconditionFailure("only records decoded from a batch carry encoded headers")
        }
        return bytes
    }

    /// A copy that owns its bytes.
    public func consumed() -> ConsumedRecord {
        ConsumedRecord(
            offset: offset, key: key.map(Self.copy), value: value.map(Self.copy), timestamp: timestamp,
            headers: headers())
    }

    /// `Array` from a typed buffer: specialised to one allocation and one `memcpy`. (The
    /// `unsafeUninitializedCapacity` initializer measured twice as slow here: it calls the
    /// unspecialised array buffer initializer, which looks up generic metadata on every call.)
    @inline(__always)
    private static func copy(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        Array(UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count))
    }
}
