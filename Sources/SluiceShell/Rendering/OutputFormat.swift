/// How results are printed: set with `--output` on the command line or `output FORMAT` in the shell.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Boxed tables sized to their contents, narrowed to fit the terminal; a table that still does
    /// not fit is printed vertically. The default.
    case table
    /// Every row as a vertical record (`-[ RECORD 1 ]`), like psql's `\x`.
    case vertical
    /// One JSON object per line (JSON Lines): rows keyed by column name, other output as
    /// `{"message": ...}`, for scripts and `jq`.
    case json

    /// The accepted names, for usage messages: `table, vertical, json`.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
