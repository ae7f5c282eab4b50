import SluicePlanner
import SluiceSQL
import SluiceTypes

/// A foreign-key table-table join: each left row names a right row by the foreign key carried as
/// its last value column; the result is keyed by the left key.
///
/// - A left change emits its result (LEFT: always; INNER: when the right row exists, or a delete
///   when a result existed before); a left delete emits a delete carrying the result it removes.
/// - A right change emits the result of every left row that references it, in the order the left
///   keys first appeared.
/// - Output time is the larger of the left and right rows' times.
final class ForeignKeyJoinOperator {
    let type: JoinType
    let leftWidth: Int
    let rightWidth: Int
    let next: Operator
    private var leftRows: [[Value]: (values: [Value], foreignKey: Value, timestamp: Int64)] = [:]
    private var leftOrder: [[Value]: Int] = [:]
    private var referrers: [Value: Set<[Value]>] = [:]
    private var rightRows: [Value: (values: [Value], timestamp: Int64)] = [:]
    private var joined: Set<[Value]> = []

    init(_ node: JoinNode, next: Operator) {
        type = node.type
        leftWidth = node.left.layout.valueCount - 1
        rightWidth = node.right.layout.valueCount
        self.next = next
    }

    func input(_ side: JoinOperator.Side) -> SideInput { SideInput(join: self, side: side) }

    /// The result a left row had: what a delete of it takes back downstream (a later table-table
    /// join keeps its own copy, but a rekey in between needs the old row to forward the delete).
    private func previousResult(_ key: [Value], _ left: (values: [Value], foreignKey: Value, timestamp: Int64)) -> [Value]? {
        let right = left.foreignKey.isNull ? nil : rightRows[left.foreignKey]
        guard right != nil || type == .left, type == .left || joined.contains(key) else { return nil }
        return left.values + (right?.values ?? .nulls(rightWidth))
    }

    private func emit(
        _ template: RuntimeRow, key: [Value], deleted: (values: [Value], foreignKey: Value, timestamp: Int64)? = nil,
        _ context: TaskContext
    ) {
        var out = template
        out.key = key
        out.oldValue = nil
        out.window = nil
        guard let left = leftRows[key] else {
            out.value = nil
            out.oldValue = deleted.flatMap { previousResult(key, $0) }
            joined.remove(key)
            next.process(&out, context)
            return
        }
        let right = left.foreignKey.isNull ? nil : rightRows[left.foreignKey]
        if right == nil && type == .inner {
            guard joined.remove(key) != nil else { return }
            out.value = nil
            out.timestamp = max(template.timestamp, left.timestamp)
            next.process(&out, context)
            return
        }
        if right != nil { joined.insert(key) }
        out.value = left.values + (right?.values ?? .nulls(rightWidth))
        out.timestamp = max(left.timestamp, right?.timestamp ?? .min, template.timestamp)
        next.process(&out, context)
    }

    func process(_ row: RuntimeRow, from side: JoinOperator.Side, _ context: TaskContext) {
        if side == .left {
            let key = row.key
            if let old = leftRows[key] { referrers[old.foreignKey]?.remove(key) }
            if let value = row.value {
                let fk = value.last ?? .null
                leftRows[key] = (Array(value.dropLast()), fk, row.timestamp)
                if leftOrder[key] == nil { leftOrder[key] = leftOrder.count }
                if !fk.isNull { referrers[fk, default: []].insert(key) }
            } else {
                guard let old = leftRows.removeValue(forKey: key) else { return }
                emit(row, key: key, deleted: old, context)
                return
            }
            emit(row, key: key, context)
            return
        }
        guard let fk = row.key.first else { return }
        if let value = row.value { rightRows[fk] = (value, row.timestamp) } else { rightRows.removeValue(forKey: fk) }
        let keys = (referrers[fk] ?? []).sorted { (leftOrder[$0] ?? 0) < (leftOrder[$1] ?? 0) }
        for key in keys { emit(row, key: key, context) }
    }
}

extension ForeignKeyJoinOperator: TwoSidedOperator {}

/// Snapshots: left rows with their foreign keys and first-seen order, right rows, and which left
/// keys currently have a result.
extension ForeignKeyJoinOperator: StatefulComponent {
    func writeState(into out: inout [Value]) -> Bool {
        out.append(
            .array(
                leftRows.map { key, row in
                    .array([.array(key), .array(row.values), row.foreignKey, .bigint(row.timestamp)])
                }))
        out.append(.array(rightRows.map { key, row in .array([key, .array(row.values), .bigint(row.timestamp)]) }))
        out.append(.array(joined.map(Value.array)))
        out.append(.array(leftOrder.map { key, order in .array([.array(key), .bigint(Int64(order))]) }))
        return true
    }

    func readState(_ reader: inout StateReader) -> Bool {
        guard let lefts = reader.array(), let rights = reader.array(), let joinedList = reader.array(),
            let orders = reader.array()
        else { return false }
        var rows: [[Value]: (values: [Value], foreignKey: Value, timestamp: Int64)] = [:]
        var order: [[Value]: Int] = [:]
        var refs: [Value: Set<[Value]>] = [:]
        for e in lefts {
            guard case .array(let f) = e, f.count == 4, case .array(let k) = f[0], case .array(let vs) = f[1],
                case .bigint(let ts) = f[3]
            else { return false }
            rows[k] = (vs, f[2], ts)
            if !f[2].isNull { refs[f[2], default: []].insert(k) }
        }
        for e in orders {
            guard case .array(let f) = e, f.count == 2, case .array(let k) = f[0], case .bigint(let o) = f[1] else { return false }
            order[k] = Int(o)
        }
        var right: [Value: (values: [Value], timestamp: Int64)] = [:]
        for e in rights {
            guard case .array(let f) = e, f.count == 3, case .array(let vs) = f[1], case .bigint(let ts) = f[2] else { return false }
            right[f[0]] = (vs, ts)
        }
        var joinedKeys: Set<[Value]> = []
        for e in joinedList {
            guard case .array(let k) = e else { return false }
            joinedKeys.insert(k)
        }
        (leftRows, leftOrder, referrers, rightRows, joined) = (rows, order, refs, right, joinedKeys)
        return true
    }
}
