#if canImport(Glibc)
import Glibc
#endif

/// How sure the fitted parameters are, as a prediction's interval needs it: the estimates'
/// asymptotic normal distribution on the log scale, and the normal quantile of the level.
///
/// A prediction's interval comes from that distribution by the delta method: on a scale where
/// the prediction is nearly linear in ln θ — logit for P(alive), log for purchases and value —
/// its variance is gᵀ Σ g, g its gradient in ln θ; the interval is the estimate ± z standard
/// deviations on that scale, mapped back. Draws from the same distribution would give the
/// same intervals to within their own noise, at the cost of a prediction per draw (hundreds
/// for stable 5% tails); this costs one prediction per parameter, and runs give identical answers.
struct ParameterUncertainty: Sendable {
    /// Cov(ln θᵢ, ln θⱼ) = Cov(θᵢ, θⱼ) / (θᵢ θⱼ).
    var logCovariance: [[Double]]
    /// The normal quantile of the interval's upper end: 1.645 for 90%.
    var z: Double

    init(values: [Double], covariance: [[Double]], level: Double) {
        self.init(values: values, covariance: covariance, level: level, logScale: values.count)
    }

    /// The first `logScale` parameters on the log scale, the rest (covariate coefficients,
    /// of either sign) as they are: their gradients are then in γ itself.
    init(values: [Double], covariance: [[Double]], level: Double, logScale: Int) {
        let scale = values.indices.map { $0 < logScale ? values[$0] : 1 }
        logCovariance = covariance.indices.map { i in covariance.indices.map { j in covariance[i][j] / (scale[i] * scale[j]) } }
        z = Special.normalQuantile(0.5 + level / 2)
    }

    /// gᵀ Σ g for a gradient in ln θ.
    func variance(_ g: [Double]) -> Double { variance(g, plus: g, times: 0) }

    /// The same for the gradient a + c·b, without making it.
    @inline(__always)
    func variance(_ a: [Double], plus b: [Double], times c: Double) -> Double {
        var total = 0.0
        for i in a.indices {
            var row = 0.0
            for j in a.indices { row += logCovariance[i][j] * (a[j] + c * b[j]) }
            total += (a[i] + c * b[i]) * row
        }
        return max(0, total)
    }

    /// The interval of a positive value whose log has this variance.
    func positive(_ value: Double, logVariance: Double) -> (low: Double, high: Double) {
        guard value > 0, logVariance.isFinite else { return (value, value) }
        let spread = z * logVariance.squareRoot()
        return (value * exp(-spread), value * exp(spread))
    }

    /// The interval of a probability whose log-odds have this variance.
    func probability(_ p: Double, logitVariance: Double) -> (low: Double, high: Double) {
        guard p > 0, p < 1, logitVariance.isFinite else { return (p, p) }
        let logit = log(p / (1 - p)), spread = z * logitVariance.squareRoot()
        return (Special.logistic(logit - spread), Special.logistic(logit + spread))
    }
}

/// One row's predictions' variances: of logit P(alive), of ln(expected_purchases: the next 52
/// weeks, or the horizon's opportunities) and of ln(discounted purchases over the horizon).
struct RowSpread: Sendable {
    var aliveLogit: Double
    var nextYearLog: Double
    var discountedLog: Double
}

extension PurchaseModel {
    /// Per row of `histories`, the variances of its predictions under the parameters'
    /// uncertainty. The surely-alive part's gradient is taken per distinct (x, T) pair by
    /// forward differences in ln θ (one more evaluation a parameter); P(alive)'s is the
    /// model's own, analytic.
    ///
    /// `lifted` carries a gradient in this model's ln-parameters to the uncertainty's own
    /// parameters (with covariates: the base parameters' logs and the coefficients); linear,
    /// so that it may be applied to each part of a gradient apart.
    func lifetimeValueSpreads(
        _ histories: PurchaseHistories, _ value: LifetimeValue, _ uncertainty: ParameterUncertainty, lifted: ([Double]) -> [Double] = { $0 }
    ) -> [RowSpread] {
        let (pairs, perPair) = pairGradients(histories, value)
        let perPairLifted = perPair.map { (discounted: lifted($0.discounted), nextYear: lifted($0.nextYear)) }
        return parallelChunks(histories.x.count) { range in
            range.map { i in
                let (g0, notAlive) = aliveGradient(histories, i)
                let g = lifted(g0)
                let pair = perPairLifted[Int(pairs.ofRow[i])]
                return RowSpread(
                    aliveLogit: uncertainty.variance(g),
                    nextYearLog: uncertainty.variance(pair.nextYear, plus: g, times: notAlive),
                    discountedLog: uncertainty.variance(pair.discounted, plus: g, times: notAlive))
            }
        }
    }

