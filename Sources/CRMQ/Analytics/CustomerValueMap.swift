/// Gale's customer value map for one segment, from its value star: where we sit against the
/// competitor on relative perceived quality (across) and relative price (up), and the
/// fair-value line between them.
///
/// - relative quality Q = Σ importance × our score ÷ Σ importance × the competitor's score,
///   over every dimension but price (1 = the competitor's quality);
/// - relative price P = the competitor's price score ÷ ours: a price score rates how good the
///   price looks to the customer, so a 6 against the competitor's 9 is a price perceived 1.5
///   times theirs;
/// - the weights: w_q = the share of importance on the quality dimensions, w_p = price's;
/// - value advantage V = w_q × (Q − 1) − w_p × (P − 1): what the customer gains, in shares
///   of the competitor's offer, from our quality less our extra price. V = 0 is the fair-value
///   line, P = 1 + (w_q / w_p) × (Q − 1), through the competitor at (1, 1): the more customers
///   weigh quality against price, the steeper it is. Below the line (V > 0) is better value.
struct CustomerValueMap: Sendable {
    struct Dimension: Sendable {
        var name: String
        var importance: Double
        var ours: Double
        var theirs: Double
    }

    static let price = "price"

    let dimensions: [Dimension]

    private var quality: [Dimension] { dimensions.filter { $0.name != Self.price } }
    private var priceDimension: Dimension? { dimensions.first { $0.name == Self.price } }
    private var totalImportance: Double { dimensions.reduce(0) { $0 + $1.importance } }

    var hasPrice: Bool { priceDimension != nil }

    /// w_q: the share of importance on quality.
    var qualityWeight: Double { quality.reduce(0) { $0 + $1.importance } / totalImportance }
    /// w_p: the share of importance on price.
    var priceWeight: Double { (priceDimension?.importance ?? 0) / totalImportance }

    /// Q; NaN when the competitor scores nothing on quality.
    var relativeQuality: Double {
        let theirs = quality.reduce(0) { $0 + $1.importance * $1.theirs }
        return theirs > 0 ? quality.reduce(0) { $0 + $1.importance * $1.ours } / theirs : .nan
    }

    /// P; NaN without a price score of ours above zero.
    var relativePrice: Double {
        guard let price = priceDimension, price.ours > 0 else { return .nan }
        return price.theirs / price.ours
    }

    /// V = w_q (Q − 1) − w_p (P − 1).
    var valueAdvantage: Double { advantage(quality: relativeQuality, price: relativePrice) }

    private func advantage(quality q: Double, price p: Double) -> Double {
        qualityWeight * (q - 1) - priceWeight * (p - 1)
    }

    /// The relative price the fair-value line gives our quality: 1 + (w_q / w_p)(Q − 1);
    /// NaN when price carries no importance (the line is then upright at Q = 1).
    var fairPrice: Double { priceWeight > 0 ? 1 + qualityWeight / priceWeight * (relativeQuality - 1) : .nan }

    /// The change in V from one point more of our score on dimension `k`, all else kept.
    func valuePerPoint(_ k: Int) -> Double {
        var moved = dimensions
        moved[k].ours += 1
        let map = CustomerValueMap(dimensions: moved)
        return map.valueAdvantage - valueAdvantage
    }

    /// Two points of the fair-value line spanning `quality`, for drawing it.
    func fairValueLine(across quality: ClosedRange<Double>) -> [(q: Double, p: Double)] {
        guard priceWeight > 0 else { return [(1, quality.lowerBound), (1, quality.upperBound)] }  // upright at Q = 1, over the same span
        let slope = qualityWeight / priceWeight
        return [quality.lowerBound, quality.upperBound].map { ($0, 1 + slope * ($0 - 1)) }
    }
}
