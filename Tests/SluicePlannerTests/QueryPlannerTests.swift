import SluiceFunctions
import SluicePlanner
import SluiceSQL
import SluiceTypes
import Testing

/// A catalog with one stream and one table, and a way to plan SQL against it.
struct PlannerFixture {
    var catalog = Catalog()

    init() {
        catalog.register(
            SourceDescription(
                name: "READINGS", kind: .stream, topic: "readings",
                schema: LogicalSchema(columns: [
                    Column(name: "SENSOR", type: .string, namespace: .key),
                    Column(name: "VALUE", type: .integer),
                    Column(name: "TAGS", type: .structure([StructField(name: "SITE", type: .string)])),
                ]), keyFormat: .kafka, valueFormat: .json))
        catalog.register(
            SourceDescription(
                name: "SENSORS", kind: .table, topic: "sensors",
                schema: LogicalSchema(columns: [
                    Column(name: "SENSOR", type: .string, namespace: .key),
                    Column(name: "OWNER", type: .string),
                ]), keyFormat: .kafka, valueFormat: .json))
    }

    func plan(_ sql: String, purpose: QueryPlanner.Purpose = .persistent) throws -> QueryPlan {
        guard case .select(let query) = try SQLParser.parseStatement(sql) else {
            throw SQLError(Diagnostic(category: .internalBug, id: "test", message: "not a query"), source: sql)
        }
        do {
            return try QueryPlanner(catalog: catalog, functions: .standard).plan(query, purpose: purpose)
        } catch {
            throw SQLError(error, source: sql)
        }
    }

    func rejection(_ sql: String) -> Diagnostic? {
        do {
            _ = try plan(sql)
            return nil
        } catch let e as SQLError {
            return e.diagnostic
        } catch {
            return nil
        }
    }
}

@Suite("Query planner")
struct QueryPlannerTests {
    let fixture = PlannerFixture()

    @Test func projectionKeepsTheKeyAndNamesGeneratedColumns() throws {
        let plan = try fixture.plan("SELECT sensor, value * 2, ABS(value), tags->site FROM readings")
        #expect(plan.layout.keyColumns.map(\.name) == ["SENSOR"])
        #expect(plan.layout.valueColumns.map(\.name) == ["KSQL_COL_0", "KSQL_COL_1", "SITE"])
        #expect(plan.layout.valueColumns.map(\.type) == [.integer, .integer, .string])
    }

    @Test func aPersistentQueryMustSelectTheKey() throws {
        let d = try #require(fixture.rejection("SELECT value FROM readings"))
        #expect(d.id == "plan.key-missing")
    }

    @Test func groupByMakesATableKeyedByTheGroup() throws {
        let plan = try fixture.plan("SELECT tags->site AS site, COUNT(*) AS n FROM readings GROUP BY tags->site")
        #expect(plan.layout.isTable)
        #expect(plan.layout.keyColumns.map(\.name) == ["SITE"])
        #expect(plan.layout.valueColumns.map(\.name) == ["N"])
        #expect(plan.layout.valueColumns.map(\.type) == [.bigint])
    }

    @Test func nonAggregateColumnsMustBeGrouped() throws {
        let d = try #require(fixture.rejection("SELECT sensor, value, COUNT(*) FROM readings GROUP BY sensor"))
        #expect(d.id == "plan.unknown-column")
        #expect(d.message.contains("GROUP BY"))
    }

    @Test func windowedAggregationIsWindowed() throws {
        let plan = try fixture.plan(
            "SELECT sensor, SUM(value) FROM readings WINDOW TUMBLING (SIZE 4 SECONDS) GROUP BY sensor")
        #expect(plan.layout.windowing == .time(sizeMs: 4000))
    }

    @Test func partitionByMovesTheOldKeyIntoTheValue() throws {
        let plan = try fixture.plan("SELECT * FROM readings PARTITION BY value")
        #expect(plan.layout.keyColumns.map(\.name) == ["VALUE"])
        #expect(plan.layout.valueColumns.map(\.name) == ["TAGS", "SENSOR"])
    }

    @Test func streamTableJoinNamesSharedColumnsBySource() throws {
        let plan = try fixture.plan(
            "SELECT r.sensor, value, owner FROM readings r JOIN sensors s ON r.sensor = s.sensor")
        #expect(!plan.layout.isTable)
        #expect(plan.layout.keyColumns.map(\.name) == ["R_SENSOR"])
        #expect(plan.layout.valueColumns.map(\.name) == ["VALUE", "OWNER"])
    }

    @Test func aTableCannotBeJoinedToAStream() throws {
        let d = try #require(fixture.rejection("SELECT * FROM sensors s JOIN readings r ON r.sensor = s.sensor"))
        #expect(d.id == "plan.table-stream-join")
    }

    @Test func streamStreamJoinsNeedWithin() throws {
        let d = try #require(fixture.rejection("SELECT * FROM readings a JOIN readings b ON a.sensor = b.sensor"))
        #expect(d.id == "plan.missing-within")
    }

    @Test(arguments: [
        ("SELECT sensor, valeu FROM readings", "plan.unknown-column"),
        ("SELECT sensor, value FROM nowhere", "plan.unknown-source"),
        ("SELECT sensor, value + 'x' FROM readings", "plan.type-mismatch"),
        ("SELECT sensor, value FROM readings WHERE value", "plan.type-mismatch"),
        ("SELECT sensor, NOSUCHFN(value) FROM readings", "plan.function-resolution"),
        ("SELECT sensor, value FROM readings EMIT FINAL", "plan.emit-final-without-window"),
        ("SELECT sensor, value AS rowtime FROM readings", "plan.reserved-column"),
        ("SELECT sensor, value FROM readings WHERE value IN ('abc')", "plan.type-mismatch"),
    ])
    func rejectsWithAStableID(sql: String, id: String) throws {
        let d = try #require(fixture.rejection(sql))
        #expect(d.id == id)
    }

    @Test func inListLiteralsConvertToTheTestedType() throws {
        let plan = try fixture.plan("SELECT sensor, value FROM readings WHERE value IN ('4', 5.0, 6)")
        #expect(plan.layout.valueColumns.map(\.name) == ["VALUE"])
    }

    @Test func unknownColumnSuggestsTheNearestName() throws {
        let d = try #require(fixture.rejection("SELECT sensor, valeu FROM readings"))
        #expect(d.help == "did you mean 'VALUE'?")
    }
}
