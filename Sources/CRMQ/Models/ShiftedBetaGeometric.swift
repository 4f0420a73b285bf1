#if canImport(Glibc)
import Glibc
#endif

/// The shifted-beta-geometric model of contract renewals (Fader & Hardie 2007, "How to
/// project customer retention"): at the end of each period a customer whose churn chance
/// is θ ~ Beta(α, β) renews with probability 1 − θ. With T the periods a customer pays for,
///
///     P(T = t) = B(α+1, β+t−1) / B(α, β),   S(t) = P(T > t) = B(α, β+t) / B(α, β),
///
/// so the retention rate at renewal t, S(t)/S(t−1) = (β+t−1)/(α+β+t−1), rises with tenure:
/// those with a high θ leave first.
struct ShiftedBetaGeometric: Sendable, Equatable {
    static let title = "sBG"
    var alpha: Double
    var beta: Double

    static let parameterNames = ["alpha", "beta"]
    var parameters: [Double] { [alpha, beta] }

    init(_ p: [Double]) { (alpha, beta) = (p[0], p[1]) }

    /// Contracts by what is known of each: paid for `periods` and ended then (churned), or
    /// paid for at least that many and still running (censored). Contracts of the same
    /// (periods, churned) share a row.
    struct Tenures: Sendable {
        var periods: [Int] = []
        var churned: [Bool] = []
        var count: [Double] = []

        init(periods: [Int], churned: [Bool]) {
            var row: [Int: Int] = [:]
            for (p, c) in zip(periods, churned) {
                let key = p * 2 + (c ? 1 : 0)
                if let r = row[key] { count[r] += 1 } else {
                    row[key] = self.periods.count
                    self.periods.append(p)
                    self.churned.append(c)
                    count.append(1)
                }
            }
        }

        var contracts: Double { count.reduce(0, +) }
    }

    /// S(t), the share still a customer after t renewals' chances.
    func survival(_ t: Int) -> Double { exp(Special.lnGamma(beta + Double(t)) - Special.lnGamma(beta) + Special.lnGamma(alpha + beta) - Special.lnGamma(alpha + beta + Double(t))) }

    /// r(t) = S(t)/S(t−1), the chance of renewing at the t-th renewal for one who came to it.
    func retention(_ t: Int) -> Double { (beta + Double(t) - 1) / (alpha + beta + Double(t) - 1) }

    /// The discounted expected residual lifetime (Fader & Hardie 2010, "Customer-base
    /// valuation in a contractual setting", eq. 6) of a customer who has renewed n − 1 times
    /// and is in period n, just before the next renewal, at a rate d a period:
    ///
    ///     DERL = Σ_{k≥1} S(n−1+k)/S(n−1) · (1+d)^−(k−1)
    ///          = (β+n−1)/(α+β+n−1) · ₂F₁(1, β+n; α+β+n; 1/(1+d))
    ///
    /// periods still to be paid for, the next one undiscounted. Summed until a term no longer counts.
    func residualLifetime(renewals: Int, rate d: Double) -> Double {
        let n = Double(renewals + 1)
        var term = (beta + n - 1) / (alpha + beta + n - 1)
        var total = 0.0, k = 0.0
        while term > 1e-12 * max(total, 1), k < 1_000_000 {
            total += term
            term *= (beta + n + k) / (alpha + beta + n + k) / (1 + d)
            k += 1
        }
        return total
    }

    /// d logit r / d (ln α, ln β) of the next renewal's chance for one who has renewed n times,
    /// r = (β+n)/(α+β+n):  logit r = ln(β+n) − ln α.
    func retentionLogitGradient(renewals n: Int) -> [Double] {
        [-1, beta / (beta + Double(n))]
    }

