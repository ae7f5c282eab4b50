import SluiceTypes

/// Array functions. Element equality is Java's `equals` (NULL equals NULL); ordering is the
/// natural order of ksqlDB's Java types (see ``ValueOrder``).
enum ArrayFunctions {
    static func length(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .array(let items) = args[0] else { return .null }
        return .integer(Int32(clamping: items.count))
    }

    static func contains(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .array(let items) = args[0] else { return .boolean(false) }
        return .boolean(ValueOrder.contains(items, args[1]))
    }

    static func distinct(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .array(let items) = args[0] else { return .null }
        return .array(distinctValues(items))
    }

    static func except(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .array(let left) = args[0], case .array(let right) = args[1] else { return .null }
        let excluded = Set(right.map(JavaEqualityKey.init))
        return .array(distinctValues(left).filter { !excluded.contains(JavaEqualityKey($0)) })
    }

    static func intersect(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .array(let left) = args[0], case .array(let right) = args[1] else { return .null }
        let kept = Set(right.map(JavaEqualityKey.init))
        return .array(distinctValues(left).filter { kept.contains(JavaEqualityKey($0)) })
    }

    static func union(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .array(let left) = args[0], case .array(let right) = args[1] else { return .null }
        return .array(distinctValues(left + right))
    }

    /// ARRAY_CONCAT: NULL only when both are; a NULL side counts as empty.
    static func concat(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        switch (args[0], args[1]) {
        case (.array(let a), .array(let b)): .array(a + b)
        case (.array, _): args[0]
        case (_, .array): args[1]
        default: .null
        }
    }

    static func remove(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .array(let items) = args[0] else { return .null }
        let victim = args[1]
        return .array(items.filter { !ValueOrder.equal($0, victim) })
    }

    /// ARRAY_MAX / ARRAY_MIN: NULL elements ignored; NULL for an empty or all-NULL array.
    static func extreme(_ args: [Value], max: Bool) -> Value {
        guard case .array(let items) = args[0] else { return .null }
        var best: Value = .null
        for item in items where !item.isNull {
            if best.isNull {
                best = item
            } else {
                let c = ValueOrder.compare(item, best)
                if max ? c > 0 : c < 0 { best = item }
            }
        }
        return best
    }