    /// The gradient in ln θ of a sum of the rows' discounted purchases, each row weighed: with
    /// each row's clv as its weight, the gradient of the total clv (Σ clv × d ln clv / d ln θ),
    /// whose variance gᵀ Σ g is the total's — not the sum of the rows' variances, since every
    /// row moves with the same parameters. Linear in the rows', so a caller with covariates
    /// lifts each pattern's sum once rather than every row's gradient.
    func lifetimeValueTotalGradient(_ histories: PurchaseHistories, _ value: LifetimeValue, weights: [Double]) -> [Double] {
        let (pairs, perPair) = pairGradients(histories, value)
        let partial: [[Double]] = parallelChunks(histories.x.count) { range in
            var sum = [Double](repeating: 0, count: parameters.count)
            for i in range where weights[i] != 0 && weights[i].isFinite {
                let (g, notAlive) = aliveGradient(histories, i)
                let pair = perPair[Int(pairs.ofRow[i])]
                for k in sum.indices { sum[k] += weights[i] * (pair.discounted[k] + notAlive * g[k]) }
            }
            return [sum]
        }
        return partial.reduce(into: [Double](repeating: 0, count: parameters.count)) { total, part in
            for k in total.indices { total[k] += part[k] }
        }
    }

    /// Per distinct (x, T) pair: the gradient of ln(discounted) and of ln(next year) in ln θ.
    private func pairGradients(_ histories: PurchaseHistories, _ value: LifetimeValue) -> (PurchasePairs, [(discounted: [Double], nextYear: [Double])]) {
        let pairs = PurchasePairs(histories)
        let step = 1e-5
        let nudged = parameters.indices.map { shifted($0, by: step) }
        let perPair: [(discounted: [Double], nextYear: [Double])] = parallelChunks(pairs.count) { range in
            range.map { k in
                let base = pairs.horizons(self, k, value)
                var discounted = [Double](repeating: 0, count: nudged.count), nextYear = discounted
                for (j, model) in nudged.enumerated() {
                    let moved = pairs.horizons(model, k, value)
                    if base.discounted > 0, moved.discounted > 0 { discounted[j] = log(moved.discounted / base.discounted) / step }
                    if base.nextYear > 0, moved.nextYear > 0 { nextYear[j] = log(moved.nextYear / base.nextYear) / step }
                }
                return (discounted, nextYear)
            }
        }
        return (pairs, perPair)
    }

    /// A row's d logit P(alive) / d ln θ, and 1 − P(alive): d ln P(alive) = (1 − P) d logit.
    private func aliveGradient(_ histories: PurchaseHistories, _ i: Int) -> (g: [Double], notAlive: Double) {
        var (logOdds, g) = aliveLogOdds(x: histories.x[i], tx: histories.tx[i], T: histories.T[i])
        for k in g.indices { g[k] *= parameters[k] }
        return (g, logOdds.isFinite ? Special.logistic(-logOdds) : 0)
    }
}

extension GammaGamma {
    /// The gradient of ln E[spend | x, m̄] in (ln p, ln q, ln γ):
    ///
    ///     ln E = ln p + ln(γ + x m̄) − ln(p x + q − 1)
    func logSpendGradient(x: Double, monetary: Double) -> [Double] {
        let below = p * x + q - 1, above = gamma + x * monetary
        return [1 - p * x / below, -q / below, gamma / above]
    }
}
