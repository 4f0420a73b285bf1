/// The Pareto or "whale" curve (Kaplan & Cooper): customers ranked by a figure, descending,
/// and the cumulative share of its total. By profit it typically rises far above 100% before
/// the unprofitable customers bring it back down.
struct WhaleCurve {
    /// The figures in descending order.
    let sorted: [Double]
    /// running[k] = the sum of the first k figures (running[0] = 0).
    let running: [Double]

    init(_ values: [Double]) {
        sorted = Self.descending(values.filter { !$0.isNaN })
        var running = [Double](repeating: 0, count: sorted.count + 1)
        for (i, v) in sorted.enumerated() { running[i + 1] = running[i] + v }
        self.running = running
    }

    var count: Int { sorted.count }
    var total: Double { running[count] }

    /// How many customers make up the top `fraction` (at least one).
    func top(_ fraction: Double) -> Int { min(count, max(1, Int((fraction * Double(count)).rounded(.up)))) }

    /// The sum of the top k customers' figures.
    func cumulative(_ k: Int) -> Double { running[min(k, count)] }

    /// The highest point of the cumulative curve, and how many customers it takes to get there.
    var peak: (value: Double, customers: Int) {
        var best = -Double.infinity, at = 0
        for k in 1..<running.count where running[k] > best {
            best = running[k]
            at = k
        }
        return (best, at)
    }

    /// The sum of the negative figures: what the customers below zero take away.
    var destroyed: Double { sorted.reduce(0) { $1 < 0 ? $0 + $1 : $0 } }

    /// The values largest first (`RadixSort`: linear time, a few milliseconds for a million).
    static func descending(_ values: [Double]) -> [Double] {
        RadixSort.descendingOrder(values).map { values[Int($0)] }
    }
}
