#if canImport(Glibc)
import Glibc
#endif

/// The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987): while alive a customer buys
/// at rate λ ~ Gamma(r, α) a week, and lives an exponential time with rate μ ~ Gamma(s, β).
///
/// The likelihood (Fader & Hardie 2005, "A note on deriving the Pareto/NBD model", eq. 21):
///
///     L = Γ(r+x) αʳ βˢ / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s ∫ₜₓᵀ (α+τ)^−(r+x) (β+τ)^−(s+1) dτ ]
///
/// The usual closed form of the integral is a difference of two ₂F₁ terms that cancel
/// almost exactly for a customer who bought recently — where `lifetimes` and BTYD lose
/// P(alive) for heavy buyers. Here the integral is taken by Gauss–Legendre quadrature after a
/// change of variable that makes its integrand smooth, which also gives every derivative.
struct ParetoNBD: PurchaseModel, Equatable {
    static let word = "paretonbd"
    static let title = "Pareto/NBD"
    static let summary = "while alive a customer buys at a rate λ ~ Gamma(r, α) and stays alive for an exponential time of "
        + "rate μ ~ Gamma(s, β) (Schmittlein, Morrison & Colombo 1987)"

    var r: Double
    var alpha: Double
    var s: Double
    var beta: Double

    static let parameterNames = ["r", "alpha", "s", "beta"]
    static let likelihood = [
        "ln L = ln Γ(r+x) − ln Γ(r) + r ln α + s ln β",
        "       + ln[ (α+T)^−(r+x) (β+T)^−s + s ∫ₜₓᵀ (α+τ)^−(r+x) (β+τ)^−(s+1) dτ ]   (the integral by Gauss–Legendre)",
    ]
    var parameters: [Double] { [r, alpha, s, beta] }

    init(r: Double, alpha: Double, s: Double, beta: Double) {
        (self.r, self.alpha, self.s, self.beta) = (r, alpha, s, beta)
    }

    init(_ p: [Double]) { self.init(r: p[0], alpha: p[1], s: p[2], beta: p[3]) }

    /// ln of the integral J = ∫ₜₓᵀ (α+τ)^−(r+x) (β+τ)^−(s+1) dτ, and the integrals of its
    /// integrand times −ln(α+τ), −(r+x)/(α+τ), −ln(β+τ), −(s+1)/(β+τ), each over J.
    ///
    /// With u = ln((α+τ)/(α+tₓ)) the integrand is (α+tₓ)^−c e^−cu (β+τ)^−(s+1) du, c = r+x−1;
    /// for c > 1 (it falls steeply) v = 1 − e^−cu turns it into (α+tₓ)^−c/c · (β+τ)^−(s+1) dv.
    struct Integral {
        var logJ: Double
        var dLnAlpha: Double, dAlpha: Double, dLnBeta: Double, dBeta: Double
    }

