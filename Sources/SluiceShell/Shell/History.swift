import Foundation

/// The statements entered in the interactive shell, newest last, kept in a file between runs.
///
/// Only the terminal shell records history; a piped script leaves no trace. The file lives in the
/// data directory (``fileName``), so each directory remembers the statements run against it and a
/// second shell cannot interleave writes (it cannot open the same directory). It holds one entry per
/// line and is rewritten on ``save()`` with at most ``limit`` entries; an entry that spans lines (a
/// pasted block) is stored with `\n` for its newlines and `\\` for its backslashes.
public final class History {
    public private(set) var entries: [String] = []
    public let limit: Int
    private let path: String?

    /// The history file's name inside the data directory.
    public static let fileName = "shell-history"

    public init(path: String?, limit: Int = 1000) {
        self.path = path
        self.limit = limit
        if let path, let data = FileManager.default.contents(atPath: path) {
            // Decoding repairs bad UTF-8 rather than failing: a damaged file loses characters, not history.
            let text = String(decoding: data, as: UTF8.self)
            entries = text.split(separator: "\n").map { Self.decode(String($0)) }.suffix(limit).map { $0 }
        }
    }

    /// The history file of the data directory at `directory`.
    public static func path(inDataDirectory directory: String) -> String {
        directory + "/" + fileName
    }

    /// Records an entry unless it is blank or repeats the previous one.
    public func add(_ line: String) {
        guard !line.allSatisfy(\.isWhitespace), entries.last != line else { return }
        entries.append(line)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
    }

    /// Writes the entries to the history file; failures are ignored (history is a convenience).
    public func save() {
        guard let path else { return }
        let text = entries.map(Self.encode).joined(separator: "\n") + (entries.isEmpty ? "" : "\n")
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func encode(_ entry: String) -> String {
        guard entry.contains(where: { $0 == "\\" || $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) else { return entry }
        var result = ""
        for character in entry {
            switch character {
            case "\\": result += "\\\\"
            case "\n", "\r\n", "\r": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }

    static func decode(_ line: String) -> String {
        guard line.contains("\\") else { return line }
        var result = ""
        var escaped = false
        for character in line {
            if escaped {
                result.append(character == "n" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        if escaped { result.append("\\") }
        return result
    }
}