    /// d ln DERL / d (ln α, ln β), by central differences: DERL is a series in α and β.
    func residualLifetimeLogGradient(renewals: Int, rate d: Double) -> [Double] {
        let step = 1e-5
        return parameters.indices.map { k in
            var up = parameters, down = parameters
            up[k] *= exp(step)
            down[k] *= exp(-step)
            let high = ShiftedBetaGeometric(up).residualLifetime(renewals: renewals, rate: d)
            let low = ShiftedBetaGeometric(down).residualLifetime(renewals: renewals, rate: d)
            return high > 0 && low > 0 ? (log(high) - log(low)) / (2 * step) : 0
        }
    }

    /// The next renewal's chance and DERL of one who has renewed n times, each between the
    /// ends of its interval: the delta method from α's and β's uncertainty, on the logit scale
    /// for the chance and the log scale for the lifetime.
    func intervals(renewals n: Int, rate d: Double, _ uncertainty: ParameterUncertainty) -> (
        renewal: (low: Double, high: Double), residual: (low: Double, high: Double)
    ) {
        (uncertainty.probability(retention(n + 1), logitVariance: uncertainty.variance(retentionLogitGradient(renewals: n))),
         uncertainty.positive(residualLifetime(renewals: n, rate: d), logVariance: uncertainty.variance(residualLifetimeLogGradient(renewals: n, rate: d))))
    }

    /// ln L and its gradient in (α, β): ln P(T = t) for each contract that ended after t
    /// periods, ln S(t) for each still running after t.
    static func logLikelihood(_ m: ShiftedBetaGeometric, _ data: Tenures) -> (value: Double, gradient: [Double]) {
        let (a, b) = (m.alpha, m.beta)
        let base = Special.lnGamma(a) + Special.lnGamma(b) - Special.lnGamma(a + b)
        let psiA = Special.digamma(a), psiB = Special.digamma(b), psiAB = Special.digamma(a + b)
        var value = 0.0, ga = 0.0, gb = 0.0
        for i in data.periods.indices {
            let t = Double(data.periods[i]), w = data.count[i]
            // B(α+1, β+t−1) when churned at t, B(α, β+t) when still running after t.
            let (u, v) = data.churned[i] ? (a + 1, b + t - 1) : (a, b + t)
            let psiUV = Special.digamma(u + v)
            value += w * (Special.lnGamma(u) + Special.lnGamma(v) - Special.lnGamma(u + v) - base)
            ga += w * (Special.digamma(u) - psiUV - (psiA - psiAB))
            gb += w * (Special.digamma(v) - psiUV - (psiB - psiAB))
        }
        return (value, [ga, gb])
    }

    static func fit(_ data: Tenures, penalty: Double = 0, interrupted: @escaping InterruptCheck = ctrlCPressed) throws(ModelError) -> (ShiftedBetaGeometric, ModelFit) {
        let ended = zip(data.churned, data.count).reduce(0.0) { $0 + ($1.0 ? $1.1 : 0) }
        guard data.contracts >= 10, ended >= 3 || penalty > 0 else {
            throw ModelError(message: "sBG needs at least 10 contracts and 3 that ended; this data has \(Int(data.contracts)) and \(Int(ended))")
        }
        guard data.periods.contains(where: { $0 > 1 }) || penalty > 0 else {
            throw ModelError(message: "sBG needs contracts that lasted more than one period to tell how churn differs between customers")
        }
        let fit = try MaximumLikelihood(
            model: title, names: parameterNames,
            logLikelihood: { p in logLikelihood(ShiftedBetaGeometric(p), data) },
            customers: Int(data.contracts),
            starts: [[1, 1], [0.5, 3]],
            penalty: penalty,
            interrupted: interrupted
        ).fit()
        return (ShiftedBetaGeometric(fit.values), fit)
    }
}

/// The length of a contract's period: what a renewal renews.
enum ContractPeriod: String, CaseIterable, Sendable {
    case month
    case year

    /// Days in one period: a twelfth of a year of 365.25 days, or the year.
    var days: Double {
        switch self {
        case .month: 365.25 / 12
        case .year: 365.25
        }
    }
}
