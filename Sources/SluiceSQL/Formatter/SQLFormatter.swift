/// Writes ASTs back as canonical SQL.
///
/// The output is canonical: keywords and bare names upper-case, one space between tokens, each
/// query clause on its own line, every operator application parenthesized (ksqlDB's expression
/// style). Two guarantees are tested over the whole conformance corpus:
///
/// - parsing the output gives an AST equal to the input (ranges aside);
/// - formatting is idempotent: `format(parse(format(s))) == format(s)`.
public enum SQLFormatter {
    /// A single statement ending in ';'.
    public static func format(_ statement: Statement) -> String {
        self.statement(statement) + ";"
    }

    /// ksqlDB-style canonical expression text, such as `((A + 1) > B)`.
    public static func format(_ expr: Expr) -> String {
        expression(expr)
    }

    public static func format(_ type: TypeSyntax) -> String {
        self.type(type)
    }

    // MARK: - Statements

    static func statement(_ statement: Statement) -> String {
        switch statement {
        case .createSource(let create):
            return createSource(create)
        case .createAsSelect(let create):
            var text = "CREATE \(create.orReplace ? "OR REPLACE " : "")\(create.kind.rawValue) "
            if create.ifNotExists { text += "IF NOT EXISTS " }
            text += name(create.name)
            if !create.properties.isEmpty { text += " WITH (\(properties(create.properties)))" }
            return text + " AS " + query(create.query)
        case .insertInto(let target, let query):
            return "INSERT INTO \(name(target))\n" + self.query(query)
        case .insertIntoWithProperties(let target, let properties, let query):
            return "INSERT INTO \(name(target)) WITH (\(self.properties(properties)))\n" + self.query(query)
        case .insertValues(let insert):
            return "INSERT INTO " + valuesTail(insert, keyword: "VALUES")
        case .select(let query):
            return self.query(query)
        case .dropSource(let kind, let name, let ifExists, let deleteTopic):
            return "DROP \(kind.rawValue) \(ifExists ? "IF EXISTS " : "")\(self.name(name))"
                + (deleteTopic ? " DELETE TOPIC" : "")
        case .terminate(let queryID):
            return "TERMINATE " + queryTarget(queryID)
        case .pause(let queryID):
            return "PAUSE " + queryTarget(queryID)
        case .resume(let queryID):
            return "RESUME " + queryTarget(queryID)
        case .show(let target, let extended):
            return "SHOW \(target.rawValue)\(extended ? " EXTENDED" : "")"
        case .describe(let name, let listKind, let extended):
            let subject: String
            if let name {
                subject = Keyword(rawValue: name.value) != nil ? backQuoted(name.value) : self.name(name)
            } else {
                subject = listKind == .table ? "TABLES" : "STREAMS"
            }
            return "DESCRIBE \(subject)\(extended ? " EXTENDED" : "")"
        case .describeFunction(let name):
            return "DESCRIBE FUNCTION \(self.name(name))"
        case .describeConnector(let name):
            return "DESCRIBE CONNECTOR \(self.name(name))"
        case .explainQuery(let queryID):
            return "EXPLAIN " + queryTarget(queryID)
        case .explainStatement(let inner):
            return "EXPLAIN " + self.statement(inner)
        case .printTopic(let print):
            var text = "PRINT \(quote(print.topic))"
            if print.fromBeginning { text += " FROM BEGINNING" }
            if let interval = print.interval { text += " INTERVAL \(interval)" }
            if let limit = print.limit { text += " LIMIT \(limit)" }
            return text
        case .setProperty(let name, let value):
            return "SET \(quote(name)) = \(quote(value))"
        case .unsetProperty(let name):
            return "UNSET \(quote(name))"
        case .alterSystem(let name, let value):
            return "ALTER SYSTEM \(quote(name)) = \(quote(value))"
        case .defineVariable(let name, let value):
            return "DEFINE \(name) = \(quote(value))"
        case .undefineVariable(let name):
            return "UNDEFINE \(name)"
        case .runScript(let path):
            return "RUN SCRIPT \(quote(path))"
        case .createType(let name, let type, let ifNotExists):
            return "CREATE TYPE \(ifNotExists ? "IF NOT EXISTS " : "")\(self.name(name)) AS \(self.type(type))"
        case .dropType(let name, let ifExists):
            return "DROP TYPE \(ifExists ? "IF EXISTS " : "")\(self.name(name))"
        case .alterSource(let kind, let name, let columns):
            let additions = columns.map { "ADD COLUMN \(self.name($0.name)) \(type($0.type))" }
            return "ALTER \(kind.rawValue) \(self.name(name)) " + additions.joined(separator: ", ")
        case .assert(let assertion):
            return assert(assertion)
        case .createConnector(let create):
            return "CREATE \(create.kind.rawValue) CONNECTOR \(create.ifNotExists ? "IF NOT EXISTS " : "")"
                + "\(name(create.name)) WITH (\(properties(create.properties)))"
        case .dropConnector(let name, let ifExists):
            return "DROP CONNECTOR \(ifExists ? "IF EXISTS " : "")\(self.name(name))"
        }
    }

    private static func createSource(_ create: CreateSource) -> String {
        var text = "CREATE "
        if create.orReplace { text += "OR REPLACE " }
        if create.isSource { text += "SOURCE " }
        text += "\(create.kind.rawValue) "
        if create.ifNotExists { text += "IF NOT EXISTS " }
        text += name(create.name)
        text += sourceBody(create)
        return text
    }

