/// Customer portfolio analysis (Buttle's CRM value chain, step 1; PRODUCT.md §5): profitable
/// now (profit > 0) against potential (clv strictly above a threshold, the median clv unless
/// set, so that a mass of identical one-time buyers at the median is not potential), four
/// groups: invest, nurture, re-engineer, sack.
enum Portfolio {
    static let groups = ["invest", "nurture", "re-engineer", "sack"]

    /// Each customer's group as a code into `groups`; −1 where profit or clv is unknown.
    static func classify(profit: [Double], clv: [Double], threshold: Double) -> [Int32] {
        var codes = [Int32](repeating: -1, count: profit.count)
        for c in profit.indices where !profit[c].isNaN && !clv[c].isNaN {
            // invest 0, nurture 1, re-engineer 2, sack 3: "not profitable" adds 2, "no potential" 1.
            codes[c] = (profit[c] > 0 ? 0 : 2) + (hasPotential(clv[c], threshold) ? 0 : 1)
        }
        return codes
    }

    /// Potential: clv strictly above the threshold.
    static func hasPotential(_ clv: Double, _ threshold: Double) -> Bool { clv > threshold }

    /// How the rule is written in explanations and notes: `clv > 3,149.10`, or `≤` when not met.
    static let above = ">", notAbove = "≤"

    /// The group of a code, nil for −1.
    static func name(_ code: Int32) -> String? { code >= 0 ? groups[Int(code)] : nil }
}
