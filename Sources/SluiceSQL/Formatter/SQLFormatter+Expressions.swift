/// Expression, type, literal and name formatting.
///
/// The style is ksqlDB's: every operator application is wrapped in parentheses, so the output
/// never depends on precedence (`((A + B) > 10)`), and names are upper-case and back-quoted only
/// when they must be.
extension SQLFormatter {
    static func expression(_ expr: Expr) -> String {
        switch expr.kind {
        case .literal(let literal):
            return Self.literal(literal)
        case .column(let qualifier, let name):
            if let qualifier { return "\(Self.name(qualifier)).\(Self.name(name))" }
            return Self.name(name)
        case .variable(let name):
            return "${\(name)}"
        case .unary(.not, _):
            return "(\(negation(expr)))"
        case .unary(let op, let operand):
            if case .unary(let inner, _) = operand.kind, inner != .not {
                // `- -a`: the space keeps the two signs from reading as a comment.
                return op.rawValue + " " + expression(operand)
            }
            return op.rawValue + (isSelfDelimiting(operand) ? expression(operand) : "(\(expression(operand)))")
        case .binary, .logical:
            return "(\(chain(expr)))"
        case .comparison(let op, let left, let right):
            return "(\(expression(left)) \(op.rawValue) \(expression(right)))"
        case .isNull(let value, let negated):
            return "(\(expression(value)) IS \(negated ? "NOT " : "")NULL)"
        case .isDistinctFrom(let left, let right, let negated):
            return "(\(expression(left)) IS \(negated ? "NOT " : "")DISTINCT FROM \(expression(right)))"
        case .between(let value, let low, let high, let negated):
            return
                "(\(expression(value)) \(negated ? "NOT " : "")BETWEEN \(expression(low)) AND \(expression(high)))"
        case .inList(let value, let items, let negated):
            return "(\(expression(value)) \(negated ? "NOT " : "")IN (\(list(items))))"
        case .like(let value, let pattern, let escape, let negated):
            var text = "(\(expression(value)) \(negated ? "NOT " : "")LIKE \(expression(pattern))"
            if let escape { text += " ESCAPE \(expression(escape))" }
            return text + ")"
        case .cast(let value, let type):
            return "CAST(\(expression(value)) AS \(Self.type(type)))"
        case .searchedCase(let whens, let elseValue):
            return "(CASE" + caseTail(whens, elseValue)
        case .simpleCase(let operand, let whens, let elseValue):
            return "(CASE \(expression(operand))" + caseTail(whens, elseValue)
        case .functionCall(let name, let arguments, let distinct, let star):
            if star { return "\(Self.name(name))(*)" }
            return "\(Self.name(name))(\(distinct ? "DISTINCT " : "")\(list(arguments)))"
        case .lambda(let parameters, let body):
            let head =
                parameters.count == 1
                ? Self.name(parameters[0]) : "(\(parameters.map(Self.name).joined(separator: ", ")))"
            return "\(head) => \(expression(body))"
        case .subscript(let base, let index):
            return "\(postfixBase(base))[\(expression(index))]"
        case .dereference(let base, let field):
            return "\(postfixBase(base))->\(Self.name(field))"
        case .arrayConstructor(let items):
            return "ARRAY[\(list(items))]"
        case .mapConstructor(let entries):
            return "MAP(" + entries.map { "\(expression($0.key)):=\(expression($0.value))" }.joined(separator: ", ")
                + ")"
        case .structConstructor(let fields):
            return "STRUCT(" + fields.map { "\(Self.name($0.name)):=\(expression($0.value))" }.joined(separator: ", ")
                + ")"
        case .intervalUnit(let unit):
            return unit.rawValue
        }
    }

    /// `NOT NOT a` without parentheses between the NOTs, so nesting does not grow with the count.
    private static func negation(_ expr: Expr) -> String {
        var count = 0
        var operand = expr
        while case .unary(.not, let inner) = operand.kind {
            count += 1
            operand = inner
        }
        return String(repeating: "NOT ", count: count) + expression(operand)
    }

    /// A left-deep run of operators of one precedence level, written without inner parentheses:
    /// `((a + b) - c)` prints as `a + b - c`, which parses back to the same left-deep tree. Long
    /// generated chains (`x = 1 OR x = 2 OR ...`) would otherwise nest one parenthesis per
    /// operator and exceed the parser's nesting limit on the way back.
    private static func chain(_ expr: Expr) -> String {
        var rights: [(String, Expr)] = []
        var leftmost = expr
        while let (level, op, left, right) = operatorParts(leftmost), level == operatorParts(expr)?.level {
            rights.append((op, right))
            leftmost = left
        }
        var text = expression(leftmost)
        for (op, right) in rights.reversed() {
            text += " \(op) \(expression(right))"
        }
        return text
    }

