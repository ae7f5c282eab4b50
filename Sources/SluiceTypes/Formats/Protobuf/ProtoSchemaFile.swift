/// A `.proto` file as the schema registry holds PROTOBUF schemas, parsed far enough to infer
/// columns from its messages: `syntax`, `package`, `import`s (resolved through the schema's
/// references), messages with their fields (scalars, message and enum types, `repeated`,
/// `optional`, `map<K, V>`, `oneof`), nested messages and enums, and field options (for the
/// precision and scale `confluent.field_meta` gives a `confluent.type.Decimal`). Options,
/// services, extensions and reserved ranges are read and ignored.
struct ProtoSchemaFile: Sendable {
    var package: String?
    var messages: [ProtoMessageDefinition] = []
    var enums: [ProtoEnumDefinition] = []
    var imports: [String] = []
    /// The files the imports name, when the schema's references supply them.
    var dependencies: [ProtoSchemaFile] = []

    /// Parses `text`; `references` supply the text of imported files by import name.
    static func parse(_ text: String, references: [SchemaReferenceText] = []) throws(RecordError) -> ProtoSchemaFile {
        try parse(text, references: references, depth: 0)
    }

    private static func parse(_ text: String, references: [SchemaReferenceText], depth: Int) throws(RecordError) -> ProtoSchemaFile {
        guard depth < 16 else { throw RecordError("Protobuf schema imports are nested too deeply") }
        var parser = ProtoParser(tokens: try ProtoTokenizer.tokenize(text))
        var file = try parser.parseFile()
        for name in file.imports {
            guard let reference = references.first(where: { $0.name == name }) else { continue }
            file.dependencies.append(try parse(reference.schema, references: references, depth: depth + 1))
        }
        return file
    }

    /// Full names (`package.Message`) of the file's top-level messages, in order.
    var topLevelMessageNames: [String] {
        messages.map { qualified($0.name) }
    }

    private func qualified(_ name: String) -> String {
        package.map { "\($0).\(name)" } ?? name
    }

    /// The STRUCT of the message named `message` (its full name, or its simple name), or of the
    /// file's first message when nil.
    func inferredSQLType(message: String?, upperCase: Bool) throws(RecordError) -> SQLType? {
        let table = ProtoTypeTable(self)
        let chosen: (String, ProtoMessageDefinition)
        if let message {
            let wanted = message.hasPrefix(".") ? String(message.dropFirst()) : message
            if let m = table.messages[wanted] {
                chosen = (wanted, m)
            } else if let m = messages.first(where: { $0.name == wanted }) {
                chosen = (qualified(m.name), m)
            } else {
                throw RecordError("Schema with name \(message) not found in the protobuf schema")
            }
        } else {
            guard let first = messages.first else { throw RecordError("The protobuf schema defines no message") }
            chosen = (qualified(first.name), first)
        }
        var converter = ProtoTypeConverter(table: table, upperCase: upperCase)
        return converter.structType(chosen.1, fullName: chosen.0, depth: 0)
    }
}

struct ProtoMessageDefinition: Hashable, Sendable {
    var name: String
    var fields: [ProtoFieldDefinition] = []
    var messages: [ProtoMessageDefinition] = []
    var enums: [ProtoEnumDefinition] = []
}

struct ProtoEnumDefinition: Hashable, Sendable {
    var name: String
    /// Symbols and numbers, in declaration order.
    var values: [(name: String, number: Int32)] = []

    static func == (a: ProtoEnumDefinition, b: ProtoEnumDefinition) -> Bool {
        a.name == b.name && a.values.map(\.name) == b.values.map(\.name) && a.values.map(\.number) == b.values.map(\.number)
    }

    func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

struct ProtoFieldDefinition: Hashable, Sendable {
    enum Label: Hashable, Sendable { case none, optional, repeated, required }

