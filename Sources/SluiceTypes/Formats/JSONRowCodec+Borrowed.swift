extension JSONRowCodec {
    /// Reads the record where it lies: no copy of the bytes.
    public func decode(borrowing bytes: UnsafeRawBufferPointer) throws(RecordError) -> [Value] {
        try decode(bytes.assumingMemoryBound(to: UInt8.self))
    }

    public func decode(borrowing bytes: UnsafeRawBufferPointer, into values: inout [Value]) throws(RecordError) {
        try decode(bytes.assumingMemoryBound(to: UInt8.self), into: &values)
    }
}
