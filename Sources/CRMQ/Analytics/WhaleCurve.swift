/// The Pareto or "whale" curve (Kaplan & Cooper): customers ranked by a figure, descending,
/// and the cumulative share of its total. By profit it typically rises far above 100% before
/// the unprofitable customers bring it back down.
struct WhaleCurve {
    /// running[k] = the sum of the k largest figures (running[0] = 0): the curve itself.
    let running: [Double]
    /// The sum of the negative figures: what the customers below zero take away.
    let destroyed: Double

    /// The curve over the figures that are not NaN.
    init<C: Collection<Double>>(_ values: C) {
        let sorted = RadixSort.descending(values)
        var running = [Double](repeating: 0, count: sorted.count + 1)
        var destroyed = 0.0
        for (i, v) in sorted.enumerated() {
            running[i + 1] = running[i] + v
            if v < 0 { destroyed += v }
        }
        self.running = running
        self.destroyed = destroyed
    }

    var count: Int { running.count - 1 }
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
}
