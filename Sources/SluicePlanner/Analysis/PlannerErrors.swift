import SluiceSQL
import SluiceTypes

/// Every message the planner gives users, in one place so wording is reviewed together.
///
/// Messages start lowercase, carry no final period and quote source text with single quotes.
enum PlannerErrors {
    static func semantic(_ id: String, _ message: String, _ range: SourceRange?, help: String? = nil) -> Diagnostic {
        Diagnostic(category: .semantic, id: "plan.\(id)", message: message, range: range, help: help)
    }

    static func notSupported(_ feature: String, _ range: SourceRange?) -> Diagnostic {
        Diagnostic(category: .notSupported, id: "plan.not-supported", message: "not supported yet: \(feature)", range: range)
    }

    static func ambiguousColumn(_ name: String, _ range: SourceRange) -> Diagnostic {
        semantic("ambiguous-column", "column '\(name)' is ambiguous: qualify it with its source name", range)
    }

    static func unknownColumn(_ name: String, in sources: String, suggestion: String?, _ range: SourceRange) -> Diagnostic {
        semantic(
            "unknown-column", "unknown column '\(name)' in \(sources)", range,
            help: suggestion.map { "did you mean '\($0)'?" })
    }

    static func unknownSource(_ name: String, suggestion: String?, _ range: SourceRange) -> Diagnostic {
        semantic(
            "unknown-source", "unknown stream or table '\(name)'", range,
            help: suggestion.map { "did you mean '\($0)'?" })
    }

    static func typeMismatch(_ what: String, _ range: SourceRange) -> Diagnostic {
        semantic("type-mismatch", what, range)
    }

    static func unknownType(_ name: String, _ range: SourceRange) -> Diagnostic {
        semantic("unknown-type", "unknown type '\(name)'", range)
    }

    static func aggregateNotAllowed(_ name: String, _ range: SourceRange) -> Diagnostic {
        semantic("aggregate-not-allowed", "aggregate function '\(name)' cannot be used here", range)
    }
}
