import Foundation
import SluiceSQL

/// The statements that built the catalog, replayed at start-up so streams, tables, types and
/// persistent queries survive a restart.
///
/// Layout: `DIR/commands.sql`, one statement per entry, each ending in `;` and a newline, written
/// with variables already substituted. Appends are flushed to disk before the statement's result
/// is returned. A torn last entry (a crash mid-write) fails to parse on replay and is reported,
/// not silently dropped.
final class CommandLog {
    let path: String

    init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/commands.sql"
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: Data()) else {
                throw CocoaError(.fileWriteUnknown)
            }
        }
    }

    func statements() throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return SQLParser.splitStatements(text).map(\.text)
    }

    func append(_ statement: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteUnknown)
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((statement.trimmingCharacters(in: .whitespacesAndNewlines) + ";\n").utf8))
        try handle.synchronize()
    }
}
