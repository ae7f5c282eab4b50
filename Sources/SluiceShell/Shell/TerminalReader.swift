#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the terminal for the line editor: bytes, window-size changes and the end of a sequence.
///
/// Bytes are read in chunks and kept here between lines, so keys typed (or lines pasted) while a
/// statement runs are not lost. Waiting happens in short `poll(2)` slices so a SIGTERM
/// (`shouldStop`) or a SIGWINCH is noticed within a fraction of a second.
final class TerminalReader {
    private let fd: Int32
    private let shouldStop: () -> Bool
    private var pending: [UInt8] = []
    private var pendingStart = 0
    private var seenResizes: Int
    private var atEnd = false

    /// How long a byte inside an escape or UTF-8 sequence may take before the sequence is over.
    static let sequenceTimeoutMilliseconds = 150

    init(fd: Int32, shouldStop: @escaping () -> Bool) {
        self.fd = fd
        self.shouldStop = shouldStop
        seenResizes = WindowSizeWatcher.shared.changeCount
    }

    /// The next event; see ``InputEvent``. Resizes are only reported `betweenKeys`.
    func read(betweenKeys: Bool) -> InputEvent {
        var waited = 0
        while true {
            if pendingStart < pending.count {
                defer { pendingStart += 1 }
                return .byte(pending[pendingStart])
            }
            if atEnd { return .end }
            if betweenKeys {
                if shouldStop() { return .end }
                let resizes = WindowSizeWatcher.shared.changeCount
                if resizes != seenResizes {
                    seenResizes = resizes
                    return .resized
                }
            } else if waited >= Self.sequenceTimeoutMilliseconds {
                return .timeout
            }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let slice: Int32 = 50
            let ready = poll(&descriptor, 1, slice)
            if ready == 0 || (ready < 0 && errno == EINTR) {
                waited += Int(slice)
                continue
            }
            if ready < 0 {
                atEnd = true
                continue
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                pending = Array(chunk[..<n])
                pendingStart = 0
            } else if n == 0 || errno != EINTR {
                atEnd = true
            }
        }
    }

    /// Whether bytes are waiting in this reader (typed ahead or the rest of a paste).
    var hasBuffered: Bool { pendingStart < pending.count }
}

/// `read(2)`, named apart from ``TerminalReader/read(betweenKeys:)``.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
