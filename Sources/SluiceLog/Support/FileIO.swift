import CSluiceFileSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file with positional I/O.
///
/// `pread`/`pwrite` carry their own offset, so readers and the writer share one descriptor without
/// a shared file position. The descriptor closes when the last reference goes away: a reader that
/// still holds a segment whose files retention has just unlinked keeps reading the old inode safely.
final class FileDescriptor: @unchecked Sendable {
    let descriptor: Int32
    let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { close(descriptor) }

    /// Opens `path` read-write, creating it if `create` (and failing if it exists when `exclusive`).
    static func open(_ path: String, create: Bool = false, exclusive: Bool = false) throws(TopicStoreError)
        -> FileDescriptor
    {
        var flags = O_RDWR | O_CLOEXEC
        if create { flags |= O_CREAT }
        if exclusive { flags |= O_EXCL }
        let fd = retryingInterrupts { systemOpen(path, flags, 0o644) }
        if fd < 0 { throw FileSystem.error("open", path) }
        return FileDescriptor(descriptor: fd, path: path)
    }

    func size() throws(TopicStoreError) -> Int64 {
        var info = stat()
        if fstat(descriptor, &info) != 0 { throw FileSystem.error("stat", path) }
        return Int64(info.st_size)
    }

    /// Reads up to `buffer.count` bytes at `offset`; fewer only at end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(TopicStoreError) -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystem.error("read", path)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Reads up to `count` bytes at `offset` into a new array.
    func read(at offset: Int64, count: Int) throws(TopicStoreError) -> [UInt8] {
        if count <= 0 { return [] }
        var failure: TopicStoreError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(TopicStoreError) {
                initialized = try read(into: UnsafeMutableRawBufferPointer(buffer), at: offset)
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Writes all of `bytes` at `offset`. A full disk is reported as such (`.io`, "disk full");
    /// the caller truncates what part of the write landed, so nothing stored before is affected.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(TopicStoreError) {
        var done = 0
        var fault = WriteFaults.injected(for: path)
        while done < bytes.count {
            var n: Int
            if let code = fault?.errno {
                n = -1
                errno = code
            } else if let stall = fault?.stall, stall > 0, bytes.count > 1 {
                fault = nil
                n = pwrite(descriptor, bytes.baseAddress!, bytes.count / 2, off_t(offset))
                usleep(stall)
            } else {
                n = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == ENOSPC || errno == EDQUOT {
                    let reason = String(cString: strerror(errno))
                    throw TopicStoreError(.io, "disk full: cannot write '\(path)': \(reason)")
                }
                throw FileSystem.error("write", path)
            }
            done += n
        }
    }

    /// Takes an advisory `flock` on this open file (blocking, retried on signals). Locks belong to
    /// the open file, so two descriptors of one file exclude each other even in one process.
    func lock(exclusive: Bool) throws(TopicStoreError) {
        if retryingInterrupts({ flock(descriptor, exclusive ? LOCK_EX : LOCK_SH) }) != 0 {
            throw FileSystem.error("lock", path)
        }
    }

    /// Like ``lock(exclusive:)`` but fails at once (returns false) if another holder conflicts.
    func tryLock(exclusive: Bool) throws(TopicStoreError) -> Bool {
        if retryingInterrupts({ flock(descriptor, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) }) == 0 { return true }
        if errno == EWOULDBLOCK { return false }
        throw FileSystem.error("lock", path)
    }

    func unlock() { _ = flock(descriptor, LOCK_UN) }

    /// The inode and link count (0 once every name of the file is gone).
    func identity() throws(TopicStoreError) -> (inode: UInt64, links: Int) {
        var info = stat()
        if fstat(descriptor, &info) != 0 { throw FileSystem.error("stat", path) }
        return (UInt64(info.st_ino), Int(info.st_nlink))
    }

    func write(_ bytes: [UInt8], at offset: Int64) throws(TopicStoreError) {
        var failure: TopicStoreError?
        bytes.withUnsafeBytes { raw in
            do throws(TopicStoreError) { try write(raw, at: offset) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    func sync() throws(TopicStoreError) {
        if retryingInterrupts({ fsync(descriptor) }) != 0 { throw FileSystem.error("fsync", path) }
    }

    /// Reserves disk blocks for `length` bytes at `offset` without changing the file's size (see
    /// ``SpaceReservation``). Returns 0 or the failure's `errno`; `EOPNOTSUPP` where the file
    /// system or platform cannot.
    func preallocate(at offset: Int64, length: Int64) -> Int32 {
        sluice_preallocate(descriptor, offset, length)
    }

    /// Starts writing `length` bytes at `offset` to disk without waiting (see ``EarlyWriteback``).
    /// Returns 0 or the failure's `errno`; `EOPNOTSUPP` where the platform cannot.
    func startWriteback(at offset: Int64, length: Int64) -> Int32 {
        sluice_start_writeback(descriptor, offset, length)
    }

    /// Also gives back blocks reserved past the new end (even when the size does not change).
    func truncate(to length: Int64) throws(TopicStoreError) {
        if retryingInterrupts({ ftruncate(descriptor, off_t(length)) }) != 0 {
            throw FileSystem.error("truncate", path)
        }
    }
}

/// The few file-system operations the log needs, with errors as ``TopicStoreError/Code/io``.
enum FileSystem {
    static func error(_ operation: String, _ path: String) -> TopicStoreError {
        let reason = String(cString: strerror(errno))
        return TopicStoreError(.io, "cannot \(operation) '\(path)': \(reason)")
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// The inode of `path`, or nil if it does not exist.
    static func inode(_ path: String) -> UInt64? {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_ino) : nil
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates `path` and any missing parents.
    static func makeDirectories(_ path: String) throws(TopicStoreError) {
        if isDirectory(path) { return }
        let parent = parentDirectory(path)
        if !parent.isEmpty && parent != path { try makeDirectories(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw error("create directory", path) }
    }

    static func parentDirectory(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Names in `path`, without "." and "..", in no particular order.
    static func list(_ path: String) throws(TopicStoreError) -> [String] {
        guard let directory = opendir(path) else { throw error("list", path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes a file, ignoring one that is already gone.
    static func remove(_ path: String) throws(TopicStoreError) {
        if unlink(path) != 0 && errno != ENOENT { throw error("remove", path) }
    }

    /// Removes a directory tree.
    static func removeTree(_ path: String) throws(TopicStoreError) {
        if !isDirectory(path) {
            try remove(path)
            return
        }
        for name in try list(path) { try removeTree(path + "/" + name) }
        if rmdir(path) != 0 && errno != ENOENT { throw error("remove directory", path) }
    }

    static func rename(_ from: String, to: String) throws(TopicStoreError) {
        if systemRename(from, to) != 0 { throw error("rename to '\(to)'", from) }
    }

    /// Makes a directory's entries (creations, renames, removals) durable.
    static func syncDirectory(_ path: String) throws(TopicStoreError) {
        let fd = systemOpen(path, O_RDONLY | O_CLOEXEC, 0)
        if fd < 0 { throw error("open directory", path) }
        defer { close(fd) }
        if retryingInterrupts({ fsync(fd) }) != 0 { throw error("fsync directory", path) }
    }

    static func readFile(_ path: String) throws(TopicStoreError) -> [UInt8] {
        let file = try FileDescriptor.open(path)
        return try file.read(at: 0, count: Int(try file.size()))
    }

    /// Replaces `path` with `bytes` so that a reader sees either the old or the new content, never a
    /// mix: write a temporary file beside it, optionally fsync it, rename it over, fsync the directory.
    static func writeAtomically(_ path: String, _ bytes: [UInt8], durable: Bool) throws(TopicStoreError) {
        let temporary = path + ".tmp"
        try remove(temporary)
        let file = try FileDescriptor.open(temporary, create: true, exclusive: true)
        try file.write(bytes, at: 0)
        if durable { try file.sync() }
        try rename(temporary, to: path)
        if durable { try syncDirectory(parentDirectory(path)) }
    }
}

@inline(__always)
private func retryingInterrupts(_ call: () -> Int32) -> Int32 {
    while true {
        let result = call()
        if result < 0 && errno == EINTR { continue }
        return result
    }
}

#if canImport(Glibc)
@inline(__always) private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    Glibc.open(path, flags, mode)
}
@inline(__always) private func systemRename(_ from: String, _ to: String) -> Int32 { Glibc.rename(from, to) }
#else
@inline(__always) private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    Darwin.open(path, flags, mode)
}
@inline(__always) private func systemRename(_ from: String, _ to: String) -> Int32 { Darwin.rename(from, to) }
#endif
