#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `write(2)`, named apart from the methods called `write` below.
@inline(__always)
func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}

/// A buffered writer over a file descriptor, for stdout and stderr.
///
/// Text is collected in memory and written with `write(2)` on ``flush()`` or once the buffer grows
/// past a few kilobytes, so listing a large topic does not make one system call per line. Callers
/// that stream rows (push queries, `consume --follow`) flush after every row so a reader at the
/// other end of a pipe sees each one as it arrives.
///
/// Not thread-safe: each instance belongs to the thread that renders results.
public final class TextOutput {
    public let fileDescriptor: Int32
    private var buffer: [UInt8] = []
    /// Set once a write fails (e.g. the reader of a pipe went away); later writes are dropped.
    public private(set) var isBroken = false

    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
        buffer.reserveCapacity(8192)
    }

    public static func standardOutput() -> TextOutput { TextOutput(fileDescriptor: 1) }
    public static func standardError() -> TextOutput { TextOutput(fileDescriptor: 2) }

    /// Whether the descriptor is a terminal.
    public var isTerminal: Bool { isatty(fileDescriptor) == 1 }

    public func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 8192 { flush() }
    }

    /// Writes `text` followed by a newline.
    public func line(_ text: String = "") {
        write(text)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 8192 { flush() }
    }

    public func writeBytes(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 8192 { flush() }
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        guard !isBroken else { return }
        var written = 0
        buffer.withUnsafeBytes { raw in
            while written < raw.count {
                let n = systemWrite(fileDescriptor, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    isBroken = true
                    return
                }
                written += n
            }
        }
    }

    deinit { flush() }
}
