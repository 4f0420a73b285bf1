#if canImport(Glibc)
import Glibc
#endif

/// The BG/BB model (Fader, Hardie & Shang 2010, "Customer-base analysis in a discrete-time
/// noncontractual setting") for discrete opportunities to buy — a yearly gala, a monthly
/// draw. At each opportunity a customer still alive buys with probability p ~ Beta(α, β);
/// before each one they drop out for good with probability θ ~ Beta(γ, δ). A customer's
/// history is x purchases in n opportunities, the last at opportunity tₓ.
struct BGBB: PurchaseModel, Equatable {
    static let word = "bgbb"
    static let title = "BG/BB"
    static let summary = "for discrete opportunities: a customer alive buys at each with probability p ~ Beta(α, β) and drops out "
        + "before each with probability θ ~ Beta(γ, δ) (Fader, Hardie & Shang 2010)"
    static let time = ModelTime.periods

    var alpha: Double
    var beta: Double
    var gamma: Double
    var delta: Double

    static let parameterNames = ["alpha", "beta", "gamma", "delta"]
    static let likelihood = [
        "ln L = ln[ B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ)",
        "           + Σᵢ₌₀ⁿ⁻ᵗˣ⁻¹ B(α+x, β+tₓ−x+i)/B(α,β) · B(γ+1, δ+tₓ+i)/B(γ,δ) ]   (alive through n, or gone after tₓ+i)",
    ]
    var parameters: [Double] { [alpha, beta, gamma, delta] }

    init(_ p: [Double]) { (alpha, beta, gamma, delta) = (p[0], p[1], p[2], p[3]) }

    /// ln B(a, b).
    private static func lnBeta(_ a: Double, _ b: Double) -> Double { Special.lnGamma(a) + Special.lnGamma(b) - Special.lnGamma(a + b) }

    /// The likelihood's terms (eq. 5), each in logs with its gradient in (α, β, γ, δ): alive
    /// through all n opportunities, and gone after opportunity tₓ + i for i = 0 … n − tₓ − 1:
    ///
    ///     L = B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
    ///         + Σᵢ B(α+x, β+tₓ−x+i)/B(α,β) · B(γ+1, δ+tₓ+i)/B(γ,δ)
    ///
    /// ∂ ln B(a+u, b+v)/∂a = ψ(a+u) − ψ(a+b+u+v) and the like, less the same at u = v = 0.
    private func terms(x: Double, tx: Double, n: Double) -> [(log: Double, gradient: [Double])] {
        let (a, b, g, d) = (alpha, beta, gamma, delta)
        let base = Self.lnBeta(a, b) + Self.lnBeta(g, d)
        let psiAB = Special.digamma(a + b), psiGD = Special.digamma(g + d)
        let dA0 = Special.digamma(a) - psiAB, dB0 = Special.digamma(b) - psiAB
        let dG0 = Special.digamma(g) - psiGD, dD0 = Special.digamma(d) - psiGD
        func term(buys m: Double, gone c: Double, k: Double) -> (log: Double, gradient: [Double]) {
            // B(α+x, β+m) for the purchases, B(γ+c, δ+k) for staying and (c = 1) leaving.
            let psiBuy = Special.digamma(a + b + x + m), psiStay = Special.digamma(g + d + c + k)
            return (Self.lnBeta(a + x, b + m) + Self.lnBeta(g + c, d + k) - base, [
                Special.digamma(a + x) - psiBuy - dA0, Special.digamma(b + m) - psiBuy - dB0,
                Special.digamma(g + c) - psiStay - dG0, Special.digamma(d + k) - psiStay - dD0,
            ])
        }
        var all = [term(buys: n - x, gone: 0, k: n)]
        guard n - tx > 0.5 else { return all }
        // The first of the leaving terms directly; each next from the one before, as
        // B(u, v+1) = B(u, v) · v/(u+v) and ψ(v+1) = ψ(v) + 1/v: no special function per term.
        var last = term(buys: tx - x, gone: 1, k: tx)
        all.append(last)
        var (buy, stay) = (b + tx - x, d + tx)  // β+m and δ+k of the last term
        var (psiBuyAll, psiBuy, psiStayAll, psiStay) = (
            Special.digamma(a + b + tx), Special.digamma(b + tx - x), Special.digamma(g + d + 1 + tx), Special.digamma(d + tx))
        let (psiAX, psiG1) = (Special.digamma(a + x), Special.digamma(g + 1))
        var i = 1.0
        while i < n - tx - 0.5 {
            last.log += log(buy / (a + buy + x)) + log(stay / (g + 1 + stay))
            psiBuyAll += 1 / (a + buy + x)
            psiBuy += 1 / buy
            psiStayAll += 1 / (g + 1 + stay)
            psiStay += 1 / stay
            (buy, stay) = (buy + 1, stay + 1)
            last.gradient = [
                psiAX - psiBuyAll - dA0, psiBuy - psiBuyAll - dB0,
                psiG1 - psiStayAll - dG0, psiStay - psiStayAll - dD0,
            ]
            all.append(last)
            i += 1
        }
        return all
    }

