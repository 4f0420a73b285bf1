/// Buttle's strategically significant customers (PRODUCT.md §5): high lifetime value (clv in
/// the top 20%), benchmarks (others copy them: `benchmark` true or 3+ referrals), inspirations
/// (their ideas improve the company: `inspiration` true or 1+ idea) and cost magnets (a tenth
/// or more of all volume — units where the transactions have them, else revenue — and so of
/// the fixed costs). A customer can be several.
enum StrategicCustomers {
    static let kinds = ["high lifetime value", "benchmark", "inspiration", "cost magnet"]

    struct Evidence {
        /// Bit k set: the customer is of `kinds[k]`.
        var kindMask: [UInt8]
        /// Customers from the highest clv down (ties by table order).
        var clvOrder: [Int32]
        /// 1 for the highest clv.
        var clvRank: [Int32]
        var volumeShare: [Double]
        var volumeIsUnits: Bool

        func kinds(of c: Int) -> [String] {
            StrategicCustomers.kinds.indices.filter { kindMask[c] & (1 << $0) != 0 }.map { StrategicCustomers.kinds[$0] }
        }
    }

    static func find(
        clv: [Double], benchmark: [UInt8]?, referrals: [Double]?, inspiration: [UInt8]?, ideas: [Double]?,
        volume: [Double], volumeIsUnits: Bool
    ) -> Evidence {
        let n = clv.count
        let order = RadixSort.descendingOrder(clv.map { $0.isNaN ? -.infinity : $0 })
        var rank = [Int32](repeating: 0, count: n)
        for (k, c) in order.enumerated() { rank[Int(c)] = Int32(k + 1) }
        let topCount = Int((0.2 * Double(n)).rounded(.up))
        let total = volume.reduce(0) { $1.isNaN ? $0 : $0 + $1 }
        var mask = [UInt8](repeating: 0, count: n)
        var share = [Double](repeating: .nan, count: n)
        for c in 0..<n {
            if rank[c] <= topCount, clv[c] > 0 { mask[c] |= 1 }
            if benchmark?[c] == 1 || (referrals?[c] ?? 0) >= 3 { mask[c] |= 2 }
            if inspiration?[c] == 1 || (ideas?[c] ?? 0) >= 1 { mask[c] |= 4 }
            share[c] = total > 0 ? volume[c] / total : .nan
            if share[c] >= 0.10 { mask[c] |= 8 }
        }
        return Evidence(kindMask: mask, clvOrder: order, clvRank: rank, volumeShare: share, volumeIsUnits: volumeIsUnits)
    }
}
