/// Every message the front end can report, in one alphabetical catalogue.
///
/// Each factory fixes a stable id (`sql.*`) that tests and tools match on, independent of the
/// wording. Messages start lowercase, have no final period and quote source text in single quotes.
/// "Expected" messages say in words what the grammar wanted ("a column name"), never a token list.
enum SyntaxDiagnostics {
    static func chainedComparison(_ op: String, range: SourceRange) -> Diagnostic {
        syntax(
            "sql.chained-comparison", "'\(op)' cannot follow a comparison directly", range,
            help: "add parentheses to say what '\(op)' applies to, as in (a = b) = c")
    }

    static func emptyStatement(range: SourceRange) -> Diagnostic {
        syntax("sql.empty-statement", "expected a statement, but the text is empty", range)
    }

    static func integerRequired(_ text: String, what: String, range: SourceRange) -> Diagnostic {
        syntax("sql.integer-required", "\(what) must be a whole number, found '\(text)'", range)
    }

    static func invalidCharacter(_ text: String, range: SourceRange) -> Diagnostic {
        syntax("sql.invalid-character", "unexpected character '\(text)'", range)
    }

    static func invalidLambdaPosition(range: SourceRange) -> Diagnostic {
        syntax(
            "sql.misplaced-lambda", "a lambda can only be a function argument", range,
            help: "pass it to a function such as TRANSFORM(list, x => x + 1)")
    }

    static func invalidStructStar(range: SourceRange) -> Diagnostic {
        syntax(
            "sql.misplaced-struct-star", "'->*' needs a column, field or function result before it", range,
            help: "wrap the expression in parentheses")
    }

    static func malformedVariable(_ text: String, range: SourceRange) -> Diagnostic {
        syntax(
            "sql.malformed-variable", "malformed variable reference '\(text)'", range,
            help: "write a variable as ${name}, where name starts with a letter or '_'")
    }

    static func misplacedStar(range: SourceRange) -> Diagnostic {
        syntax(
            "sql.misplaced-star", "'*' can only stand alone in the select list or as 'COUNT(*)'", range)
    }

    static func multipleStatements(range: SourceRange) -> Diagnostic {
        syntax(
            "sql.multiple-statements", "expected one statement, but another one follows ';'", range,
            help: "run each statement separately, or pass the text as a script")
    }

    static func nestedTooDeeply(limit: Int, range: SourceRange) -> Diagnostic {
        syntax(
            "sql.nested-too-deeply", "the statement nests more than \(limit) levels deep", range,
            help: "simplify the expression or split it into several queries")
    }

    static func numberOutOfRange(_ text: String, what: String, range: SourceRange) -> Diagnostic {
        syntax("sql.number-out-of-range", "'\(text)' is too large for \(what)", range)
    }

    static func reservedWord(_ word: String, expected: String, range: SourceRange) -> Diagnostic {
        syntax(
            "sql.reserved-word", "expected \(expected), but '\(word)' is a reserved word", range,
            help: "to use it as a name, quote it: `\(word)`")
    }

    static func trailingInput(found: String, range: SourceRange) -> Diagnostic {
        syntax(
            "sql.trailing-input", "unexpected \(found) after the end of the statement", range,
            help: "is a ';' or an operator missing?")
    }

    static func undefinedVariable(_ name: String, range: SourceRange) -> Diagnostic {
        syntax(
            "sql.undefined-variable", "variable '\(name)' is not defined", range,
            help: "define it first: DEFINE \(name) = 'value';")
    }

    static func unexpectedEnd(expected: String, after: String?, range: SourceRange) -> Diagnostic {
        let context = after.map { " after '\($0)'" } ?? ""
        return syntax("sql.unexpected-end", "expected \(expected)\(context), but the statement ended", range)
    }

    static func unexpectedToken(
        expected: String, after: String?, found: String, range: SourceRange, help: String?
    )
        -> Diagnostic
    {
        let context = after.map { " after '\($0)'" } ?? ""
        return syntax("sql.unexpected-token", "expected \(expected)\(context), found \(found)", range, help: help)
    }

    static func unknownStatement(_ word: String, suggestion: String?, range: SourceRange) -> Diagnostic {
        let help =
            suggestion.map { "did you mean '\($0)'?" }
            ?? "a statement starts with a word such as SELECT, CREATE, INSERT, DROP or SHOW"
        return syntax("sql.unknown-statement", "\(word) does not start a statement", range, help: help)
    }

    static func unsubstitutedVariable(_ name: String, range: SourceRange) -> Diagnostic {
        syntax(
            "sql.unsubstituted-variable", "variable '${\(name)}' cannot stand here before it is substituted", range,
            help: "define it with DEFINE \(name) = '...'; the engine substitutes variables before parsing")
    }

    static func unterminatedComment(range: SourceRange) -> Diagnostic {
        syntax("sql.unterminated-comment", "comment is missing its closing '*/'", range)
    }

    static func unterminatedQuotedIdentifier(range: SourceRange) -> Diagnostic {
        syntax("sql.unterminated-identifier", "quoted name is missing its closing quote", range)
    }

    static func unterminatedString(range: SourceRange) -> Diagnostic {
        syntax(
            "sql.unterminated-string", "string is missing its closing quote", range,
            help: "write a quote inside a string as two quotes: 'it''s'")
    }

    /// Help lines the parser attaches to ``unexpectedToken(expected:after:found:range:help:)``.
    enum Help {
        static let asSelectWithColumns =
            "a CREATE ... AS SELECT takes its columns from the query; remove the column list"
        static let mapEntry = "write each entry as key := value"
        static func reservedWord(_ word: String) -> String {
            "'\(word)' is a reserved word; to use it as a name, quote it: `\(word)`"
        }
        static let structField = "write each field as name := value"
        static let trailingComma = "remove the ',' before FROM"
        static let typeParameters = "only DECIMAL takes parameters, as in DECIMAL(10, 2)"
    }

    private static func syntax(
        _ id: String, _ message: String, _ range: SourceRange, help: String? = nil
    )
        -> Diagnostic
    {
        Diagnostic(category: .syntax, id: id, message: message, range: range, help: help)
    }
}
