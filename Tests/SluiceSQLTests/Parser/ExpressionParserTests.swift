import SluiceSQL
import Testing

@Suite struct ExpressionParserTests {
    @Test func multiplicationBindsTighterThanAdditionAndConcatIsLoosest() throws {
        #expect(try expr("a + b * c") == bin(.add, col("A"), bin(.multiply, col("B"), col("C"))))
        #expect(try expr("a - b - c") == bin(.subtract, bin(.subtract, col("A"), col("B")), col("C")))
        #expect(try expr("a || b + c") == bin(.concat, col("A"), bin(.add, col("B"), col("C"))))
        #expect(try expr("a % b / c") == bin(.divide, bin(.modulo, col("A"), col("B")), col("C")))
    }

    @Test func booleanPrecedenceIsNotThenAndThenOr() throws {
        let a = cmp(.equal, col("A"), int("1"))
        let b = cmp(.greater, col("B"), int("2"))
        let c = cmp(.less, col("C"), int("3"))
        #expect(try expr("a = 1 OR b > 2 AND c < 3") == or(a, and(b, c)))
        #expect(try expr("NOT a = 1 AND b > 2") == and(Expr(.unary(.not, a)), b))
        #expect(try expr("(a = 1 OR b > 2) AND c < 3") == and(or(a, b), c))
    }

    @Test func comparisonOperators() throws {
        for (text, op) in [
            ("=", ComparisonOperator.equal), ("<>", .notEqual), ("!=", .notEqual), ("<", .less),
            ("<=", .lessOrEqual), (">", .greater), (">=", .greaterOrEqual),
        ] {
            #expect(try expr("a \(text) b") == cmp(op, col("A"), col("B")))
        }
    }

    @Test func signBeforeANumberIsPartOfTheLiteral() throws {
        #expect(try expr("-5") == int("-5"))
        #expect(try expr("a - -5") == bin(.subtract, col("A"), int("-5")))
        #expect(try expr("-5 * 2") == bin(.multiply, int("-5"), int("2")))
        #expect(try expr("-a") == Expr(.unary(.minus, col("A"))))
        #expect(try expr("-(5)") == Expr(.unary(.minus, int("5"))))
        #expect(try expr("+5") == Expr(.unary(.plus, int("5"))))
    }

    @Test func literals() throws {
        #expect(try expr("NULL") == Expr(.literal(.null)))
        #expect(try expr("true") == Expr(.literal(.boolean(true))))
        #expect(try expr("FALSE") == Expr(.literal(.boolean(false))))
        #expect(try expr("'it''s'") == str("it's"))
        #expect(try expr("12") == int("12"))
        #expect(try expr("1.50") == Expr(.literal(.decimal("1.50"))))
        #expect(try expr(".5") == Expr(.literal(.decimal(".5"))))
        #expect(try expr("1.5E3") == Expr(.literal(.double("1.5E3"))))
        #expect(try expr("-2e-3") == Expr(.literal(.double("-2e-3"))))
        #expect(try expr("99999999999999999999999") == int("99999999999999999999999"))
    }