    var name: String
    var number: Int
    var label: Label
    /// The type as written (`int32`, `Event`, `.pkg.Msg`, `google.protobuf.Timestamp`).
    var typeName: String
    /// For `map<K, V>` fields: the key type; `typeName` is the value type.
    var mapKey: String?
    /// The `oneof` the field belongs to, if any.
    var oneof: String?
    /// `key`/`value` pairs of the field's options (`confluent.field_meta` params).
    var parameters: [String: String] = [:]
}

/// Every message and enum of a file and its dependencies, by full name.
struct ProtoTypeTable {
    var messages: [String: ProtoMessageDefinition] = [:]
    var enums: [String: ProtoEnumDefinition] = [:]

    init(_ file: ProtoSchemaFile) {
        add(file)
    }

    private mutating func add(_ file: ProtoSchemaFile) {
        let prefix = file.package.map { $0 + "." } ?? ""
        for m in file.messages { add(m, prefix: prefix) }
        for e in file.enums where enums[prefix + e.name] == nil { enums[prefix + e.name] = e }
        for d in file.dependencies { add(d) }
    }

    private mutating func add(_ message: ProtoMessageDefinition, prefix: String) {
        let full = prefix + message.name
        if messages[full] == nil { messages[full] = message }
        for nested in message.messages { add(nested, prefix: full + ".") }
        for e in message.enums where enums[full + "." + e.name] == nil { enums[full + "." + e.name] = e }
    }

    enum Resolved {
        case message(String, ProtoMessageDefinition)
        case enumeration(ProtoEnumDefinition)
    }

    /// Protobuf's scoping: from the innermost enclosing scope outwards; a leading dot is absolute.
    func resolve(_ name: String, scope: String) -> Resolved? {
        if name.hasPrefix(".") { return lookup(String(name.dropFirst())) }
        var parts = scope.split(separator: ".").map(String.init)
        while true {
            let candidate = (parts + [name]).joined(separator: ".")
            if let r = lookup(candidate) { return r }
            if parts.isEmpty { return nil }
            parts.removeLast()
        }
    }

    private func lookup(_ full: String) -> Resolved? {
        if let m = messages[full] { return .message(full, m) }
        if let e = enums[full] { return .enumeration(e) }
        return nil
    }
}

/// Protobuf types to SQL types, as Connect's `ProtobufData` and then ksqlDB map them.
private struct ProtoTypeConverter {
    let table: ProtoTypeTable
    let upperCase: Bool

    mutating func structType(_ message: ProtoMessageDefinition, fullName: String, depth: Int) -> SQLType? {
        guard depth < 32 else { return nil }
        var fields: [StructField] = []
        var seenOneofs: Set<String> = []
        var oneofIndex = 0
        var oneofIndexes: [String: Int] = [:]
        for f in message.fields {
            if let oneof = f.oneof, oneofIndexes[oneof] == nil {
                oneofIndexes[oneof] = oneofIndex
                oneofIndex += 1
            }
        }
        for f in message.fields {
            if let oneof = f.oneof {
                // Connect gathers a oneof's fields into one struct field, named after the oneof.
                guard seenOneofs.insert(oneof).inserted else { continue }
                let members = message.fields.filter { $0.oneof == oneof }.compactMap { m -> StructField? in
                    fieldType(m, scope: fullName, depth: depth).map {
                        StructField(name: SchemaInference.name(m.name, upperCase: upperCase), type: $0)
                    }
                }
                let name = "\(oneof)_\(oneofIndexes[oneof] ?? 0)"
                fields.append(StructField(name: SchemaInference.name(name, upperCase: upperCase), type: .structure(members)))
                continue
            }
            guard let t = fieldType(f, scope: fullName, depth: depth) else { continue }
            fields.append(StructField(name: SchemaInference.name(f.name, upperCase: upperCase), type: t))
        }
        return .structure(fields)
    }

    private mutating func fieldType(_ f: ProtoFieldDefinition, scope: String, depth: Int) -> SQLType? {
        if let key = f.mapKey {
            guard Self.isMapKey(key), let value = valueType(f.typeName, field: f, scope: scope, depth: depth) else {
                return nil
            }
            return .map(key: .string, value: value)
        }
        guard let t = valueType(f.typeName, field: f, scope: scope, depth: depth) else { return nil }
        return f.label == .repeated ? .array(t) : t
    }

