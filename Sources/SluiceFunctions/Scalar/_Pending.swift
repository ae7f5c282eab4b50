extension RegistryBuilder {
    mutating func registerStringFunctions() {}
    mutating func registerMathFunctions() {}
    mutating func registerNullFunctions() {}
    mutating func registerArrayFunctions() {}
    mutating func registerMapFunctions() {}
    mutating func registerLambdaFunctions() {}
    mutating func registerDateTimeFunctions() {}
    mutating func registerJSONFunctions() {}
    mutating func registerBytesFunctions() {}
    mutating func registerURLFunctions() {}
    mutating func registerOtherFunctions() {}
}