    /// ` (columns) WITH (properties)`, each part only when present.
    private static func sourceBody(_ create: CreateSource) -> String {
        var text = ""
        if !create.elements.isEmpty {
            text += " (" + create.elements.map(element).joined(separator: ", ") + ")"
        }
        if !create.properties.isEmpty { text += " WITH (\(properties(create.properties)))" }
        return text
    }

    private static func element(_ element: TableElement) -> String {
        var text = "\(name(element.name)) \(type(element.type))"
        switch element.constraint {
        case .none: break
        case .key: text += " KEY"
        case .primaryKey: text += " PRIMARY KEY"
        case .headers: text += " HEADERS"
        case .header(let key): text += " HEADER(\(quote(key)))"
        }
        return text
    }

    private static func valuesTail(_ insert: InsertValues, keyword: String) -> String {
        var text = name(insert.target)
        if !insert.columns.isEmpty {
            text += " (" + insert.columns.map(name).joined(separator: ", ") + ")"
        }
        return text + " \(keyword) (" + insert.values.map(expression).joined(separator: ", ") + ")"
    }

    private static func queryTarget(_ queryID: String?) -> String {
        guard let queryID else { return "ALL" }
        if Keyword(rawValue: queryID) != nil { return backQuoted(queryID) }
        return name(Identifier(queryID))
    }

    private static func assert(_ assertion: AssertStatement) -> String {
        switch assertion {
        case .topic(let name, let properties, let exists, let timeout):
            var text = "ASSERT \(exists ? "" : "NOT EXISTS ")TOPIC \(quote(name))"
            if !properties.isEmpty { text += " WITH (\(self.properties(properties)))" }
            if let timeout { text += " TIMEOUT \(duration(timeout))" }
            return text
        case .schema(let subject, let id, let exists, let timeout):
            var text = "ASSERT \(exists ? "" : "NOT EXISTS ")SCHEMA"
            if let subject { text += " SUBJECT \(quote(subject))" }
            if let id { text += " ID \(id)" }
            if let timeout { text += " TIMEOUT \(duration(timeout))" }
            return text
        case .values(let insert):
            return "ASSERT VALUES " + valuesTail(insert, keyword: "VALUES")
        case .nullValues(let insert):
            return "ASSERT NULL VALUES " + valuesTail(insert, keyword: "KEY")
        case .source(let create):
            return "ASSERT \(create.kind.rawValue) \(name(create.name))" + sourceBody(create)
        }
    }

    // MARK: - Properties

    static func properties(_ properties: [Property]) -> String {
        properties.map { property in
            let key = isBareName(property.name) ? property.name : quote(property.name)
            return "\(key)=\(literal(property.value))"
        }.joined(separator: ", ")
    }

    // MARK: - Queries

    static func query(_ query: Query) -> String {
        var lines = ["SELECT " + query.selectItems.map(selectItem).joined(separator: ", ")]
        lines.append("FROM " + relation(query.from))
        if let window = query.window { lines.append("WINDOW " + self.window(window)) }
        if let condition = query.whereClause { lines.append("WHERE " + expression(condition)) }
        if !query.groupBy.isEmpty { lines.append("GROUP BY " + query.groupBy.map(expression).joined(separator: ", ")) }
        if !query.partitionBy.isEmpty {
            lines.append("PARTITION BY " + query.partitionBy.map(expression).joined(separator: ", "))
        }
        if let having = query.having { lines.append("HAVING " + expression(having)) }
        if let emit = query.emit { lines.append("EMIT " + emit.rawValue) }
        if let limit = query.limit { lines.append("LIMIT \(limit)") }
        return lines.joined(separator: "\n")
    }

    private static func selectItem(_ item: SelectItem) -> String {
        switch item {
        case .all: return "*"
        case .allFrom(let source): return "\(name(source)).*"
        case .allFieldsOf(let base):
            switch base.kind {
            case .column, .dereference, .subscript, .functionCall, .structConstructor, .variable:
                return "\(expression(base))->*"
            default:
                return "(\(expression(base)))->*"
            }
        case .expression(let expr, let alias):
            guard let alias else { return expression(expr) }
            return "\(expression(expr)) AS \(name(alias))"
        }
    }

    private static func relation(_ relation: Relation) -> String {
        switch relation {
        case .source(let source, let alias):
            guard let alias else { return name(source) }
            return "\(name(source)) \(name(alias))"
        case .join(let join):
            var text = self.relation(join.left) + "\n\(join.type.rawValue) JOIN " + self.relation(join.right)
            if let within = join.within {
                text += " WITHIN "
                text +=
                    within.before == within.after
                    ? duration(within.before) : "(\(duration(within.before)), \(duration(within.after)))"
                if let grace = within.grace { text += " GRACE PERIOD \(duration(grace))" }
            }
            return text + " ON " + expression(join.condition)
        }
    }

    private static func window(_ window: WindowSpec) -> String {
        var parts: [String]
        let kind: String
        switch window.kind {
        case .tumbling(let size):
            kind = "TUMBLING"
            parts = ["SIZE \(duration(size))"]
        case .hopping(let size, let advance):
            kind = "HOPPING"
            parts = ["SIZE \(duration(size))", "ADVANCE BY \(duration(advance))"]
        case .session(let gap):
            kind = "SESSION"
            parts = [duration(gap)]
        }
        if let retention = window.retention { parts.append("RETENTION \(duration(retention))") }
        if let grace = window.grace { parts.append("GRACE PERIOD \(duration(grace))") }
        return "\(kind) (" + parts.joined(separator: ", ") + ")"
    }

    static func duration(_ duration: Duration) -> String {
        "\(duration.value) \(duration.unit.rawValue)"
    }
}
