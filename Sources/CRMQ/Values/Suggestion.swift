/// Finds what the user probably meant: the candidates closest to a misspelt word.
public enum Suggestion {
    /// Words longer than this get no suggestion: no one misspells a pasted megabyte, and the
    /// distance below costs the product of the two lengths.
    static let longestWord = 64

    /// Edit distance, case-insensitive, over Unicode scalars: insertions, deletions,
    /// substitutions and transpositions of neighbours (`mdoe` is one edit from `mode`).
    /// Three rows of the table at a time, not the whole of it.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased().unicodeScalars)
        let y = Array(b.lowercased().unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var before = [Int](repeating: 0, count: y.count + 1)  // row i − 2
        var previous = Array(0...y.count)                      // row i − 1
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    current[j] = min(current[j], before[j - 2] + 1)
                }
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[y.count]
    }

    /// The candidates within a third of the word's length (at least 1, at most 3 edits),
    /// closest first; words that start with what was typed count as close too. Candidates
    /// whose length alone puts them too far are passed over without working out a distance.
    public static func closest(to word: String, in candidates: [String], limit: Int = 3) -> [String] {
        let length = word.unicodeScalars.count
        guard length <= longestWord else { return [] }
        let allowed = max(1, min(3, word.count / 3))
        let lowered = word.lowercased()
        let scored = candidates.compactMap { candidate -> (Int, String)? in
            let n = candidate.unicodeScalars.count
            if abs(n - length) <= allowed {
                let d = distance(word, candidate)
                if d <= allowed { return (d, candidate) }
            }
            if lowered.count >= 3, n >= length, candidate.lowercased().hasPrefix(lowered) { return (allowed + 1, candidate) }
            return nil
        }
        var seen = Set<String>()
        return scored.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map(\.1).filter { seen.insert($0).inserted }.prefix(limit).map { $0 }
    }

    /// "did you mean `revenue`?" or nil.
    public static func hint(for word: String, in candidates: [String]) -> String? {
        let close = closest(to: word, in: candidates)
        guard !close.isEmpty else { return nil }
        return "did you mean " + close.map { "`\($0)`" }.joined(separator: " or ") + "?"
    }
}
