import SluiceSQL
import Testing

/// Each bad statement marks with ⟪...⟫ the exact span the diagnostic must underline.
@Suite struct SyntaxErrorTests {
    @Test func trailingCommaBeforeFrom() {
        expectStatementError(
            "SELECT a, ⟪FROM⟫ t;", id: "sql.unexpected-token",
            message: "expected a select item after ',', found 'FROM'", help: "remove the ',' before FROM")
    }

    @Test func reservedWordAsName() {
        expectStatementError(
            "CREATE STREAM ⟪select⟫ (id INT) WITH (kafka_topic='x');", id: "sql.reserved-word",
            message: "expected a stream name, but 'SELECT' is a reserved word",
            help: "to use it as a name, quote it: `SELECT`")
        expectStatementError(
            "CREATE STREAM s (id INT, ⟪from⟫ STRING) WITH (kafka_topic='x');", id: "sql.reserved-word",
            message: "expected a column name after ',', but 'FROM' is a reserved word")
        expectStatementError(
            "SELECT a AS ⟪size⟫ FROM t;", id: "sql.reserved-word",
            message: "expected an alias name after AS, but 'SIZE' is a reserved word")
    }

    @Test func reservedWordInAnExpressionGetsAQuotingHint() {
        expectStatementError(
            "SELECT ⟪topic⟫ FROM t;", id: "sql.unexpected-token",
            message: "expected an expression after 'SELECT', found 'topic'",
            help: "'TOPIC' is a reserved word; to use it as a name, quote it: `TOPIC`")
    }

    @Test func clauseWordWhereAnExpressionBelongsGetsNoQuotingHint() {
        expectStatementError(
            "SELECT a + ⟪FROM⟫ t;", id: "sql.unexpected-token",
            message: "expected an expression after '+', found 'FROM'")
        let sample = MarkedText("SELECT a + ⟪FROM⟫ t;")
        #expect(throws: SQLError.self) { try SQLParser.parseStatement(sample.text) }
        do {
            _ = try SQLParser.parseStatement(sample.text)
        } catch let error as SQLError {
            #expect(error.diagnostic.help == nil)
        } catch {}
    }

    @Test func missingColumnType() {
        expectStatementError(
            "CREATE STREAM s (id INT, name⟪)⟫ WITH (kafka_topic='x');", id: "sql.unexpected-token",
            message: "expected a type for column NAME, found ')'")
    }

    @Test func unknownStatementSuggestsTheNearestKeyword() {
        expectStatementError("⟪SELEC⟫ * FROM t;", id: "sql.unknown-statement", help: "did you mean 'SELECT'?")
        expectStatementError(
            "⟪DELETE⟫ FROM t;", id: "sql.unknown-statement", message: "'DELETE' does not start a statement")
    }

    @Test func lexicalErrorsCoverTheBadText() {
        expectStatementError("SELECT * FROM t WHERE a = ⟪'oops;⟫", id: "sql.unterminated-string")
        expectStatementError("SELECT * FROM ⟪`t;⟫", id: "sql.unterminated-identifier")
        expectStatementError("SELECT * FROM t ⟪/* no end⟫", id: "sql.unterminated-comment")
        expectStatementError("SELECT ⟪é⟫ FROM t;", id: "sql.invalid-character", message: "unexpected character 'é'")
        expectStatementError("SELECT ⟪${x⟫ FROM t;", id: "sql.malformed-variable")
    }

    @Test func endOfInputPointsAfterTheLastToken() {
        expectStatementError(
            "SELECT * FROM t WHERE a = 1 EMIT⟪;⟫", id: "sql.unexpected-end",
            message: "expected CHANGES or FINAL after EMIT, but the statement ended")
        expectStatementError("SELECT * FROM a JOIN b WITHIN 10 SECONDS⟪⟫", id: "sql.unexpected-end")
        expectStatementError(
            "CREATE TABLE t (k INT PRIMARY KEY)\nWITH (kafka_topic='t'⟪⟫", id: "sql.unexpected-end",
            message: "expected ',' or ')' after a property, but the statement ended")
    }

    @Test func wrongWordsInFixedPlaces() {
        expectStatementError(
            "SELECT * FROM t WINDOW TUMBLING (SIZE 10 ⟪SECS⟫);", id: "sql.unexpected-token",
            message: "expected a time unit such as SECONDS, MINUTES or HOURS after '10', found 'SECS'")
        expectStatementError(
            "INSERT INTO t (a) ⟪VALUE⟫ (1);", id: "sql.unexpected-token",
            message: "expected VALUES after the column list, found 'VALUE'")
        expectStatementError("DROP ⟪s⟫;", id: "sql.unexpected-token")
        expectStatementError("SHOW ⟪STREAM⟫;", id: "sql.unexpected-token")
        expectStatementError(
            "SELECT CASE WHEN a THEN 1 ⟪FROM⟫ t;", id: "sql.unexpected-token",
            message: "expected WHEN, ELSE or END after '1', found 'FROM'")
        expectStatementError(
            "SELECT CAST(a AS⟪)⟫ FROM t;", id: "sql.unexpected-token", message: "expected a type after 'AS', found ')'")
    }

