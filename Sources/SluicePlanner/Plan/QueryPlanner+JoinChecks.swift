import SluiceSQL
import SluiceTypes

/// The shape rules ksqlDB applies to a join before planning it: one equality as the condition, and
/// windowed sources joined only to compatibly windowed sources, on their keys.
extension QueryPlanner {
    /// The two sides of the join's single equality. ksqlDB rejects anything else, with a dedicated
    /// message for `a = b AND c = d` (multi-column joins).
    static func joinEquality(_ condition: Expr) throws(Diagnostic) -> (Expr, Expr) {
        func isEquality(_ e: Expr) -> Bool {
            if case .comparison(.equal, _, _) = e.kind { return true }
            return false
        }
        switch condition.kind {
        case .comparison(.equal, let a, let b):
            return (a, b)
        case .logical(_, let a, let b) where isEquality(a) && isEquality(b):
            throw PlannerErrors.semantic(
                "join-multiple-conditions",
                "Invalid join condition: joins on multiple conditions are not yet supported. Got \(SQLFormatter.format(condition)).",
                condition.range)
        case .comparison:
            throw PlannerErrors.semantic(
                "join-not-equality", "Only equality join criteria is supported.", condition.range)
        default:
            throw PlannerErrors.semantic(
                "join-expression", "Unsupported join expression: \(SQLFormatter.format(condition))", condition.range)
        }
    }

    /// The source a plan node reads first (its leftmost scan): its key format decides how a join's
    /// sides are co-partitioned.
    static func leftmostSource(_ node: PlanNode) -> SourceDescription? {
        switch node {
        case .scan(let s): s.source
        case .filter(let i, _, _), .project(let i, _), .rekey(let i, _), .aggregate(let i, _), .flatMap(let i, _):
            leftmostSource(i)
        case .join(let j): leftmostSource(j.left)
        }
    }

    static func windowDescription(_ windowing: Windowing?) -> String {
        switch windowing {
        case nil: "not"
        case .session: "SESSION"
        case .time: "TUMBLING/HOPPING"
        }
    }

    /// Windowed sources join only to windowed sources of a compatible kind (session with session,
    /// time with time), as ksqlDB's analyzer requires.
    static func checkJoinWindowing(
        left: RowLayout, leftName: String, right: RowLayout, rightName: String, range: SourceRange
    ) throws(Diagnostic) {
        switch (left.windowing, right.windowing) {
        case (nil, nil):
            return
        case (nil, _), (_, nil):
            throw PlannerErrors.semantic(
                "windowed-non-windowed-join",
                "Can not join windowed source to non-windowed source.\n`\(leftName)` is \(windowDescription(left.windowing)) windowed\n`\(rightName)` is \(windowDescription(right.windowing)) windowed",
                range)
        case (.session, .time), (.time, .session):
            throw PlannerErrors.semantic(
                "incompatible-windowed-join",
                "Incompatible windowed sources.\nLeft source: \(windowDescription(left.windowing))\nRight source: \(windowDescription(right.windowing))\nSession windowed sources can only be joined to other session windowed sources, and may still not result in expected behaviour as session bounds must be an exact match for the join to work\nHopping and tumbling windowed sources can only be joined to other hopping and tumbling windowed sources",
                range)
        default:
            return
        }
    }

    static let windowedRepartitionMessage =
        "Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385."

    /// A windowed join can only match records already partitioned alike: each side joined on its
    /// whole key, and (unless the key format is schema-registry based, which ksqlDB always
    /// re-serializes) with the same windowing, since a differently windowed key would need
    /// repartitioning.
    static func checkWindowedJoinKeys(
        leftNode: PlanNode, leftIsWholeKey: Bool, rightNode: PlanNode, rightIsWholeKey: Bool, range: SourceRange
    ) throws(Diagnostic) {
        guard leftIsWholeKey && rightIsWholeKey else {
            throw PlannerErrors.semantic("windowed-repartition", windowedRepartitionMessage, range)
        }
        let schemaRegistryFormats: Set<FormatKind> = [.avro, .jsonSR, .protobuf]
        let leftFormat = leftmostSource(leftNode)?.keyFormat
        let rightFormat = leftmostSource(rightNode)?.keyFormat
        let usesSchemaRegistry = leftFormat.map(schemaRegistryFormats.contains) ?? false
        let sameKeys = leftNode.layout.windowing == rightNode.layout.windowing && leftFormat == rightFormat
        if !sameKeys && !usesSchemaRegistry {
            throw PlannerErrors.semantic("windowed-repartition", windowedRepartitionMessage, range)
        }
    }
}