    /// ln Σ e^(termᵢ) and its gradient (the terms' gradients weighed by their shares), without
    /// leaving logs: what the likelihood and P(alive)'s log-odds both sum.
    private static func logSum(_ terms: some Collection<(log: Double, gradient: [Double])>) -> (log: Double, gradient: [Double]) {
        let top = terms.map(\.log).max()!
        var sum = 0.0, gradient = [0.0, 0.0, 0.0, 0.0]
        for t in terms {
            let w = exp(t.log - top)
            sum += w
            for k in 0..<4 { gradient[k] += w * t.gradient[k] }
        }
        return (top + log(sum), gradient.map { $0 / sum })
    }

    /// ln L and its gradient for one history: the terms summed in logs.
    private func logLikelihood(x: Double, tx: Double, n: Double) -> (value: Double, gradient: [Double], alive: Double) {
        let all = terms(x: x, tx: tx, n: n)
        let total = Self.logSum(all)
        return (total.log, total.gradient, exp(all[0].log - total.log))
    }

    static func logLikelihood(_ m: BGBB, _ data: PurchaseHistories.Grouped) -> (value: Double, gradient: [Double]) {
        let total = parallelSums(data.rows, serialBelow: 256) { range in
            var sums = [0.0, 0.0, 0.0, 0.0, 0.0]
            for i in range {
                let w = data.weight[i]
                let row = m.logLikelihood(x: data.xValues[Int(data.xIndex[i])], tx: data.txValues[Int(data.txIndex[i])], n: data.TValues[Int(data.TIndex[i])])
                sums[0] += w * row.value
                for k in 0..<4 { sums[k + 1] += w * row.gradient[k] }
            }
            return sums
        }
        return (total[0], Array(total[1...]))
    }

    /// The terms one likelihood sums, over the distinct histories: at most `mostTerms`, so that
    /// a fit takes seconds, not hours.
    static let mostTerms = 5_000_000.0

    /// P(alive | x, tₓ, n): still a customer after the n-th opportunity, the first term's
    /// share of L (as `lifetimes`' conditional_probability_alive with m = 0).
    func pAlive(x: Double, tx: Double, T n: Double) -> Double { logLikelihood(x: x, tx: tx, n: n).alive }

    /// The log-odds of P(alive): the first term against the rest, with their gradients.
    func aliveLogOdds(x: Double, tx: Double, T n: Double) -> (value: Double, gradient: [Double]) {
        let all = terms(x: x, tx: tx, n: n)
        guard all.count > 1 else { return (.infinity, [0, 0, 0, 0]) }
        let rest = Self.logSum(all.dropFirst())
        return (all[0].log - rest.log, (0..<4).map { all[0].gradient[$0] - rest.gradient[$0] })
    }

    /// The expected purchases in the next n* opportunities were the customer alive after the
    /// n-th (eq. 13 over P(alive)):
    ///
    ///     (α+x)/(α+β+n) · [ (δ+n) − Γ(γ+δ+n) Γ(1+δ+n+n*) / (Γ(δ+n) Γ(γ+δ+n+n*)) ] / (γ−1)
    ///
    /// (at γ = 1 the bracket over γ−1 is its limit, taken a hair away).
    func unconditional(at times: [Double], x: Double, T n: Double) -> [Double] {
        let g = abs(gamma - 1) < 1e-7 ? 1 + 1e-7 : gamma
        let buys = (alpha + x) / (alpha + beta + n)
        let lead = Special.lnGamma(g + delta + n) - Special.lnGamma(delta + n)
        return times.map { t in
            let later = exp(lead + Special.lnGamma(1 + delta + n + t) - Special.lnGamma(g + delta + n + t))
            return buys * ((delta + n) - later) / (g - 1)
        }
    }

