#if canImport(Glibc)
import Glibc
#endif

/// The Gamma-Gamma model of spend per purchase (Fader, Hardie & Lee 2005, "RFM and CLV";
/// Colombo & Jiang 1999): a customer's purchases are Gamma(p, ν) with ν ~ Gamma(q, γ), so
/// their mean spend is p/ν. Fitted on repeat customers with a positive mean spend.
struct GammaGamma: Sendable, Equatable {
    var p: Double
    var q: Double
    var gamma: Double

    static let parameterNames = ["p", "q", "gamma"]
    var parameters: [Double] { [p, q, gamma] }

    init(p: Double, q: Double, gamma: Double) {
        (self.p, self.q, self.gamma) = (p, q, gamma)
    }

    init(_ v: [Double]) { self.init(p: v[0], q: v[1], gamma: v[2]) }

    /// The customers the model is fitted on: x repeat purchases of mean value m > 0.
    struct Data: Sendable {
        var x: [Double] = []
        var m: [Double] = []
        /// x ln x + (x ln m) and ln m summed, the parts of the likelihood that need no parameter.
        var xValues: [Double] = []
        var xIndex: [Int32] = []
        var countOfX: [Double] = []
        var sumXLnXm: [Double] = []  // per distinct x: Σ x ln(x m) … kept per x for ∂/∂p
        var sumLnM = 0.0
        /// Repeat customers left out for a spend of zero or less (refunds).
        var excluded = 0

        init(frequency: [Double], monetary: [Double]) {
            for c in frequency.indices where frequency[c] > 0 {
                if monetary[c] > 0 {
                    x.append(frequency[c])
                    m.append(monetary[c])
                } else {
                    excluded += 1
                }
            }
            (xValues, xIndex) = PurchaseHistories.distinct(x)
            countOfX = [Double](repeating: 0, count: xValues.count)
            sumXLnXm = [Double](repeating: 0, count: xValues.count)
            for i in x.indices {
                let k = Int(xIndex[i])
                countOfX[k] += 1
                sumXLnXm[k] += x[i] * log(x[i] * m[i])
                sumLnM += log(m[i])
            }
        }
    }

    /// The log-likelihood and its gradient in (p, q, γ), summed over customers (the full
    /// density of the mean spend m̄ of x purchases, as `lifetimes` reports it):
    ///
    ///     ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m̄ + px ln x − (px+q) ln(x m̄ + γ)
    static func logLikelihood(_ model: GammaGamma, _ data: Data) -> (value: Double, gradient: [Double]) {
        let (p, q, gamma) = (model.p, model.q, model.gamma)
        var value = -data.sumLnM
        var g = [0.0, 0.0, 0.0]
        let lgQ = Special.lnGamma(q), psiQ = Special.digamma(q)
        for (k, x) in data.xValues.enumerated() {
            let n = data.countOfX[k]
            let px = p * x
            let psiPXQ = Special.digamma(px + q)
            value += n * (Special.lnGamma(px + q) - Special.lnGamma(px) - lgQ + q * log(gamma)) + p * data.sumXLnXm[k]
            g[0] += n * x * (psiPXQ - Special.digamma(px)) + data.sumXLnXm[k]
            g[1] += n * (psiPXQ - psiQ + log(gamma))
            g[2] += n * q / gamma
        }
        let parts = parallelMap(data.x.count < 4096 ? 1 : 2) { k -> [Double] in
            let n = data.x.count
            let range = data.x.count < 4096 ? 0..<n : (n * k / 2)..<(n * (k + 1) / 2)
            // Compensated: summed plainly over millions of customers, the value's rounding hid
            // the last steps of the fit (3M customers stopped with a gradient of 1e-6, not converged).
            var v = CompensatedSum(), g0 = CompensatedSum(), g1 = CompensatedSum(), g2 = CompensatedSum()
            data.x.withUnsafeBufferPointer { xs in
                data.m.withUnsafeBufferPointer { ms in
                    for i in range {
                        let x = xs[i]
                        let s = x * ms[i] + gamma
                        let ls = log(s)
                        let px = p * x
                        v.add(-(px + q) * ls)
                        g0.add(-x * ls)
                        g1.add(-ls)
                        g2.add(-(px + q) / s)
                    }
                }
            }
            return [v.value, g0.value, g1.value, g2.value]
        }
        for part in parts {
            value += part[0]
            for j in 0..<3 { g[j] += part[j + 1] }
        }
        return (value, g)
    }

    /// E[M | x, m̄] = (γ p + p x m̄) / (p x + q − 1): the population mean γp/(q−1) and the
    /// customer's own mean, weighted by how much there is to go on. For x = 0 the mean.
    func expectedSpend(x: Double, monetary: Double) -> Double {
        (gamma * p + p * x * monetary) / (p * x + q - 1)
    }
}