    private static func operatorParts(_ expr: Expr) -> (level: Int, op: String, left: Expr, right: Expr)? {
        switch expr.kind {
        case .logical(.or, let left, let right): (0, "OR", left, right)
        case .logical(.and, let left, let right): (1, "AND", left, right)
        case .binary(.concat, let left, let right): (2, "||", left, right)
        case .binary(let op, let left, let right) where op == .add || op == .subtract: (3, op.rawValue, left, right)
        case .binary(let op, let left, let right): (4, op.rawValue, left, right)
        default: nil
        }
    }

    private static func list(_ items: [Expr]) -> String {
        items.map(expression).joined(separator: ", ")
    }

    private static func caseTail(_ whens: [WhenClause], _ elseValue: Expr?) -> String {
        var text = ""
        for when in whens {
            text += " WHEN \(expression(when.condition)) THEN \(expression(when.result))"
        }
        if let elseValue { text += " ELSE \(expression(elseValue))" }
        return text + " END)"
    }

    /// True when the text of `expr` cannot absorb a sign or a postfix operator placed next to it.
    private static func isSelfDelimiting(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .literal(.integer), .literal(.decimal), .literal(.double), .unary, .lambda: false
        default: true
        }
    }

    private static func postfixBase(_ expr: Expr) -> String {
        switch expr.kind {
        case .unary(.minus, _), .unary(.plus, _), .lambda: "(\(expression(expr)))"
        default: expression(expr)
        }
    }

    // MARK: - Literals

    static func literal(_ literal: Literal) -> String {
        switch literal {
        case .null: "NULL"
        case .boolean(let value): value ? "TRUE" : "FALSE"
        case .integer(let text), .decimal(let text), .double(let text): text
        case .string(let text): quote(text)
        }
    }

    /// A SQL string literal: single quotes, with embedded quotes doubled.
    static func quote(_ text: String) -> String {
        var result = "'"
        for character in text {
            if character == "'" { result += "''" } else { result.append(character) }
        }
        return result + "'"
    }

    // MARK: - Types

    static func type(_ type: TypeSyntax) -> String {
        switch type {
        case .boolean: "BOOLEAN"
        case .integer: "INTEGER"
        case .bigint: "BIGINT"
        case .double: "DOUBLE"
        case .decimal(let precision, let scale): "DECIMAL(\(precision), \(scale))"
        case .string: "STRING"
        case .bytes: "BYTES"
        case .date: "DATE"
        case .time: "TIME"
        case .timestamp: "TIMESTAMP"
        case .array(let element): "ARRAY<\(Self.type(element))>"
        case .map(let key, let value): "MAP<\(Self.type(key)), \(Self.type(value))>"
        case .structure(let fields):
            "STRUCT<" + fields.map { "\(name($0.name)) \(Self.type($0.type))" }.joined(separator: ", ") + ">"
        case .named(let identifier):
            Parser.builtInTypes[identifier.value] != nil && !identifier.quoted
                ? backQuoted(identifier.value) : name(identifier)
        }
    }

    // MARK: - Names

    /// A name as SQL text: bare when it reads back as the same name, back-quoted otherwise.
    ///
    /// Quoting is needed for lower-case or non-identifier characters, for reserved words, and for
    /// `ARRAY`, `MAP` and `STRUCT`, which would read back as constructors before `[` or `(`.
    /// A name the source wrote quoted keeps its quotes.
    static func name(_ identifier: Identifier) -> String {
        let value = identifier.value
        if !identifier.quoted && isVariableReference(value) { return value }
        if identifier.quoted || !isBareName(value) { return backQuoted(value) }
        return value
    }

    static func backQuoted(_ value: String) -> String {
        var result = "`"
        for character in value {
            if character == "`" { result += "``" } else { result.append(character) }
        }
        return result + "`"
    }

    /// True when `value` lexes back as the same unquoted name.
    static func isBareName(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, Lexer.isIdentifierStart(first), !(first >= 0x61 && first <= 0x7A) else {
            return false
        }
        for byte in bytes.dropFirst() {
            guard Lexer.isIdentifierPart(byte), !(byte >= 0x61 && byte <= 0x7A) else { return false }
        }
        if let keyword = Keyword(rawValue: value) {
            return !keyword.isReserved && keyword != .array && keyword != .map && keyword != .struct
        }
        return true
    }

    private static func isVariableReference(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count >= 4, bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "{"),
            bytes[bytes.count - 1] == UInt8(ascii: "}"), Lexer.isIdentifierStart(bytes[2])
        else { return false }
        return bytes[3..<(bytes.count - 1)].allSatisfy(Lexer.isIdentifierPart)
    }
}
