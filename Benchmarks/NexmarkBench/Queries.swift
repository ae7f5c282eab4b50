import Foundation

/// One benchmark query: a `.sql` file of `queries/` (one or more statements; the last `CREATE`
/// names the sink whose records are counted and, in paced runs, timed).
struct BenchQuery {
    let name: String
    let sql: String
    /// The source topics it reads (`person`, `auction`, `bid`), from the names after FROM and JOIN.
    let sources: [String]
    /// The sink topic (the last CREATE STREAM/TABLE's name, upper-cased as the engine names it).
    let sink: String
    /// The first comment line of the file.
    let summary: String

    static func load(_ path: String) throws -> BenchQuery {
        let sql = try String(contentsOfFile: path, encoding: .utf8)
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let code = sql.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
            .joined(separator: "\n")
        var sources: [String] = []
        for m in matches(#"(?i)\b(?:FROM|JOIN)\s+([A-Za-z_][A-Za-z0-9_]*)"#, in: code) {
            let topic: String? = switch m.lowercased() {
            case "bid": "bid"
            case "auction": "auction"
            case "person", "person_t": "person"
            default: nil
            }
            if let topic, !sources.contains(topic) { sources.append(topic) }
        }
        let sink = matches(#"(?i)\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:STREAM|TABLE)\s+([A-Za-z_][A-Za-z0-9_]*)"#, in: code)
            .last?.uppercased() ?? name.uppercased()
        let summary = sql.split(separator: "\n").first.map {
            String($0.drop(while: { $0 == "-" || $0 == " " }))
        } ?? ""
        return BenchQuery(name: name, sql: sql, sources: sources, sink: sink, summary: summary)
    }

    private static func matches(_ pattern: String, in text: String) -> [String] {
        guard let re = try? NSRegularExpression(pattern: pattern) else { return [] }
        let ns = text as NSString
        return re.matches(in: text, range: NSRange(location: 0, length: ns.length)).map {
            ns.substring(with: $0.range(at: 1))
        }
    }

    /// Every `.sql` file of the directory: q0, q1... in number order, then the rest by name.
    static func loadAll(_ dir: String) throws -> [BenchQuery] {
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".sql") }
        func rank(_ file: String) -> (Int, Int, String) {
            let f = String(file.dropLast(4))
            let digits = f.dropFirst().prefix(while: \.isNumber)
            if f.hasPrefix("q"), let n = Int(digits) { return (0, n, f) }
            return (1, 0, f)
        }
        return try files.sorted { rank($0) < rank($1) }.map { try load(dir + "/" + $0) }
    }
}

/// The source declarations: the three Nexmark streams, and the persons as a table keyed by id.
func sourceDDL(for topics: Set<String>) -> String {
    var ddl = ""
    if topics.contains("bid") {
        ddl += """
            CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING,
              dateTime BIGINT, extra STRING)
              WITH (kafka_topic='bid', value_format='JSON', timestamp='dateTime');

            """
    }
    if topics.contains("auction") {
        ddl += """
            CREATE STREAM auction (id BIGINT, itemName STRING, description STRING, initialBid BIGINT,
              reserve BIGINT, dateTime BIGINT, expires BIGINT, seller BIGINT, category BIGINT, extra STRING)
              WITH (kafka_topic='auction', value_format='JSON', timestamp='dateTime');

            """
    }
    if topics.contains("person") {
        ddl += """
            CREATE STREAM person (id BIGINT, name STRING, emailAddress STRING, creditCard STRING, city STRING,
              state STRING, dateTime BIGINT, extra STRING)
              WITH (kafka_topic='person', value_format='JSON', timestamp='dateTime');
            CREATE TABLE person_t (id BIGINT PRIMARY KEY, name STRING, emailAddress STRING, creditCard STRING,
              city STRING, state STRING, dateTime BIGINT, extra STRING)
              WITH (kafka_topic='person', value_format='JSON', timestamp='dateTime');

            """
    }
    return ddl
}
