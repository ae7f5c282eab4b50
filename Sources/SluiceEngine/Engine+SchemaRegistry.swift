import SluicePlanner
import SluiceSQL
import SluiceTypes

/// The `WITH` properties that tie a stream or table to the schema registry.
struct RegistryProperties {
    var keySchemaID: Int?
    var valueSchemaID: Int?
    var keySchemaFullName: String?
    var valueSchemaFullName: String?

    init(_ properties: [Property]) throws {
        for p in properties {
            switch p.name {
            case "KEY_SCHEMA_ID": keySchemaID = try Self.int(p)
            case "VALUE_SCHEMA_ID": valueSchemaID = try Self.int(p)
            case "KEY_SCHEMA_FULL_NAME": keySchemaFullName = Self.text(p.value)
            case "VALUE_SCHEMA_FULL_NAME", "VALUE_AVRO_SCHEMA_FULL_NAME": valueSchemaFullName = Self.text(p.value)
            default: break
            }
        }
    }

    func schemaID(isKey: Bool) -> Int? { isKey ? keySchemaID : valueSchemaID }
    func fullName(isKey: Bool) -> String? { isKey ? keySchemaFullName : valueSchemaFullName }

    private static func text(_ literal: Literal) -> String? {
        switch literal {
        case .string(let s), .integer(let s), .decimal(let s), .double(let s): s
        case .boolean(let b): b ? "true" : "false"
        case .null: nil
        }
    }

    private static func int(_ p: Property) throws -> Int {
        guard let t = text(p.value), let v = Int(t.trimmingSpaces) else {
            throw EngineErrors.semantic("bad-property", "property '\(p.name)' must be an integer", p.range)
        }
        return v
    }
}

/// The schemas a `CREATE STREAM/TABLE` over an existing topic reads with, decided before the
/// statement is planned (see ``Engine/inferRegistryColumns(_:)``).
struct RegistryInference {
    /// The statement with the columns it left out filled in from the registry.
    var statement: CreateSource
    /// The registered schema each side reads with, when it is not the one derived from the columns.
    var keySchema: PhysicalSchema?
    var valueSchema: PhysicalSchema?
    var inferredKey = false
    var inferredValue = false
}

/// The schemas a `CREATE STREAM/TABLE` with columns declares for its topic: what ksqlDB's test
/// framework registers for such statements before running them.
public struct DeclaredTopicSchemas: Sendable, Hashable {
    public var topic: String
    public var key: (type: RegisteredSchemaType, text: String)?
    public var value: (type: RegisteredSchemaType, text: String)?

    public static func == (a: DeclaredTopicSchemas, b: DeclaredTopicSchemas) -> Bool {
        a.topic == b.topic && a.key?.type == b.key?.type && a.key?.text == b.key?.text
            && a.value?.type == b.value?.type && a.value?.text == b.value?.text
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(topic) }
}

/// Schema inference and registration, ksqlDB's `DefaultSchemaInjector` and
/// `SchemaRegisterInjector`:
///
/// - A `CREATE STREAM/TABLE` without key (or value) columns, whose key (value) format has a
///   schema registry (AVRO, PROTOBUF, JSON_SR), takes them from the schema registered under
///   `<topic>-key` (`<topic>-value`), or from the schema `KEY_SCHEMA_ID` (`VALUE_SCHEMA_ID`)
///   names. A key schema becomes one column ROWKEY (AVRO, JSON_SR) or the fields of its message
///   (PROTOBUF, which must have one); a value record its fields, a bare value schema (with
///   `WRAP_SINGLE_VALUE=false`) one column ROWVAL.
/// - With a schema id, columns keep the schema's field names and the source reads and writes with
///   that schema; without one, names are upper-cased.
/// - A source with columns over a topic whose registered AVRO schema differs from the one ksqlDB
///   derives reads with the registered one (the one its producers used).
/// - `CREATE ... AS SELECT` with `KEY_SCHEMA_ID` / `VALUE_SCHEMA_ID` writes with that schema, whose
///   fields must start with the query's columns, in order, with the same names and types.
/// - Declared schemas are registered: a source's when its subject is new, a sink's always.
extension Engine {
    static func supportsRegistry(_ format: FormatKind) -> Bool {
        RegisteredSchemaType(format: format) != nil
    }

