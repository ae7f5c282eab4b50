/// A growable byte buffer written through a pointer, for building one record's bytes.
///
/// Appending to an `[UInt8]` checks uniqueness and capacity on every call; a record codec
/// appends dozens of small pieces per record, so it writes here instead: callers `reserve` room
/// once for a piece, write through the returned pointer, then `advance`. The buffer starts in
/// memory the caller lends (usually on the stack) and moves to the heap only if a record
/// outgrows it; it is freed when the sink goes away, so the sink cannot be copied.
struct ByteSink: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count: Int = 0
    /// Whether `base` was allocated here (after growing) rather than lent.
    private var ownsStorage = false

    /// A sink that writes into `storage` until it needs more room.
    init(storage: UnsafeMutableBufferPointer<UInt8>) {
        base = storage.baseAddress!
        capacity = storage.count
    }

    deinit {
        if ownsStorage { base.deallocate() }
    }

    /// The bytes written so far; valid until the next write.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Makes room for `n` more bytes and returns where they go.
    @inline(__always)
    mutating func reserve(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if capacity &- count < n { grow(n) }
        return base + count
    }

    /// Marks `n` bytes written at the pointer `reserve` returned.
    @inline(__always)
    mutating func advance(_ n: Int) { count &+= n }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1).pointee = byte
        count &+= 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        guard n > 0 else { return }
        reserve(n).update(from: bytes.baseAddress!, count: n)
        count &+= n
    }

    @inline(__always)
    mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(never)
    private mutating func grow(_ n: Int) {
        let newCapacity = max(capacity * 2, count + n)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: base, count: count)
        if ownsStorage { base.deallocate() }
        base = bigger
        capacity = newCapacity
        ownsStorage = true
    }
}

extension ByteSink {
    /// Runs `body` with an empty sink whose first kilobyte is on the stack.
    @inline(__always)
    static func withStackSink<R>(_ body: (inout ByteSink) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { storage in
            var sink = ByteSink(storage: storage)
            return body(&sink)
        }
    }
}
