import SluiceTypes

/// Reading helpers for test files, on top of SluiceTypes' JSON tree (which keeps numbers as
/// written, as ksqlDB's test framework needs).
extension JSONValue {
    /// The value of the member whose name matches `key` ignoring case; an exact match wins.
    func member(caseInsensitive key: String) -> JSONValue? {
        if let exact = self[key] { return exact }
        guard case .object(let members) = self else { return nil }
        let folded = key.uppercased()
        return members.last { $0.key.uppercased() == folded }?.value
    }

    /// The text a property value or a DELIMITED field takes: strings unquoted, the rest as JSON.
    var plainText: String {
        switch self {
        case .string(let text): text
        case .number(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        default: JSONWriter.string(self)
        }
    }
}

enum JSONText {
    /// `text` as a JSON string literal, quotes included.
    static func quoted(_ text: String) -> String { JSONWriter.string(.string(text)) }

    /// "line L, column C" for a byte offset into `text`, for error messages about test files.
    static func position(of offset: Int, in text: String) -> String {
        var line = 1
        var column = 1
        for byte in text.utf8.prefix(offset) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return "line \(line), column \(column)"
    }
}
