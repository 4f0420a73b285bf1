#if canImport(Glibc)
import Glibc
#endif

/// The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way").
/// While alive a customer buys at rate λ ~ Gamma(r, α) a week; after each purchase they
/// drop out with probability p ~ Beta(a, b).
struct BGNBD: Sendable, Equatable {
    var r: Double
    var alpha: Double
    var a: Double
    var b: Double

    static let parameterNames = ["r", "alpha", "a", "b"]
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
        var value = 0.0
        var g = [0.0, 0.0, 0.0, 0.0]
        for i in 0..<data.rows {
            let w = data.weight[i]
            let k = Int(data.xIndex[i])
            let x = xs[k]
            let rx = r + x
            let a3 = -rx * lnAlphaT[Int(data.TIndex[i])]
            var ll = termX[k]
            var w4 = 0.0
            if x > 0 {
                let a4 = lnA - log(b + x - 1) - rx * lnAlphaTx[Int(data.txIndex[i])]
                let top = max(a3, a4)
                let sum = exp(a3 - top) + exp(a4 - top)
                ll += top + log(sum)
                w4 = exp(a4 - top) / sum
            } else {
                ll += a3
            }
            let w3 = 1 - w4
            value += w * ll
            let lT = lnAlphaT[Int(data.TIndex[i])], iT = invAlphaT[Int(data.TIndex[i])]
            let lTx = x > 0 ? lnAlphaTx[Int(data.txIndex[i])] : 0, iTx = x > 0 ? invAlphaTx[Int(data.txIndex[i])] : 0
            g[0] += w * (dr[k] - w3 * lT - w4 * lTx)
            g[1] += w * (r / alpha - rx * (w3 * iT + w4 * iTx))
            g[2] += w * (da[k] + w4 / a)
            g[3] += w * (db[k] - (x > 0 ? w4 / (b + x - 1) : 0))
        }
        return (value, g)
    }

    /// P(alive | x, tₓ, T) = 1 / (1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x)), eq. (9).
    func pAlive(x: Double, tx: Double, T: Double) -> Double {
        guard x > 0 else { return 1 }
        let logOdds = log(a / (b + x - 1)) + (r + x) * log((alpha + T) / (alpha + tx))
        return Special.logistic(-logOdds)
    }

    /// E[X(T, T+t] | x, tₓ, T], the expected repeat purchases in the next t weeks, eq. (10):
    ///
    ///     (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive)
    ///
    /// With z = t/(α+T+t), Euler's transformation turns (1−z)^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z)
    /// into (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z), whose terms fall like n^(a−r−x−2) zⁿ:
    /// fast for the customers who buy most, and free of overflow.
    func expectedPurchases(in t: Double, x: Double, tx: Double, T: Double) -> Double {
        expectedPurchases(at: [t], x: x, tx: tx, T: T)[0]
    }

    /// The same at several horizons at once (sharing the series' coefficients).
    func expectedPurchases(at times: [Double], x: Double, tx: Double, T: Double) -> [Double] {
        let alive = pAlive(x: x, tx: tx, T: T)
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
        var n = 1.0
        while n < 100_000 {
            for m in z.indices { sums[m] += u * power[m] }
            let next = u * (A + n) * (B + n) / ((c + n) * (n + 1))
            let size = abs(next) * pow(zMax, n + 1)
            if size < 1e-17 * max(1, sums.map(abs).max() ?? 0), n > 2 { break }
            for m in z.indices { power[m] *= z[m] }
            u = next
            n += 1
        }
        return z.indices.map { m in
            let factor = exp((a - 1) * logOneMinusZ[m])  // (1−z)^(a−1)
            // (c/(a−1)) · [1 − (1−z)^(a−1)(1 + S/c)] = [c(1 − (1−z)^(a−1)) − (1−z)^(a−1) S] / (a−1)
            let bracket = (c * -expm1((a - 1) * logOneMinusZ[m]) - factor * sums[m]) / (a - 1)
            return max(0, bracket * alive)
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
