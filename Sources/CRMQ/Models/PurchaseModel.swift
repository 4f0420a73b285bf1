#if canImport(Glibc)
import Glibc
#endif

/// A buy-till-you-die model of how many purchases a customer makes and whether they are
/// still a customer, fitted by maximum likelihood on each customer's (x, tₓ, T): repeat
/// purchases, recency and age in weeks (BG/BB: in opportunities). What a model declares here is all the rest of
/// crmq needs: its word and name, its fit, P(alive) and expected purchases.
///
/// A customer who is gone buys nothing more, so every such model's expected purchases are
/// P(alive | x, tₓ, T) times what a surely-alive customer with (x, T) would buy — a part that
/// does not depend on tₓ: customers who share (x, T) share it, and it is worked out once per
/// distinct pair.
protocol PurchaseModel: Sendable {
    /// The word the language names it by: `fit bgnbd`.
    static var word: String { get }
    /// Its name in tables and notes: "BG/NBD".
    static var title: String { get }
    /// What it assumes, with its paper.
    static var summary: String { get }
    static var parameterNames: [String] { get }
    /// What its histories count: weeks (the continuous-time models) or opportunities (BG/BB).
    static var time: ModelTime { get }

    init(_ parameters: [Double])
    var parameters: [Double] { get }

    /// The maximum-likelihood fit, with `penalty` the L2 penalty on the parameters' logs (0 for none).
    static func fit(_ data: PurchaseHistories, penalty: Double, standardErrors: Bool, interrupted: @escaping InterruptCheck) throws(ModelError) -> (Self, ModelFit)
    /// The log-likelihood of the grouped histories and its gradient in the parameters.
    static func logLikelihood(_ model: Self, _ data: PurchaseHistories.Grouped) -> (value: Double, gradient: [Double])
    /// The log-likelihood with its gradient and Hessian in the parameters from one pass, where
    /// the model has the Hessian in closed form (Newton's steps near the optimum, and the
    /// standard errors, where central differences of the gradient take two passes a
    /// parameter); nil where it has not.
    static func logLikelihoodHessian(_ model: Self, _ data: PurchaseHistories.Grouped) -> SecondOrderLikelihood?

    /// P(alive | x, tₓ, T).
    func pAlive(x: Double, tx: Double, T: Double) -> Double
    /// ln(P(alive) / (1 − P(alive))) and its gradient in the parameters (+∞ and zeros for a
    /// customer the model takes to be surely alive): what an interval of P(alive) is made from.
    func aliveLogOdds(x: Double, tx: Double, T: Double) -> (value: Double, gradient: [Double])
    /// The expected purchases at each horizon (weeks) were the customer surely alive.
    func unconditional(at times: [Double], x: Double, T: Double) -> [Double]
    /// The working for one customer that `explain clv` and `explain p_alive` show.
    func walkthrough(x: Double, tx: Double, T: Double) -> ModelWalkthrough
    /// One customer's log-likelihood as `explain fit` writes it, a line each.
    static var likelihood: [String] { get }
}

/// What a model's x, tₓ and T count: weeks of continuous time, or discrete opportunities to
/// buy (a summary loaded with `periods`).
enum ModelTime: Sendable {
    case weeks
    case periods
}

/// What the models say of one row of purchase histories, for the model fields.
struct RowLifetimeValue: Sendable {
    var alive: Double
    var nextYear: Double
    var discounted: Double
}

extension PurchaseModel {
    static var time: ModelTime { .weeks }

    static func logLikelihoodHessian(_ model: Self, _ data: PurchaseHistories.Grouped) -> SecondOrderLikelihood? { nil }

    /// E[X(T, T+t] | x, tₓ, T] for each t of `times`: the expected repeat purchases in the next t weeks.
    func expectedPurchases(at times: [Double], x: Double, tx: Double, T: Double) -> [Double] {
        let alive = pAlive(x: x, tx: tx, T: T)
        return unconditional(at: times, x: x, T: T).map { max(0, $0 * alive) }
    }

    func expectedPurchases(in t: Double, x: Double, tx: Double, T: Double) -> Double {
        expectedPurchases(at: [t], x: x, tx: tx, T: T)[0]
    }

