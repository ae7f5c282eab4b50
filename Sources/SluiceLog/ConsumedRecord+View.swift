extension ConsumedRecord {
    /// This record as a ``RecordView`` borrowed for `body`: code written against views (the
    /// engine's decoders) also runs over records that were read as values.
    package func withView<R, E: Error>(_ body: (borrowing RecordView) throws(E) -> R) throws(E) -> R {
        try ConsumedRecord.withBytes(of: key) { (key) throws(E) -> R in
            try ConsumedRecord.withBytes(of: value) { (value) throws(E) -> R in
                try withUnsafePointer(to: headers) { (headers) throws(E) -> R in
                    try body(
                        RecordView(
                            offset: offset, timestamp: timestamp, key: key, value: value,
                            headerCount: self.headers.count, headers: .decoded(headers)))
                }
            }
        }
    }

    /// The bytes of an optional array, nil staying nil (a null key or value).
    private static func withBytes<R, E: Error>(
        of bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) throws(E) -> R
    ) throws(E) -> R {
        guard let bytes else { return try body(nil) }
        let result: Result<R, E> = bytes.withUnsafeBytes { raw in Result { () throws(E) -> R in try body(raw) } }
        return try result.get()
    }
}

extension ConsumedRecord {
    /// A copy of a borrowed record that outlives the view (for the dead-letter topic).
    package init(_ view: borrowing RecordView) {
        self.init(
            offset: view.offset, key: view.key.map { [UInt8]($0) }, value: view.value.map { [UInt8]($0) },
            timestamp: view.timestamp, headers: view.headers())
    }
}
