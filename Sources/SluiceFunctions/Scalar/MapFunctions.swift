import SluiceTypes

/// Map functions. Maps keep their entries in insertion order; where ksqlDB builds a new Java
/// `HashMap` the order of its output is unspecified, and Sluice keeps insertion order.
enum MapFunctions {
    static func keys(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .map(let entries) = args[0] else { return .null }
        return .array(entries.map(\.key))
    }

    static func values(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .map(let entries) = args[0] else { return .null }
        return .array(entries.map(\.value))
    }

    /// Sets `key` to `value`, replacing an existing entry in place.
    static func put(_ entries: inout [MapEntry], _ positions: inout [Value: Int], _ key: Value, _ value: Value) {
        if let i = positions[key] {
            entries[i].value = value
        } else {
            positions[key] = entries.count
            entries.append(MapEntry(key: key, value: value))
        }
    }

    /// MAP_UNION: the second map's value wins for a shared key; NULL only when both are NULL.
    static func union(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        var entries: [MapEntry] = []
        var positions: [Value: Int] = [:]
        var any = false
        for a in args {
            guard case .map(let m) = a else { continue }
            any = true
            for e in m { put(&entries, &positions, e.key, e.value) }
        }
        return any ? .map(entries) : .null
    }

    /// AS_MAP(keys, values): pairs keys with values by position (missing values are NULL).
    static func asMap(_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> Value {
        guard case .array(let keys) = args[0], case .array(let values) = args[1] else {
            throw FunctionError("AS_MAP needs non-NULL key and value arrays")
        }
        var entries: [MapEntry] = []
        var positions: [Value: Int] = [:]
        for (i, key) in keys.enumerated() {
            put(&entries, &positions, key, i < values.count ? values[i] : .null)
        }
        return .map(entries)
    }

    /// ENTRIES(map, sorted): an array of STRUCT<K, V>, sorted by key when asked.
    static func entries(_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> Value {
        guard case .map(let m) = args[0] else { return .null }
        guard case .boolean(let sorted) = args[1] else { throw FunctionError("ENTRIES 'sorted' must not be NULL") }
        var list = m
        if sorted { list.sort { ValueOrder.compare($0.key, $1.key) < 0 } }
        return .array(list.map { .structure([StructEntry(name: "K", value: $0.key), StructEntry(name: "V", value: $0.value)]) })
    }
}

extension RegistryBuilder {
    mutating func registerMapFunctions() {
        let category = "MAP"
        let mapKV = ParamType.map(.k, .v)
        scalar("MAP_KEYS", category, "Returns the keys of a map.", [
            ScalarOverload([p("map", mapKV)], returns: .array(.k)) { a, l in MapFunctions.keys(a, l) }
        ])
        scalar("MAP_VALUES", category, "Returns the values of a map.", [
            ScalarOverload([p("map", mapKV)], returns: .array(.v)) { a, l in MapFunctions.values(a, l) }
        ])
        scalar("MAP_UNION", category, "Merges two maps; the second map's value wins for a shared key.", [
            ScalarOverload([p("map1", .map(.string, .v)), p("map2", .map(.string, .v))], returns: .map(.string, .v)) { a, l in
                MapFunctions.union(a, l)
            }
        ])
        scalar("AS_MAP", category, "Builds a map from an array of keys and an array of values.", [
            ScalarOverload([p("keys", .array(.string)), p("values", .array(.t))], returns: .map(.string, .t)) {
                a, l throws(FunctionError) in try MapFunctions.asMap(a, l)
            }
        ])
        scalar("ENTRIES", category, "Returns a map's entries as an array of STRUCT<K, V>, optionally sorted by key.", [
            ScalarOverload(
                [p("map", .map(.string, .t)), p("sorted", .boolean)],
                returns: .computed { call in
                    guard case .map(_, let v) = call.argumentTypes[0] else { return .array(.string) }
                    return .array(.structure([StructField(name: "K", type: .string), StructField(name: "V", type: v)]))
                }
            ) { a, l throws(FunctionError) in try MapFunctions.entries(a, l) }
        ])
    }
}
