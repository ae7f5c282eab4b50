import SluiceTypes

/// The columns a plan node produces, and where each sits in the row expressions are evaluated over.
///
/// The evaluation row is the key columns, then the value columns, then the pseudo columns
/// `ROWTIME`, `ROWPARTITION`, `ROWOFFSET`, `WINDOWSTART`, `WINDOWEND` (the last two are NULL for
/// unwindowed rows). Header columns are value columns filled from the record's headers.
public struct RowLayout: Sendable, Hashable {
    public var keyColumns: [Column]
    public var valueColumns: [Column]
    public var windowing: Windowing?
    /// True when rows are a table's changelog (updates by key, tombstones delete).
    public var isTable: Bool

    public init(keyColumns: [Column], valueColumns: [Column], windowing: Windowing? = nil, isTable: Bool) {
        self.keyColumns = keyColumns
        self.valueColumns = valueColumns
        self.windowing = windowing
        self.isTable = isTable
    }

    public var keyCount: Int { keyColumns.count }
    public var valueCount: Int { valueColumns.count }
    public var rowtimeIndex: Int { keyCount + valueCount }
    public var rowPartitionIndex: Int { rowtimeIndex + 1 }
    public var rowOffsetIndex: Int { rowtimeIndex + 2 }
    public var windowStartIndex: Int { rowtimeIndex + 3 }
    public var windowEndIndex: Int { rowtimeIndex + 4 }
    public var evaluationWidth: Int { rowtimeIndex + 5 }

    public static let pseudoColumnNames = ["ROWTIME", "ROWPARTITION", "ROWOFFSET", "WINDOWSTART", "WINDOWEND"]
}