    @Test func predicates() throws {
        #expect(
            try expr("a BETWEEN 1 AND 2") == Expr(.between(col("A"), low: int("1"), high: int("2"), negated: false)))
        #expect(
            try expr("a NOT BETWEEN b + 1 AND 2")
                == Expr(.between(col("A"), low: bin(.add, col("B"), int("1")), high: int("2"), negated: true)))
        #expect(try expr("a IN (1, 2)") == Expr(.inList(col("A"), [int("1"), int("2")], negated: false)))
        #expect(try expr("a NOT IN (b)") == Expr(.inList(col("A"), [col("B")], negated: true)))
        #expect(try expr("a LIKE 'x%'") == Expr(.like(col("A"), pattern: str("x%"), escape: nil, negated: false)))
        #expect(
            try expr("a NOT LIKE 'x!%' ESCAPE '!'")
                == Expr(.like(col("A"), pattern: str("x!%"), escape: str("!"), negated: true)))
        #expect(try expr("a IS NULL") == Expr(.isNull(col("A"), negated: false)))
        #expect(try expr("a IS NOT NULL") == Expr(.isNull(col("A"), negated: true)))
        #expect(try expr("a IS DISTINCT FROM b") == Expr(.isDistinctFrom(col("A"), col("B"), negated: false)))
        #expect(try expr("a IS NOT DISTINCT FROM b") == Expr(.isDistinctFrom(col("A"), col("B"), negated: true)))
    }

    @Test func betweenBoundsAreValueExpressionsSoAndStillJoinsPredicates() throws {
        let between = Expr(.between(col("A"), low: int("1"), high: int("2"), negated: false))
        #expect(try expr("a BETWEEN 1 AND 2 AND b") == and(between, col("B")))
    }

    @Test func caseForms() throws {
        let searched = try expr("CASE WHEN a < 2 THEN 'small' WHEN a < 4 THEN 'medium' ELSE 'large' END")
        #expect(
            searched
                == Expr(
                    .searchedCase(
                        whens: [
                            WhenClause(condition: cmp(.less, col("A"), int("2")), result: str("small")),
                            WhenClause(condition: cmp(.less, col("A"), int("4")), result: str("medium")),
                        ], elseValue: str("large"))))
        #expect(
            try expr("CASE a WHEN 1 THEN 'one' END")
                == Expr(
                    .simpleCase(
                        operand: col("A"), whens: [WhenClause(condition: int("1"), result: str("one"))],
                        elseValue: nil)))
    }

    @Test func castAndConstructors() throws {
        #expect(try expr("CAST(a AS DECIMAL(4, 2))") == Expr(.cast(col("A"), .decimal(precision: 4, scale: 2))))
        #expect(try expr("ARRAY[1, 2]") == Expr(.arrayConstructor([int("1"), int("2")])))
        #expect(try expr("ARRAY[]") == Expr(.arrayConstructor([])))
        #expect(
            try expr("MAP('a' := 1, 'b' := 2)")
                == Expr(
                    .mapConstructor([
                        MapEntryExpr(key: str("a"), value: int("1")), MapEntryExpr(key: str("b"), value: int("2")),
                    ])))
        #expect(
            try expr("STRUCT(f1 := 1, `f2` := 'x')")
                == Expr(
                    .structConstructor([
                        StructFieldExpr(name: Identifier("F1"), value: int("1")),
                        StructFieldExpr(name: Identifier("f2"), value: str("x")),
                    ])))
    }

    @Test func nonReservedConstructorWordsAreNamesWhenNotFollowedByTheirBracket() throws {
        #expect(try expr("map") == col("MAP"))
        #expect(try expr("array + 1") == bin(.add, col("ARRAY"), int("1")))
    }

    @Test func functionCalls() throws {
        #expect(
            try expr("COUNT(*)")
                == Expr(.functionCall(name: Identifier("COUNT"), arguments: [], distinct: false, star: true)))
        #expect(try expr("now()") == call("NOW"))
        #expect(try expr("substring(a, 1, 2)") == call("SUBSTRING", col("A"), int("1"), int("2")))
        #expect(
            try expr("count(DISTINCT a)")
                == Expr(.functionCall(name: Identifier("COUNT"), arguments: [col("A")], distinct: true, star: false)))
    }

    @Test func reservedTimeUnitsAreFunctionArgumentsButSingularUnitsAreColumns() throws {
        #expect(
            try expr("TIMESTAMPADD(MILLISECONDS, 5, ts)")
                == call("TIMESTAMPADD", Expr(.intervalUnit(.milliseconds)), int("5"), col("TS")))
        #expect(try expr("dateadd(DAYS, 1, d)") == call("DATEADD", Expr(.intervalUnit(.days)), int("1"), col("D")))
        #expect(try expr("dateadd(date, 1, d)") == call("DATEADD", col("DATE"), int("1"), col("D")))
        #expect(try expr("f(day)") == call("F", col("DAY")))
    }

    @Test func lambdas() throws {
        #expect(
            try expr("TRANSFORM(xs, x => x + 1)")
                == call(
                    "TRANSFORM", col("XS"),
                    Expr(.lambda(parameters: [Identifier("X")], body: bin(.add, col("X"), int("1"))))))
        #expect(
            try expr("REDUCE(xs, 0, (s, x) => s + x)")
                == call(
                    "REDUCE", col("XS"), int("0"),
                    Expr(.lambda(parameters: [Identifier("S"), Identifier("X")], body: bin(.add, col("S"), col("X"))))))
        // A parenthesized expression that is not a lambda parameter list stays an expression.
        #expect(try expr("f((a), b)") == call("F", col("A"), col("B")))
    }

    @Test func subscriptsAndDereferencesChain() throws {
        #expect(try expr("a[1]") == Expr(.subscript(col("A"), index: int("1"))))
        #expect(
            try expr("a->b->c[0]")
                == Expr(
                    .subscript(
                        Expr(
                            .dereference(Expr(.dereference(col("A"), field: Identifier("B"))), field: Identifier("C"))),
                        index: int("0"))))
        #expect(try expr("f(x)[1 + 1]") == Expr(.subscript(call("F", col("X")), index: bin(.add, int("1"), int("1")))))
        #expect(try expr("-a[1]") == Expr(.unary(.minus, Expr(.subscript(col("A"), index: int("1"))))))
    }

    @Test func namesAreUpperCasedUnlessQuoted() throws {
        #expect(try expr("t.col") == col("COL", "T"))
        #expect(try expr("`t`.`Col`") == col("Col", "t"))
        #expect(try expr("\"Mixed\"") == col("Mixed"))
        #expect(try expr("`a``b`") == col("a`b"))
        #expect(try expr("1R") == col("1R"))
        #expect(try expr("key") == col("KEY"))
    }

    @Test func variablesStayAsVariablesWhenNotSubstituted() throws {
        #expect(try expr("${limit} + 1") == bin(.add, Expr(.variable("limit")), int("1")))
    }

    @Test func rangesCoverTheWholeNode() throws {
        let text = "x + f(a, 'b')"
        let parsed = try expr(text)
        #expect(parsed.range == SourceRange(start: 0, end: text.utf8.count))
        guard case .binary(_, let left, let right) = parsed.kind else {
            Issue.record("not binary")
            return
        }
        #expect(left.range == SourceRange(start: 0, end: 1))
        #expect(right.range == SourceRange(start: 4, end: 13))
        #expect(try expr("(a)").range == SourceRange(start: 0, end: 3))
    }

    @Test func deepButBoundedNestingParses() throws {
        let depth = 150
        let text = String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(try expr(text) == int("1"))
        let chain = Array(repeating: "a", count: 500).joined(separator: " + ")
        _ = try expr(chain)
    }
}
