extension JSONRowCodec {
    /// Reads the record where it lies: no copy of the bytes.
    public func decode(borrowing bytes: UnsafeRawBufferPointer) throws(RecordError) -> [Value] {
        try decode(bytes.assumingMemoryBound(to: UInt8.self))
    }
}
