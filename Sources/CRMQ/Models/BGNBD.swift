#if canImport(Glibc)
import Glibc
#endif

/// The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way").
/// While alive a customer buys at rate λ ~ Gamma(r, α) a week; after each purchase they
/// drop out with probability p ~ Beta(a, b).
struct BGNBD: PurchaseModel, Equatable {
    static let word = "bgnbd"
    static let title = "BG/NBD"
    static let summary = "while alive a customer buys at a rate λ ~ Gamma(r, α); after each purchase they drop out "
        + "with probability p ~ Beta(a, b) (Fader, Hardie & Lee 2005)"

    var r: Double
    var alpha: Double
    var a: Double
    var b: Double

    static let parameterNames = ["r", "alpha", "a", "b"]
    static let likelihood = [
        "ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)",
        "       + ln[ (α+T)^−(r+x) + [x>0] · a/(b+x−1) · (α+tₓ)^−(r+x) ]",
    ]
    var parameters: [Double] { [r, alpha, a, b] }

    init(r: Double, alpha: Double, a: Double, b: Double) {
        (self.r, self.alpha, self.a, self.b) = (r, alpha, a, b)
    }

    init(_ p: [Double]) { self.init(r: p[0], alpha: p[1], a: p[2], b: p[3]) }

    /// The log-likelihood of the data and its gradient in (r, α, a, b), paper's eq. (6):
    ///
    ///     ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
    ///            + ln[ (α+T)^−(r+x) + 1{x>0} · a/(b+x−1) · (α+tₓ)^−(r+x) ]
    ///
    /// Terms that depend on x alone, tₓ alone or T alone are computed once per distinct value.
    static func logLikelihood(_ m: BGNBD, _ data: PurchaseHistories.Grouped) -> (value: Double, gradient: [Double]) {
        let (r, alpha, a, b) = (m.r, m.alpha, m.a, m.b)
        // Per distinct x: the Gamma and Beta terms and their derivatives.
        let xs = data.xValues
        var termX = [Double](repeating: 0, count: xs.count)
        var dr = [Double](repeating: 0, count: xs.count), da = dr, db = dr
        let lgR = Special.lnGamma(r), lgA = Special.lnGamma(a + b) - Special.lnGamma(b)
        let psiR = Special.digamma(r), psiAB = Special.digamma(a + b), psiB = Special.digamma(b)
        for (k, x) in xs.enumerated() {
            termX[k] = Special.lnGamma(r + x) - lgR + r * log(alpha) + lgA + Special.lnGamma(b + x) - Special.lnGamma(a + b + x)
            dr[k] = Special.digamma(r + x) - psiR + log(alpha)
            let psiABX = Special.digamma(a + b + x)
            da[k] = psiAB - psiABX
            db[k] = psiAB + Special.digamma(b + x) - psiB - psiABX
        }
        let lnAlphaT = data.TValues.map { log(alpha + $0) }
        let lnAlphaTx = data.txValues.map { log(alpha + $0) }
        let invAlphaT = data.TValues.map { 1 / (alpha + $0) }
        let invAlphaTx = data.txValues.map { 1 / (alpha + $0) }
        let lnA = log(a)
        // ln(a/(b+x−1)) and 1/(b+x−1) per distinct x (x > 0 only).
        let lnAOverBX = xs.map { $0 > 0 ? lnA - log(b + $0 - 1) : 0 }
        let invBX = xs.map { $0 > 0 ? 1 / (b + $0 - 1) : 0 }
        // Both cores, each a share of the rows; the partial sums are added in a fixed order.
        let total = parallelSums(data.rows, serialBelow: 4096) { range in
            var value = 0.0, g0 = 0.0, g1 = 0.0, g2 = 0.0, g3 = 0.0
            for i in range {
                let w = data.weight[i]
                let k = Int(data.xIndex[i])
                let x = xs[k]
                let rx = r + x
                let t = Int(data.TIndex[i])
                let a3 = -rx * lnAlphaT[t]
                var ll = termX[k] + a3
                var w4 = 0.0
                var lTx = 0.0, iTx = 0.0
                if x > 0 {
                    let tx = Int(data.txIndex[i])
                    lTx = lnAlphaTx[tx]
                    iTx = invAlphaTx[tx]
                    // ln(e^a3 + e^a4) = a3 + ln(1 + e^d), d = a4 − a3; one exp and one log1p.
                    let d = lnAOverBX[k] - rx * (lTx - lnAlphaT[t])
                    let e = exp(-abs(d))
                    ll += (d > 0 ? d : 0) + log1p(e)
                    w4 = d > 0 ? 1 / (1 + e) : e / (1 + e)
                }
                let w3 = 1 - w4
                value += w * ll
                g0 += w * (dr[k] - w3 * lnAlphaT[t] - w4 * lTx)
                g1 += w * (r / alpha - rx * (w3 * invAlphaT[t] + w4 * iTx))
                g2 += w * (da[k] + w4 / a)
                g3 += w * (db[k] - w4 * invBX[k])
            }
            return [value, g0, g1, g2, g3]
        }
        return (total[0], Array(total[1...]))
    }

