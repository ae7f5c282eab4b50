import Foundation
import SluiceTypes
import Testing

/// Every JSON file of ksqlDB's conformance tests must parse, and survive a write/parse round trip.
@Suite struct QTTCorpusTests {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/qtt")

    static var corpusExists: Bool { FileManager.default.fileExists(atPath: root.path) }

    static func jsonFiles() -> [URL] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }.sorted { $0.path < $1.path }
    }

    @Test(.enabled(if: corpusExists, "../shared/qtt is not present beside the repository"))
    func parsesEveryConformanceFile() throws {
        let files = Self.jsonFiles()
        #expect(files.count > 100)
        var members = 0
        for file in files {
            let data = try [UInt8](Data(contentsOf: file))
            // The testing tool's own negative case: a deliberately malformed input file.
            if file.path.hasSuffix("test-runner/incorrect/incorrect_input_format/input.json") {
                #expect(throws: JSONParseError.self) { try JSONParser().parse(data) }
                continue
            }
            do {
                let tree = try JSONParser().parse(data)
                #expect(try JSONParser().parse(JSONWriter.bytes(tree)) == tree, "\(file.lastPathComponent) round trip")
                if case .object(let m) = tree { members += m.count }
            } catch {
                Issue.record("\(file.path): \(error)")
            }
        }
        #expect(members > 0)
    }
}
