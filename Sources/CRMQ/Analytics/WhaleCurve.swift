/// The Pareto or "whale" curve (Kaplan & Cooper): customers ranked by a figure, descending,
/// and the cumulative share of its total. By profit it typically rises far above 100% before
/// the unprofitable customers bring it back down.
struct WhaleCurve {
    /// The figures in descending order.
    let sorted: [Double]
    let total: Double

    init(_ values: [Double]) {
        sorted = values.filter { !$0.isNaN }.sorted(by: >)
        total = sorted.reduce(0, +)
    }

    var count: Int { sorted.count }

    /// How many customers make up the top `fraction` (at least one).
    func top(_ fraction: Double) -> Int { min(count, max(1, Int((fraction * Double(count)).rounded(.up)))) }

    /// The sum of the top k customers' figures.
    func cumulative(_ k: Int) -> Double { sorted.prefix(k).reduce(0, +) }

    /// The highest point of the cumulative curve, and how many customers it takes to get there.
    var peak: (value: Double, customers: Int) {
        var running = 0.0, best = -Double.infinity, at = 0
        for (i, v) in sorted.enumerated() {
            running += v
            if running > best {
                best = running
                at = i + 1
            }
        }
        return (best, at)
    }

    /// The sum of the negative figures: what the customers below zero take away.
    var destroyed: Double { sorted.reduce(0) { $1 < 0 ? $0 + $1 : $0 } }
}
