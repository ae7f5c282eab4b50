import SluiceTypes

/// Table functions: each input row yields zero or more output values.
enum TableFunctions {
    /// EXPLODE: one row per element; a NULL array yields no rows.
    static func explode(_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> [Value] {
        guard case .array(let items) = args[0] else { return [] }
        return items
    }

    /// CUBE_EXPLODE: every combination of keeping or nulling each element, 2^n rows, counting
    /// in binary with the first element most significant (nulled first). A NULL element gives the
    /// same row either way; duplicates are emitted once.
    static func cubeExplode(_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> [Value] {
        guard case .array(let items) = args[0] else { return [] }
        guard items.count <= 20 else {
            throw FunctionError("CUBE_EXPLODE supports at most 20 columns, got \(items.count)")
        }
        let n = items.count
        var rows: [Value] = []
        rows.reserveCapacity(1 << n)
        // Elements that are NULL contribute no choice: skip masks that keep one of them.
        var nullMask = 0
        for (i, item) in items.enumerated() where item.isNull { nullMask |= 1 << (n - 1 - i) }
        for mask in 0..<(1 << n) where mask & nullMask == 0 {
            var row: [Value] = []
            row.reserveCapacity(n)
            for i in 0..<n {
                row.append(mask & (1 << (n - 1 - i)) != 0 ? items[i] : .null)
            }
            rows.append(.array(row))
        }
        return rows
    }
}

extension RegistryBuilder {
    mutating func registerTableFunctions() {
        table("EXPLODE", "TABLE", "Outputs one row for each element of an array.", [
            TableOverload([p("list", .array(.t))], returns: .t) { args, lambdas throws(FunctionError) in
                try TableFunctions.explode(args, lambdas)
            }
        ])
        table("CUBE_EXPLODE", "TABLE", "Outputs every combination of the array's elements and NULLs.", [
            TableOverload([p("list", .array(.t))], returns: .array(.t)) { args, lambdas throws(FunctionError) in
                try TableFunctions.cubeExplode(args, lambdas)
            }
        ])
    }
}
