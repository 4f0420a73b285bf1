/// A buy-till-you-die model of how many purchases a customer makes and whether they are
/// still a customer, fitted by maximum likelihood on each customer's (x, tₓ, T): repeat
/// purchases, recency and age in weeks. What a model declares here is all the rest of
/// crmq needs: its word and name, its fit, P(alive) and expected purchases.
protocol PurchaseModel: Sendable {
    /// The word the language names it by: `fit bgnbd`.
    static var word: String { get }
    /// Its name in tables and notes: "BG/NBD".
    static var title: String { get }
    /// What it assumes, with its paper.
    static var summary: String { get }

    static func fit(_ data: PurchaseHistories, standardErrors: Bool, interrupted: @escaping InterruptCheck) throws(ModelError) -> (Self, ModelFit)
    static func standardErrors(_ model: Self, _ data: PurchaseHistories) -> [Double]

    /// P(alive | x, tₓ, T).
    func pAlive(x: Double, tx: Double, T: Double) -> Double
    /// E[X(T, T+t] | x, tₓ, T] for each t of `times`: the expected repeat purchases in the next t weeks.
    func expectedPurchases(at times: [Double], x: Double, tx: Double, T: Double) -> [Double]
    /// Per row of `histories`: P(alive), the expected purchases in the next 52 weeks, and the
    /// purchases over the horizon, each month discounted (what a unit of margin a purchase is worth).
    func lifetimeValues(_ histories: PurchaseHistories, _ value: LifetimeValue) -> [RowLifetimeValue]
    /// The working for one customer that `explain clv` and `explain p_alive` show.
    func walkthrough(x: Double, tx: Double, T: Double) -> ModelWalkthrough
}

/// What the models say of one row of purchase histories, for the model fields.
struct RowLifetimeValue: Sendable {
    var alive: Double
    var nextYear: Double
    var discounted: Double
}

extension PurchaseModel {
    /// Row by row, each horizon from the model's own expected purchases.
    func lifetimeValues(_ histories: PurchaseHistories, _ value: LifetimeValue) -> [RowLifetimeValue] {
        let times = value.monthEnds + [52]
        return parallelChunks(histories.x.count) { range in
            range.map { i in
                let (x, tx, T) = (histories.x[i], histories.tx[i], histories.T[i])
                let expected = expectedPurchases(at: times, x: x, tx: tx, T: T)
                return RowLifetimeValue(
                    alive: pAlive(x: x, tx: tx, T: T), nextYear: max(0, expected[expected.count - 1]),
                    discounted: value.discounted(value.monthlyDifferences(Array(expected.dropLast()))))
            }
        }
    }

    /// The standard errors of these parameters on the data they were fitted to.
    func standardErrors(on data: PurchaseHistories) -> [Double] { Self.standardErrors(self, data) }

    /// The fit, as any model: what `ModelStore` keeps.
    static func fitted(_ data: PurchaseHistories, standardErrors: Bool, interrupted: @escaping InterruptCheck) throws(ModelError) -> (any PurchaseModel, ModelFit) {
        let (model, fit) = try fit(data, standardErrors: standardErrors, interrupted: interrupted)
        return (model, fit)
    }

    /// Expected purchases in each month of the horizon.
    func monthlyPurchases(_ value: LifetimeValue, x: Double, tx: Double, T: Double) -> [Double] {
        value.monthlyDifferences(expectedPurchases(at: value.monthEnds, x: x, tx: tx, T: T))
    }
}

/// A model whose expected purchases are P(alive | x, tₓ, T) times what a surely-alive
/// customer with (x, T) would buy, a part that does not depend on tₓ (BG/NBD, MBG/NBD):
/// customers who share (x, T) share that part, so it is worked out once per distinct pair.
protocol AliveTimesUnconditional: PurchaseModel {
    /// The expected purchases at each horizon were the customer surely alive.
    func unconditional(at times: [Double], x: Double, T: Double) -> [Double]
}

extension AliveTimesUnconditional {
    func expectedPurchases(at times: [Double], x: Double, tx: Double, T: Double) -> [Double] {
        let alive = pAlive(x: x, tx: tx, T: T)
        return unconditional(at: times, x: x, T: T).map { max(0, $0 * alive) }
    }

    func lifetimeValues(_ histories: PurchaseHistories, _ value: LifetimeValue) -> [RowLifetimeValue] {
        var pairOfRow = [Int32](repeating: 0, count: histories.x.count)
        var pairs: [(x: Double, T: Double)] = []
        var pairIndex: [PairKey: Int32] = [:]
        for i in histories.x.indices {
            let key = PairKey(x: histories.x[i], T: histories.T[i])
            if let k = pairIndex[key] { pairOfRow[i] = k } else {
                pairIndex[key] = Int32(pairs.count)
                pairOfRow[i] = Int32(pairs.count)
                pairs.append((histories.x[i], histories.T[i]))
            }
        }
        // Per pair: the discounted purchases over the horizon and those of the next 52 weeks.
        let times = value.monthEnds + [52]
        let perPair: [(discounted: Double, nextYear: Double)] = parallelChunks(pairs.count) { range in
            range.map { k in
                let cumulative = unconditional(at: times, x: pairs[k].x, T: pairs[k].T)
                return (value.discounted(value.monthlyDifferences(Array(cumulative.dropLast()))), max(0, cumulative[cumulative.count - 1]))
            }
        }
        return parallelChunks(histories.x.count) { range in
            range.map { i in
                let alive = pAlive(x: histories.x[i], tx: histories.tx[i], T: histories.T[i])
                let pair = perPair[Int(pairOfRow[i])]
                return RowLifetimeValue(alive: alive, nextYear: max(0, pair.nextYear * alive), discounted: max(0, pair.discounted * alive))
            }
        }
    }
}

private struct PairKey: Hashable {
    var x: Double
    var T: Double
}
