extension Array where Element == Value {
    /// A row of `count` NULLs.
    ///
    /// `[Value](repeating:count:)` and `init(unsafeUninitializedCapacity:)` allocate through the
    /// standard library's unspecialized path, which looks up the array storage's generic
    /// metadata on every call (about 450 instructions per row, measured with callgrind); `map`
    /// allocates through the specialized buffer initializer.
    @inlinable
    public static func nulls(_ count: Int) -> [Value] {
        if count == 0 { return [] }
        return (0..<count).map { _ in .null }
    }
}