    func inferRegistryColumns(_ create: CreateSource) throws -> RegistryInference {
        var result = RegistryInference(statement: create)
        let props = try SourceProperties(create.properties)
        let registry = try RegistryProperties(create.properties)
        guard let topic = props.topic, let valueFormat = props.valueFormat ?? defaultValueFormat else { return result }
        let keyFormat = props.keyFormat ?? defaultKeyFormat
        let keyElements = create.elements.filter { $0.constraint == .key || $0.constraint == .primaryKey }
        let valueElements = create.elements.filter { $0.constraint == .none }
        let headerElements = create.elements.filter {
            switch $0.constraint {
            case .headers, .header: return true
            default: return false
            }
        }

        func shouldInfer(isKey: Bool, format: FormatKind, hasElements: Bool) throws -> Bool {
            let idName = isKey ? "KEY_SCHEMA_ID" : "VALUE_SCHEMA_ID"
            if registry.schemaID(isKey: isKey) != nil {
                guard Self.supportsRegistry(format) else {
                    throw EngineErrors.semantic(
                        "schema-id-format",
                        "\(isKey ? "KEY_FORMAT" : "VALUE_FORMAT") should support schema inference when \(idName) is provided. Current format is \(format.rawValue).")
                }
                guard !hasElements else {
                    throw EngineErrors.semantic(
                        "schema-id-with-columns", "Table elements and \(idName) cannot both exist for create statement.")
                }
                return true
            }
            return !hasElements && Self.supportsRegistry(format)
        }

        let inferKey = try shouldInfer(isKey: true, format: keyFormat, hasElements: !keyElements.isEmpty)
        let inferValue = try shouldInfer(isKey: false, format: valueFormat, hasElements: !valueElements.isEmpty)
        var elements: [TableElement] = keyElements
        if inferKey {
            let (schema, columns) = try registeredColumns(
                topic: topic, format: keyFormat, isKey: true, registry: registry, unwrapped: SchemaInference.unwrapsKeys(keyFormat),
                checkSingleDefinition: true)
            let constraint: ColumnConstraint = create.kind == .table ? .primaryKey : .key
            elements = columns.map { TableElement(name: Identifier($0.name, quoted: true), type: Self.syntax($0.type), constraint: constraint) }
            result.keySchema = schema
            result.inferredKey = true
        }
        if inferValue {
            let (schema, columns) = try registeredColumns(
                topic: topic, format: valueFormat, isKey: false, registry: registry,
                unwrapped: (props.wrapSingleValue ?? wrapDefault) == false, checkSingleDefinition: true)
            elements += columns.map { TableElement(name: Identifier($0.name, quoted: true), type: Self.syntax($0.type)) }
            result.valueSchema = schema
            result.inferredValue = true
        } else {
            elements += valueElements
        }
        if inferKey || inferValue {
            result.statement.elements = elements + headerElements
        }
        return result
    }

