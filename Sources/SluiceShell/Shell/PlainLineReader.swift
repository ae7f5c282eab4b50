#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads lines from a pipe or file descriptor without blocking signal handling: it waits with
/// `poll(2)` in short slices and asks `shouldStop` between them, so SIGINT / SIGTERM end the shell
/// cleanly even while it waits for input.
final class PlainLineReader {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var atEnd = false
    private let shouldStop: () -> Bool

    init(fd: Int32, shouldStop: @escaping () -> Bool) {
        self.fd = fd
        self.shouldStop = shouldStop
    }

    /// The next line without its newline (and without a trailing "\r"), or nil at end of input or
    /// when asked to stop.
    func readLine() -> String? {
        readLineBytes().map { String(decoding: $0, as: UTF8.self) }
    }

    /// ``readLine()`` without decoding: the line's bytes as read, even when they are not UTF-8
    /// (`sluice produce` stores them as they are).
    func readLineBytes() -> [UInt8]? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return line
            }
            if atEnd {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return buffer
            }
            if shouldStop() { return nil }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 250)
            if ready < 0 && errno != EINTR {
                atEnd = true
                continue
            }
            if ready <= 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                buffer.append(contentsOf: chunk[..<n])
            } else if n == 0 || errno != EINTR {
                atEnd = true
            }
        }
    }
}
