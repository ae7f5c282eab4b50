import SluiceLog
import SluicePlanner
import SluiceSQL
import SluiceTypes

extension Engine {
    /// Executes one parsed statement. Throws a ``Diagnostic`` (or ``SQLError``) to reject it.
    func run(_ statement: Statement, text: String) throws -> StatementResult {
        switch statement {
        case .createSource(let create):
            return try createSource(create, text: text)
        case .createAsSelect(let create):
            return try createAsSelect(create, text: text)
        case .insertInto(let target, let query):
            return try insertSelect(target: target, query: query, text: text)
        case .insertValues(let insert):
            return try insertValues(insert)
        case .select(let query):
            return try select(query, text: text)
        case .dropSource(let kind, let name, let ifExists, let deleteTopic):
            return try dropSource(kind: kind, name: name, ifExists: ifExists, deleteTopic: deleteTopic, text: text)
        case .terminate(let id):
            return try terminate(id, text: text)
        case .pause(let id):
            return try pauseOrResume(id, pause: true)
        case .resume(let id):
            return try pauseOrResume(id, pause: false)
        case .show(let target, let extended):
            return try show(target, extended: extended)
        case .describe(let name, let listKind, let extended):
            return try describe(name: name, listKind: listKind, extended: extended)
        case .describeFunction(let name):
            return try describeFunction(name)
        case .explainQuery(let id):
            return try explainQuery(id)
        case .explainStatement(let inner):
            return try explainStatement(inner)
        case .printTopic(let print):
            return try printTopic(print)
        case .setProperty(let name, let value):
            properties[name] = value
            try remember(text)
            return .message("Successfully changed local property '\(name)' to '\(value)'.")
        case .unsetProperty(let name):
            properties[name] = EngineConfiguration.defaultProperties[name]
            if properties[name] == nil { properties.removeValue(forKey: name) }
            try remember(text)
            return .message("Successfully unset local property '\(name)'.")
        case .defineVariable(let name, let value):
            variables[name] = value
            return .message("Defined variable '\(name)'.")
        case .undefineVariable(let name):
            guard variables.removeValue(forKey: name) != nil else {
                throw EngineErrors.semantic("unknown-variable", "variable '\(name)' is not defined")
            }
            return .message("Undefined variable '\(name)'.")
        case .runScript(let path):
            return try runScript(path)
        case .createType(let name, let type, let ifNotExists):
            if catalog.types[name.value] != nil {
                if ifNotExists { return .message("Type '\(name.value)' already exists.") }
                throw EngineErrors.semantic("type-exists", "type '\(name.value)' already exists", name.range)
            }
            let resolved = try TypeResolver(customTypes: catalog.types).resolve(type, range: name.range)
            catalog.registerType(name.value, resolved)
            try remember(text)
            return .message("Registered custom type with name '\(name.value)' and SQL type \(resolved)")
        case .dropType(let name, let ifExists):
            guard catalog.types[name.value] != nil else {
                if ifExists { return .message("Type '\(name.value)' does not exist.") }
                throw EngineErrors.semantic("unknown-type", "type '\(name.value)' does not exist", name.range)
            }
            catalog.removeType(name.value)
            try remember(text)
            return .message("Dropped type '\(name.value)'")
        case .alterSource:
            throw EngineErrors.notSupported("ALTER STREAM and ALTER TABLE")
        case .assert:
            throw EngineErrors.notSupported("ASSERT statements")
        case .insertIntoWithProperties(let target, _, let query):
            return try insertSelect(target: target, query: query, text: text)
        case .createConnector, .dropConnector, .describeConnector:
            throw EngineErrors.notSupported("connectors")
        case .alterSystem:
            throw EngineErrors.notSupported("ALTER SYSTEM")
        }
    }

    private func runScript(_ path: String) throws -> StatementResult {
        let script: String
        do {
            script = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw EngineErrors.semantic("script-unreadable", "cannot read script '\(path)': \(error.localizedDescription)")
        }
        var last: StatementResult = .message("Ran script '\(path)'.")
        for piece in SQLParser.splitStatements(script) {
            last = try executeOne(piece.text, origin: (script, piece.range.start))
        }
        return last
    }
}

/// The engine's own messages, in one place.
enum EngineErrors {
    static func semantic(_ id: String, _ message: String, _ range: SourceRange? = nil, help: String? = nil) -> Diagnostic {
        Diagnostic(category: .semantic, id: "engine.\(id)", message: message, range: range, help: help)
    }

    static func notSupported(_ feature: String, _ range: SourceRange? = nil) -> Diagnostic {
        Diagnostic(category: .notSupported, id: "engine.not-supported", message: "not supported yet: \(feature)", range: range)
    }
}