    /// The registered schema for one side of `topic` and the columns it gives.
    func registeredColumns(
        topic: String, format: FormatKind, isKey: Bool, registry props: RegistryProperties, unwrapped: Bool,
        checkSingleDefinition: Bool
    ) throws -> (PhysicalSchema, [StructField]) {
        let subject = SchemaRegistry.subject(topic: topic, isKey: isKey)
        let id = props.schemaID(isKey: isKey)
        let what = isKey ? "keys" : "values"
        guard let registered = id.flatMap(schemaRegistry.schema(id:)) ?? (id == nil ? schemaRegistry.latest(subject: subject)?.schema : nil)
        else {
            throw EngineErrors.semantic(
                "schema-not-found",
                "Schema for message \(what) on topic '\(topic)' does not exist in the Schema Registry. Subject: \(subject)"
                    + (id.map { ", schema id: \($0)" } ?? ""))
        }
        guard let expected = RegisteredSchemaType(format: format), registered.type == expected else {
            throw EngineErrors.semantic(
                "schema-format",
                "\(isKey ? "Key" : "Value") schema is not in the expected format. You may want to set \(isKey ? "KEY_FORMAT" : "VALUE_FORMAT") to '\(registered.type == .json ? "JSON_SR" : registered.type.rawValue)'. topic: \(topic), expected format: \(format.rawValue), actual format: \(registered.type.rawValue)")
        }
        let fullName = props.fullName(isKey: isKey)
        let physical = registered.physical(fullName: fullName)
        if checkSingleDefinition, fullName == nil {
            let names = try registryCall { () throws(RecordError) in try SchemaInference.definedNames(physical) }
            if names.count > 1 {
                throw EngineErrors.semantic(
                    "schema-definitions",
                    "\(isKey ? "Key" : "Value") schema has multiple schema definitions. \(names.map { "- \($0)" }.joined(separator: " ")). Please specify a schema full name in the WITH clause using \(isKey ? "KEY_SCHEMA_FULL_NAME" : "VALUE_SCHEMA_FULL_NAME")")
            }
        }
        let columns: [StructField]
        do {
            columns = try SchemaInference.columns(
                of: physical, isKey: isKey, unwrapped: unwrapped, names: id == nil ? .upperCased : .original)
        } catch {
            throw EngineErrors.semantic(
                "schema-incompatible",
                "Unable to verify if the \(isKey ? "key" : "value") schema for topic \(topic) is compatible with ksqlDB. Reason: \(error.message)")
        }
        if isKey && columns.count > 1 {
            throw EngineErrors.semantic(
                "multi-column-key-schema",
                "The key schema for topic \(topic) contains multiple columns, which is not supported by ksqlDB at this time.")
        }
        return (physical, columns)
    }

    private func registryCall<T>(_ body: () throws(RecordError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw EngineErrors.semantic("schema-registry", error.message)
        }
    }

    /// Sets the schemas a new source reads with: the inferred ones, or for a side with columns
    /// over a topic with a registered AVRO schema other than the derived one, that schema.
    func applyRegistrySchemas(_ inference: RegistryInference, to source: inout SourceDescription) {
        for isKey in [true, false] {
            let inferred = isKey ? inference.inferredKey : inference.inferredValue
            let format = isKey ? source.keyFormat : source.valueFormat
            let columns = isKey ? source.keyColumns : source.valueColumns
            var physical = isKey ? inference.keySchema : inference.valueSchema
            if !inferred {
                physical = nil
                if format == .avro, !columns.isEmpty,
                    let latest = schemaRegistry.latest(subject: SchemaRegistry.subject(topic: source.topic, isKey: isKey)),
                    latest.schema.type == .avro,
                    let derived = DerivedRegistrySchema.schema(
                        format: format, columns: columns, isKey: isKey, wrap: source.valueOptions.wrapSingleValue),
                    SchemaInference.canonicalText(derived.text, type: .avro)
                        != SchemaInference.canonicalText(latest.schema.text, type: .avro)
                {
                    physical = latest.schema.physical()
                }
            }
            if isKey { source.keyOptions.physicalSchema = physical } else { source.valueOptions.physicalSchema = physical }
        }
    }

    /// Registers the schemas a source or sink declares through its columns. `always`: even when
    /// the subject has schemas already (sinks); sources register only new subjects.
    func registerDeclaredSchemas(_ source: SourceDescription, always: Bool) {
        for isKey in [true, false] {
            let options = isKey ? source.keyOptions : source.valueOptions
            guard options.physicalSchema == nil else { continue }
            let subject = SchemaRegistry.subject(topic: source.topic, isKey: isKey)
            if !always && schemaRegistry.subjectExists(subject) { continue }
            guard
                let derived = DerivedRegistrySchema.schema(
                    format: isKey ? source.keyFormat : source.valueFormat,
                    columns: isKey ? source.keyColumns : source.valueColumns, isKey: isKey,
                    wrap: source.valueOptions.wrapSingleValue)
            else { continue }
            _ = try? schemaRegistry.register(subject: subject, schemaType: derived.type, schema: derived.text)
        }
    }

