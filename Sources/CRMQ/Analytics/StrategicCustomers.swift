/// Buttle's strategically significant customers (PRODUCT.md §5): high lifetime value (clv in
/// the top 20%), benchmarks (others copy them: `benchmark` true or 3+ referrals), inspirations
/// (their ideas improve the company: `inspiration` true or 1+ idea) and cost magnets (a tenth
/// or more of all volume — units where the transactions have them, else revenue — and so of
/// the fixed costs). A customer can be several.
enum StrategicCustomers {
    static let kinds = ["high lifetime value", "benchmark", "inspiration", "cost magnet"]
    /// The rules' numbers, which the notes, `explain ssc` and `help ssc` print from here.
    static let topShare = 0.2, benchmarkReferrals = 3.0, inspirationIdeas = 1.0, costMagnetShare = 0.10

    /// The rules as a person reads them: "clv in the top 20%", "3+ referrals", "1+ idea", "10%+".
    static var topText: String { "clv in the top \(NumberText.plain(topShare * 100))%" }
    static var referralsText: String { "\(NumberText.plain(benchmarkReferrals))+ referrals" }
    static var ideasText: String { "\(NumberText.plain(inspirationIdeas))+ idea" }
    static var magnetText: String { "\(NumberText.plain(costMagnetShare * 100))%+" }

    struct Evidence {
        /// Bit k set: the customer is of `kinds[k]`.
        var kindMask: [UInt8]
        /// The customers of at least one kind, from the highest clv down (ties by table order).
        var ranked: [Int32]
        /// `clvRank[k]` is `ranked[k]`'s place among all customers by clv, 1 for the highest.
        var clvRank: [Int32]
        var volume: [Double]
        var totalVolume: Double
        var volumeIsUnits: Bool

        func kinds(of c: Int) -> [String] {
            StrategicCustomers.kinds.indices.filter { kindMask[c] & (1 << $0) != 0 }.map { StrategicCustomers.kinds[$0] }
        }

        func volumeShare(of c: Int) -> Double { totalVolume > 0 ? volume[c] / totalVolume : .nan }
    }

    static func find(
        clv: [Double], benchmark: [UInt8]?, referrals: [Double]?, inspiration: [UInt8]?, ideas: [Double]?,
        volume: [Double], volumeIsUnits: Bool
    ) -> Evidence {
        let n = clv.count
        let total = volume.reduce(0) { $1.isNaN ? $0 : $0 + $1 }
        var mask = [UInt8](repeating: 0, count: n)
        for c in 0..<n {
            if benchmark?[c] == 1 || (referrals?[c] ?? 0) >= benchmarkReferrals { mask[c] |= 2 }
            if inspiration?[c] == 1 || (ideas?[c] ?? 0) >= inspirationIdeas { mask[c] |= 4 }
            if total > 0, volume[c] / total >= costMagnetShare { mask[c] |= 8 }
        }
        // The top 20% by clv (ties by table order) without ordering everyone: the threshold by
        // selection, then only the top customers sorted.
        let keyed = clv.map { $0.isNaN ? -Double.infinity : $0 }
        let topCount = min(n, Int((topShare * Double(n)).rounded(.up)))
        var top: [Int32] = []
        if topCount > 0 {
            var scratch = keyed
            let threshold = Statistics.select(&scratch, n - topCount)
            var above = 0
            for v in keyed where v > threshold { above += 1 }
            var tiesLeft = topCount - above
            top.reserveCapacity(topCount)
            for c in 0..<n where keyed[c] > threshold || (keyed[c] == threshold && tiesLeft > 0) {
                if keyed[c] == threshold { tiesLeft -= 1 }
                top.append(Int32(c))
            }
            top = RadixSort.descendingOrder(top.map { keyed[Int($0)] }).map { top[Int($0)] }
        }
        var ranked: [Int32] = [], rank: [Int32] = []
        ranked.reserveCapacity(topCount)
        rank.reserveCapacity(topCount)
        var inTop = [Bool](repeating: false, count: n)
        for (k, c) in top.enumerated() {
            inTop[Int(c)] = true
            if clv[Int(c)] > 0 { mask[Int(c)] |= 1 }
            if mask[Int(c)] != 0 {
                ranked.append(c)
                rank.append(Int32(k + 1))
            }
        }
        // The others of some kind, below the top: their ranks by counting who comes before each.
        func before(_ a: Int, _ b: Int) -> Bool { keyed[a] > keyed[b] || (keyed[a] == keyed[b] && a < b) }
        let rest = (0..<n).filter { !inTop[$0] && mask[$0] != 0 }.sorted(by: before)
        if !rest.isEmpty {
            // For each customer below the top, the first of `rest` it comes before: it adds one
            // to the rank of that one and of everyone after it.
            var added = [Int32](repeating: 0, count: rest.count + 1)
            for c in 0..<n where !inTop[c] {
                var low = 0, high = rest.count
                while low < high {
                    let mid = (low + high) / 2
                    if before(c, rest[mid]) { high = mid } else { low = mid + 1 }
                }
                added[low] += 1
            }
            var running: Int32 = 0
            for (k, c) in rest.enumerated() {
                running += added[k]
                ranked.append(Int32(c))
                rank.append(Int32(topCount) + running + 1)
            }
        }
        return Evidence(kindMask: mask, ranked: ranked, clvRank: rank, volume: volume, totalVolume: total,
                        volumeIsUnits: volumeIsUnits)
    }
}
