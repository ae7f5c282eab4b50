/// A reusable heap buffer for reading file regions without a fresh array per chunk.
final class ScratchBuffer {
    private(set) var storage: UnsafeMutableRawBufferPointer

    init(capacity: Int) {
        storage = .allocate(byteCount: max(capacity, 64), alignment: 16)
    }

    deinit { storage.deallocate() }

    func reserve(_ capacity: Int) {
        guard capacity > storage.count else { return }
        storage.deallocate()
        storage = .allocate(byteCount: max(capacity, storage.count * 2), alignment: 16)
    }
}

/// Walks the record batches stored in a byte range of a segment file, reading large chunks and
/// handing out each batch in place.
enum BatchScan {
    enum Outcome {
        /// Every batch in the range was visited.
        case finished
        /// The body asked to stop.
        case stopped
        /// The bytes at `position` are not a whole, valid batch inside the range.
        case invalid(position: Int64, reason: FormatError)
    }

    /// Calls `body(position, header, batchBytes)` for each batch in `start ..< end`; the bytes are
    /// valid only during the call. `body` returns false to stop.
    ///
    /// A batch that does not parse, fails its checksum (when `verifyingChecksums`), or runs past
    /// `end` ends the scan with ``Outcome/invalid(position:reason:)``; the caller decides whether that
    /// is a torn tail or corruption. I/O failures and errors from `body` are thrown.
    ///
    /// - Parameter buffer: where to read; a caller scanning several ranges passes one for all of them.
    static func forEach(
        in file: FileDescriptor, from start: Int64, to end: Int64, chunkSize: Int, verifyingChecksums: Bool,
        buffer: ScratchBuffer? = nil,
        _ body: (Int64, RecordBatchHeader, UnsafeRawBufferPointer) throws(TopicStoreError) -> Bool
    ) throws(TopicStoreError) -> Outcome {
        let buffer = buffer ?? ScratchBuffer(capacity: Int(min(Int64(chunkSize), max(end - start, 0))))
        var bufferStart = start
        var bufferCount = 0
        var position = start
        while position < end {
            let local = Int(position - bufferStart)
            let available = bufferCount - local
            var needed = RecordBatchHeader.logOverhead
            if end - position < Int64(needed) {
                return .invalid(position: position, reason: FormatError(.truncated, "partial batch frame"))
            }
            if available >= needed {
                let raw = UnsafeRawBufferPointer(buffer.storage)
                let (_, totalSize) = RecordBatchHeader.frame(raw, at: local)!
                if totalSize < RecordBatchHeader.size {
                    return .invalid(position: position, reason: FormatError(.malformed, "batch length \(totalSize)"))
                }
                if position + Int64(totalSize) > end {
                    return .invalid(
                        position: position,
                        reason: FormatError(.truncated, "batch of \(totalSize) bytes runs past the end"))
                }
                needed = totalSize
            }
            if available < needed {
                let count = Int(min(end - position, Int64(max(chunkSize, needed))))
                buffer.reserve(count)
                let read = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer.storage[0..<count]), at: position)
                bufferStart = position
                bufferCount = read
                if read < min(count, needed) {
                    return .invalid(position: position + Int64(read), reason: FormatError(.truncated, "file ends early"))
                }
                continue
            }
            let batch = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer.storage)[local..<local + needed])
            let header: RecordBatchHeader
            do throws(FormatError) {
                header = try RecordBatchHeader(parsing: batch)
                if verifyingChecksums { try header.verifyChecksum(batch) }
            } catch {
                return .invalid(position: position, reason: error)
            }
            if try !body(position, header, batch) { return .stopped }
            position += Int64(needed)
        }
        return .finished
    }

    /// Whether any whole, checksum-valid batch starts anywhere in `start ..< end`. Recovery uses this
    /// to tell a torn tail (nothing valid after the damage) from corruption in the middle.
    static func containsValidBatch(in file: FileDescriptor, from start: Int64, to end: Int64) throws(TopicStoreError)
        -> Bool
    {
        guard end - start >= Int64(RecordBatchHeader.size) else { return false }
        let bytes = try file.read(at: start, count: Int(end - start))
        return bytes.withUnsafeBytes { raw in
            var candidate = 0
            while candidate + RecordBatchHeader.size <= raw.count {
                defer { candidate += 1 }
                guard Int8(bitPattern: raw[candidate + RecordBatchHeader.magicOffset]) == RecordBatchHeader.magicValue,
                    let (_, size) = RecordBatchHeader.frame(raw, at: candidate),
                    size >= RecordBatchHeader.size, candidate + size <= raw.count
                else { continue }
                let batch = UnsafeRawBufferPointer(rebasing: raw[candidate..<candidate + size])
                if let header = try? RecordBatchHeader(parsing: batch), (try? header.verifyChecksum(batch)) != nil {
                    return true
                }
            }
            return false
        }
    }
}
