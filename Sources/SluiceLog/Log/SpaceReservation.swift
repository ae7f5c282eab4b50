#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Disk space reserved ahead of the active segment's end, so that appends write into blocks the
/// file system has already allocated.
///
/// Why: a page-cache write into unallocated space makes ext4 reserve each new block for delayed
/// allocation (a lock and bookkeeping per 4 KiB page); into blocks reserved beforehand with
/// `fallocate(FALLOC_FL_KEEP_SIZE)` it does not. On the development VM that made writes of 118 KB
/// (one 1000-record append of 100-byte records) 10–20% cheaper than writing the same pieces into a
/// fresh file, and as cheap as 1 MiB writes. Kafka's `log.preallocate` does the same for a whole
/// segment at once.
///
/// The file's size never changes, so readers, recovery and other processes see exactly what they
/// would without it. Reservations grow with the segment (as much again as it already holds,
/// between 64 KiB and 8 MiB, never past `segment.bytes` unless one write needs more), so a small
/// partition reserves little; rolling truncates the sealed segment to its size, which gives back
/// what it did not use, and a rollback's truncation does the same. A file system that cannot
/// preallocate is asked once; a refusal for room (a nearly full disk) is retried only after the
/// writes have passed the range that was refused, so a full disk costs no extra system calls per
/// append. Nothing depends on a reservation succeeding: the write that follows reports a full disk
/// as it always did.
struct SpaceReservation {
    /// The segment reserved in (its base offset) and where its reservation ends.
    private var segmentBase: Int64?
    private var end: Int64 = 0
    private var unsupported = false

    static let smallestStep: Int64 = 64 << 10
    static let largestStep: Int64 = 8 << 20

    /// Makes sure `size` bytes at `position` of the active segment `file` are reserved, reserving
    /// ahead when they are not.
    mutating func prepare(
        _ file: FileDescriptor, segmentBase: Int64, toWrite size: Int, at position: Int64, segmentBytes: Int64
    ) {
        if unsupported { return }
        let needed = position + Int64(size)
        let sameSegment = self.segmentBase == segmentBase
        if sameSegment && needed <= end { return }
        let step = min(max(position, Self.smallestStep), Self.largestStep)
        let target = max(needed, min(segmentBytes, needed + step))
        let start = sameSegment ? max(position, end) : position
        self.segmentBase = segmentBase
        end = target
        let result = file.preallocate(at: start, length: target - start)
        if result == EOPNOTSUPP || result == ENOSYS { unsupported = true }
    }

    /// After a truncation or a roll: whatever was reserved is gone (or belongs to a sealed segment).
    mutating func forget() {
        segmentBase = nil
        end = 0
    }
}
