#if canImport(Glibc)
import Glibc
#endif

/// The MBG/NBD model (Batislam, Denizel & Filiztekin 2007, "Empirical validation and
/// comparison of models for customer base analysis"): BG/NBD, but the chance p ~ Beta(a, b)
/// of dropping out comes at the first purchase too, so a customer who never bought again
/// is not taken to be surely alive. While alive a customer buys at rate λ ~ Gamma(r, α) a week.
struct MBGNBD: PurchaseModel, Equatable {
    static let word = "mbgnbd"
    static let title = "MBG/NBD"
    static let summary = "BG/NBD with the chance to drop out at the first purchase too, so that one-time buyers "
        + "can be gone (Batislam, Denizel & Filiztekin 2007)"

    var r: Double
    var alpha: Double
    var a: Double
    var b: Double

    static let parameterNames = ["r", "alpha", "a", "b"]
    static let likelihood = [
        "ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x+1) − ln B(a, b) − (r+x) ln(α+T)",
        "       + ln[ 1 + a/(b+x) · ((α+T)/(α+tₓ))^(r+x) ]",
    ]
    var parameters: [Double] { [r, alpha, a, b] }

    init(_ p: [Double]) { (r, alpha, a, b) = (p[0], p[1], p[2], p[3]) }

    /// The log-likelihood and its gradient in (r, α, a, b):
    ///
    ///     ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x+1) − ln B(a, b) − (r+x) ln(α+T)
    ///            + ln[1 + a/(b+x) · ((α+T)/(α+tₓ))^(r+x)]
    ///
    /// With σ the logistic of the last bracket's log, ∂/∂a gains σ/a and ∂/∂b loses σ/(b+x).
    static func logLikelihood(_ m: MBGNBD, _ data: PurchaseHistories.Grouped) -> (value: Double, gradient: [Double]) {
        let (r, alpha, a, b) = (m.r, m.alpha, m.a, m.b)
        let xs = data.xValues
        let lgR = Special.lnGamma(r), lgAB = Special.lnGamma(a + b), lgB = Special.lnGamma(b)
        let psiR = Special.digamma(r), psiAB = Special.digamma(a + b), psiB = Special.digamma(b)
        // Per distinct x: the Gamma and Beta terms and their derivatives, and ln(a/(b+x)).
        var termX = [Double](repeating: 0, count: xs.count), dr = termX, da = termX, db = termX, lnOdds = termX
        for (k, x) in xs.enumerated() {
            termX[k] = Special.lnGamma(r + x) - lgR + r * log(alpha) + lgAB + Special.lnGamma(b + x + 1) - lgB - Special.lnGamma(a + b + x + 1)
            dr[k] = Special.digamma(r + x) - psiR + log(alpha)
            let psiABX = Special.digamma(a + b + x + 1)
            da[k] = psiAB - psiABX
            db[k] = psiAB + Special.digamma(b + x + 1) - psiB - psiABX
            lnOdds[k] = log(a) - log(b + x)
        }
        let lnAlphaT = data.TValues.map { log(alpha + $0) }, lnAlphaTx = data.txValues.map { log(alpha + $0) }
        var value = 0.0
        var gradient = [0.0, 0.0, 0.0, 0.0]
        for i in 0..<data.rows {
            let (k, t, tx) = (Int(data.xIndex[i]), Int(data.TIndex[i]), Int(data.txIndex[i]))
            let w = data.weight[i], rx = r + xs[k]
            let spread = lnAlphaT[t] - lnAlphaTx[tx]
            // ln(1 + e^d) and its derivative σ(d), without overflow.
            let d = lnOdds[k] + rx * spread
            let sigma = Special.logistic(d)
            value += w * (termX[k] - rx * lnAlphaT[t] + (d > 0 ? d + log1p(exp(-d)) : log1p(exp(d))))
            let (invT, invTx) = (1 / (alpha + data.TValues[t]), 1 / (alpha + data.txValues[tx]))
            gradient[0] += w * (dr[k] - lnAlphaT[t] + sigma * spread)
            gradient[1] += w * (r / alpha - rx * invT + sigma * rx * (invT - invTx))
            gradient[2] += w * (da[k] + sigma / a)
            gradient[3] += w * (db[k] - sigma / (b + xs[k]))
        }
        return (value, gradient)
    }

    /// P(alive | x, tₓ, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+tₓ))^(r+x)): below 1 even for x = 0.
    func pAlive(x: Double, tx: Double, T: Double) -> Double {
        Special.logistic(-(log(a / (b + x)) + (r + x) * log((alpha + T) / (alpha + tx))))
    }

    /// The log-odds of P(alive), −ln(a/(b+x)) − (r+x) ln((α+T)/(α+tₓ)), and their gradient.
    func aliveLogOdds(x: Double, tx: Double, T: Double) -> (value: Double, gradient: [Double]) {
        let spread = log((alpha + T) / (alpha + tx))
        return (-log(a / (b + x)) - (r + x) * spread,
                [-spread, -(r + x) * (1 / (alpha + T) - 1 / (alpha + tx)), -1 / a, 1 / (b + x)])
    }

    /// (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))]: BG/NBD's
    /// bracket with b+1 for b, so its series serves here as it stands.
    func unconditional(at times: [Double], x: Double, T: Double) -> [Double] {
        BGNBD(r: r, alpha: alpha, a: a, b: b + 1).unconditional(at: times, x: x, T: T)
    }

    static func fit(
        _ data: PurchaseHistories, penalty: Double = 0, standardErrors: Bool = true, interrupted: @escaping InterruptCheck = ctrlCPressed
    ) throws(ModelError) -> (MBGNBD, ModelFit) {
        try maximumLikelihood(data, starts: data.betaGeometricStarts, penalty: penalty, standardErrors: standardErrors, interrupted: interrupted)
    }
}

extension MBGNBD {
    func walkthrough(x: Double, tx: Double, T: Double) -> ModelWalkthrough {
        let n = Self.shown
        let count: Prose = "\(x, .count)"
        let odds = a / (b + x)
        let ratio = pow((alpha + T) / (alpha + tx), r + x)
        return ModelWalkthrough(
            assumes: [
                "The transaction model is MBG/NBD (Batislam, Denizel & Filiztekin 2007). While alive a customer buys",
                "at a rate λ ~ Gamma(r, α) a week; at the first purchase and after each repeat purchase they drop",
                "out with probability p ~ Beta(a, b), so a customer who never bought again can be gone.",
            ],
            pAlive: [
                "P(alive) = 1 / (1 + a/(b+x) · ((α+T)/(α+tₓ))^(r+x))",
                "         = 1 / (1 + \(n(a))/(\(n(b))+\(count)) · ((\(n(alpha))+\(n(T)))/(\(n(alpha))+\(n(tx))))^(\(n(r))+\(count)))",
                "         = 1 / (1 + \(n(odds)) × \(n(ratio))) = \(n(pAlive(x: x, tx: tx, T: T)))",
            ],
            expectedPurchases: [
                "E(t) = (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x)",
                "· ₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))] · P(alive)",
            ])
    }
}
