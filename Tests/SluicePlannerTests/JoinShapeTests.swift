import SluiceFunctions
import SluicePlanner
import SluiceSQL
import SluiceTypes
import Testing

/// Join planning rules: the condition's shape, windowed sources, each side's own pseudo columns,
/// and PARTITION BY over a join.
@Suite("Join shape")
struct JoinShapeTests {
    var fixture = PlannerFixture()

    init() {
        func stream(_ name: String, _ topic: String, key: FormatKind = .kafka, windowing: Windowing? = nil) -> SourceDescription {
            SourceDescription(
                name: name, kind: .stream, topic: topic,
                schema: LogicalSchema(columns: [
                    Column(name: "ID", type: .integer, namespace: .key),
                    Column(name: "V", type: .bigint),
                ]), keyFormat: key, valueFormat: .json, windowing: windowing)
        }
        fixture.catalog.register(stream("S1", "s1", windowing: .session))
        fixture.catalog.register(stream("S2", "s2", windowing: .session))
        fixture.catalog.register(stream("H5", "h5", windowing: .time(sizeMs: 5000)))
        fixture.catalog.register(stream("T2", "t2", windowing: .time(sizeMs: 2000)))
        fixture.catalog.register(stream("SR5", "sr5", key: .jsonSR, windowing: .time(sizeMs: 5000)))
        fixture.catalog.register(stream("SR2", "sr2", key: .jsonSR, windowing: .time(sizeMs: 2000)))
        fixture.catalog.register(stream("PLAIN", "plain"))
        fixture.catalog.register(stream("OTHER", "other"))
        for name in ["RK1", "RK2"] {
            fixture.catalog.register(
                SourceDescription(
                    name: name, kind: .stream, topic: name.lowercased(),
                    schema: LogicalSchema(columns: [
                        Column(name: "ROWKEY", type: .integer, namespace: .key), Column(name: "V", type: .string),
                    ]), keyFormat: .kafka, valueFormat: .json))
        }
    }

    @Test func aSyntheticJoinKeyAvoidsTheSourcesRowkeyColumns() throws {
        let plan = try fixture.plan(
            "SELECT ROWKEY_1, a.v AS AV FROM rk1 a FULL OUTER JOIN rk2 b WITHIN 1 SECOND ON a.rowkey = b.rowkey")
        #expect(plan.layout.keyColumns.map(\.name) == ["ROWKEY_1"])
        let plain = try fixture.plan("SELECT * FROM plain p FULL OUTER JOIN other o WITHIN 1 SECOND ON p.id = o.id")
        #expect(plain.layout.keyColumns.map(\.name) == ["ROWKEY"])
    }

    @Test func twoEqualitiesJoinedByAndAreRejectedAsAMultiConditionJoin() throws {
        let d = try #require(fixture.rejection("SELECT * FROM plain p JOIN other o WITHIN 1 SECOND ON p.id = o.id AND p.v = o.v"))
        #expect(d.message.hasPrefix("Invalid join condition: joins on multiple conditions are not yet supported."))
        let lessThan = try #require(fixture.rejection("SELECT * FROM plain p JOIN other o WITHIN 1 SECOND ON p.id < o.id"))
        #expect(lessThan.message == "Only equality join criteria is supported.")
    }

    @Test func aWindowedSourceJoinsOnlyAWindowedSourceOfTheSameKind() throws {
        let d = try #require(fixture.rejection("SELECT * FROM s1 JOIN plain WITHIN 1 MINUTE ON s1.id = plain.id"))
        #expect(d.message.hasPrefix("Can not join windowed source to non-windowed source."))
        let mixed = try #require(fixture.rejection("SELECT * FROM s1 JOIN h5 WITHIN 1 MINUTE ON s1.id = h5.id"))
        #expect(mixed.message.hasPrefix("Incompatible windowed sources."))
    }

