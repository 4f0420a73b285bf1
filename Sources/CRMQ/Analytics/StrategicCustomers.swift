/// Buttle's strategically significant customers (PRODUCT.md §5): high lifetime value (clv in
/// the top 20%), benchmarks (others copy them: `benchmark` true or 3+ referrals), inspirations
/// (their ideas improve the company: `inspiration` true or 1+ idea) and cost magnets (a tenth
/// or more of all volume — units where the transactions have them, else revenue — and so of
/// the fixed costs). A customer can be several.
enum StrategicCustomers {
    static let kinds = ["high lifetime value", "benchmark", "inspiration", "cost magnet"]

    struct Evidence {
        var kinds: [[String]]
        /// 1 for the highest clv.
        var clvRank: [Int]
        var volumeShare: [Double]
        var volumeIsUnits: Bool
    }

    static func find(
        clv: [Double], benchmark: [UInt8]?, referrals: [Double]?, inspiration: [UInt8]?, ideas: [Double]?,
        volume: [Double], volumeIsUnits: Bool
    ) -> Evidence {
        let n = clv.count
        let order = (0..<n).sorted { clv[$0] != clv[$1] ? clv[$0] > clv[$1] : $0 < $1 }
        var rank = [Int](repeating: 0, count: n)
        for (k, c) in order.enumerated() { rank[c] = k + 1 }
        let topCount = Int((0.2 * Double(n)).rounded(.up))
        let total = volume.reduce(0) { $1.isNaN ? $0 : $0 + $1 }
        var kinds = [[String]](repeating: [], count: n)
        var share = [Double](repeating: .nan, count: n)
        for c in 0..<n {
            if rank[c] <= topCount, clv[c] > 0 { kinds[c].append("high lifetime value") }
            if benchmark?[c] == 1 || (referrals?[c] ?? 0) >= 3 { kinds[c].append("benchmark") }
            if inspiration?[c] == 1 || (ideas?[c] ?? 0) >= 1 { kinds[c].append("inspiration") }
            share[c] = total > 0 ? volume[c] / total : .nan
            if share[c] >= 0.10 { kinds[c].append("cost magnet") }
        }
        return Evidence(kinds: kinds, clvRank: rank, volumeShare: share, volumeIsUnits: volumeIsUnits)
    }
}
