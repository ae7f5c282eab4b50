import SluiceSQL
import Testing

@Suite struct SplitStatementsTests {
    @Test func splitsAtTopLevelSemicolonsOnly() {
        let script = """
            -- header comment
            CREATE STREAM s (a STRING) WITH (kafka_topic='a;b', value_format='JSON');
            SELECT `x;y`, "p;q" /* ; */ FROM s -- trailing ;
            ;
            ;  /* only a comment */ ;
            INSERT INTO s VALUES ('z')
            """
        let pieces = SQLParser.splitStatements(script)
        #expect(
            pieces.map(\.text) == [
                "CREATE STREAM s (a STRING) WITH (kafka_topic='a;b', value_format='JSON')",
                "SELECT `x;y`, \"p;q\" /* ; */ FROM s",
                "INSERT INTO s VALUES ('z')",
            ])
        let bytes = Array(script.utf8)
        for piece in pieces {
            #expect(String(decoding: bytes[piece.range.start..<piece.range.end], as: UTF8.self) == piece.text)
        }
    }

    @Test func blankScriptsHaveNoStatements() {
        #expect(SQLParser.splitStatements("").isEmpty)
        #expect(SQLParser.splitStatements(" ;; -- x\n /* y */ ;").isEmpty)
        #expect(SQLParser.splitStatements("/* never closed").isEmpty)
    }

    @Test func anUnterminatedStringSwallowsTheRestIntoOnePiece() {
        let pieces = SQLParser.splitStatements("SELECT 'a; SELECT 2; SELECT 3;")
        #expect(pieces.count == 1)
        #expect(pieces[0].text == "SELECT 'a; SELECT 2; SELECT 3;")
    }
}

@Suite struct ParseScriptTests {
    let script = "SHOW STREAMS;\n\nSELECT * FROM s\n  WHERE x = ;\nSHOW TABLES;\nDROP nothing;"

    @Test func parseScriptThrowsTheFirstErrorWithRangesIntoTheScript() {
        do {
            _ = try SQLParser.parseScript(script)
            Issue.record("expected an error")
        } catch let error as SQLError {
            #expect(error.source == script)
            #expect(error.diagnostic.id == "sql.unexpected-end")
            let locator = SourceLocator(script)
            let position = locator.lineAndColumn(of: error.diagnostic.range!.start)
            #expect(position.line == 4 && position.column == 12)
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func recoveringParseKeepsGoodStatementsAndOneErrorPerBadOne() {
        let result = SQLParser.parseScriptRecovering(script)
        #expect(
            result.statements.map(\.statement) == [.show(.streams, extended: false), .show(.tables, extended: false)])
        #expect(result.statements.map(\.text) == ["SHOW STREAMS", "SHOW TABLES"])
        #expect(result.errors.count == 2)
        #expect(result.errors.allSatisfy { $0.source == self.script })
        let rendered = DiagnosticRenderer.render(result.errors[1], fileName: "x.sql")
        #expect(
            rendered.hasPrefix(
                "error: x.sql:6:6: expected STREAM, TABLE, TYPE or CONNECTOR after DROP, found 'nothing'"))
    }

    @Test func parsedStatementsRememberTheirText() throws {
        let parsed = try SQLParser.parseScript("  SELECT 1 FROM s ;\nSHOW TYPES")
        #expect(parsed.count == 2)
        #expect(parsed[0].text == "SELECT 1 FROM s")
        #expect(parsed[0].range == SourceRange(start: 2, end: 17))
        #expect(parsed[1].statement == .show(.types, extended: false))
    }

    @Test func nodeRangesIndexTheScript() throws {
        let parsed = try SQLParser.parseScript("SHOW TABLES; SELECT a FROM s;")
        guard case .select(let query) = parsed[1].statement, case .expression(let item, _) = query.selectItems[0] else {
            Issue.record("not a query")
            return
        }
        #expect(item.range == SourceRange(start: 20, end: 21))
        #expect(query.range == SourceRange(start: 13, end: 28))
    }
}

@Suite struct VariableSubstitutionTests {
    let variables = ["topic": "orders", "Format": "JSON", "n": "3", "name": "it's", "src": "`Mixed`"]

    @Test func substitutesNamesLiteralsAndInsideStrings() throws {
        let text =
            "CREATE STREAM ${src} (a INT) WITH (kafka_topic='${topic}_v${n}', value_format='${FORMAT}', partitions=${n});"
        #expect(
            try VariableSubstitution.substitute(text, variables: variables)
                == "CREATE STREAM `Mixed` (a INT) WITH (kafka_topic='orders_v3', value_format='JSON', partitions=3);")
    }

    @Test func quotesInValuesStayInsideTheirString() throws {
        let text = try VariableSubstitution.substitute("SELECT '${name}' FROM s;", variables: variables)
        #expect(text == "SELECT 'it''s' FROM s;")
        #expect(try parse(text) == parse("SELECT 'it''s' FROM s;"))
    }

    @Test func commentsAndQuotedNamesAreLeftAlone() throws {
        let text = "SELECT `${topic}` -- ${missing}\n FROM s /* ${missing} */;"
        #expect(try VariableSubstitution.substitute(text, variables: variables) == text)
    }

    @Test func doubleDollarEscapesAReference() throws {
        #expect(
            try VariableSubstitution.substitute("SELECT '$${topic}' FROM s;", variables: variables)
                == "SELECT '${topic}' FROM s;")
        #expect(
            try VariableSubstitution.substitute("SELECT $${topic} FROM s;", variables: variables)
                == "SELECT ${topic} FROM s;")
    }

    @Test func undefinedVariableIsAnErrorNamingIt() {
        for marked in ["SELECT * FROM ⟪${nope}⟫;", "SELECT '⟪${nope}⟫' FROM s;"] {
            let sample = MarkedText(marked)
            do {
                _ = try VariableSubstitution.substitute(sample.text, variables: variables)
                Issue.record("expected an error")
            } catch let error as SQLError {
                check(
                    error, sample, id: "sql.undefined-variable", message: "variable 'nope' is not defined", help: nil,
                    sourceLocation: #_sourceLocation)
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test func textWithoutReferencesIsReturnedUnchanged() throws {
        let text = "SELECT '$' + `$x` FROM s;"
        #expect(try VariableSubstitution.substitute(text, variables: [:]) == text)
    }
}
