import SluiceSQL
import Testing

@Suite struct TypeParserTests {
    @Test(arguments: [
        ("BOOLEAN", TypeSyntax.boolean), ("int", .integer), ("INTEGER", .integer), ("BIGINT", .bigint),
        ("DOUBLE", .double), ("STRING", .string), ("varchar", .string), ("BYTES", .bytes), ("DATE", .date),
        ("TIME", .time), ("TIMESTAMP", .timestamp), ("DECIMAL(10, 2)", .decimal(precision: 10, scale: 2)),
    ])
    func baseTypes(_ text: String, _ type: TypeSyntax) throws {
        #expect(try SQLParser.parseType(text) == type)
    }

    @Test func nestedTypes() throws {
        #expect(try SQLParser.parseType("ARRAY<INT>") == .array(.integer))
        #expect(try SQLParser.parseType("MAP<STRING, ARRAY<BIGINT>>") == .map(key: .string, value: .array(.bigint)))
        #expect(
            try SQLParser.parseType("STRUCT<a INT, `B c` STRUCT<x DOUBLE>>")
                == .structure([
                    StructFieldSyntax(name: Identifier("A"), type: .integer),
                    StructFieldSyntax(
                        name: Identifier("B c"),
                        type: .structure([StructFieldSyntax(name: Identifier("X"), type: .double)])),
                ]))
        #expect(try SQLParser.parseType("STRUCT<>") == .structure([]))
        #expect(
            try SQLParser.parseType("STRUCT<KEY STRING, VALUE BYTES>")
                == .structure([
                    StructFieldSyntax(name: Identifier("KEY"), type: .string),
                    StructFieldSyntax(name: Identifier("VALUE"), type: .bytes),
                ]))
    }

    @Test func postfixArrayFormWrapsTheType() throws {
        #expect(try SQLParser.parseType("INT ARRAY") == .array(.integer))
    }

    @Test func otherNamesAreCustomTypesAndQuotedBuiltInNamesToo() throws {
        #expect(try SQLParser.parseType("address") == .named(Identifier("ADDRESS")))
        #expect(try SQLParser.parseType("`INT`") == .named(Identifier("INT")))
    }

    @Test func malformedTypesPointAtTheProblem() {
        expectTypeError("ARRAY<INT⟪⟫", id: "sql.unexpected-end")
        expectTypeError("DECIMAL(⟪x⟫, 2)", id: "sql.unexpected-token")
        expectTypeError("DECIMAL(⟪1.5⟫, 2)", id: "sql.integer-required")
        expectTypeError("MAP<STRING⟪>⟫", id: "sql.unexpected-token")
        expectTypeError("INT ⟪extra⟫", id: "sql.trailing-input")
    }

    private func expectTypeError(_ marked: String, id: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let sample = MarkedText(marked)
        do {
            _ = try SQLParser.parseType(sample.text)
            Issue.record("expected an error", sourceLocation: sourceLocation)
        } catch let error as SQLError {
            check(error, sample, id: id, message: nil, help: nil, sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(error)", sourceLocation: sourceLocation)
        }
    }
}
