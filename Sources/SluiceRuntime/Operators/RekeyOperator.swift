import SluicePlanner
import SluiceTypes

/// PARTITION BY and GROUP BY: gives each row a new key.
///
/// Streams: one row out per row in; for GROUP BY a row whose new key has a NULL is dropped and
/// logged (ksqlDB cannot group on NULL). Tables: a change whose group key stays the same is one
/// update carrying old and new rows; otherwise it is split into a retraction of the old row under
/// its old group key, then the new row under its new group key, as Kafka Streams' table grouping
/// does. Aggregations downstream take back and fold in accordingly.
final class RekeyOperator: Operator {
    let keys: [CompiledExpr]
    let values: [CompiledExpr]
    let dropNullKeys: Bool
    let next: Operator
    /// Whether rows are a table's changes (deletes and retractions flow) or a stream's events.
    let isTable: Bool

    let inputValueCount: Int
    /// The evaluation row, reused from row to row.
    private var scratch: [Value] = []
    /// The value columns are the input's, unchanged (see ``isValueIdentity``).
    let passesValue: Bool
    /// When every new key is a plain input column: their indices (key columns, then value
    /// columns), read directly so that no evaluation row is built.
    let keySources: [Int]?
    /// When every value is a plain input column or a NULL literal (how ``ColumnPruning`` drops the
    /// columns an aggregation never reads): per value, its input column, or nil for NULL.
    let valueSources: [Int?]?
    /// The values are the input's value columns in their places, some of them NULL: a stream
    /// record's value array is reused rather than copied into a new one.
    let valuesInPlace: Bool
    /// With ``valuesInPlace``: the value columns that become NULL.
    let nulledValues: [Int]
    let inputKeyCount: Int

    /// Per key expression, whether it reads only the input's key columns. ksqlDB evaluates the
    /// others from the value, so for a stream record without a value they are NULL (even
    /// ROWTIME); key-only expressions are evaluated from the key.
    let keyOnly: [Bool]

    init(_ node: RekeyNode, inputKeyCount: Int, inputValueCount: Int, dropNullKeys: Bool, isTable: Bool, next: Operator) {
        self.inputValueCount = inputValueCount
        keyOnly = node.keys.map { e in
            var columns = Set<Int>()
            e.collectColumns(into: &columns)
            return columns.allSatisfy { $0 < inputKeyCount }
        }
        self.isTable = isTable
        keys = node.keys.map(ExpressionCompiler.compile)
        values = node.values.map(ExpressionCompiler.compile)
        passesValue = isValueIdentity(node.values, inputKeyCount: inputKeyCount, inputValueCount: inputValueCount)
        self.inputKeyCount = inputKeyCount
        var sources: [Int]? = []
        for e in node.keys {
            if case .column(let i, _) = e, i < inputKeyCount + inputValueCount { sources?.append(i) } else { sources = nil }
        }
        keySources = sources
        var valueSources: [Int?]? = []
        for e in node.values {
            switch e {
            case .column(let i, _) where i < inputKeyCount + inputValueCount: valueSources?.append(i)
            case .literal(.null, _): valueSources?.append(nil)
            default: valueSources = nil
            }
        }
        self.valueSources = valueSources
        var inPlace = valueSources?.count == inputValueCount
        var nulled: [Int] = []
        for (i, source) in (valueSources ?? []).enumerated() {
            if let source { inPlace = inPlace && source == inputKeyCount + i } else { nulled.append(i) }
        }
        valuesInPlace = inPlace
        nulledValues = nulled
        writesRows = next is RepartitionSinkOperator
        self.dropNullKeys = dropNullKeys
        self.next = next
    }

    private func rekey(_ row: RuntimeRow, _ input: [Value], _ context: TaskContext) -> (key: [Value], value: [Value])? {
        if let keySources, passesValue || valueSources != nil {
            let k = keySources.map { $0 < inputKeyCount ? row.key[$0] : input[$0 - inputKeyCount] }
            if dropNullKeys && k.contains(where: \.isNull) {
                context.report("GROUP BY key is NULL: record dropped")
                return nil
            }
            if passesValue { return (k, input) }
            let v = valueSources!.map { source in
                source.map { $0 < inputKeyCount ? row.key[$0] : input[$0 - inputKeyCount] } ?? .null
            }
            return (k, v)
        }
        row.fillEvaluationRow(input, into: &scratch)
        let k = keys.map { $0(scratch, context.eval) }
        let v = passesValue ? input : values.map { $0(scratch, context.eval) }
        context.flushEvaluationErrors()
        if dropNullKeys && k.contains(where: \.isNull) {
            context.report("GROUP BY key is NULL: record dropped")
            return nil
        }
        return (k, v)
    }

    /// Whether the rows go to a repartition topic (see `process`).
    private let writesRows: Bool
    /// The previous record's new key, kept to be written over: when the aggregate only looked
    /// its group up (it keeps the key of a new group only), nothing else holds it by the next
    /// record, and the key costs no allocation. Copy-on-write covers the other case.
    private var spareKey: [Value] = []

    private func newKey(_ sources: [Int], _ key: [Value], _ input: [Value]) -> [Value] {
        var k = spareKey
        spareKey = []
        if k.count != sources.count { k = .nulls(sources.count) }
        let keyCount = inputKeyCount
        k.withUnsafeMutableBufferPointer { slots in
            for (slot, i) in sources.enumerated() { slots[slot] = i < keyCount ? key[i] : input[i - keyCount] }
        }
        spareKey = k
        return k
    }

    override func process(_ row: inout RuntimeRow, _ context: TaskContext) {
        row.keyIsNull = false
        if !isTable {
            if valuesInPlace, let keySources, var input = row.value {
                // The row lets go of its value so that nulling columns writes into the same array.
                row.value = nil
                let k = newKey(keySources, row.key, input)
                if dropNullKeys && k.contains(where: \.isNull) {
                    context.report("GROUP BY key is NULL: record dropped")
                    return
                }
                // Pruned columns matter only where the row is written out (a repartition topic):
                // an aggregate in the same task never reads them, and leaving them untouched
                // keeps the source decoder's array shared rather than copied.
                if writesRows { for i in nulledValues where !input[i].isNull { input[i] = .null } }
                row.key = k
                row.value = input
                next.process(&row, context)
                return
            }
            // A stream record without a value keeps no value, under its new key.
            let input = row.value ?? .nulls(inputValueCount)
            guard let (rekeyed, v) = rekey(row, input, context) else { return }
            var k = rekeyed
            if row.value == nil {
                for i in k.indices where !keyOnly[i] { k[i] = .null }
            }
            row.key = k
            if row.value != nil { row.value = v }
            next.process(&row, context)
            return
        }
        let retraction = row.oldValue.flatMap { rekey(row, $0, context) }
        let addition = row.value.flatMap { rekey(row, $0, context) }
        if let r = retraction, let a = addition, r.key == a.key {
            // The group does not change: one update that takes back the old row and adds the new.
            var update = row
            update.key = a.key
            update.value = a.value
            update.oldValue = r.value
            next.process(&update, context)
            return
        }
        if let (k, v) = retraction {
            var out = row
            out.key = k
            out.value = nil
            out.oldValue = v
            next.process(&out, context)
        }
        if let (k, v) = addition {
            var out = row
            out.key = k
            out.value = v
            out.oldValue = nil
            next.process(&out, context)
        }
    }

    override func advance(_ context: TaskContext) { next.advance(context) }
}
