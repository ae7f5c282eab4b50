import Foundation

/// One thing to load cases from: a JSON test file or a testing-tool directory.
public struct TestSource: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case jsonFile
        case testingToolDirectory
    }

    public var kind: Kind
    /// Where it is on disk.
    public var path: String
    /// How results name it: the command-line argument joined with the path below it.
    public var reportedPath: String
    /// `FILE:NAME` on the command line: only the case with this name (and its format/config
    /// variants).
    public var caseName: String?
}

/// Finds test sources under the paths given on the command line and loads their cases.
public enum TestDiscovery {
    /// The sources under `argument`, in a stable order (entries sorted by name, depth first).
    public static func sources(for argument: String) throws(LoadFailure) -> [TestSource] {
        var path = argument
        var caseName: String?
        if !exists(argument), let split = splitSelection(argument) {
            path = split.path
            caseName = split.name
        }
        guard exists(path) else { throw LoadFailure("no such file or directory: \(argument)") }
        var found: [TestSource] = []
        if isDirectory(path) {
            walk(directory: path, reported: path, into: &found)
        } else {
            found.append(TestSource(kind: .jsonFile, path: path, reportedPath: path))
        }
        if let caseName {
            found = found.map {
                var source = $0
                source.caseName = caseName
                return source
            }
        }
        return found
    }

    /// Splits `FILE:NAME` at the first colon whose left side exists on disk.
    static func splitSelection(_ argument: String) -> (path: String, name: String)? {
        var index = argument.startIndex
        while let colon = argument[index...].firstIndex(of: ":") {
            let candidate = String(argument[..<colon])
            if !candidate.isEmpty && exists(candidate) {
                return (candidate, String(argument[argument.index(after: colon)...]).trimmingWhitespace())
            }
            index = argument.index(after: colon)
        }
        return nil
    }

    private static func walk(directory: String, reported: String, into found: inout [TestSource]) {
        if exists(join(directory, "statements.sql")) {
            found.append(TestSource(kind: .testingToolDirectory, path: directory, reportedPath: reported))
            return
        }
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        for entry in entries where !entry.hasPrefix(".") {
            let child = join(directory, entry)
            if isDirectory(child) {
                walk(directory: child, reported: join(reported, entry), into: &found)
            } else if entry.hasSuffix(".json") {
                found.append(TestSource(kind: .jsonFile, path: child, reportedPath: join(reported, entry)))
            }
        }
    }

    /// The cases of one source, selection applied.
    public static func cases(in source: TestSource) -> [ConformanceCase] {
        var cases: [ConformanceCase]
        switch source.kind {
        case .jsonFile:
            guard let text = read(source.path) else {
                return [ConformanceCase(file: source.reportedPath, name: "(file)", loadError: "cannot read the file")]
            }
            cases = QTTFileLoader.load(text: text, file: source.reportedPath)
        case .testingToolDirectory:
            let components = source.path.split(separator: "/")
            cases = [
                TestingToolLoader.load(
                    statements: read(join(source.path, "statements.sql")) ?? "",
                    input: read(join(source.path, "input.json")),
                    output: read(join(source.path, "output.json")),
                    file: source.reportedPath,
                    name: components.last.map(String.init) ?? source.path,
                    expectsFailure: components.contains("incorrect")
                )
            ]
        }
        if let wanted = source.caseName {
            cases = cases.filter { $0.name == wanted || $0.name.hasPrefix(wanted + " - ") }
        }
        return cases
    }

    static func join(_ base: String, _ name: String) -> String {
        base.hasSuffix("/") ? base + name : base + "/" + name
    }

    private static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    private static func isDirectory(_ path: String) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
    }

    private static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A problem with the command line's paths or options.
public struct LoadFailure: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
