/// Types:
///
/// ```
/// type := ARRAY '<' type '>' | MAP '<' type ',' type '>'
///       | STRUCT '<' (identifier type (',' identifier type)*)? '>'
///       | DECIMAL '(' INTEGER ',' INTEGER ')' | baseType
///       | type ARRAY                      -- postfix form, same as ARRAY<type>
/// ```
extension Parser {
    mutating func parseType() throws(Diagnostic) -> TypeSyntax {
        try enter()
        defer { leave() }
        var type = try parsePrimaryType()
        while check(.array) && peek().kind != .less {
            advance()
            type = .array(type)
        }
        return type
    }

    private mutating func parsePrimaryType() throws(Diagnostic) -> TypeSyntax {
        let token = current
        switch token.kind {
        case .keyword(.array):
            advance()
            try expect(.less, "'<' after ARRAY")
            let element = try parseType()
            try expect(.greater, "'>' to close ARRAY<...>")
            return .array(element)
        case .keyword(.map):
            advance()
            try expect(.less, "'<' after MAP")
            let key = try parseType()
            try expect(.comma, "',' between the key and value types of MAP<...>")
            let value = try parseType()
            try expect(.greater, "'>' to close MAP<...>")
            return .map(key: key, value: value)
        case .keyword(.struct):
            advance()
            // `STRUCT<>` lexes its brackets as the `<>` operator.
            if check(.notEqual) && source[current.start] == UInt8(ascii: "<") {
                advance()
                return .structure([])
            }
            try expect(.less, "'<' after STRUCT")
            var fields: [StructFieldSyntax] = []
            if !check(.greater) {
                repeat {
                    let name = try parseIdentifier("a field name")
                    let type = try parseType()
                    fields.append(StructFieldSyntax(name: name, type: type))
                } while accept(.comma)
            }
            try expect(.greater, "',' or '>' after a STRUCT field")
            return .structure(fields)
        case .keyword(.decimal):
            advance()
            try expect(.leftParen, "'(' after DECIMAL, as in DECIMAL(10, 2)")
            let precision = try parseInt("the DECIMAL precision")
            try expect(.comma, "',' between the DECIMAL precision and scale")
            let scale = try parseInt("the DECIMAL scale")
            try expect(.rightParen, "')' to close DECIMAL(precision, scale)")
            return .decimal(precision: precision, scale: scale)
        default:
            guard atIdentifier else { throw unexpected(expected: "a type") }
            let name = try parseIdentifier("a type")
            if token.kind == .identifier || token.kind.isKeyword, let builtIn = Parser.builtInTypes[name.value] {
                if check(.leftParen) {
                    throw unexpected(
                        expected: "no parameters for type \(name.value)",
                        help: SyntaxDiagnostics.Help.typeParameters)
                }
                return builtIn
            }
            return .named(name)
        }
    }

    /// Base type names, as written bare (upper-cased); a quoted name is always a custom type.
    static let builtInTypes: [String: TypeSyntax] = [
        "BOOLEAN": .boolean, "INT": .integer, "INTEGER": .integer, "BIGINT": .bigint, "DOUBLE": .double,
        "STRING": .string, "VARCHAR": .string, "BYTES": .bytes, "DATE": .date, "TIME": .time,
        "TIMESTAMP": .timestamp,
    ]
}

extension TokenKind {
    var isKeyword: Bool {
        if case .keyword = self { return true }
        return false
    }
}