    @Test func numbersThatMustBeWholeOrSmall() {
        expectStatementError(
            "SELECT * FROM t LIMIT ⟪2.5⟫;", id: "sql.integer-required",
            message: "the LIMIT must be a whole number, found '2.5'")
        expectStatementError("SELECT * FROM t LIMIT ⟪99999999999999999999⟫;", id: "sql.number-out-of-range")
        expectStatementError(
            "SELECT * FROM t WINDOW TUMBLING (SIZE ⟪-99999999999999999999⟫ SECONDS);", id: "sql.number-out-of-range")
    }

    @Test func structureErrors() {
        expectStatementError("SELECT * FROM t LIMIT 1; ⟪SELECT⟫ 2 FROM u;", id: "sql.multiple-statements")
        expectStatementError("SELECT * FROM t extra ⟪garbage⟫;", id: "sql.trailing-input")
        expectStatementError("SELECT * FROM t WHERE a = 1 ⟪=⟫ 2;", id: "sql.chained-comparison")
        expectStatementError(
            "SELECT * FROM t WHERE a IS NULL ⟪+⟫ 1;", id: "sql.chained-comparison",
            message: "'+' cannot follow a comparison directly")
        expectStatementError("SELECT * FROM t WHERE a BETWEEN 1 AND 2 ⟪IS⟫ NULL;", id: "sql.chained-comparison")
        expectStatementError("SELECT ⟪x =>⟫ x + 1 FROM t;", id: "sql.misplaced-lambda")
        expectStatementError("SELECT a + ⟪*⟫ FROM t;", id: "sql.misplaced-star")
        expectStatementError("SELECT a + b⟪->⟫* FROM t;", id: "sql.misplaced-struct-star")
        expectStatementError("⟪⟫", id: "sql.empty-statement")
        expectStatementError("  -- just a comment\n⟪⟫", id: "sql.empty-statement")
        expectStatementError("CREATE STREAM s (a INT) WITH (x=1) ⟪AS⟫ SELECT * FROM t;", id: "sql.unexpected-token")
        // Sub-queries are not part of the dialect.
        expectStatementError(
            "SELECT * FROM t WHERE a IN (⟪SELECT⟫ b FROM u);", id: "sql.unexpected-token",
            message: "expected an expression after '(', found 'SELECT'")
    }

    @Test func constructorAndTypeMistakesGetAHint() {
        expectStatementError(
            "SELECT MAP('a' = 1⟪)⟫ FROM s;", id: "sql.unexpected-token",
            message: "expected ':=' between a MAP key and its value, found ')'",
            help: "write each entry as key := value")
        expectStatementError(
            "SELECT STRUCT(a ⟪=⟫ 1) FROM s;", id: "sql.unexpected-token", help: "write each field as name := value")
        expectStatementError(
            "SELECT CAST(x AS VARCHAR⟪(⟫10)) FROM s;", id: "sql.unexpected-token",
            message: "expected no parameters for type VARCHAR, found '('",
            help: "only DECIMAL takes parameters, as in DECIMAL(10, 2)")
        expectStatementError(
            "SELECT * FROM s EMIT CHANGES LIMIT⟪;⟫", id: "sql.unexpected-end",
            message: "expected a number for the LIMIT, but the statement ended")
    }

    @Test func renderedErrorShowsLineColumnAndCarets() {
        do {
            _ = try SQLParser.parseStatement("SELECT *\nFROM orders\nWHERE amount >;")
            Issue.record("expected an error")
        } catch let error as SQLError {
            #expect(
                DiagnosticRenderer.render(error, fileName: "q.sql") == """
                    error: q.sql:3:15: expected an expression after '>', but the statement ended
                      3 | WHERE amount >;
                        |               ^
                    """)
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func extraTrailingSemicolonsAreFine() throws {
        #expect(try parse("SHOW STREAMS;;  ;") == .show(.streams, extended: false))
    }

    @Test func unsubstitutedVariableInAProperty() {
        expectStatementError("CREATE STREAM s (a INT) WITH (kafka_topic=⟪${topic}⟫);", id: "sql.unsubstituted-variable")
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let open = String(repeating: "(", count: 100_000)
        do {
            _ = try SQLParser.parseStatement("SELECT \(open)1 FROM t;")
            Issue.record("expected an error")
        } catch let error as SQLError {
            #expect(error.diagnostic.id == "sql.nested-too-deeply")
            #expect(error.diagnostic.range.map { $0.start > 7 && $0.start < 7 + 250 } == true)
        } catch {
            Issue.record("\(error)")
        }
        let minus = String(repeating: "- ", count: 50_000)
        #expect(throws: SQLError.self) { try SQLParser.parseExpression(minus + "a") }
        let not = String(repeating: "NOT ", count: 50_000)
        #expect(throws: SQLError.self) { try SQLParser.parseExpression(not + "a") }
        let chain = Array(repeating: "a", count: 50_000).joined(separator: " + ")
        #expect(throws: SQLError.self) { try SQLParser.parseExpression(chain) }
        let types = String(repeating: "ARRAY<", count: 50_000) + "INT" + String(repeating: ">", count: 50_000)
        #expect(throws: SQLError.self) { try SQLParser.parseType(types) }
        let joins = "SELECT * FROM a" + String(repeating: " JOIN a ON x = y", count: 5_000)
        #expect(throws: SQLError.self) { try SQLParser.parseStatement(joins) }
        let inLists = String(repeating: "a IN (", count: 50_000)
        #expect(throws: SQLError.self) { try SQLParser.parseExpression(inLists) }
    }
}
