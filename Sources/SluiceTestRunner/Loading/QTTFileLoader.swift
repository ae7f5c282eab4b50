import SluiceTypes

/// Turns a `query-validation-tests` or `rest-query-validation-tests` JSON file into cases.
///
/// A test with a `format` array becomes one case per format, named `NAME - FORMAT`, with
/// `{FORMAT}` replaced in its statements; a `config` array does the same for `{CONFIG}` in its
/// statements and property values, named `NAME - config=VALUE`. Both together give the product.
/// Tests with `"enabled": false`, or with a `versions.max` bound (written for older releases), are
/// left out, as ksqlDB's runner leaves them out.
public enum QTTFileLoader {
    /// The cases of one file; a file that cannot be read at all yields a single error case.
    public static func load(text: String, file: String) -> [ConformanceCase] {
        let document: JSONValue
        do {
            document = try JSONParser.parse(text)
        } catch {
            let at = JSONText.position(of: error.offset, in: text)
            return [ConformanceCase(file: file, name: "(file)", loadError: "invalid JSON at \(at): \(error.message)")]
        }
        guard let tests = document["tests"]?.arrayValue else {
            return [ConformanceCase(file: file, name: "(file)", loadError: "no 'tests' array")]
        }
        let isRest = tests.contains { $0["responses"] != nil || $0["expectedError"] != nil }
        var cases: [ConformanceCase] = []
        for (index, test) in tests.enumerated() {
            cases.append(contentsOf: expand(test, index: index, file: file, kind: isRest ? .rest : .queryValidation))
        }
        return cases
    }

    /// One test object, expanded over its `format` and `config` matrices.
    static func expand(_ test: JSONValue, index: Int, file: String, kind: ConformanceCase.Kind) -> [ConformanceCase] {
        let name = test["name"]?.stringValue ?? "test \(index + 1)"
        if case .bool(false)? = test["enabled"] { return [] }
        if let versions = test["versions"], versions["max"] != nil { return [] }

        let formats: [String?] = test["format"]?.arrayValue.map { $0.map { Optional($0.plainText) } } ?? [nil]
        let configs: [String?] = test["config"]?.arrayValue.map { $0.map { Optional($0.plainText) } } ?? [nil]
        var cases: [ConformanceCase] = []
        for format in formats.isEmpty ? [nil] : formats {
            for config in configs.isEmpty ? [nil] : configs {
                var caseName = name
                if let format { caseName += " - \(format)" }
                if let config { caseName += " - config=\(config)" }
                do {
                    cases.append(
                        try build(test, name: caseName, file: file, kind: kind, format: format, config: config))
                } catch {
                    cases.append(ConformanceCase(file: file, name: caseName, kind: kind, loadError: "\(error)"))
                }
            }
        }
        return cases
    }

    static func substitute(_ text: String, format: String?, config: String?) -> String {
        var result = text
        if let format { result = result.replacing("{FORMAT}", with: format) }
        if let config { result = result.replacing("{CONFIG}", with: config) }
        return result
    }

    private static func build(
        _ test: JSONValue, name: String, file: String, kind: ConformanceCase.Kind, format: String?, config: String?
    ) throws -> ConformanceCase {
        guard let rawStatements = test["statements"]?.arrayValue, !rawStatements.isEmpty else {
            throw LoadError("no 'statements'")
        }
        let statements = try rawStatements.map { statement -> String in
            guard let text = statement.stringValue else { throw LoadError("a statement is not a string") }
            return substitute(text, format: format, config: config)
        }

        var properties: [String: String] = [:]
        for member in test["properties"]?.objectValue ?? [] {
            properties[member.key] = substitute(member.value.plainText, format: format, config: config)
        }

        let inputs = try (test["inputs"]?.arrayValue ?? []).enumerated().map {
            try RecordParsing.inputRecord($1, at: $0)
        }
        let outputs = try (test["outputs"]?.arrayValue ?? []).enumerated().map {
            try RecordParsing.expectedRecord($1, at: $0)
        }

        var topics: [TopicSpec] = []
        for topic in test["topics"]?.arrayValue ?? [] {
            guard let topicName = topic["name"]?.stringValue else { throw LoadError("a topic has no 'name'") }
            let partitions = topic["partitions"]?.int64Value.map { Int($0) } ?? 1
            let valueFormat = (topic["valueFormat"] ?? topic["format"])?.stringValue
            topics.append(
                TopicSpec(
                    name: topicName, partitions: max(partitions, 1), format: valueFormat,
                    keySchema: try topicSchema(
                        topic["keySchema"], format: topic["keyFormat"]?.stringValue, id: topic["keySchemaId"],
                        references: topic["keySchemaReferences"], what: "key schema of topic '\(topicName)'"),
                    valueSchema: try topicSchema(
                        topic["valueSchema"] ?? topic["schema"], format: valueFormat, id: topic["valueSchemaId"],
                        references: topic["valueSchemaReferences"], what: "value schema of topic '\(topicName)'")
                ))
        }

        let expectsRejection = test["expectedException"] != nil || test["expectedError"] != nil
        if !expectsRejection && inputs.isEmpty && outputs.isEmpty && test["responses"] == nil {
            throw LoadError("no inputs, outputs or expectedException")
        }
        return ConformanceCase(
            file: file, name: name, kind: kind, statements: statements, properties: properties, topics: topics,
            inputs: inputs, outputs: outputs, expectsRejection: expectsRejection,
            responses: test["responses"]?.arrayValue,
            postSources: (test["post"]?["sources"]?.arrayValue ?? []).compactMap(ExpectedSource.parse)
        )
    }

    /// A topic's key or value schema, as ksqlDB's test framework reads it: the format names the
    /// schema type (none means AVRO, the legacy default; JSON and JSON_SR mean JSON Schema);
    /// Avro and JSON schemas are JSON (a bare string is an Avro primitive), protobuf schemas are
    /// `.proto` text.
    static func topicSchema(
        _ schema: JSONValue?, format: String?, id: JSONValue?, references: JSONValue?, what: String
    ) throws -> TopicSchema? {
        guard let schema, !schema.isNull else { return nil }
        let type: RegisteredSchemaType
        switch format?.uppercased() {
        case nil, "AVRO": type = .avro
        case "JSON", "JSON_SR": type = .json
        case "PROTOBUF": type = .protobuf
        case let other?: throw LoadError("the \(what) has format \(other), which has no schema registry")
        }
        let text: String
        if type == .protobuf {
            guard let proto = schema.stringValue else { throw LoadError("the \(what) must be a string of .proto text") }
            text = proto
        } else {
            text = JSONWriter.string(schema)
        }
        var schemaID: Int?
        if let id, !id.isNull {
            guard let n = id.int64Value, n > 0, n <= Int64(Int32.max) else {
                throw LoadError("the id of the \(what) must be a positive integer")
            }
            schemaID = Int(n)
        }
        var imported: [SchemaReferenceText] = []
        for reference in references?.arrayValue ?? [] {
            guard let name = reference["name"]?.stringValue, let body = reference["schema"] else {
                throw LoadError("a reference of the \(what) needs a 'name' and a 'schema'")
            }
            imported.append(SchemaReferenceText(name: name, schema: body.stringValue ?? JSONWriter.string(body)))
        }
        return TopicSchema(type: type, text: text, id: schemaID, references: imported)
    }
}
