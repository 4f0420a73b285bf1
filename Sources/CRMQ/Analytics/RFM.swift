/// RFM scoring (docs/reference.md, RFM): recency from days_since (the most recent score 5),
/// frequency from orders, monetary from revenue, each 1–5 by four cuts — the 20/40/60/80%
/// quantiles of its values (linear interpolation, numpy's and R's default) unless set:
/// score = 1 + the number of cuts strictly below the value, so the lowest value always
/// scores 1 and equal values share the lower score. Recency is scored on −days_since.
/// The three RFM scores, as `set rfm_cuts LETTER = …` names them.
public enum RFMLetter: String, CaseIterable, Sendable {
    case recency, frequency, monetary
}

enum RFM {
    /// Where the cuts fall unless set: the quintile boundaries.
    static let quantiles = [0.2, 0.4, 0.6, 0.8]
    static var quantilesText: String { quantiles.map { NumberText.plain($0 * 100) }.joined(separator: "/") + "%" }

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

    /// The cut quantiles of the values that are not NaN.
    static func cuts(_ values: [Double]) -> [Double] {
        var present = values.filter { !$0.isNaN }
        return cuts(consuming: &present)
    }

    /// The quantiles of `present` by selection rather than a sort, rearranging it: each cut
    /// needs two order statistics, found left to right in what is left.
    static func cuts(consuming present: inout [Double]) -> [Double] {
        guard !present.isEmpty else { return [] }
        let n = present.count
        var from = 0
        return quantiles.map { p in
            let position = p * Double(n - 1)
            let low = Int(position.rounded(.down))
            let lowValue = Statistics.select(&present, low, from: from)
            // Everything right of `low` is at least its value: the next order statistic is their least.
            let highValue = low + 1 < n ? Statistics.minimum(present, from: low + 1) : lowValue
            from = low
            return lowValue + (position - Double(low)) * (highValue - lowValue)
        }
    }

    /// Scores 1–5 of `sign` × each value, 0 for none: a NaN value, or a NaN in `defined`
    /// at the same place; by the `given` cuts (on `sign` × value, ascending), else the
    /// quantiles. Scores are bytes, not numbers: a million customers' three scores take 3 MB
    /// of fresh memory instead of 24 (`number` turns one into a field value).
    static func scores(_ values: [Double], sign: Double = 1, defined: [Double]? = nil, given: [Double]? = nil) -> (scores: [UInt8], cuts: [Double]) {
        let mask = defined ?? values
        let n = values.count
        precondition(mask.count == n)
        return values.withUnsafeBufferPointer { v in
            mask.withUnsafeBufferPointer { d in
                // The values to cut, in one copy: selection rearranges it.
                var present = [Double]()
                present.reserveCapacity(n)
                for i in 0..<n where !v[i].isNaN && !d[i].isNaN { present.append(sign * v[i]) }
                let cuts = given ?? cuts(consuming: &present)
                present = []  // released before the scores are allocated
                var scores = [UInt8](repeating: 0, count: n)
                guard cuts.count == 4 else { return (scores, cuts) }
                let (c0, c1, c2, c3) = (cuts[0], cuts[1], cuts[2], cuts[3])
                scores.withUnsafeMutableBufferPointer { out in
                    for i in 0..<n where !v[i].isNaN && !d[i].isNaN {
                        let x = sign * v[i]
                        var score: UInt8 = 1
                        if c0 < x { score += 1 }
                        if c1 < x { score += 1 }
                        if c2 < x { score += 1 }
                        if c3 < x { score += 1 }
                        out[i] = score
                    }
                }
                return (scores, cuts)
            }
        }
    }

    /// A score as a field value: NaN for none.
    static func number(_ score: UInt8) -> Double { score == 0 ? .nan : Double(score) }

    /// The segment names in order, then "Others": `Result.segment`'s values.
    static let segmentNames = segments.map(\.name) + ["Others"]

    struct Result {
        /// 1–5, or 0 for a customer without scores.
        var r: [UInt8], f: [UInt8], m: [UInt8]
        /// "545" and the like: 125 values, a code per customer (−1 without scores).
        var code: TextColumn
        /// Codes into `segmentNames`.
        var segment: TextColumn
        /// The cuts used, for explain: recency's are on −days_since.
        var cuts: (r: [Double], f: [Double], m: [Double])
    }

    /// Cuts a user set (`set rfm_cuts frequency = 1, 2, 4, 8`), per letter, each four
    /// ascending values of its field (recency's in days_since); the quantiles where unset.
    struct Cuts: Sendable, Hashable {
        var recency: [Double]?
        var frequency: [Double]?
        var monetary: [Double]?

        subscript(letter: RFMLetter) -> [Double]? {
            get {
                switch letter {
                case .recency: recency
                case .frequency: frequency
                case .monetary: monetary
                }
            }
            set {
                switch letter {
                case .recency: recency = newValue
                case .frequency: frequency = newValue
                case .monetary: monetary = newValue
                }
            }
        }
    }

    /// Over the customers who bought (those with a days_since): a customer without a
    /// purchase has no recency, and their zero orders would move the other cuts.
    static func score(daysSince: [Double], orders: [Double], revenue: [Double], cuts set: Cuts = Cuts()) -> Result {
        // Set recency cuts are days: on −days_since they are the negatives, in reverse.
        let recency = set.recency.map { Array($0.map { -$0 }.reversed()) }
        // The three scores are independent: one per core.
        let scored = parallelMap(3) { k -> (scores: [UInt8], cuts: [Double]) in
            switch k {
            case 0: scores(daysSince, sign: -1, given: recency)
            case 1: scores(orders, defined: daysSince, given: set.frequency)
            default: scores(revenue, defined: daysSince, given: set.monetary)
            }
        }
        let ((r, rc), (f, fc), (m, mc)) = (scored[0], scored[1], scored[2])
        // Each of the 125 score triples once: its code and its segment.
        var codes: [String] = [], segmentOf: [Int32] = []
        for ri in 1...5 {
            for fi in 1...5 {
                for mi in 1...5 {
                    codes.append("\(ri)\(fi)\(mi)")
                    let k = segments.firstIndex { $0.r.contains(ri) && $0.f.contains(fi) && $0.m.contains(mi) } ?? segments.count
                    segmentOf.append(Int32(k))
                }
            }
        }
        var code = [Int32](repeating: -1, count: r.count), segment = code
        for c in r.indices where r[c] != 0 && f[c] != 0 && m[c] != 0 {
            let k = (Int(r[c]) - 1) * 25 + (Int(f[c]) - 1) * 5 + Int(m[c]) - 1
            code[c] = Int32(k)
            segment[c] = segmentOf[k]
        }
        return Result(
            r: r, f: f, m: m, code: TextColumn(codes: code, values: codes), segment: TextColumn(codes: segment, values: segmentNames),
            cuts: (rc, fc, mc))
    }
}
