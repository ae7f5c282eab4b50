/// Where a column's value lives in a record.
public enum ColumnNamespace: Hashable, Sendable {
    case key
    case value
    /// All headers (nil) or the header with one key.
    case header(String?)
}

public struct Column: Hashable, Sendable {
    public var name: String
    public var type: SQLType
    public var namespace: ColumnNamespace

    public init(name: String, type: SQLType, namespace: ColumnNamespace = .value) {
        self.name = name
        self.type = type
        self.namespace = namespace
    }
}

/// The columns of a stream or table, key columns first, then value columns, then header columns
/// (the order `DESCRIBE` and `SELECT *` use, without the pseudo columns ROWTIME/ROWPARTITION/ROWOFFSET
/// and the window bounds, which the planner adds where they apply).
public struct LogicalSchema: Hashable, Sendable {
    public var columns: [Column]

    public init(columns: [Column]) {
        self.columns = columns
    }

    public var keyColumns: [Column] { columns.filter { $0.namespace == .key } }
    public var valueColumns: [Column] { columns.filter { $0.namespace == .value } }
    public var headerColumns: [Column] {
        columns.filter {
            if case .header = $0.namespace { return true }
            return false
        }
    }

    public func column(named name: String) -> Column? { columns.first { $0.name == name } }
    public func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }
}
