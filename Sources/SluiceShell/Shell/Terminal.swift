#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few terminal facts and modes the shell needs: is a descriptor a terminal, how wide is it,
/// and switching it in and out of raw mode for the line editor.
enum Terminal {
    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// The width in columns of the terminal on `fd`, or nil if it is not a terminal.
    static func width(_ fd: Int32) -> Int? {
        guard isTerminal(fd) else { return nil }
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Puts the terminal on `fd` into raw mode and returns the settings to restore, or nil if it
    /// could not (not a terminal).
    ///
    /// Raw here means: bytes arrive one at a time without echo, and Ctrl-C / Ctrl-Z / Ctrl-\ arrive as
    /// bytes rather than signals (ISIG off), so the editor can clear the line on Ctrl-C. Output
    /// processing (OPOST) stays on, so "\n" still moves to the start of the next line. Switching
    /// waits for output to drain but keeps input typed ahead (TCSADRAIN, not TCSAFLUSH), so pasted
    /// lines and keys typed while a statement ran are not lost.
    static func enableRawMode(_ fd: Int32) -> termios? {
        var original = termios()
        guard tcgetattr(fd, &original) == 0 else { return nil }
        guard set(fd, modes(from: original, signals: false)) else { return nil }
        return original
    }

    /// The mode between lines, while a statement runs: as raw, but Ctrl-C still raises SIGINT (to
    /// stop a push query). Keys typed meanwhile wait, unechoed and unprocessed, for the editor: in
    /// the terminal's normal (canonical) mode the kernel would act on Ctrl-U, Ctrl-W, Ctrl-R and
    /// Ctrl-D itself, erasing typed-ahead text or turning Ctrl-D into a lost end-of-file.
    @discardableResult
    static func enableTypeAhead(_ fd: Int32, base: termios) -> Bool {
        set(fd, modes(from: base, signals: true))
    }

    private static func modes(from original: termios, signals: Bool) -> termios {
        var raw = original
        raw.c_iflag &= ~tcflag_t(BRKINT | ICRNL | INPCK | ISTRIP | IXON)
        raw.c_cflag |= tcflag_t(CS8)
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | IEXTEN | ISIG)
        if signals { raw.c_lflag |= tcflag_t(ISIG) }
        withUnsafeMutableBytes(of: &raw.c_cc) { bytes in
            bytes[Int(VMIN)] = 1
            bytes[Int(VTIME)] = 0
        }
        return raw
    }

    private static func set(_ fd: Int32, _ settings: termios) -> Bool {
        var settings = settings
        return tcsetattr(fd, TCSADRAIN, &settings) == 0
    }

    static func restore(_ fd: Int32, _ settings: termios) {
        var settings = settings
        _ = tcsetattr(fd, TCSADRAIN, &settings)
    }
}
