/// A command-line usage error: printed with the command's usage hint, exit status 2.
public struct UsageError: Error, CustomStringConvertible {
    public var message: String
    /// The command whose `--help` the error should point to (nil for the top level).
    public var command: String?

    public init(_ message: String, command: String? = nil) {
        self.message = message
        self.command = command
    }

    public var description: String { message }
}

/// What a command accepts: named options (with or without a value) and positional arguments.
///
/// A deliberately small parser: `--name value`, `--name=value`, `-x value` for declared short
/// aliases, flags without a value, repeatable options, and `--` to end options. Anything starting
/// with `-` that is not declared is an error, so typos never turn into silent positional arguments.
struct OptionSpec {
    enum Kind {
        case flag
        case value(placeholder: String)
    }

    var name: String
    var short: Character?
    var kind: Kind
    var help: String
    var repeatable = false

    static func flag(_ name: String, short: Character? = nil, _ help: String) -> OptionSpec {
        OptionSpec(name: name, short: short, kind: .flag, help: help)
    }

    static func value(
        _ name: String, short: Character? = nil, placeholder: String, repeatable: Bool = false, _ help: String
    ) -> OptionSpec {
        OptionSpec(name: name, short: short, kind: .value(placeholder: placeholder), help: help, repeatable: repeatable)
    }

    var takesValue: Bool {
        if case .value = kind { return true }
        return false
    }

    /// `--name VALUE` or `-n, --name`, as shown in help.
    var synopsis: String {
        var text = ""
        if let short { text += "-\(short), " }
        text += "--\(name)"
        if case .value(let placeholder) = kind { text += " \(placeholder)" }
        return text
    }
}

/// The parsed command line of one command.
struct ParsedArguments {
    var positionals: [String] = []
    private(set) var values: [String: [String]] = [:]
    private(set) var flags: Set<String> = []

    func has(_ flag: String) -> Bool { flags.contains(flag) }
    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }

    mutating func setFlag(_ name: String) { flags.insert(name) }
    mutating func addValue(_ name: String, _ value: String) { values[name, default: []].append(value) }

    /// The value of `name` as a whole number within `range`.
    func integer(_ name: String, in range: ClosedRange<Int>, command: String) throws(UsageError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text), range.contains(number) else {
            let bound = range.upperBound == Int.max ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
            throw UsageError("option '--\(name)' expects a whole number \(bound), got '\(text)'", command: command)
        }
        return number
    }

    /// Parses `arguments` against `options`; `command` names the command in error messages.
    static func parse(_ arguments: [String], options: [OptionSpec], command: String) throws(UsageError) -> ParsedArguments {
        var result = ParsedArguments()
        var index = 0
        var optionsEnded = false
        func lookup(long name: String) -> OptionSpec? { options.first { $0.name == name } }
        func lookup(short: Character) -> OptionSpec? { options.first { $0.short == short } }

        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || argument == "-" || !argument.hasPrefix("-") {
                result.positionals.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            var spec: OptionSpec?
            var inlineValue: String?
            if argument.hasPrefix("--") {
                var name = String(argument.dropFirst(2))
                if let equals = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                }
                spec = lookup(long: name)
            } else if argument.count == 2, let letter = argument.last {
                spec = lookup(short: letter)
            }
            guard let spec else {
                var message = "unknown option '\(argument)' for '\(command)'"
                let bare = argument.drop { $0 == "-" }.split(separator: "=").first.map(String.init) ?? ""
                if let near = nearest(to: bare, among: options.map(\.name)) { message += "; did you mean '--\(near)'?" }
                throw UsageError(message, command: command)
            }
            if spec.takesValue {
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else if index < arguments.count {
                    value = arguments[index]
                    index += 1
                } else {
                    throw UsageError("option '--\(spec.name)' needs a value", command: command)
                }
                if !spec.repeatable && result.values[spec.name] != nil {
                    throw UsageError("option '--\(spec.name)' given more than once", command: command)
                }
                result.addValue(spec.name, value)
            } else {
                if inlineValue != nil {
                    throw UsageError("option '--\(spec.name)' takes no value", command: command)
                }
                result.setFlag(spec.name)
            }
        }
        return result
    }
}

/// The closest candidate by edit distance, if it is close enough to be a likely typo.
func nearest(to word: String, among candidates: [String]) -> String? {
    let word = word.lowercased()
    guard !word.isEmpty else { return nil }
    var best: (String, Int)?
    for candidate in candidates {
        let distance = editDistance(word, candidate.lowercased())
        if distance <= max(1, word.count / 3), best == nil || distance < best!.1 {
            best = (candidate, distance)
        }
    }
    return best?.0
}

/// Levenshtein distance over characters.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = Array(repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