    private static func isMapKey(_ type: String) -> Bool {
        switch type {
        case "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32",
            "sfixed64", "bool", "string":
            return true
        default:
            return false
        }
    }

    private mutating func valueType(_ name: String, field: ProtoFieldDefinition, scope: String, depth: Int) -> SQLType? {
        switch name {
        case "bool": return .boolean
        case "int32", "sint32", "sfixed32": return .integer
        case "uint32", "fixed32", "int64", "sint64", "sfixed64", "uint64", "fixed64": return .bigint
        case "float", "double": return .double
        case "string": return .string
        case "bytes": return .bytes
        default: break
        }
        let absolute = name.hasPrefix(".") ? String(name.dropFirst()) : name
        switch absolute {
        case "google.protobuf.Timestamp": return .timestamp
        case "google.type.Date": return .date
        case "google.type.TimeOfDay": return .time
        case "confluent.type.Decimal":
            let precision = field.parameters["precision"].flatMap { Int($0) } ?? 64
            let scale = field.parameters["scale"].flatMap { Int($0) } ?? 0
            return .decimal(precision: precision, scale: scale)
        case "google.protobuf.BoolValue": return .boolean
        case "google.protobuf.Int32Value": return .integer
        case "google.protobuf.UInt32Value", "google.protobuf.Int64Value", "google.protobuf.UInt64Value": return .bigint
        case "google.protobuf.FloatValue", "google.protobuf.DoubleValue": return .double
        case "google.protobuf.StringValue": return .string
        case "google.protobuf.BytesValue": return .bytes
        default: break
        }
        switch table.resolve(name, scope: scope) {
        case .enumeration?: return .string
        case .message(let full, let m)?: return structType(m, fullName: full, depth: depth + 1)
        case nil: return nil
        }
    }
}

// MARK: - Tokens

enum ProtoToken: Hashable, Sendable {
    /// An identifier, possibly dotted (`google.protobuf.Timestamp`, `.pkg.Msg`).
    case identifier(String)
    case number(String)
    case string(String)
    case symbol(Character)
}

enum ProtoTokenizer {
    static func tokenize(_ text: String) throws(RecordError) -> [ProtoToken] {
        let chars = Array(text)
        var tokens: [ProtoToken] = []
        var i = 0
        func isIdentStart(_ c: Character) -> Bool { c == "_" || (c.isASCII && c.isLetter) }
        func isIdentPart(_ c: Character) -> Bool { c == "_" || c == "." || (c.isASCII && (c.isLetter || c.isNumber)) }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace {
                i += 1
            } else if c == "/", i + 1 < chars.count, chars[i + 1] == "/" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
            } else if c == "/", i + 1 < chars.count, chars[i + 1] == "*" {
                i += 2
                while i + 1 < chars.count, !(chars[i] == "*" && chars[i + 1] == "/") { i += 1 }
                i += 2
            } else if isIdentStart(c) || (c == "." && i + 1 < chars.count && isIdentStart(chars[i + 1])) {
                var s = String(c)
                i += 1
                while i < chars.count, isIdentPart(chars[i]) {
                    s.append(chars[i])
                    i += 1
                }
                tokens.append(.identifier(s))
            } else if c.isASCII && c.isNumber || (c == "-" && i + 1 < chars.count && chars[i + 1].isASCII && chars[i + 1].isNumber) {
                var s = String(c)
                i += 1
                while i < chars.count, chars[i].isASCII, chars[i].isLetter || chars[i].isNumber || chars[i] == "." {
                    s.append(chars[i])
                    i += 1
                }
                tokens.append(.number(s))
            } else if c == "\"" || c == "'" {
                var s = ""
                i += 1
                while i < chars.count, chars[i] != c {
                    if chars[i] == "\\", i + 1 < chars.count {
                        i += 1
                        switch chars[i] {
                        case "n": s.append("\n")
                        case "t": s.append("\t")
                        default: s.append(chars[i])
                        }
                    } else {
                        s.append(chars[i])
                    }
                    i += 1
                }
                guard i < chars.count else { throw RecordError("Unterminated string in protobuf schema") }
                i += 1
                tokens.append(.string(s))
            } else {
                tokens.append(.symbol(c))
                i += 1
            }
        }
        return tokens
    }
}

