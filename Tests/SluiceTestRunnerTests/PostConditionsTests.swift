import SluiceTypes
import Testing

@testable import SluiceTestRunner

@Suite struct PostConditionsTests {
    static let outputInfo = SourceInfo(
        isTable: false, keyFormat: .kafka, valueFormat: .json,
        columns: [Column(name: "ID", type: .bigint, namespace: .key), Column(name: "V", type: .integer)])

    static func run(_ expected: [ExpectedSource], sources: [String: SourceInfo] = ["OUTPUT": outputInfo]) -> CaseResult
    {
        var test = CaseRunnerTests.passThrough(outputs: CaseRunnerTests.matchingOutputs)
        test.postSources = expected
        return CaseRunner.run(test, in: ScriptedEngine.environment { $0.sources = sources })
    }

    @Test func schemaStringsBecomeColumns() throws {
        let columns = try #require(
            PostConditions.columns(
                of: "ID INT KEY, `v` STRING, H BYTES HEADER('h'), S STRUCT<A INT>, K2 BIGINT PRIMARY KEY"))
        #expect(
            columns == [
                Column(name: "ID", type: .integer, namespace: .key),
                Column(name: "K2", type: .bigint, namespace: .key),
                Column(name: "v", type: .string),
                Column(name: "S", type: .structure([StructField(name: "A", type: .integer)])),
            ])
        #expect(PostConditions.columns(of: "X MY_CUSTOM_TYPE") == nil)
    }

    @Test func matchingSourcesPass() {
        let expected = ExpectedSource(
            name: "OUTPUT", type: "stream", schema: "ID BIGINT KEY, V INT", keyFormat: "KAFKA", valueFormat: "JSON")
        #expect(Self.run([expected]).status == .pass)
    }

    @Test func eachDifferenceFails() {
        let differences = [
            ExpectedSource(name: "OUTPUT", schema: "ID BIGINT KEY, V BIGINT"),
            ExpectedSource(name: "OUTPUT", schema: "ID BIGINT KEY"),
            ExpectedSource(name: "OUTPUT", schema: "ID BIGINT, V INT"),
            ExpectedSource(name: "OUTPUT", type: "table"),
            ExpectedSource(name: "OUTPUT", keyFormat: "JSON"),
            ExpectedSource(name: "OUTPUT", valueFormat: "DELIMITED"),
            ExpectedSource(name: "MISSING"),
        ]
        for expected in differences {
            let result = Self.run([expected])
            #expect(result.status == .fail, "\(expected)")
            #expect(result.reason.hasPrefix("post:"), "\(result.reason)")
        }
    }

    @Test func postIsReadFromTestFiles() throws {
        let text = #"""
            {"tests": [{"name": "p", "statements": ["S;"], "outputs": [{"topic": "o", "value": 1}],
              "post": {"sources": [{"name": "O", "type": "Table", "keyFormat": {"format": "KAFKA", "features": []}, "valueFormat": "JSON",
                                    "schema": "K INT PRIMARY KEY, V INT"}]}}]}
            """#
        let test = try #require(QTTFileLoader.load(text: text, file: "f").first)
        #expect(
            test.postSources == [
                ExpectedSource(
                    name: "O", type: "table", schema: "K INT PRIMARY KEY, V INT", keyFormat: "KAFKA",
                    valueFormat: "JSON")
            ])
    }
}
