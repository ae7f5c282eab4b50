import Foundation
import SluiceTypes

/// An in-memory schema registry, modelled on Confluent Schema Registry as ksqlDB's tests mock it:
/// subjects (`<topic>-key`, `<topic>-value`) hold versions of schemas, and every schema has a
/// global id.
///
/// - Registering a schema a subject already holds returns its id and adds no version.
/// - A schema registered under several subjects has one id (schemas are compared by
///   `SchemaInference.canonicalText`, so formatting differences do not count).
/// - New ids count up from 1; ids given explicitly (as test files give them) are used as they
///   are and do not move the counter.
///
/// Thread-safe: one lock guards the state; values handed out are copies.
public final class SchemaRegistry: @unchecked Sendable {
    /// One registered schema.
    public struct Schema: Hashable, Sendable {
        public var id: Int
        public var type: RegisteredSchemaType
        /// The text as registered.
        public var text: String
        public var references: [SchemaReferenceText]

        /// The schema as a format option, to read and write records with it.
        public func physical(fullName: String? = nil) -> PhysicalSchema {
            PhysicalSchema(id: UInt32(truncatingIfNeeded: id), type: type, text: text, references: references, fullName: fullName)
        }
    }

    /// One version of a subject.
    public struct SubjectVersion: Hashable, Sendable {
        public var subject: String
        public var version: Int
        public var schema: Schema
    }

    public enum RegistrationError: Error, CustomStringConvertible {
        /// The id is taken by a different schema.
        case idInUse(Int)
        case invalidID(Int)

        public var description: String {
            switch self {
            case .idInUse(let id): "schema id \(id) is already used by a different schema"
            case .invalidID(let id): "schema id \(id) is not a valid id (ids are positive)"
            }
        }
    }

    private struct Key: Hashable {
        var type: RegisteredSchemaType
        var canonical: String
        var references: [SchemaReferenceText]
    }

    private let lock = NSLock()
    private var byID: [Int: Schema] = [:]
    private var idByKey: [Key: Int] = [:]
    private var subjects: [String: [SubjectVersion]] = [:]
    private var lastGeneratedID = 0

    public init() {}

    /// Registers `schema` under `subject` and returns its id. `id`: the id to give it (an id a
    /// different schema has is an error); nil for the schema's existing id or a new one.
    @discardableResult
    public func register(
        subject: String, schemaType: RegisteredSchemaType, schema: String, references: [SchemaReferenceText] = [],
        id: Int? = nil
    ) throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        let key = Key(
            type: schemaType, canonical: SchemaInference.canonicalText(schema, type: schemaType), references: references)
        if let existing = subjects[subject]?.first(where: { Self.key($0.schema) == key }), id == nil || id == existing.schema.id {
            return existing.schema.id
        }
        let schemaID: Int
        if let id {
            guard id > 0 else { throw RegistrationError.invalidID(id) }
            if let taken = byID[id], Self.key(taken) != key { throw RegistrationError.idInUse(id) }
            schemaID = id
        } else if let known = idByKey[key] {
            schemaID = known
        } else {
            lastGeneratedID += 1
            while byID[lastGeneratedID] != nil { lastGeneratedID += 1 }
            schemaID = lastGeneratedID
        }
        let stored = Schema(id: schemaID, type: schemaType, text: schema, references: references)
        if byID[schemaID] == nil { byID[schemaID] = stored }
        if idByKey[key] == nil { idByKey[key] = schemaID }
        var versions = subjects[subject] ?? []
        versions.append(SubjectVersion(subject: subject, version: (versions.last?.version ?? 0) + 1, schema: stored))
        subjects[subject] = versions
        return schemaID
    }

    /// The newest version of `subject`, or nil when nothing is registered under it.
    public func latest(subject: String) -> SubjectVersion? {
        lock.lock()
        defer { lock.unlock() }
        return subjects[subject]?.last
    }

    /// Every version of `subject`, oldest first.
    public func versions(subject: String) -> [SubjectVersion] {
        lock.lock()
        defer { lock.unlock() }
        return subjects[subject] ?? []
    }

    /// The schema with `id`, or nil.
    public func schema(id: Int) -> Schema? {
        lock.lock()
        defer { lock.unlock() }
        return byID[id]
    }

    public func subjectExists(_ subject: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return !(subjects[subject]?.isEmpty ?? true)
    }

    /// The subjects, sorted.
    public var allSubjects: [String] {
        lock.lock()
        defer { lock.unlock() }
        return subjects.keys.filter { !(subjects[$0]?.isEmpty ?? true) }.sorted()
    }

    /// Forgets `subject` and its versions (ids stay resolvable, as in Schema Registry's soft delete).
    public func deleteSubject(_ subject: String) {
        lock.lock()
        defer { lock.unlock() }
        subjects[subject] = nil
    }

    /// The subject ksqlDB uses for the keys or values of `topic`.
    public static func subject(topic: String, isKey: Bool) -> String {
        topic + (isKey ? "-key" : "-value")
    }

    private static func key(_ s: Schema) -> Key {
        Key(type: s.type, canonical: SchemaInference.canonicalText(s.text, type: s.type), references: s.references)
    }
}
