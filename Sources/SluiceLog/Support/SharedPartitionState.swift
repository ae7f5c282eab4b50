#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The cross-process view of one partition: `DATA_DIR/topics/NAME/P/partition.state`, one page
/// mapped shared by every process that has the partition open, and `flock`ed by its writers.
///
/// Several processes may share a data directory (`sluice produce` beside an engine). The segment
/// files stay the truth; this page only tells other processes *what is published* and *that it
/// changed*, so the single-process paths stay free of system calls: a reader compares one shared
/// word with the sequence it last saw (a memory load), and only on a change re-reads the log.
///
/// Layout: 8-byte words, used as atomics (`Atomic<UInt64>` over the mapping works across
/// processes because the words are lock-free):
/// ```
/// 0 magic       "SLPSTAT1" once initialized
/// 1 sequence    seqlock: odd while a writer updates words 2...4; +2 per publish
/// 2 activeBase  base offset of the active segment
/// 3 activeSize  published bytes of the active segment (whole batches only)
/// 4 logEnd      the published end offset
/// 5 structure   bumped when sealed segments change (retention, compaction, recovery)
/// 6 writing     pid of a writer between its first write and its last publish; nonzero under
///               the lock means that writer died, and the next one recovers the tail
/// 7 deleted     1 once the topic is deleted: holders drop it
/// 8 waiters     processes' waitForData callers parked on this partition (a hint: a writer rings
///               the doorbell only when nonzero; a killed waiter leaves it high, which only costs
///               a write)
/// 9 settings    bumped after `topic.json` is rewritten (`topic alter`): holders re-read it
/// ```
/// The *doorbell* is a one-byte `pwrite` at the end of the page: it does not change the content
/// but raises an inotify `IN_MODIFY`, which wakes waiters in other processes (see `ChangeWatcher`).
///
/// The words are a hint, never trusted for durability: a writer that finds `writing` set, the
/// sequence odd or the magic missing rebuilds the state from the segment files (crash recovery,
/// under the lock), and a process that finds the page unusable just re-reads the files.
final class SharedPartitionState: @unchecked Sendable {
    static let fileName = "partition.state"
    static let pageSize = 4096
    private static let magic: UInt64 = 0x534C_5053_5441_5431  // "SLPSTAT1"

    private enum Word: Int {
        case magic = 0, sequence, activeBase, activeSize, logEnd, structure, writing, deleted, waiters, settings
    }

    let path: String
    let file: FileDescriptor
    private let words: UnsafeMutablePointer<Atomic<UInt64>>
    private let mapping: UnsafeMutableRawPointer

    /// What a reader sees: a consistent copy of words 2...4 with the sequence they belong to.
    struct Snapshot: Equatable {
        var valid: Bool
        /// False when a writer's update never finished (it died mid-publish).
        var stable: Bool
        var sequence: UInt64
        var activeBase: Int64
        var activeSize: Int64
        var logEnd: Int64
        var structure: UInt64
        var writing: Bool
        var deleted: Bool
    }

    init(directory: String) throws(TopicStoreError) {
        path = directory + "/" + Self.fileName
        file = try FileDescriptor.open(path, create: true)
        if try file.size() < Int64(Self.pageSize) { try file.truncate(to: Int64(Self.pageSize)) }
        guard let address = mmap(nil, Self.pageSize, PROT_READ | PROT_WRITE, MAP_SHARED, file.descriptor, 0),
            address != MAP_FAILED
        else { throw FileSystem.error("map", path) }
        mapping = address
        words = address.bindMemory(to: Atomic<UInt64>.self, capacity: Self.pageSize / 8)
    }

    deinit { munmap(mapping, Self.pageSize) }

    private func load(_ word: Word) -> UInt64 { words[word.rawValue].load(ordering: .sequentiallyConsistent) }
    private func store(_ word: Word, _ value: UInt64) {
        words[word.rawValue].store(value, ordering: .sequentiallyConsistent)
    }

    // MARK: - Locking