// MARK: - Parser

private struct ProtoParser {
    let tokens: [ProtoToken]
    var position = 0

    init(tokens: [ProtoToken]) {
        self.tokens = tokens
    }

    var atEnd: Bool { position >= tokens.count }

    func peek(_ offset: Int = 0) -> ProtoToken? {
        position + offset < tokens.count ? tokens[position + offset] : nil
    }

    mutating func next() throws(RecordError) -> ProtoToken {
        guard position < tokens.count else { throw RecordError("Unexpected end of the protobuf schema") }
        defer { position += 1 }
        return tokens[position]
    }

    mutating func expect(_ symbol: Character) throws(RecordError) {
        let t = try next()
        guard t == .symbol(symbol) else { throw RecordError("Expected '\(symbol)' in the protobuf schema, found \(t)") }
    }

    mutating func identifier() throws(RecordError) -> String {
        guard case .identifier(let s) = try next() else {
            throw RecordError("Expected a name in the protobuf schema, found \(tokens[position - 1])")
        }
        return s
    }

    mutating func consume(_ symbol: Character) -> Bool {
        if peek() == .symbol(symbol) {
            position += 1
            return true
        }
        return false
    }

    /// Skips tokens up to and including the next `;` at this nesting level, or a balanced block.
    mutating func skipStatement() throws(RecordError) {
        var depth = 0
        while true {
            let t = try next()
            switch t {
            case .symbol("{"), .symbol("["), .symbol("("): depth += 1
            case .symbol("}"), .symbol("]"), .symbol(")"):
                depth -= 1
                if depth == 0, t == .symbol("}") {
                    _ = consume(";")
                    return
                }
            case .symbol(";") where depth == 0: return
            default: break
            }
        }
    }

    mutating func parseFile() throws(RecordError) -> ProtoSchemaFile {
        var file = ProtoSchemaFile()
        while !atEnd {
            guard case .identifier(let keyword) = try next() else {
                if tokens[position - 1] == .symbol(";") { continue }
                throw RecordError("Unexpected \(tokens[position - 1]) in the protobuf schema")
            }
            switch keyword {
            case "syntax", "edition", "option":
                try skipStatement()
            case "package":
                file.package = try identifier()
                try expect(";")
            case "import":
                if case .identifier(let modifier) = peek(), modifier == "public" || modifier == "weak" { position += 1 }
                guard case .string(let name) = try next() else { throw RecordError("Expected a file name after import") }
                file.imports.append(name)
                try expect(";")
            case "message":
                file.messages.append(try parseMessage())
            case "enum":
                file.enums.append(try parseEnum())
            case "service", "extend":
                try skipStatement()
            default:
                throw RecordError("Unexpected '\(keyword)' in the protobuf schema")
            }
        }
        return file
    }

    mutating func skipBlock() throws(RecordError) {
        guard peek() == .symbol("{") else { throw RecordError("Expected '{' in the protobuf schema") }
        try skipStatement()
    }

    /// `Name { SYMBOL = number [options]; ... }`, options and reserved ranges skipped.
    mutating func parseEnum() throws(RecordError) -> ProtoEnumDefinition {
        var definition = ProtoEnumDefinition(name: try identifier())
        try expect("{")
        while true {
            let t = try next()
            switch t {
            case .symbol("}"): return definition
            case .symbol(";"): continue
            case .identifier("option"), .identifier("reserved"): try skipStatement()
            case .identifier(let symbol):
                try expect("=")
                guard case .number(let text) = try next(), let number = Int32(text) ?? Int32(hex: text) else {
                    throw RecordError("Expected a number for enum value '\(symbol)' in the protobuf schema")
                }
                definition.values.append((symbol, number))
                if consume("[") { _ = try parseOptionParameters() }
                try expect(";")
            default:
                throw RecordError("Unexpected \(t) in a protobuf enum")
            }
        }
    }

