import Testing

@testable import SluiceTestRunner

@Suite struct QTTFileLoaderTests {
    static let matrixFile = #"""
        {"tests": [
          {
            "name": "project",
            "format": ["JSON", "DELIMITED"],
            "config": ["true", "false"],
            "properties": {"some.flag": "{CONFIG}", "limit": 5, "on": true},
            "statements": [
              "CREATE STREAM INPUT (ID INT KEY, V INT) WITH (kafka_topic='input', value_format='{FORMAT}');",
              "CREATE STREAM OUTPUT AS SELECT * FROM INPUT;"
            ],
            "inputs": [{"topic": "input", "key": 1, "value": {"V": 2}, "timestamp": 10}],
            "outputs": [{"topic": "OUTPUT", "key": 1, "value": {"V": 2}, "timestamp": 10}]
          },
          {"name": "switched off", "enabled": false, "statements": ["SELECT 1;"], "outputs": [{"topic": "x", "value": 1}]},
          {"name": "old releases only", "versions": {"max": "5.5.0"}, "statements": ["X;"], "expectedException": {}},
          {"name": "newer releases", "versions": {"min": "7.2.0"}, "statements": ["X;"], "expectedException": {"type": "t", "message": "m"}},
          {"name": "no expectations", "statements": ["X;"]},
          {"name": "schema registry", "topics": [{"name": "t", "valueSchema": {"type": "int"}, "valueFormat": "AVRO"}],
           "statements": ["X;"], "outputs": [{"topic": "t", "value": 1}]}
        ]}
        """#

    @Test func formatAndConfigExpandIntoTheirProduct() {
        let cases = QTTFileLoader.load(text: Self.matrixFile, file: "dir/matrix.json")
        let project = cases.filter { $0.name.hasPrefix("project") }
        #expect(
            project.map(\.name) == [
                "project - JSON - config=true", "project - JSON - config=false",
                "project - DELIMITED - config=true", "project - DELIMITED - config=false",
            ])
        #expect(project[2].statements[0].contains("value_format='DELIMITED'"))
        #expect(!project.contains { $0.statements.joined().contains("{FORMAT}") })
        #expect(project[1].properties == ["some.flag": "false", "limit": "5", "on": "true"])
        #expect(project.allSatisfy { $0.file == "dir/matrix.json" && $0.kind == .queryValidation })
        #expect(project[0].inputs.first?.timestamp == 10)
        #expect(project[0].outputs.first?.timestamp == 10)
    }

    @Test func disabledAndOldVersionTestsAreLeftOut() {
        let names = QTTFileLoader.load(text: Self.matrixFile, file: "f").map(\.name)
        #expect(!names.contains("switched off"))
        #expect(!names.contains("old releases only"))
        #expect(names.contains("newer releases"))
    }

    @Test func malformedCasesAreFlaggedAndTopicSchemasKept() throws {
        let cases = QTTFileLoader.load(text: Self.matrixFile, file: "f")
        let empty = try #require(cases.first { $0.name == "no expectations" })
        #expect(empty.loadError != nil)
        let registry = try #require(cases.first { $0.name == "schema registry" })
        #expect(registry.unsupportedReason == nil)
        #expect(registry.topics.first?.valueSchema == TopicSchema(type: .avro, text: #"{"type":"int"}"#))
        #expect(registry.topics.first?.hasRegisteredSchema == true)
        let rejection = try #require(cases.first { $0.name == "newer releases" })
        #expect(rejection.expectsRejection && rejection.loadError == nil)
    }

    @Test func unreadableFilesBecomeOneErrorCase() {
        let broken = QTTFileLoader.load(text: "{\"tests\": [", file: "bad.json")
        #expect(broken.count == 1 && broken[0].loadError?.contains("line 1") == true)
        let wrongShape = QTTFileLoader.load(text: "{}", file: "other.json")
        #expect(wrongShape.count == 1 && wrongShape[0].loadError != nil)
    }

    @Test func restFilesAreRecognised() {
        let text = #"""
            {"tests": [{"name": "q", "statements": ["CREATE STREAM S (A INT) WITH (kafka_topic='s', value_format='JSON');",
              "SELECT * FROM S EMIT CHANGES LIMIT 1;"], "inputs": [{"topic": "s", "value": {"A": 1}}],
              "responses": [{"admin": {"@type": "currentStatus"}}, {"query": [{"header": {"schema": "`A` INTEGER"}}]}]},
             {"name": "e", "statements": ["BAD;"], "expectedError": {"type": "x", "message": "y", "status": 400}}]}
            """#
        let cases = QTTFileLoader.load(text: text, file: "rest.json")
        #expect(cases.map(\.kind) == [.rest, .rest])
        #expect(cases[0].responses?.count == 2)
        #expect(cases[1].expectsRejection)
    }

    @Test func recordsCarryWindowsHeadersAndDefaults() throws {
        let text = #"""
            {"tests": [{"name": "w", "statements": ["S;"],
              "inputs": [{"topic": "in", "value": null, "headers": [{"KEY": "h", "VALUE": "IQ=="}, {"key": "n", "value": null}]}],
              "outputs": [{"topic": "out", "key": "k", "value": 1, "window": {"start": 0, "end": 10, "type": "Session"}}]}]}
            """#
        let test = try #require(QTTFileLoader.load(text: text, file: "f").first)
        let input = try #require(test.inputs.first)
        #expect(input.timestamp == 0 && input.key.isNull && input.value.isNull)
        #expect(input.headers.map(\.key) == ["h", "n"])
        #expect(input.headers[0].value == [0x21] && input.headers[1].value == nil)
        let output = try #require(test.outputs.first)
        #expect(output.window == WindowData(start: 0, end: 10, kind: .session))
        #expect(output.timestamp == nil && output.headers == nil)
    }

    @Test func testingToolDirectoriesReadTheirThreeFiles() {
        let loaded = TestingToolLoader.load(
            statements:
                "CREATE STREAM A (X INT) WITH (kafka_topic='a', value_format='JSON');\n-- note; not a statement\nCREATE STREAM B AS SELECT * FROM A;",
            input: #"{"inputs": [{"topic": "a", "value": {"X": 1}}]}"#,
            output: #"{"outputs": [{"topic": "B", "value": {"X": 1}}]}"#,
            file: "runner/incorrect/case", name: "case", expectsFailure: true)
        #expect(loaded.statements.count == 2)
        #expect(loaded.inputs.count == 1 && loaded.outputs.count == 1)
        #expect(loaded.expectsFailure && loaded.kind == .testingTool && loaded.loadError == nil)
        let missing = TestingToolLoader.load(
            statements: "X;", input: nil, output: nil, file: "f", name: "n", expectsFailure: false)
        #expect(missing.loadError != nil)
    }
}