    /// Takes the partition's cross-process writer lock (blocking). Threads of one process are
    /// serialized by the partition's own write lock first; this only excludes other processes.
    func lock() throws(TopicStoreError) { try file.lock(exclusive: true) }

    func unlock() { file.unlock() }

    // MARK: - Reading

    /// The sequence, as a cheap "did anything change" check.
    var sequence: UInt64 { load(.sequence) }
    var structure: UInt64 { load(.structure) }
    var isDeleted: Bool { load(.deleted) != 0 }
    /// The topic settings' generation: a holder whose copy is older re-reads `topic.json`.
    var settingsGeneration: UInt64 { load(.settings) }

    /// A consistent copy of the published words; `stable` is false if a writer seems to have died
    /// in the middle of an update (the sequence stays odd).
    func snapshot() -> Snapshot {
        let valid = load(.magic) == Self.magic
        var spins = 0
        while true {
            let before = load(.sequence)
            let base = load(.activeBase)
            let size = load(.activeSize)
            let end = load(.logEnd)
            let after = load(.sequence)
            if before == after && before & 1 == 0 {
                return Snapshot(
                    valid: valid, stable: true, sequence: before, activeBase: Int64(bitPattern: base),
                    activeSize: Int64(bitPattern: size), logEnd: Int64(bitPattern: end), structure: load(.structure),
                    writing: load(.writing) != 0, deleted: load(.deleted) != 0)
            }
            spins += 1
            if spins > 1000 {
                return Snapshot(
                    valid: valid, stable: false, sequence: after, activeBase: 0, activeSize: 0, logEnd: 0,
                    structure: load(.structure), writing: load(.writing) != 0, deleted: load(.deleted) != 0)
            }
            if spins > 10 { sched_yield() }
        }
    }

    // MARK: - Writing (caller holds the lock)

    /// Publishes the active segment's extent and the end offset; returns the new sequence.
    @discardableResult
    func publish(activeBase: Int64, activeSize: Int64, logEnd: Int64) -> UInt64 {
        var sequence = load(.sequence)
        if sequence & 1 == 1 { sequence += 1 }  // a writer died mid-update; move past it
        store(.sequence, sequence + 1)
        store(.activeBase, UInt64(bitPattern: activeBase))
        store(.activeSize, UInt64(bitPattern: activeSize))
        store(.logEnd, UInt64(bitPattern: logEnd))
        store(.sequence, sequence + 2)
        if load(.magic) != Self.magic { store(.magic, Self.magic) }
        return sequence + 2
    }

    /// Marks the start and the end of a write that may leave bytes past the published size.
    /// The mark is this process's id (for a person reading the page; only nonzero matters), read
    /// once: `getpid` is a system call on every append otherwise.
    func setWriting(_ writing: Bool) { store(.writing, writing ? Self.processID : 0) }

    private static let processID = UInt64(getpid())

    /// Tells every holder that sealed segments changed; returns the new structure generation.
    @discardableResult
    func bumpStructure() -> UInt64 { words[Word.structure.rawValue].add(1, ordering: .sequentiallyConsistent).newValue }

    /// Tells every holder that the topic's settings changed (after `topic.json` is rewritten).
    func bumpSettings() { words[Word.settings.rawValue].add(1, ordering: .sequentiallyConsistent) }

    func markDeleted() {
        store(.deleted, 1)
        ringDoorbell()
    }

    // MARK: - Waking other processes

    func addWaiter() { words[Word.waiters.rawValue].add(1, ordering: .sequentiallyConsistent) }

    func removeWaiter() {
        let waiters = words + Word.waiters.rawValue
        var current = waiters.pointee.load(ordering: .sequentiallyConsistent)
        while current > 0 {
            let (exchanged, original) = waiters.pointee.compareExchange(
                expected: current, desired: current - 1, ordering: .sequentiallyConsistent)
            if exchanged { return }
            current = original
        }
    }

    var hasWaiters: Bool { load(.waiters) != 0 }

    /// Raises an inotify event on the file without changing its content.
    func ringDoorbell() {
        var zero: UInt8 = 0
        _ = pwrite(file.descriptor, &zero, 1, off_t(Self.pageSize - 1))
    }
}