    @Test func windowedSourcesAreNeverRepartitioned() throws {
        // Joining on a value column would need a repartition.
        let byValue = try #require(fixture.rejection("SELECT * FROM s1 JOIN s2 WITHIN 1 MINUTE ON s1.v = s2.v"))
        #expect(byValue.message.hasPrefix("Implicit repartitioning of windowed sources is not supported."))
        // So would differently sized windows, unless the key format is re-serialized anyway (schema registry).
        #expect(fixture.rejection("SELECT * FROM h5 JOIN t2 WITHIN 1 MINUTE ON h5.id = t2.id") != nil)
        #expect(fixture.rejection("SELECT * FROM sr5 JOIN sr2 WITHIN 1 MINUTE ON sr5.id = sr2.id") == nil)
    }

    @Test func aWindowedJoinIsWindowedLikeItsLeftSideAndShowsEachSidesWindowBounds() throws {
        let plan = try fixture.plan("SELECT * FROM sr5 JOIN sr2 WITHIN 1 MINUTE ON sr5.id = sr2.id")
        #expect(plan.layout.windowing == .time(sizeMs: 5000))
        #expect(plan.layout.keyColumns.map(\.name) == ["SR5_ID"])
        #expect(
            plan.layout.valueColumns.map(\.name) == [
                "SR5_WINDOWSTART", "SR5_WINDOWEND", "SR5_V", "SR2_ID", "SR2_WINDOWSTART", "SR2_WINDOWEND", "SR2_V",
            ])
        let d = try #require(
            fixture.rejection("SELECT s1.id, s1.WINDOWSTART AS WINDOWSTART, s1.v FROM s1 JOIN s2 WITHIN 1 MINUTE ON s1.id = s2.id"))
        #expect(d.message.contains("WINDOWSTART"))
    }

    @Test func aQualifiedPseudoColumnIsThatSidesOwnAndStarLeavesThemOut() throws {
        let plan = try fixture.plan(
            "SELECT *, p.ROWTIME, o.ROWOFFSET AS OFF FROM plain p JOIN other o WITHIN 1 SECOND ON p.id = o.id")
        #expect(plan.layout.valueColumns.map(\.name) == ["P_V", "O_ID", "O_V", "P_ROWTIME", "OFF"])
        // Unqualified, ROWTIME is still the joined record's time.
        _ = try fixture.plan("SELECT p.id, ROWTIME AS T FROM plain p JOIN other o WITHIN 1 SECOND ON p.id = o.id")
    }

    @Test func aJoinOnPseudoColumnsIsKeyedByThem() throws {
        let plan = try fixture.plan(
            "SELECT p.v, p.ROWPARTITION AS RP, o.ROWPARTITION AS ORP FROM plain p JOIN other o WITHIN 1 SECOND ON p.ROWPARTITION = o.ROWPARTITION")
        #expect(plan.layout.keyColumns.map(\.name) == ["RP"])
        #expect(plan.layout.keyColumns.map(\.type) == [.integer])
        #expect(plan.layout.valueColumns.map(\.name) == ["P_V", "ORP"])
    }

    @Test func partitionByOverAJoinShowsKsqlDBsJoinSchemaAndKeepsQualifiedNames() throws {
        let star = try fixture.plan("SELECT * FROM plain p JOIN other o WITHIN 1 SECOND ON p.id = o.id PARTITION BY p.v")
        #expect(star.layout.keyColumns.map(\.name) == ["P_V"])
        #expect(
            star.layout.valueColumns.map(\.name) == [
                "P_ROWTIME", "P_ROWPARTITION", "P_ROWOFFSET", "P_ID", "O_V", "O_ROWTIME", "O_ROWPARTITION", "O_ROWOFFSET",
                "O_ID",
            ])
        let named = try fixture.plan("SELECT p.v AS K, o.id FROM plain p JOIN other o WITHIN 1 SECOND ON p.id = o.id PARTITION BY p.v")
        #expect(named.layout.keyColumns.map(\.name) == ["K"])
        #expect(named.layout.valueColumns.map(\.name) == ["O_ID"])
    }
}
