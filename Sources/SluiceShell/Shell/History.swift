import Foundation

/// The lines entered in the interactive shell, newest last, optionally kept in a file between runs.
///
/// Only the terminal shell records history; a piped script leaves no trace. The file holds one
/// entry per line and is rewritten on ``save()`` with at most ``limit`` entries.
public final class History {
    public private(set) var entries: [String] = []
    public let limit: Int
    private let path: String?

    public init(path: String?, limit: Int = 1000) {
        self.path = path
        self.limit = limit
        if let path, let text = try? String(contentsOfFile: path, encoding: .utf8) {
            entries = text.split(separator: "\n").map(String.init).suffix(limit).map { $0 }
        }
    }

    /// `~/.sluice_history`, or nil when there is no home directory.
    public static var defaultPath: String? {
        guard let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.sluice_history"
    }

    /// Records a line unless it is blank or repeats the previous entry.
    public func add(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, entries.last != line else { return }
        entries.append(line)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
    }

    /// Writes the entries to the history file; failures are ignored (history is a convenience).
    public func save() {
        guard let path else { return }
        let text = entries.joined(separator: "\n") + (entries.isEmpty ? "" : "\n")
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
