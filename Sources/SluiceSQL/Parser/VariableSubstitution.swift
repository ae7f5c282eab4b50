/// Replaces `${name}` references with `DEFINE`d values before a statement is parsed.
///
/// The engine calls this on each statement's text with the variables defined so far, then parses
/// the result (ksqlDB's DEFINE semantics). Substitution follows the lexer, not a text search:
///
/// - a `${name}` token (where a name or a literal can stand) is replaced by the value as is, so
///   `FROM ${src}` and `replicas = ${n}` both work;
/// - inside a string literal each `${name}` is replaced by the value with its single quotes
///   doubled, so the string stays well formed (`'${topic}'`);
/// - `$${name}` (in a string or outside) is an escape for the text `${name}`;
/// - comments and quoted identifiers are left alone.
///
/// Variable names are case-insensitive, as in ksqlDB. A reference to a variable that is not
/// defined is an error naming it.
public enum VariableSubstitution {
    /// - Throws: ``SQLError`` (`sql.undefined-variable`) pointing at the first undefined reference.
    public static func substitute(_ text: String, variables: [String: String]) throws -> String {
        guard text.utf8.contains(UInt8(ascii: "$")) else { return text }
        var folded: [String: String] = [:]
        for (name, value) in variables {
            folded[name.uppercased()] = value
        }
        let bytes = Array(text.utf8)
        let tokens = bytes.withUnsafeBufferPointer { Lexer.tokenize($0) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var copied = 0
        var index = 0
        do throws(Diagnostic) {
            while index < tokens.count {
                let token = tokens[index]
                switch token.kind {
                case .variable:
                    output.append(contentsOf: bytes[copied..<token.start])
                    output.append(contentsOf: try lookup(token, in: bytes, folded).utf8)
                    copied = token.end
                case .invalidCharacter
                where bytes[token.start] == UInt8(ascii: "$") && index + 1 < tokens.count
                    && tokens[index + 1].kind == .variable && tokens[index + 1].start == token.end:
                    // `$${name}`: drop the first '$' and keep the reference as text.
                    output.append(contentsOf: bytes[copied..<token.start])
                    output.append(contentsOf: bytes[tokens[index + 1].start..<tokens[index + 1].end])
                    copied = tokens[index + 1].end
                    index += 1
                case .string:
                    output.append(contentsOf: bytes[copied..<token.start])
                    try substituteInString(bytes, token, folded, into: &output)
                    copied = token.end
                default:
                    break
                }
                index += 1
            }
        } catch {
            throw SQLError(error, source: text)
        }
        output.append(contentsOf: bytes[copied..<bytes.count])
        return String(decoding: output, as: UTF8.self)
    }

    private static func lookup(
        _ token: Token, in bytes: [UInt8], _ variables: [String: String]
    ) throws(Diagnostic)
        -> String
    {
        let name = String(decoding: bytes[(token.start + 2)..<(token.end - 1)], as: UTF8.self)
        guard let value = variables[name.uppercased()] else {
            throw SyntaxDiagnostics.undefinedVariable(name, range: token.range)
        }
        return value
    }

    private static func substituteInString(
        _ bytes: [UInt8], _ token: Token, _ variables: [String: String], into output: inout [UInt8]
    ) throws(Diagnostic) {
        var index = token.start
        let end = token.end
        while index < end {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "$"), index + 1 < end else {
                output.append(byte)
                index += 1
                continue
            }
            if bytes[index + 1] == UInt8(ascii: "$"), let close = referenceEnd(bytes, at: index + 1, limit: end) {
                output.append(contentsOf: bytes[(index + 1)..<close])
                index = close
            } else if let close = referenceEnd(bytes, at: index, limit: end) {
                let reference = Token(kind: .variable, start: index, end: close)
                for valueByte in try lookup(reference, in: bytes, variables).utf8 {
                    output.append(valueByte)
                    if valueByte == UInt8(ascii: "'") { output.append(valueByte) }
                }
                index = close
            } else {
                output.append(byte)
                index += 1
            }
        }
    }

    /// The end of a well-formed `${name}` starting at `start`, or nil.
    private static func referenceEnd(_ bytes: [UInt8], at start: Int, limit: Int) -> Int? {
        guard start + 3 < limit, bytes[start] == UInt8(ascii: "$"), bytes[start + 1] == UInt8(ascii: "{"),
            Lexer.isIdentifierStart(bytes[start + 2])
        else { return nil }
        var index = start + 3
        while index < limit && Lexer.isIdentifierPart(bytes[index]) { index += 1 }
        guard index < limit, bytes[index] == UInt8(ascii: "}") else { return nil }
        return index + 1
    }
}