    /// Discounted expected residual transactions (Fader, Hardie & Shang 2010, eq. 19): every
    /// purchase still to come, the one at opportunity n + t discounted by (1 + d)^t, with no
    /// horizon. Alive after n, p ~ Beta(α+x, β+n−x) and θ ~ Beta(γ, δ+n) independently, so
    ///
    ///     DERT = P(alive) · (α+x)/(α+β+n) · Σ_{t≥1} B(γ, δ+n+t)/B(γ, δ+n) · (1+d)^−t
    ///
    /// — the paper's B(α+x+1, β+n−x)/B(α,β) · B(γ, δ+n+1)/(B(γ,δ)(1+d)) · ₂F₁(1, δ+n+1;
    /// γ+δ+n+1; 1/(1+d)) / L written as its series, each term from the one before. Without a
    /// discount the series is E[(1−θ)/θ] = (δ+n)/(γ−1): finite only for γ > 1.
    func dert(x: Double, tx: Double, n: Double, discount d: Double) -> Double {
        let buys = (alpha + x) / (alpha + beta + n)
        let alive = pAlive(x: x, tx: tx, T: n)
        guard d > 0 else { return gamma > 1 ? alive * buys * (delta + n) / (gamma - 1) : .infinity }
        var sum = 0.0, term = 1.0, t = 1.0
        while true {
            // B(γ, v+1)/B(γ, v) = v/(γ+v), v = δ+n+t−1; and one more opportunity's discount.
            let v = delta + n + t - 1
            term *= v / (gamma + v) / (1 + d)
            sum += term
            if term < 1e-17 * sum || t > 1e7 { break }
            t += 1
        }
        return alive * buys * sum
    }

    static func fit(
        _ data: PurchaseHistories, penalty: Double = 0, standardErrors: Bool = true, interrupted: @escaping InterruptCheck = ctrlCPressed
    ) throws(ModelError) -> (BGBB, ModelFit) {
        let terms = zip(data.T, data.tx).reduce(0.0) { $0 + $1.0 - $1.1 + 1 }
        guard terms <= mostTerms else {
            throw ModelError(message: "BG/BB sums a term for every opportunity after each history's last purchase, and these "
                + "\(data.x.count) distinct histories need \(Int(terms)) (at most \(Int(mostTerms))): opportunities are meant to be few, like yearly appeals")
        }
        return try maximumLikelihood(data, starts: [[1, 1, 1, 1], [0.5, 0.5, 0.5, 2]], penalty: penalty, standardErrors: standardErrors, interrupted: interrupted)
    }

    func walkthrough(x: Double, tx: Double, T n: Double) -> ModelWalkthrough {
        let shown = Self.shown
        let all = terms(x: x, tx: tx, n: n)
        let top = all.map(\.log).max()!
        let first = exp(all[0].log - top), rest = all.dropFirst().reduce(0.0) { $0 + exp($1.log - top) }
        return ModelWalkthrough(
            assumes: [
                "The transaction model is BG/BB (Fader, Hardie & Shang 2010), for discrete opportunities. A customer",
                "still alive buys at each with probability p ~ Beta(α, β), and drops out before each with probability θ ~ Beta(γ, δ).",
            ],
            pAlive: [
                "P(alive) = B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ) / L, L adding the chances of having left after",
                "each of opportunities tₓ … n−1: here \(shown(first / (first + rest))) (x = \(x, .count), tₓ = \(shown(tx)), n = \(shown(n))).",
            ],
            expectedPurchases: [
                "E(n*) = (α+x)/(α+β+n) · [(δ+n) − Γ(γ+δ+n) Γ(1+δ+n+n*) / (Γ(δ+n) Γ(γ+δ+n+n*))] / (γ−1) · P(alive)",
                "for the next n* opportunities.",
            ])
    }
}
