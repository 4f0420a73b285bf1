#if canImport(Glibc)
import Glibc
#endif

/// How many purchases a customer makes in the next t weeks, as a distribution: P(0), P(1), …
///
/// A customer alive at T who made x repeat purchases is, from T on, a new customer of the
/// same model with the parameters their history has updated (λ ~ Gamma(r+x, α+T); for BG/NBD
/// p ~ Beta(a, b+x), for Pareto/NBD μ ~ Gamma(s, β+T)). So the conditional distribution is
///
///     P(X(T, T+t) = k | x, tₓ, T) = P(alive) · P_new(k; updated) + (1 − P(alive)) · 1{k = 0},
///
/// and its mean is the model's expected purchases: the tests hold the two to each other.
protocol PurchaseForecast: PurchaseModel {
    /// P(X(t) = k) for k = 0 … count−1 for a customer who has just made a first purchase.
    func newCustomer(weeks t: Double, count: Int) -> [Double]
    /// The new customer whose future is this customer's, were they alive at T.
    func updated(x: Double, T: Double) -> any PurchaseForecast
}

extension PurchaseForecast {
    /// P(X(T, T+t) = k | x, tₓ, T) for k = 0 … count−1.
    func conditional(weeks t: Double, x: Double, tx: Double, T: Double, count: Int) -> [Double] {
        let alive = pAlive(x: x, tx: tx, T: T)
        var p = updated(x: x, T: T).newCustomer(weeks: t, count: count).map { $0 * alive }
        p[0] += 1 - alive
        return p
    }
}

/// The negative binomial counts of a Gamma(r, α) rate over a time L:
/// Γ(r+k)/(Γ(r) k!) (α/(α+L))^r (L/(α+L))^k, in logs, for k = 0 … count−1.
func negativeBinomialLogs(r: Double, alpha: Double, over L: Double, count: Int) -> [Double] {
    let lnKeep = r * log(alpha / (alpha + L)), lnRate = L > 0 ? log(L / (alpha + L)) : -Double.infinity
    let lgR = Special.lnGamma(r)
    return (0..<count).map { k in
        let k = Double(k)
        return Special.lnGamma(r + k) - lgR - Special.lnGamma(k + 1) + lnKeep + (k > 0 ? k * lnRate : 0)
    }
}

extension BGNBD: PurchaseForecast {
    /// Fader, Hardie & Lee (2005), eq. (8):
    ///
    ///     P(X(t) = x) = B(a, b+x)/B(a, b) · NB(x; t)
    ///                   + 1{x>0} · B(a+1, b+x−1)/B(a, b) · [1 − Σ_{j<x} NB(j; t)]
    ///
    /// the first term alive through t, the second gone after the x-th purchase.
    func newCustomer(weeks t: Double, count: Int) -> [Double] {
        let nb = negativeBinomialLogs(r: r, alpha: alpha, over: t, count: count)
        let lnB = Special.lnGamma(a) + Special.lnGamma(b) - Special.lnGamma(a + b)
        var below = 0.0
        return (0..<count).map { k in
            let x = Double(k)
            let alive = exp(Special.lnGamma(a) + Special.lnGamma(b + x) - Special.lnGamma(a + b + x) - lnB + nb[k])
            var gone = 0.0
            if k > 0 {
                gone = exp(Special.lnGamma(a + 1) + Special.lnGamma(b + x - 1) - Special.lnGamma(a + b + x) - lnB) * max(0, 1 - below)
            }
            below += exp(nb[k])
            return alive + gone
        }
    }

    func updated(x: Double, T: Double) -> any PurchaseForecast { BGNBD(r: r + x, alpha: alpha + T, a: a, b: b + x) }
}

extension MBGNBD: PurchaseForecast {
    /// A new MBG/NBD customer may drop out at once, with p ~ Beta(a, b) (then buys nothing);
    /// one who stays has p ~ Beta(a, b+1) and buys as a BG/NBD customer does.
    func newCustomer(weeks t: Double, count: Int) -> [Double] {
        var p = BGNBD(r: r, alpha: alpha, a: a, b: b + 1).newCustomer(weeks: t, count: count).map { $0 * b / (a + b) }
        p[0] += a / (a + b)
        return p
    }

