import Foundation

/// Results as JSON Lines for `--output json`: one object per row, keyed by column name.
///
/// The engine hands rows over as text, so a cell's JSON type is read back from that text: a cell
/// that is a JSON number, `true`, `false`, `null`, or a complete JSON object or array is written as
/// that value, anything else as a string. (A STRING column holding `42` therefore prints as the
/// number 42.)
enum JSONLines {
    static func row(headers: [String], cells: [String]) -> String {
        var members: [String] = []
        for index in 0..<max(headers.count, cells.count) {
            let name = index < headers.count ? headers[index] : "column\(index + 1)"
            let cell = index < cells.count ? cells[index] : ""
            members.append(string(name) + ":" + value(cell))
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// `{"message":"..."}` for output that is not a row.
    static func object(_ key: String, _ text: String) -> String {
        "{" + string(key) + ":" + string(text) + "}"
    }

    /// The cell as a JSON value (see the type's comment).
    static func value(_ cell: String) -> String {
        if cell == "true" || cell == "false" || cell == "null" || isNumber(cell) { return cell }
        if let first = cell.first, first == "{" || first == "[", isJSON(cell) { return cell }
        return string(cell)
    }

    /// A JSON string literal.
    static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func isNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        func digits() -> Int {
            var count = 0
            while let b = bytes.first, b >= 48 && b <= 57 {
                bytes = bytes.dropFirst()
                count += 1
            }
            return count
        }
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        if bytes.first == UInt8(ascii: "0") {
            bytes = bytes.dropFirst()
        } else if digits() == 0 {
            return false
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            if digits() == 0 { return false }
        }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            if digits() == 0 { return false }
        }
        return bytes.isEmpty
    }

    private static func isJSON(_ text: String) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil
    }
}
