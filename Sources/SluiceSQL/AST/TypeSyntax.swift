/// A SQL type as written in a statement (`DECIMAL(4, 2)`, `ARRAY<STRUCT<A INT>>`, a custom type name).
///
/// The planner resolves custom type names against the catalog and turns this into a `SQLType`.
public indirect enum TypeSyntax: Hashable, Sendable {
    case boolean
    case integer
    case bigint
    case double
    case decimal(precision: Int, scale: Int)
    case string
    case bytes
    case date
    case time
    case timestamp
    case array(TypeSyntax)
    case map(key: TypeSyntax, value: TypeSyntax)
    case structure([StructFieldSyntax])
    /// A name declared with `CREATE TYPE`.
    case named(Identifier)
}

public struct StructFieldSyntax: Hashable, Sendable {
    public var name: Identifier
    public var type: TypeSyntax

    public init(name: Identifier, type: TypeSyntax) {
        self.name = name
        self.type = type
    }
}
