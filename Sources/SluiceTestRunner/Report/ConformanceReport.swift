import SluiceTypes

/// The totals of a run, its summary line and its JSON report.
public struct ConformanceReport: Sendable {
    public var results: [CaseResult]

    public init(results: [CaseResult]) {
        self.results = results
    }

    public func count(_ status: CaseStatus) -> Int { results.reduce(0) { $0 + ($1.status == status ? 1 : 0) } }

    public var passed: Int { count(.pass) }

    /// `conformance: 412 of 1632 cases pass (1100 fail, 20 error, 100 unsupported)`.
    ///
    /// Deliberately not of the form "N passed, N failed", which CI reads as a test suite's result.
    public var summaryLine: String {
        "conformance: \(passed) of \(results.count) cases pass "
            + "(\(count(.fail)) fail, \(count(.error)) error, \(count(.unsupported)) unsupported)"
    }

    /// The exit status: 0 when every case passed (and there was at least one), or, with a minimum,
    /// when at least that many passed; 1 otherwise.
    public func exitStatus(minimumPassing: Int?) -> Int32 {
        if let minimumPassing { return passed >= minimumPassing ? 0 : 1 }
        return !results.isEmpty && passed == results.count ? 0 : 1
    }

    /// `{"cases": [{"file": ..., "name": ..., "status": ..., "reason": ...}, ...]}`, one case per line.
    public var json: String {
        var out = "{\"cases\": ["
        for (index, result) in results.enumerated() {
            out += index == 0 ? "\n" : ",\n"
            out += "  {\"file\": \(JSONText.quoted(result.file)), \"name\": \(JSONText.quoted(result.name)), "
            out +=
                "\"status\": \(JSONText.quoted(result.status.rawValue)), \"reason\": \(JSONText.quoted(result.reason))}"
        }
        out += results.isEmpty ? "]}\n" : "\n]}\n"
        return out
    }

    /// `text` on one line: line breaks become spaces, and very long text is cut.
    public static func oneLine(_ text: String, limit: Int = 600) -> String {
        var flat = ""
        var lastWasSpace = false
        for c in text {
            if c.isNewline || c == "\t" {
                if !lastWasSpace { flat.append(" ") }
                lastWasSpace = true
            } else {
                flat.append(c)
                lastWasSpace = c == " "
            }
        }
        if flat.count > limit { flat = String(flat.prefix(limit)) + "…" }
        return flat
    }
}