    mutating func parseMessage() throws(RecordError) -> ProtoMessageDefinition {
        var message = ProtoMessageDefinition(name: try identifier())
        try expect("{")
        try parseBody(into: &message, oneof: nil)
        return message
    }

    /// Reads message members up to the closing brace.
    mutating func parseBody(into message: inout ProtoMessageDefinition, oneof: String?) throws(RecordError) {
        while true {
            let t = try next()
            switch t {
            case .symbol("}"): return
            case .symbol(";"): continue
            case .identifier(let word):
                switch word {
                case "message" where oneof == nil:
                    message.messages.append(try parseMessage())
                case "enum" where oneof == nil:
                    message.enums.append(try parseEnum())
                case "oneof" where oneof == nil:
                    let name = try identifier()
                    try expect("{")
                    try parseBody(into: &message, oneof: name)
                case "option", "reserved", "extensions", "extend":
                    try skipStatement()
                case "map" where peek() == .symbol("<"):
                    try expect("<")
                    let key = try identifier()
                    try expect(",")
                    let value = try identifier()
                    try expect(">")
                    var field = try parseFieldRest(typeName: value, label: .none, oneof: oneof)
                    field.mapKey = key
                    message.fields.append(field)
                case "repeated", "optional", "required":
                    let label: ProtoFieldDefinition.Label =
                        word == "repeated" ? .repeated : word == "optional" ? .optional : .required
                    if case .identifier("map") = peek(), peek(1) == .symbol("<") {
                        position += 1
                        try expect("<")
                        let key = try identifier()
                        try expect(",")
                        let value = try identifier()
                        try expect(">")
                        var field = try parseFieldRest(typeName: value, label: .none, oneof: oneof)
                        field.mapKey = key
                        message.fields.append(field)
                    } else {
                        let typeName = try identifier()
                        message.fields.append(try parseFieldRest(typeName: typeName, label: label, oneof: oneof))
                    }
                default:
                    message.fields.append(try parseFieldRest(typeName: word, label: .none, oneof: oneof))
                }
            default:
                throw RecordError("Unexpected \(t) in a protobuf message")
            }
        }
    }

    /// `name = number [options];` after the field's type.
    mutating func parseFieldRest(typeName: String, label: ProtoFieldDefinition.Label, oneof: String?) throws(RecordError) -> ProtoFieldDefinition {
        let name = try identifier()
        try expect("=")
        guard case .number(let text) = try next(), let number = Int(text) else {
            throw RecordError("Expected a field number for '\(name)' in the protobuf schema")
        }
        var field = ProtoFieldDefinition(name: name, number: number, label: label, typeName: typeName, oneof: oneof)
        if consume("[") {
            field.parameters = try parseOptionParameters()
        }
        try expect(";")
        return field
    }

    /// Reads field options up to the closing `]`, collecting each `{ key: "k", value: "v" }`.
    mutating func parseOptionParameters() throws(RecordError) -> [String: String] {
        var parameters: [String: String] = [:]
        var depth = 0
        var stack: [(key: String?, value: String?)] = []
        while true {
            let t = try next()
            switch t {
            case .symbol("]") where depth == 0:
                return parameters
            case .symbol("{"):
                depth += 1
                stack.append((nil, nil))
            case .symbol("}"):
                depth -= 1
                if let top = stack.popLast(), let k = top.key, let v = top.value { parameters[k] = v }
            case .symbol("["):
                depth += 1
            case .symbol("]"):
                depth -= 1
            case .identifier(let word) where (word == "key" || word == "value") && peek() == .symbol(":"):
                position += 1
                let v = try next()
                var text: String?
                switch v {
                case .string(let s), .number(let s), .identifier(let s): text = s
                default: text = nil
                }
                if !stack.isEmpty {
                    if word == "key" { stack[stack.count - 1].key = text } else { stack[stack.count - 1].value = text }
                }
            default:
                break
            }
        }
    }
}

extension Int32 {
    /// `0x1F`-style literals, as enum values may be written.
    fileprivate init?(hex text: String) {
        guard text.hasPrefix("0x") || text.hasPrefix("0X") else { return nil }
        self.init(text.dropFirst(2), radix: 16)
    }
}
