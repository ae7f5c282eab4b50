/// How one case ended.
public enum CaseStatus: String, Sendable, CaseIterable {
    case pass
    case fail
    case error
    case unsupported

    /// The word that starts the case's result line.
    public var label: String {
        switch self {
        case .pass: "PASS"
        case .fail: "FAIL"
        case .error: "ERROR"
        case .unsupported: "UNSUPPORTED"
        }
    }
}

/// The result of one case, as printed and reported.
public struct CaseResult: Sendable, Hashable {
    public var file: String
    public var name: String
    public var status: CaseStatus
    /// Why it did not pass (or, for a pass, an optional note such as the rejection that was
    /// expected); empty when there is nothing to say.
    public var reason: String

    public init(file: String, name: String, status: CaseStatus, reason: String = "") {
        self.file = file
        self.name = name
        self.status = status
        self.reason = reason
    }

    /// `PASS  file: name`, or `FAIL  file: name — reason` for anything but a pass.
    public var line: String {
        let head = "\(status.label)  \(file): \(name)"
        if status == .pass || reason.isEmpty { return head }
        return "\(head) — \(ConformanceReport.oneLine(reason))"
    }
}
