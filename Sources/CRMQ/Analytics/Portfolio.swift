/// Customer portfolio analysis (Buttle's CRM value chain, step 1; PRODUCT.md §5): profitable
/// now (profit > 0) against potential (clv at or above a threshold, the median clv unless
/// set), four groups: invest, nurture, re-engineer, sack.
enum Portfolio {
    static let groups = ["invest", "nurture", "re-engineer", "sack"]

    /// Each customer's group; nil where profit or clv is unknown.
    static func classify(profit: [Double], clv: [Double], threshold: Double) -> [String?] {
        profit.indices.map { c in
            guard !profit[c].isNaN, !clv[c].isNaN else { return nil }
            let current = profit[c] > 0
            let potential = clv[c] >= threshold
            switch (current, potential) {
            case (true, true): return "invest"
            case (true, false): return "nurture"
            case (false, true): return "re-engineer"
            case (false, false): return "sack"
            }
        }
    }
}
