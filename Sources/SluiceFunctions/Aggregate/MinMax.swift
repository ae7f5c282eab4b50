import SluiceTypes

extension RegistryBuilder {
    mutating func registerMinMax() {
        let comparable: [ParamType] = [.integer, .bigint, .double, .decimal, .string, .date, .time, .timestamp, .bytes]
        for (name, fold, text) in [("MIN", SingleValueFold.minimum, "minimum"), ("MAX", .maximum, "maximum")] {
            aggregate(name, "AGGREGATE", "Returns the \(text) non-NULL value of the column.", comparable.map { type in
                AggregateOverload([p("col1", type)], returns: type == .decimal ? "DECIMAL" : type.description) {
                    call throws(FunctionResolutionError) in
                    AggregateFunctionCall(
                        returnType: call.argumentTypes[0],
                        makeAccumulator: { SingleValueAccumulator(fold) }, supportsUndo: false)
                }
            })
        }
    }
}