    /// Per row of `histories`: P(alive), the expected purchases in the next 52 weeks, and the
    /// purchases over the horizon, each month discounted (what a unit of margin a purchase is worth).
    func lifetimeValues(_ histories: PurchaseHistories, _ value: LifetimeValue) -> [RowLifetimeValue] {
        let pairs = PurchasePairs(histories)
        let perPair = parallelChunks(pairs.count) { range in range.map { pairs.horizons(self, $0, value) } }
        return parallelChunks(histories.x.count) { range in
            range.map { i in
                let alive = pAlive(x: histories.x[i], tx: histories.tx[i], T: histories.T[i])
                let pair = perPair[Int(pairs.ofRow[i])]
                return RowLifetimeValue(alive: alive, nextYear: max(0, pair.nextYear * alive), discounted: max(0, pair.discounted * alive))
            }
        }
    }

    /// The fit, as any model: what `ModelStore` keeps.
    static func fitted(
        _ data: PurchaseHistories, penalty: Double, standardErrors: Bool, interrupted: @escaping InterruptCheck
    ) throws(ModelError) -> (any PurchaseModel, ModelFit) {
        let (model, fit) = try fit(data, penalty: penalty, standardErrors: standardErrors, interrupted: interrupted)
        return (model, fit)
    }

    /// The covariance of these parameters on the data they were fitted to, under the fit's
    /// penalty (nil where the information is singular).
    func covariance(on data: PurchaseHistories, penalty: Double) -> [[Double]]? {
        let grouped = data.grouped
        return MaximumLikelihood.covariance(
            at: parameters, logLikelihood: { Self.logLikelihood(Self($0), grouped) }, hessian: { Self.logLikelihoodHessian(Self($0), grouped) },
            penalty: penalty, customers: data.modelled)
    }

    /// The usual fit: enough buyers, then maximum likelihood on the grouped histories from `starts`.
    static func maximumLikelihood(
        _ data: PurchaseHistories, starts: [[Double]], penalty: Double, standardErrors: Bool, interrupted: @escaping InterruptCheck
    ) throws(ModelError) -> (Self, ModelFit) {
        try data.requireEnough(for: title, penalty: penalty)
        let grouped = data.grouped
        let fit = try MaximumLikelihood(
            model: title, names: parameterNames,
            logLikelihood: { p in logLikelihood(Self(p), grouped) },
            customers: data.modelled,
            starts: starts,
            penalty: penalty,
            standardErrors: standardErrors,
            hessian: { p in logLikelihoodHessian(Self(p), grouped) },
            interrupted: interrupted
        ).fit()
        return (Self(fit.values), fit)
    }

    /// Expected purchases in each month of the horizon.
    func monthlyPurchases(_ value: LifetimeValue, x: Double, tx: Double, T: Double) -> [Double] {
        value.monthlyDifferences(expectedPurchases(at: value.monthEnds, x: x, tx: tx, T: T))
    }

    /// The same model with parameter k times e^step.
    func shifted(_ k: Int, by step: Double) -> Self {
        var p = parameters
        p[k] *= exp(step)
        return Self(p)
    }
}

/// The distinct (x, T) pairs of purchase histories, and each row's pair.
struct PurchasePairs {
    var x: [Double] = []
    var T: [Double] = []
    var ofRow: [Int32]
    var count: Int { x.count }

    init(_ histories: PurchaseHistories) {
        ofRow = [Int32](repeating: 0, count: histories.x.count)
        var index: [PairKey: Int32] = [:]
        for i in histories.x.indices {
            let key = PairKey(x: histories.x[i], T: histories.T[i])
            if let k = index[key] { ofRow[i] = k } else {
                index[key] = Int32(x.count)
                ofRow[i] = Int32(x.count)
                x.append(histories.x[i])
                T.append(histories.T[i])
            }
        }
    }

    /// A pair's discounted purchases over the horizon and its purchases in the next 52 weeks,
    /// were the customer surely alive.
    func horizons(_ model: some PurchaseModel, _ k: Int, _ value: LifetimeValue) -> (discounted: Double, nextYear: Double) {
        let cumulative = model.unconditional(at: value.monthEnds + [value.nearTerm], x: x[k], T: T[k])
        return (value.discounted(value.monthlyDifferences(Array(cumulative.dropLast()))), max(0, cumulative[cumulative.count - 1]))
    }
}

private struct PairKey: Hashable {
    var x: Double
    var T: Double
}