    func integral(x: Double, tx: Double, T: Double) -> Integral? {
        guard T > tx else { return nil }
        let rx = r + x
        let c = rx - 1
        let base = alpha + tx
        let logBase = log(base)
        let U = log((alpha + T) / base)
        let rule = GaussLegendre.standard
        let steep = c > 1
        let V = steep ? -expm1(-c * U) : U
        let n = rule.nodes.count
        // Per node: u, ln(β+τ), and the log of (integrand × dτ/dt × weight) without the
        // constant −c ln(α+tₓ); ln(α+τ) is ln(α+tₓ) + u.
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 5 * n) { scratch -> Integral in
            var top = -Double.infinity
            let logV = log(V), logC = steep ? log(c) : 0
            for k in 0..<n {
                let t = rule.nodes[k] * V
                let u = steep ? -log1p(-t) / c : t
                let alphaTau = base * exp(u)
                let betaTau = beta + alphaTau - alpha
                let logBeta = log(betaTau)
                let value = rule.logWeights[k] + logV - (s + 1) * logBeta + (steep ? -logC : -c * u)
                scratch[k] = u
                scratch[n + k] = logBeta
                scratch[2 * n + k] = value
                scratch[3 * n + k] = alphaTau
                scratch[4 * n + k] = betaTau
                top = max(top, value)
            }
            var sum = 0.0, la = 0.0, ia = 0.0, lb = 0.0, ib = 0.0
            for k in 0..<n {
                let w = exp(scratch[2 * n + k] - top)
                let u = scratch[k], logBeta = scratch[n + k]
                sum += w
                la += w * (logBase + u)
                ia += w / scratch[3 * n + k]
                lb += w * logBeta
                ib += w / scratch[4 * n + k]
            }
            return Integral(
                logJ: top + log(sum) - c * logBase,
                dLnAlpha: -la / sum, dAlpha: -rx * ia / sum, dLnBeta: -lb / sum, dBeta: -(s + 1) * ib / sum)
        }
    }

    /// The two terms of the bracket, in logs: the customer alive at T, and dead between tₓ and T.
    private func terms(x: Double, tx: Double, T: Double) -> (alive: Double, dead: Double, integral: Integral?) {
        let alive = -(r + x) * log(alpha + T) - s * log(beta + T)
        guard T > tx else { return (alive, -.infinity, nil) }
        // The integrand falls from τ = tₓ on, so (T − tₓ) times its value there bounds the
        // integral; below e^−36 of the alive term it changes nothing a double can hold.
        let bound = log(s) + log(T - tx) - (r + x) * log(alpha + tx) - (s + 1) * log(beta + tx)
        if bound < alive - 36 { return (alive, -.infinity, nil) }
        guard let integral = integral(x: x, tx: tx, T: T) else { return (alive, -.infinity, nil) }
        return (alive, log(s) + integral.logJ, integral)
    }

    /// The log-likelihood and its gradient in (r, α, s, β), summed over the distinct rows.
    static func logLikelihood(_ m: ParetoNBD, _ data: PurchaseHistories.Grouped) -> (value: Double, gradient: [Double]) {
        let xs = data.xValues
        let lgR = Special.lnGamma(m.r), psiR = Special.digamma(m.r)
        let termX = xs.map { Special.lnGamma(m.r + $0) - lgR + m.r * log(m.alpha) + m.s * log(m.beta) }
        let dR = xs.map { Special.digamma(m.r + $0) - psiR + log(m.alpha) }
        let total = parallelSums(data.rows, serialBelow: 512) { range in
            var v = 0.0, g = [0.0, 0.0, 0.0, 0.0]
            for i in range {
                let w = data.weight[i]
                let xk = Int(data.xIndex[i])
                let x = xs[xk]
                let tx = data.txValues[Int(data.txIndex[i])], T = data.TValues[Int(data.TIndex[i])]
                let (a, d, integral) = m.terms(x: x, tx: tx, T: T)
                let top = max(a, d)
                let pa = exp(a - top), pd = exp(d - top)
                let total = pa + pd
                v += w * (termX[xk] + top + log(total))
                let wa = pa / total, wd = pd / total
                let i = integral ?? Integral(logJ: -.infinity, dLnAlpha: 0, dAlpha: 0, dLnBeta: 0, dBeta: 0)
                g[0] += w * (dR[xk] + wa * -log(m.alpha + T) + wd * i.dLnAlpha)
                g[1] += w * (m.r / m.alpha + wa * -(m.r + x) / (m.alpha + T) + wd * i.dAlpha)
                g[2] += w * (log(m.beta) + wa * -log(m.beta + T) + wd * (1 / m.s + i.dLnBeta))
                g[3] += w * (m.s / m.beta + wa * -m.s / (m.beta + T) + wd * i.dBeta)
            }
            return [v] + g
        }
        return (total[0], Array(total[1...]))
    }

    /// P(alive | x, tₓ, T): the alive term's share of the bracket.
    func pAlive(x: Double, tx: Double, T: Double) -> Double {
        let (a, d, _) = terms(x: x, tx: tx, T: T)
        return Special.logistic(a - d)
    }

    /// The log-odds of P(alive), the alive term less the dead one, and their gradient: the
    /// quadrature gives the dead term's.
    func aliveLogOdds(x: Double, tx: Double, T: Double) -> (value: Double, gradient: [Double]) {
        let (a, d, integral) = terms(x: x, tx: tx, T: T)
        let alive = [-log(alpha + T), -(r + x) / (alpha + T), -log(beta + T), -s / (beta + T)]
        guard let integral, d > -.infinity else { return (.infinity, [0, 0, 0, 0]) }
        let dead = [integral.dLnAlpha, integral.dAlpha, 1 / s + integral.dLnBeta, integral.dBeta]
        return (a - d, zip(alive, dead).map { $0 - $1 })
    }

    /// The expected purchases in the next t weeks were the customer surely alive (Schmittlein
    /// et al. 1987), which P(alive) makes E[X(T, T+t] | x, tₓ, T]:
    ///
    ///     (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)]
    ///
    /// (the bracket over s−1 is ln((β+T+t)/(β+T)) at s = 1).
    func unconditional(at times: [Double], x: Double, T: Double) -> [Double] {
        times.map { t in
            let logRatio = log((beta + T) / (beta + T + t))
            let shrink = abs(s - 1) < 1e-9 ? -logRatio : -expm1((s - 1) * logRatio) / (s - 1)
            return (r + x) * (beta + T) / (alpha + T) * shrink
        }
    }
}

