/// RFM scoring (PRODUCT.md §5): recency from days_since (the most recent score 5), frequency
/// from orders, monetary from revenue, each 1–5 by the 20/40/60/80% quantiles of its values
/// (linear interpolation, numpy's and R's default): score = 1 + the number of those
/// quantiles at or below the value, so equal values share a score. Recency is scored on
/// −days_since.
enum RFM {
    /// The named segments, first match wins; else "Others".
    static let segments: [(name: String, r: ClosedRange<Int>, f: ClosedRange<Int>, m: ClosedRange<Int>)] = [
        ("Champions", 4...5, 4...5, 4...5),
        ("Loyal Customers", 2...5, 3...5, 3...5),
        ("Potential Loyalist", 3...5, 1...3, 1...3),
        ("New Customers", 4...5, 1...1, 1...1),
        ("Promising", 3...4, 1...1, 1...1),
        ("Need Attention", 2...3, 2...3, 2...3),
        ("About To Sleep", 2...3, 1...2, 1...2),
        ("At Risk", 1...2, 2...5, 2...5),
        ("Can't Lose Them", 1...1, 4...5, 4...5),
        ("Lost", 1...2, 1...2, 1...2),
    ]

    /// The p-quantile with linear interpolation between order statistics (numpy's default).
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        let position = p * Double(sorted.count - 1)
        let low = Int(position.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        return sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low])
    }

    /// Scores 1–5 of each value; NaN stays NaN (no value, no score).
    static func scores(_ values: [Double]) -> (scores: [Double], cuts: [Double]) {
        let present = values.filter { !$0.isNaN }.sorted()
        guard !present.isEmpty else { return (values.map { _ in .nan }, []) }
        let cuts = [0.2, 0.4, 0.6, 0.8].map { quantile(present, $0) }
        return (values.map { v in v.isNaN ? .nan : Double(1 + cuts.filter { $0 <= v }.count) }, cuts)
    }

    struct Result {
        var r: [Double], f: [Double], m: [Double]
        var code: [String?]
        var segment: [String?]
        /// The quantile cuts, for explain: recency's are on −days_since.
        var cuts: (r: [Double], f: [Double], m: [Double])
    }

    /// Over the customers who bought (those with a days_since): a customer without a
    /// purchase has no recency, and their zero orders would move the other cuts.
    static func score(daysSince: [Double], orders: [Double], revenue: [Double]) -> Result {
        let bought = daysSince.map { !$0.isNaN }
        let (r, rc) = scores(daysSince.map { -$0 })
        let (f, fc) = scores(orders.indices.map { bought[$0] ? orders[$0] : .nan })
        let (m, mc) = scores(revenue.indices.map { bought[$0] ? revenue[$0] : .nan })
        var code = [String?](repeating: nil, count: r.count)
        var segment = [String?](repeating: nil, count: r.count)
        for c in r.indices where !r[c].isNaN && !f[c].isNaN && !m[c].isNaN {
            let (ri, fi, mi) = (Int(r[c]), Int(f[c]), Int(m[c]))
            code[c] = "\(ri)\(fi)\(mi)"
            segment[c] = segments.first { $0.r.contains(ri) && $0.f.contains(fi) && $0.m.contains(mi) }?.name ?? "Others"
        }
        return Result(r: r, f: f, m: m, code: code, segment: segment, cuts: (rc, fc, mc))
    }
}
