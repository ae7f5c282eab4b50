import SluiceSQL
import Testing

@Suite struct QueryParserTests {
    @Test func everyClauseInOrder() throws {
        let query = try parseQuery(
            """
            SELECT id, COUNT(*) AS n FROM orders o
            WINDOW TUMBLING (SIZE 30 SECONDS, RETENTION 2 DAYS, GRACE PERIOD 10 MINUTES)
            WHERE amount > 10 GROUP BY id HAVING COUNT(*) > 1 EMIT FINAL LIMIT 5;
            """)
        #expect(query.selectItems.count == 2)
        #expect(query.from == .source(name: Identifier("ORDERS"), alias: Identifier("O")))
        #expect(
            query.window
                == WindowSpec(
                    kind: .tumbling(size: Duration(30, .seconds)), retention: Duration(2, .days),
                    grace: Duration(10, .minutes)))
        #expect(query.whereClause == cmp(.greater, col("AMOUNT"), int("10")))
        #expect(query.groupBy == [col("ID")])
        #expect(query.having != nil)
        #expect(query.emit == .final)
        #expect(query.limit == 5)
    }

    @Test func selectItems() throws {
        let query = try parseQuery("SELECT *, s.*, a b, c AS d, s->*, f(x)->* FROM s;")
        #expect(
            query.selectItems == [
                .all, .allFrom(Identifier("S")), .expression(col("A"), alias: Identifier("B")),
                .expression(col("C"), alias: Identifier("D")), .allFieldsOf(col("S")),
                .allFieldsOf(call("F", col("X"))),
            ])
    }

    @Test func windows() throws {
        #expect(
            try parseQuery("SELECT * FROM s WINDOW HOPPING (SIZE 1 HOUR, ADVANCE BY 10 MINUTE);").window
                == WindowSpec(kind: .hopping(size: Duration(1, .hours), advance: Duration(10, .minutes))))
        #expect(
            try parseQuery("SELECT * FROM s WINDOW SESSION (5 MILLISECONDS, GRACE PERIOD 0 SECONDS);").window
                == WindowSpec(kind: .session(gap: Duration(5, .milliseconds)), grace: Duration(0, .seconds)))
    }

    @Test func joinsNestLeftDeepWithTheirWindows() throws {
        let query = try parseQuery(
            """
            SELECT * FROM a
            JOIN b WITHIN 10 SECONDS ON a.id = b.id
            LEFT OUTER JOIN c AS cc WITHIN (1 MINUTE, 2 MINUTES) GRACE PERIOD 5 SECONDS ON a.id = cc.id
            FULL JOIN d ON a.id = d.id
            EMIT CHANGES;
            """)
        guard case .join(let outer) = query.from, case .join(let middle) = outer.left,
            case .join(let inner) = middle.left
        else {
            Issue.record("expected three joins: \(query.from)")
            return
        }
        #expect(outer.type == .full && outer.within == nil)
        #expect(middle.type == .left)
        #expect(middle.right == .source(name: Identifier("C"), alias: Identifier("CC")))
        #expect(
            middle.within
                == JoinWindow(before: Duration(1, .minutes), after: Duration(2, .minutes), grace: Duration(5, .seconds))
        )
        #expect(inner.type == .inner)
        #expect(inner.within == JoinWindow(before: Duration(10, .seconds), after: Duration(10, .seconds)))
        #expect(inner.condition == cmp(.equal, col("ID", "A"), col("ID", "B")))
        #expect(query.emit == .changes)
    }

    @Test func groupAndPartitionListsMayBeParenthesized() throws {
        #expect(try parseQuery("SELECT * FROM s GROUP BY (a, b);").groupBy == [col("A"), col("B")])
        #expect(
            try parseQuery("SELECT * FROM s GROUP BY (a + 1), b;").groupBy == [bin(.add, col("A"), int("1")), col("B")])
        #expect(try parseQuery("SELECT * FROM s PARTITION BY a, b->c;").partitionBy.count == 2)
        #expect(try parseQuery("SELECT * FROM s PARTITION BY ();").partitionBy == [])
    }

    @Test func nonReservedClauseWordsAreNotTakenAsAliases() throws {
        let emit = try parseQuery("SELECT * FROM s EMIT CHANGES;")
        #expect(emit.from == .source(name: Identifier("S"), alias: nil))
        #expect(emit.emit == .changes)
        let partition = try parseQuery("SELECT * FROM s PARTITION BY a;")
        #expect(partition.from == .source(name: Identifier("S"), alias: nil))
        let aliasNamedEmit = try parseQuery("SELECT * FROM s emit EMIT CHANGES;")
        #expect(aliasNamedEmit.from == .source(name: Identifier("S"), alias: Identifier("EMIT")))
    }

    @Test func pullQueryHasNoEmit() throws {
        let query = try parseQuery("SELECT * FROM t WHERE k = 'a';")
        #expect(query.emit == nil)
    }
}
