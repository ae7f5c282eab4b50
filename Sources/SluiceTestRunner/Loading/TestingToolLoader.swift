import SluiceTypes

/// Reads a testing-tool directory: `statements.sql`, an optional `input.json` (`{"inputs": [...]}`)
/// and `output.json` (`{"outputs": [...]}`), the layout ksqlDB's `ksql-test-runner` reads.
///
/// A directory below one named `incorrect` holds a test that is expected to fail.
public enum TestingToolLoader {
    public static func load(
        statements: String, input: String?, output: String?, file: String, name: String, expectsFailure: Bool
    ) -> ConformanceCase {
        var result = ConformanceCase(file: file, name: name, kind: .testingTool, expectsFailure: expectsFailure)
        result.statements = StatementScanner.split(statements)
        do {
            if let input {
                let document = try JSONParser.parse(input)
                guard let inputs = document["inputs"]?.arrayValue else {
                    throw LoadError("input.json has no 'inputs' array")
                }
                result.inputs = try inputs.enumerated().map {
                    try RecordParsing.inputRecord($1, at: $0)
                }
            }
            guard let output else { throw LoadError("no output.json") }
            let document = try JSONParser.parse(output)
            guard let outputs = document["outputs"]?.arrayValue else {
                throw LoadError("output.json has no 'outputs' array")
            }
            result.outputs = try outputs.enumerated().map {
                try RecordParsing.expectedRecord($1, at: $0)
            }
        } catch {
            result.loadError = "\(error)"
        }
        if result.statements.isEmpty && result.loadError == nil { result.loadError = "statements.sql is empty" }
        return result
    }
}