    /// For `CREATE ... AS SELECT`: drops the schemas the sink inherited from its input, and applies
    /// `KEY_SCHEMA_ID` / `VALUE_SCHEMA_ID`, checking the query's columns against them.
    func applySinkRegistrySchemas(_ properties: [Property], to sink: inout SourceDescription) throws {
        sink.keyOptions.physicalSchema = nil
        sink.valueOptions.physicalSchema = nil
        let registry = try RegistryProperties(properties)
        for isKey in [true, false] {
            guard registry.schemaID(isKey: isKey) != nil else { continue }
            let format = isKey ? sink.keyFormat : sink.valueFormat
            guard Self.supportsRegistry(format) else {
                throw EngineErrors.semantic(
                    "schema-id-format",
                    "\(isKey ? "KEY_FORMAT" : "VALUE_FORMAT") should support schema inference when \(isKey ? "KEY_SCHEMA_ID" : "VALUE_SCHEMA_ID") is provided. Current format is \(format.rawValue).")
            }
            let columns = isKey ? sink.keyColumns : sink.valueColumns
            let unwrapped = isKey ? SchemaInference.unwrapsKeys(format) : sink.valueOptions.wrapSingleValue == false
            let (physical, registered) = try registeredColumns(
                topic: sink.topic, format: format, isKey: isKey, registry: registry, unwrapped: unwrapped,
                checkSingleDefinition: false)
            // Each column must be the registered column at its position (ksqlDB compares name,
            // type and index); registered columns after the query's are allowed.
            let changed = columns.enumerated().filter { i, c in
                i >= registered.count || registered[i].name != c.name || registered[i].type != c.type
            }.map(\.element)
            if !changed.isEmpty {
                func show(_ name: String, _ type: SQLType) -> String { "`\(name)` \(type)\(isKey ? " KEY" : "")" }
                throw EngineErrors.semantic(
                    "schema-columns",
                    "The following \(isKey ? "key" : "value") columns are changed, missing or reordered: [\(changed.map { show($0.name, $0.type) }.joined(separator: ", "))]. Schema from schema registry is [\(registered.map { show($0.name, $0.type) }.joined(separator: ", "))]")
            }
            var chosen = physical
            if chosen.fullName == nil, physical.type == .protobuf {
                chosen.fullName = (try? SchemaInference.definedNames(physical))?.first
            }
            if isKey { sink.keyOptions.physicalSchema = chosen } else { sink.valueOptions.physicalSchema = chosen }
        }
    }

    /// The schemas `statement` declares for its topic, when it is a `CREATE STREAM/TABLE` with
    /// columns in formats with a registry (nil otherwise, or when it cannot be planned). Nothing is
    /// executed or registered.
    public func declaredTopicSchemas(_ statement: String) -> DeclaredTopicSchemas? {
        lock.lock()
        defer { lock.unlock() }
        guard case .createSource(let create)? = try? SQLParser.parseStatement(statement), !create.elements.isEmpty else {
            return nil
        }
        let planner = CreateSourcePlanner(
            types: TypeResolver(customTypes: catalog.types), defaultKeyFormat: defaultKeyFormat,
            defaultValueFormat: defaultValueFormat)
        guard let planned = try? planner.plan(create, text: statement, range: create.name.range) else { return nil }
        var source = planned.0
        let props = planned.1
        if props.wrapSingleValue == nil, let wrap = wrapDefault, source.valueColumns.count == 1 {
            source.valueOptions.wrapSingleValue = wrap
        }
        let key = DerivedRegistrySchema.schema(format: source.keyFormat, columns: source.keyColumns, isKey: true, wrap: nil)
        let value = DerivedRegistrySchema.schema(
            format: source.valueFormat, columns: source.valueColumns, isKey: false, wrap: source.valueOptions.wrapSingleValue)
        return DeclaredTopicSchemas(topic: source.topic, key: key, value: value)
    }

    /// The syntax of a SQL type, for columns the registry supplies.
    static func syntax(_ type: SQLType) -> TypeSyntax {
        switch type {
        case .boolean: .boolean
        case .integer: .integer
        case .bigint: .bigint
        case .double: .double
        case .decimal(let p, let s): .decimal(precision: p, scale: s)
        case .string: .string
        case .bytes: .bytes
        case .date: .date
        case .time: .time
        case .timestamp: .timestamp
        case .array(let e): .array(syntax(e))
        case .map(let k, let v): .map(key: syntax(k), value: syntax(v))
        case .structure(let fields):
            .structure(fields.map { StructFieldSyntax(name: Identifier($0.name, quoted: true), type: syntax($0.type)) })
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