    /// ARRAY_SORT: natural order, NULLs last either way; an unknown direction gives NULL.
    static func sort(_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> Value {
        guard case .array(let items) = args[0] else { return .null }
        var descending = false
        if args.count > 1 {
            guard case .string(let direction) = args[1] else {
                throw FunctionError("ARRAY_SORT direction must not be NULL")
            }
            switch direction.uppercased() {
            case "ASC", "ASCENDING": descending = false
            case "DESC", "DESCENDING": descending = true
            default: return .null
            }
        }
        let values = items.filter { !$0.isNull }
        let nulls = items.count - values.count
        // A stable sort, as Java's List.sort.
        var indexed = Array(values.enumerated())
        indexed.sort { a, b in
            let c = ValueOrder.compare(a.element, b.element)
            if c != 0 { return descending ? c > 0 : c < 0 }
            return a.offset < b.offset
        }
        return .array(indexed.map(\.element) + Array(repeating: .null, count: nulls))
    }

    /// ARRAY_JOIN: elements as Java prints them ("null" for NULL), default delimiter ",", a NULL
    /// delimiter joins with nothing.
    static func join(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .array(let items) = args[0] else { return .null }
        var delimiter = ","
        if args.count > 1 {
            if case .string(let d) = args[1] { delimiter = d } else { delimiter = "" }
        }
        return .string(items.map(JavaFormat.string).joined(separator: delimiter))
    }

    /// SLICE(array, from, to): 1-based, inclusive; NULL when out of range.
    static func slice(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .array(let items) = args[0] else { return .null }
        var start = 0
        var end = items.count
        if case .integer(let from) = args[1] { start = Int(from) - 1 }
        if case .integer(let to) = args[2] { end = Int(to) }
        guard start >= 0, end <= items.count, start <= end else { return .null }
        return .array(Array(items[start..<end]))
    }

    static func generateSeries(_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> Value {
        let step: Int64?
        if args.count > 2 {
            guard case .integer(let s) = args[2] else { throw FunctionError("GENERATE_SERIES step must not be NULL") }
            step = Int64(s)
        } else {
            step = nil
        }
        switch (args[0], args[1]) {
        case (.integer(let start), .integer(let end)):
            let values = try series(Int64(start), Int64(end), step, wrapInt: true)
            return .array(values.map { .integer(Int32(truncatingIfNeeded: $0)) })
        case (.bigint(let start), .bigint(let end)):
            return .array(try series(start, end, step, wrapInt: false).map(Value.bigint))
        default:
            throw FunctionError("GENERATE_SERIES bounds must not be NULL")
        }
    }

    private static func series(_ start: Int64, _ end: Int64, _ step: Int64?, wrapInt: Bool) throws(FunctionError)
        -> [Int64]
    {
        let diff = wrapInt ? Int64(Int32(truncatingIfNeeded: end &- start)) : end &- start
        let s = step ?? (diff > 0 ? 1 : -1)
        guard s != 0 else { throw FunctionError("GENERATE_SERIES step cannot be zero") }
        if (diff > 0 && s < 0) || (diff < 0 && s > 0) { throw FunctionError("GENERATE_SERIES step has wrong sign") }
        let size = 1 + diff / s
        guard size <= 10_000_000 else { throw FunctionError("GENERATE_SERIES would produce \(size) elements") }
        var out: [Int64] = []
        out.reserveCapacity(Int(size))
        var v = start
        for _ in 0..<size {
            out.append(v)
            v &+= s
        }
        return out
    }
}

/// A primitive type that ARRAY_MAX, ARRAY_MIN, ARRAY_SORT and ARRAY_JOIN accept as element.
func requirePrimitiveElement(_ call: ResolvedCall, _ name: String) throws(FunctionResolutionError) {
    guard case .array(let element) = call.argumentTypes[0] else { return }
    switch element {
    case .array, .map, .structure:
        throw FunctionResolutionError("\(name) supports only arrays of primitive types, not \(call.argumentTypes[0])")
    default:
        return
    }
}

extension RegistryBuilder {
    mutating func registerArrayFunctions() {
        let category = "ARRAY"
        let arrayT = ParamType.array(.t)
        scalar("ARRAY_LENGTH", category, "Returns the number of elements of an array.", [
            ScalarOverload([p("array", arrayT)], returns: .integer) { a, l in ArrayFunctions.length(a, l) }
        ])
        scalar("ARRAY_CONTAINS", category, "Returns whether an array contains a value.", [
            ScalarOverload([p("array", arrayT), p("val", .t)], returns: .boolean) { a, l in ArrayFunctions.contains(a, l) }
        ])
        scalar("ARRAY_DISTINCT", category, "Returns the distinct elements of an array, in first-seen order.", [
            ScalarOverload([p("array", arrayT)], returns: arrayT) { a, l in ArrayFunctions.distinct(a, l) }
        ])
        scalar("ARRAY_EXCEPT", category, "Returns the distinct elements of an array not in another.", [
            ScalarOverload([p("left", arrayT), p("right", arrayT)], returns: arrayT) { a, l in ArrayFunctions.except(a, l) }
        ])
        scalar("ARRAY_INTERSECT", category, "Returns the distinct elements of an array also in another.", [
            ScalarOverload([p("left", arrayT), p("right", arrayT)], returns: arrayT) { a, l in ArrayFunctions.intersect(a, l) }
        ])
        scalar("ARRAY_UNION", category, "Returns the distinct elements of two arrays.", [
            ScalarOverload([p("left", arrayT), p("right", arrayT)], returns: arrayT) { a, l in ArrayFunctions.union(a, l) }
        ])
        scalar("ARRAY_CONCAT", category, "Concatenates two arrays.", [
            ScalarOverload([p("left", arrayT), p("right", arrayT)], returns: arrayT) { a, l in ArrayFunctions.concat(a, l) }
        ])
        scalar("ARRAY_REMOVE", category, "Removes every element equal to a value.", [
            ScalarOverload([p("array", arrayT), p("victim", .t)], returns: arrayT) { a, l in ArrayFunctions.remove(a, l) }
        ])
        for (name, isMax) in [("ARRAY_MAX", true), ("ARRAY_MIN", false)] {
            scalar(name, category, isMax ? "Returns the largest non-NULL element." : "Returns the smallest non-NULL element.", [
                ScalarOverload([p("array", arrayT)], returns: .type(.t)) { call throws(FunctionResolutionError) in
                    try requirePrimitiveElement(call, name)
                    return { a, _ in ArrayFunctions.extreme(a, max: isMax) }
                }
            ])
        }
        scalar("ARRAY_SORT", category, "Sorts an array ascending (default) or descending, NULLs last.", [
            ScalarOverload([p("array", arrayT)], returns: .type(arrayT)) { call throws(FunctionResolutionError) in
                try requirePrimitiveElement(call, "ARRAY_SORT")
                return { a, l throws(FunctionError) in try ArrayFunctions.sort(a, l) }
            },
            ScalarOverload([p("array", arrayT), p("direction", .string)], returns: .type(arrayT)) {
                call throws(FunctionResolutionError) in
                try requirePrimitiveElement(call, "ARRAY_SORT")
                return { a, l throws(FunctionError) in try ArrayFunctions.sort(a, l) }
            },
        ])
        scalar("ARRAY_JOIN", category, "Joins the elements of an array into a string.", [
            ScalarOverload([p("array", arrayT)], returns: .type(.string)) { call throws(FunctionResolutionError) in
                try requirePrimitiveElement(call, "ARRAY_JOIN")
                return { a, l in ArrayFunctions.join(a, l) }
            },
            ScalarOverload([p("array", arrayT), p("delimiter", .string)], returns: .type(.string)) {
                call throws(FunctionResolutionError) in
                try requirePrimitiveElement(call, "ARRAY_JOIN")
                return { a, l in ArrayFunctions.join(a, l) }
            },
        ])
        scalar("SLICE", category, "Returns the elements of an array between two 1-based positions, inclusive.", [
            ScalarOverload([p("array", arrayT), p("from", .integer), p("to", .integer)], returns: arrayT) { a, l in
                ArrayFunctions.slice(a, l)
            }
        ])
        scalar("GENERATE_SERIES", category, "Returns the integers from start to end inclusive, by step.", [
            ScalarOverload([p("start", .integer), p("end", .integer)], returns: .array(.integer)) { a, l throws(FunctionError) in
                try ArrayFunctions.generateSeries(a, l)
            },
            ScalarOverload([p("start", .integer), p("end", .integer), p("step", .integer)], returns: .array(.integer)) {
                a, l throws(FunctionError) in try ArrayFunctions.generateSeries(a, l)
            },
            ScalarOverload([p("start", .bigint), p("end", .bigint)], returns: .array(.bigint)) { a, l throws(FunctionError) in
                try ArrayFunctions.generateSeries(a, l)
            },
            ScalarOverload([p("start", .bigint), p("end", .bigint), p("step", .integer)], returns: .array(.bigint)) {
                a, l throws(FunctionError) in try ArrayFunctions.generateSeries(a, l)
            },
        ])
    }
}
