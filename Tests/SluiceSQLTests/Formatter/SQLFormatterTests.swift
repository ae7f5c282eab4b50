import SluiceSQL
import Testing

@Suite struct SQLFormatterTests {
    private func formatted(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        SQLFormatter.format(try parse(text, sourceLocation: sourceLocation))
    }

    @Test func createStreamIsOneCanonicalLine() throws {
        #expect(
            try formatted(
                "create stream s (id string key, `Name` varchar, h bytes header('k')) with (kafka_topic='t', value_format='json');"
            )
                == "CREATE STREAM S (ID STRING KEY, `Name` STRING, H BYTES HEADER('k')) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='json');"
        )
    }

    @Test func queriesPutEachClauseOnItsOwnLine() throws {
        let text = try formatted(
            "create table t as select a.id, count(*) as n from a join b within 1 hour on a.id = b.id window tumbling (size 1 minute) where a.x > 1 group by a.id having count(*) > 2 emit changes;"
        )
        #expect(
            text == """
                CREATE TABLE T AS SELECT A.ID, COUNT(*) AS N
                FROM A
                INNER JOIN B WITHIN 1 HOURS ON (A.ID = B.ID)
                WINDOW TUMBLING (SIZE 1 MINUTES)
                WHERE (A.X > 1)
                GROUP BY A.ID
                HAVING (COUNT(*) > 2)
                EMIT CHANGES;
                """)
    }

    @Test(arguments: [
        ("a + b * c", "(A + (B * C))"),
        ("NOT a AND b OR c", "(((NOT A) AND B) OR C)"),
        ("-5", "-5"),
        ("-(5)", "-(5)"),
        ("- -a", "- -A"),
        ("- -5", "-(-5)"),
        ("a + b - c", "(A + B - C)"),
        ("a - (b + c)", "(A - (B + C))"),
        ("a * b / c % d + e", "((A * B / C % D) + E)"),
        ("a || b || c", "(A || B || C)"),
        ("a OR b OR c AND d", "(A OR B OR (C AND D))"),
        ("NOT NOT a", "(NOT NOT A)"),
        ("-(NOT a)", "-((NOT A))"),
        ("a - -5", "(A - -5)"),
        ("(-a)[1]", "(-A)[1]"),
        ("a->b[0]", "A->B[0]"),
        ("'it''s'", "'it''s'"),
        ("x IS NOT DISTINCT FROM y", "(X IS NOT DISTINCT FROM Y)"),
        ("a NOT BETWEEN 1 AND 2", "(A NOT BETWEEN 1 AND 2)"),
        ("a NOT IN (1, 2)", "(A NOT IN (1, 2))"),
        ("a LIKE 'x' ESCAPE '!'", "(A LIKE 'x' ESCAPE '!')"),
        ("CASE WHEN a THEN 1 ELSE 2 END", "(CASE WHEN A THEN 1 ELSE 2 END)"),
        ("CASE a WHEN 1 THEN 'x' END", "(CASE A WHEN 1 THEN 'x' END)"),
        ("CAST(a AS MAP<STRING, ARRAY<INT>>)", "CAST(A AS MAP<STRING, ARRAY<INTEGER>>)"),
        ("MAP('k' := 1)", "MAP('k':=1)"),
        ("STRUCT(a := 1, `b` := 2)", "STRUCT(A:=1, `b`:=2)"),
        ("transform(xs, (x, y) => x + y)", "TRANSFORM(XS, (X, Y) => (X + Y))"),
        ("transform(xs, x => x)", "TRANSFORM(XS, X => X)"),
        ("timestampadd(milliseconds, 1, ts)", "TIMESTAMPADD(MILLISECONDS, 1, TS)"),
        ("`select` + `a b` + \"Q\" + key", "(`select` + `a b` + `Q` + KEY)"),
        ("`SELECT`", "`SELECT`"),
        ("`array`[1] + `MAP`", "(`array`[1] + `MAP`)"),
    ])
    func expressions(_ input: String, _ output: String) throws {
        #expect(SQLFormatter.format(try expr(input)) == output)
        // The output reads back as the same tree.
        #expect(try expr(output) == expr(input))
    }

    @Test func longOperatorChainsStayFlatSoTheyReadBack() throws {
        let chain = (1...600).map { "id = \($0)" }.joined(separator: " OR ")
        let parsed = try expr(chain)
        let text = SQLFormatter.format(parsed)
        #expect(text.hasPrefix("((ID = 1) OR (ID = 2) OR "))
        #expect(try expr(text) == parsed)
        let sum = try expr((1...900).map { "a\($0)" }.joined(separator: " + "))
        #expect(try expr(SQLFormatter.format(sum)) == sum)
    }

    @Test func namesThatWouldNotReadBackAreQuoted() {
        #expect(SQLFormatter.format(Expr(.column(qualifier: nil, name: Identifier("FROM")))) == "`FROM`")
        #expect(SQLFormatter.format(Expr(.column(qualifier: nil, name: Identifier("lower")))) == "`lower`")
        #expect(SQLFormatter.format(Expr(.column(qualifier: nil, name: Identifier("A`B")))) == "`A``B`")
        #expect(SQLFormatter.format(Expr(.column(qualifier: nil, name: Identifier("1R")))) == "`1R`")
        #expect(SQLFormatter.format(Expr(.column(qualifier: nil, name: Identifier("")))) == "``")
        #expect(SQLFormatter.format(Expr(.column(qualifier: nil, name: Identifier("KEY")))) == "KEY")
        #expect(SQLFormatter.format(.named(Identifier("INT"))) == "`INT`")
    }

    @Test func smallStatements() throws {
        let cases: [(String, String)] = [
            ("show all topics extended", "SHOW ALL TOPICS EXTENDED;"),
            ("list queries", "SHOW QUERIES;"),
            ("describe s extended", "DESCRIBE S EXTENDED;"),
            ("describe `tables`", "DESCRIBE `tables`;"),
            ("describe streams", "DESCRIBE STREAMS;"),
            ("describe function f", "DESCRIBE FUNCTION F;"),
            ("explain csas_x_1", "EXPLAIN CSAS_X_1;"),
            ("explain select * from s", "EXPLAIN SELECT *\nFROM S;"),
            ("print my_topic from beginning interval 2 limit 3", "PRINT 'my_topic' FROM BEGINNING INTERVAL 2 LIMIT 3;"),
            ("terminate all", "TERMINATE ALL;"),
            ("pause `q`", "PAUSE `q`;"),
            ("set 'a'='b'", "SET 'a' = 'b';"),
            ("unset 'a'", "UNSET 'a';"),
            ("define x = 'it''s'", "DEFINE x = 'it''s';"),
            ("undefine x", "UNDEFINE x;"),
            ("run script 'x.sql'", "RUN SCRIPT 'x.sql';"),
            ("create type t as struct<a int>", "CREATE TYPE T AS STRUCT<A INTEGER>;"),
            ("drop type if exists t", "DROP TYPE IF EXISTS T;"),
            ("drop stream s delete topic", "DROP STREAM S DELETE TOPIC;"),
            (
                "alter table t add column a int, add b string",
                "ALTER TABLE T ADD COLUMN A INTEGER, ADD COLUMN B STRING;"
            ),
            ("alter system 'a' = 'b'", "ALTER SYSTEM 'a' = 'b';"),
            ("insert into t (a) values (1)", "INSERT INTO T (A) VALUES (1);"),
            (
                "insert into t with (query_id='q') select * from s",
                "INSERT INTO T WITH (QUERY_ID='q')\nSELECT *\nFROM S;"
            ),
            (
                "assert not exists topic t with (partitions=1) timeout 1 second",
                "ASSERT NOT EXISTS TOPIC 't' WITH (PARTITIONS=1) TIMEOUT 1 SECONDS;"
            ),
            ("assert schema subject 's' id 3", "ASSERT SCHEMA SUBJECT 's' ID 3;"),
            ("assert null values t (k) key (1)", "ASSERT NULL VALUES T (K) KEY (1);"),
            (
                "create sink connector c with ('connector.class'='x')",
                "CREATE SINK CONNECTOR C WITH ('connector.class'='x');"
            ),
            (
                "select * from s window session (1 minute, retention 2 days, grace period 0 seconds) partition by a limit 2",
                "SELECT *\nFROM S\nWINDOW SESSION (1 MINUTES, RETENTION 2 DAYS, GRACE PERIOD 0 SECONDS)\nPARTITION BY A\nLIMIT 2;"
            ),
            (
                "select * from a left join b within (1 second, 2 seconds) grace period 3 seconds on a.x = b.x",
                "SELECT *\nFROM A\nLEFT JOIN B WITHIN (1 SECONDS, 2 SECONDS) GRACE PERIOD 3 SECONDS ON (A.X = B.X);"
            ),
            ("select s->*, (a)->* from s emit", "SELECT S->*, A->*\nFROM S EMIT;"),
        ]
        for (input, output) in cases {
            let text = try formatted(input)
            #expect(text == output)
            #expect(try formatted(text) == text, "not idempotent: \(text)")
        }
    }

    @Test func formattingIsIdempotentForTrickyAliases() throws {
        // Aliases spelled like the non-reserved clause words EMIT and PARTITION.
        for input in [
            "SELECT * FROM s emit EMIT CHANGES;", "SELECT * FROM s partition PARTITION BY a;", "SELECT a emit FROM s;",
        ] {
            let statement = try parse(input)
            let text = SQLFormatter.format(statement)
            #expect(try parse(text) == statement, "\(text)")
        }
    }
}