    /// P(alive | x, tₓ, T) = 1 / (1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x)), eq. (9).
    func pAlive(x: Double, tx: Double, T: Double) -> Double {
        guard x > 0 else { return 1 }
        let logOdds = log(a / (b + x - 1)) + (r + x) * log((alpha + T) / (alpha + tx))
        return Special.logistic(-logOdds)
    }

    /// The log-odds of P(alive), −ln(a/(b+x−1)) − (r+x) ln((α+T)/(α+tₓ)), and their gradient.
    func aliveLogOdds(x: Double, tx: Double, T: Double) -> (value: Double, gradient: [Double]) {
        guard x > 0 else { return (.infinity, [0, 0, 0, 0]) }
        let spread = log((alpha + T) / (alpha + tx))
        return (-log(a / (b + x - 1)) - (r + x) * spread,
                [-spread, -(r + x) * (1 / (alpha + T) - 1 / (alpha + tx)), -1 / a, 1 / (b + x - 1)])
    }

    /// The expected purchases at each horizon were the customer surely alive: the bracket of
    /// eq. (10) times its prefactor, which P(alive) makes E[X(T, T+t] | x, tₓ, T]:
    ///
    ///     (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
    ///
    /// With z = t/(α+T+t), Euler's transformation turns (1−z)^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z)
    /// into (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z), whose terms fall like n^(a−r−x−2) zⁿ:
    /// fast for the customers who buy most, and free of overflow.
    func unconditional(at times: [Double], x: Double, T: Double) -> [Double] {
        // Near a = 1 the prefactor and the bracket both vanish; step off the singular point.
        let a = abs(self.a - 1) < 1e-7 ? 1 + 1e-7 : self.a
        let c = a + b + x - 1
        let z = times.map { $0 / (alpha + T + $0) }
        let logOneMinusZ = times.map { log((alpha + T) / (alpha + T + $0)) }
        // c · ₂F₁(A, B; c; z) − c = Σₙ≥₁ uₙ zⁿ with uₙ = (A)ₙ(B)ₙ / ((c+1)ₙ₋₁ n!): c's own
        // small value cancels out of the first term, so c near 0 (x = 0, a + b < 1) is safe.
        let A = a + b - 1 - r, B = a - 1
        var u = A * B
        var power = z
        var sums = [Double](repeating: 0, count: z.count)
        let zMax = z.max() ?? 0
        var zMaxPower = zMax
        var n = 1.0
        while n < 100_000 {
            for m in z.indices { sums[m] += u * power[m] }
            let next = u * (A + n) * (B + n) / ((c + n) * (n + 1))
            zMaxPower *= zMax
            if n > 2, abs(next) * zMaxPower < 1e-17 * max(1, abs(sums[sums.count - 1])) { break }
            for m in z.indices { power[m] *= z[m] }
            u = next
            n += 1
        }
        return z.indices.map { m in
            // (c/(a−1)) · [1 − (1−z)^(a−1)(1 + S/c)] = [c(1 − (1−z)^(a−1)) − (1−z)^(a−1) S] / (a−1)
            let shrink = (a - 1) * logOneMinusZ[m]
            return (c * -expm1(shrink) - exp(shrink) * sums[m]) / (a - 1)
        }
    }
}

extension PurchaseHistories {
    /// The rows with their x, tₓ and T as indices into the distinct values.
    struct Grouped: Sendable {
        var rows: Int
        var weight: [Double]
        var xValues: [Double], xIndex: [Int32]
        var txValues: [Double], txIndex: [Int32]
        var TValues: [Double], TIndex: [Int32]
    }

    var grouped: Grouped {
        let (xv, xi) = Self.distinct(x)
        let (tv, ti) = Self.distinct(tx)
        let (Tv, Ti) = Self.distinct(T)
        return Grouped(rows: x.count, weight: weight, xValues: xv, xIndex: xi, txValues: tv, txIndex: ti, TValues: Tv, TIndex: Ti)
    }
}

extension BGNBD {
    func walkthrough(x: Double, tx: Double, T: Double) -> ModelWalkthrough {
        let n = Self.shown
        let count: Prose = "\(x, .count)"
        var alive: [Prose]
        if x == 0 {
            alive = ["P(alive) = 1 when x = 0: BG/NBD lets a customer drop out only right after a repeat purchase."]
        } else {
            let odds = a / (b + x - 1)
            let ratio = pow((alpha + T) / (alpha + tx), r + x)
            alive = [
                "P(alive) = 1 / (1 + a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x))",
                "         = 1 / (1 + \(n(a))/(\(n(b))+\(count)−1) · ((\(n(alpha))+\(n(T)))/(\(n(alpha))+\(n(tx))))^(\(n(r))+\(count)))",
                "         = 1 / (1 + \(n(odds)) × \(n(ratio))) = \(n(pAlive(x: x, tx: tx, T: T)))",
            ]
        }
        return ModelWalkthrough(
            assumes: [
                "The transaction model is BG/NBD (Fader, Hardie & Lee 2005). While alive a customer buys at a",
                "rate λ ~ Gamma(r, α) a week; after each repeat purchase they drop out with probability p ~ Beta(a, b).",
            ],
            pAlive: alive,
            expectedPurchases: [
                "E(t) = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x)",
                "· ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive)",
            ])
    }
}
