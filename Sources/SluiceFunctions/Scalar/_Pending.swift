extension RegistryBuilder {
    mutating func registerJSONFunctions() {}
    mutating func registerBytesFunctions() {}
    mutating func registerURLFunctions() {}
    mutating func registerOtherFunctions() {}
}