    /// Alive at T after x repeat purchases it has survived x + 1 chances to leave: from T on, a
    /// BG/NBD customer with p ~ Beta(a, b+x+1).
    func updated(x: Double, T: Double) -> any PurchaseForecast { BGNBD(r: r + x, alpha: alpha + T, a: a, b: b + x + 1) }
}

extension ParetoNBD: PurchaseForecast {
    /// Alive through t with probability (β/(β+t))^s, else gone at u with density
    /// s β^s / (β+u)^(s+1); while alive, counts are negative binomial over the time alive:
    ///
    ///     P(X(t) = k) = (β/(β+t))^s NB(k; t) + ∫₀ᵗ s β^s (β+u)^−(s+1) NB(k; u) du
    ///
    /// The integral in v = ln((β+u)/β), where s β^s (β+u)^−(s+1) du = s (β/(β+u))^s dv is smooth,
    /// by Gauss–Legendre on four panels of 16 nodes.
    func newCustomer(weeks t: Double, count: Int) -> [Double] {
        var p = negativeBinomialLogs(r: r, alpha: alpha, over: t, count: count).map { exp($0 + s * log(beta / (beta + t))) }
        let top = log((beta + t) / beta), panels = 4
        let rule = GaussLegendre.standard
        for panel in 0..<panels {
            let (from, width) = (top * Double(panel) / Double(panels), top / Double(panels))
            for i in 0..<rule.count {
                let (node, weight) = (rule.nodes[i], rule.weights[i])
                let v = from + node * width
                let u = beta * expm1(v)
                let density = s * exp(-s * v) * weight * width
                let nb = negativeBinomialLogs(r: r, alpha: alpha, over: u, count: count)
                for k in 0..<count { p[k] += density * exp(nb[k]) }
            }
        }
        return p
    }

    func updated(x: Double, T: Double) -> any PurchaseForecast { ParetoNBD(r: r + x, alpha: alpha + T, s: s, beta: beta + T) }
}

extension BGBB: PurchaseForecast {
    /// Over the next n* opportunities (`weeks` counts them here) of a customer alive now, with
    /// p ~ Beta(α, β) and θ ~ Beta(γ, δ): alive for exactly j of them with chance
    /// B(γ+1, δ+j)/B(γ, δ) (j < n*) or B(γ, δ+n*)/B(γ, δ), and k purchases in j with chance
    /// C(j, k) B(α+k, β+j−k)/B(α, β) (Fader, Hardie & Shang 2010, eq. 9, with the history's
    /// update below). Its mean is E[p] · Σ_{t≤n*} E[(1−θ)^t], the expected purchases.
    func newCustomer(weeks t: Double, count: Int) -> [Double] {
        let n = max(0, Int(t.rounded()))
        let lnB = { (a: Double, b: Double) in Special.lnGamma(a) + Special.lnGamma(b) - Special.lnGamma(a + b) }
        let base = lnB(alpha, beta), stay = lnB(gamma, delta)
        var p = [Double](repeating: 0, count: count)
        for j in 0...n {
            let alive = j < n ? lnB(gamma + 1, delta + Double(j)) - stay : lnB(gamma, delta + Double(n)) - stay
            for k in 0...min(j, count - 1) {
                let choose = Special.lnGamma(Double(j) + 1) - Special.lnGamma(Double(k) + 1) - Special.lnGamma(Double(j - k) + 1)
                p[k] += exp(alive + choose + lnB(alpha + Double(k), beta + Double(j - k)) - base)
            }
        }
        return p
    }

    /// After x purchases in n opportunities, alive: p ~ Beta(α+x, β+n−x), θ ~ Beta(γ, δ+n).
    func updated(x: Double, T n: Double) -> any PurchaseForecast { BGBB([alpha + x, beta + n - x, gamma, delta + n]) }
}