extension ParetoNBD {
    static func fit(
        _ data: PurchaseHistories, penalty: Double = 0, standardErrors: Bool = true, interrupted: @escaping InterruptCheck = ctrlCPressed
    ) throws(ModelError) -> (ParetoNBD, ModelFit) {
        try data.requireEnough(for: "Pareto/NBD", penalty: penalty)
        // Many distinct rows: first every k-th of them (weights times k) from the usual starts,
        // then all rows from that point, where BFGS needs only a few of the costly iterations.
        var starts = [[1.0, 1, 1, 1], [0.5, 10, 0.5, 10]]
        var warmIterations = 0
        var curvature: [[Double]]?
        if data.x.count > 40_000 {
            let k = data.x.count / 20_000
            var sample = data
            sample.x = stride(from: 0, to: data.x.count, by: k).map { data.x[$0] }
            sample.tx = stride(from: 0, to: data.x.count, by: k).map { data.tx[$0] }
            sample.T = stride(from: 0, to: data.x.count, by: k).map { data.T[$0] }
            sample.weight = stride(from: 0, to: data.x.count, by: k).map { data.weight[$0] * Double(k) }
            let sampled = sample.grouped
            let warm = try MaximumLikelihood(
                model: "Pareto/NBD", names: parameterNames,
                logLikelihood: { p in logLikelihood(ParetoNBD(p), sampled) },
                customers: data.modelled, starts: starts, penalty: penalty, standardErrors: false, interrupted: interrupted
            ).fit()
            starts.insert(warm.values, at: 0)
            warmIterations = warm.iterations
            curvature = warm.curvature
        }
        let grouped = data.grouped
        var fit = try MaximumLikelihood(
            model: "Pareto/NBD", names: parameterNames,
            logLikelihood: { p in logLikelihood(ParetoNBD(p), grouped) },
            customers: data.modelled,
            starts: starts,
            curvature: curvature,
            penalty: penalty,
            standardErrors: standardErrors,
            interrupted: interrupted
        ).fit()
        if warmIterations > 0 {
            fit.notes.append("started from a fit on every \(data.x.count / 20_000)th distinct row (\(warmIterations) iterations)")
        }
        return (ParetoNBD(fit.values), fit)
    }
}

extension ParetoNBD {
    func walkthrough(x: Double, tx: Double, T: Double) -> ModelWalkthrough {
        let n = Self.shown
        let count: Prose = "\(x, .count)"
        let (aliveTerm, deadTerm, _) = terms(x: x, tx: tx, T: T)
        let integral: Prose = deadTerm == -.infinity
            ? "0 (too small to count beside A)"
            : "\(n(s)) · ∫ₜₓᵀ (\(n(alpha))+τ)^−(\(n(r))+\(count)) (\(n(beta))+τ)^−(\(n(s))+1) dτ, ln B = \(n(deadTerm))"
        return ModelWalkthrough(
            assumes: [
                "The transaction model is Pareto/NBD (Schmittlein, Morrison & Colombo 1987). While alive a customer",
                "buys at a rate λ ~ Gamma(r, α) a week and stays alive an exponential time of rate μ ~ Gamma(s, β).",
            ],
            pAlive: [
                "P(alive) = A / (A + B): A = (α+T)^−(r+x) (β+T)^−s, the customer alive at T;",
                "         B = s ∫ₜₓᵀ (α+τ)^−(r+x) (β+τ)^−(s+1) dτ, gone at some τ between tₓ and T (Fader & Hardie 2005).",
                "         A = (\(n(alpha))+\(n(T)))^−(\(n(r))+\(count)) (\(n(beta))+\(n(T)))^−\(n(s)), ln A = \(n(aliveTerm))",
                "         B = \(integral)",
                "         P(alive) = 1 / (1 + e^(ln B − ln A)) = \(n(pAlive(x: x, tx: tx, T: T)))",
            ],
            expectedPurchases: [
                "E(t) = (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive)",
            ])
    }
}
