/// Finds the nearest known name to a misspelt one, by edit distance.
enum NameSuggestion {
    /// The closest of `candidates` to `name`, if it is close enough to be a likely typo (at most a
    /// third of the name's length, and at most 3 edits).
    static func nearest(to name: String, among candidates: [String]) -> String? {
        let target = Array(name.uppercased().utf8)
        let limit = min(3, max(1, target.count / 3))
        var best: (String, Int)? = nil
        for candidate in candidates.sorted() {
            let d = distance(target, Array(candidate.utf8))
            if d <= limit && (best == nil || d < best!.1) { best = (candidate, d) }
        }
        return best?.0
    }

    /// Levenshtein distance, with a transposition of neighbours counting as one edit.
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
            }
            previous2 = previous
            previous = current
        }
        return previous[b.count]
    }
}
