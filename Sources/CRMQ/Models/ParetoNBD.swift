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
    /// The integrand is two powers, each falling over its own scale: (α+τ) over α, (β+τ) over
    /// β. It is taken in y = ln((m+τ)/(m+tₓ)) with m the smaller of α and β, where that factor
    /// becomes exactly e^−cy (c its power less one, for dτ = (m+τ) dy) and the other is smooth;
    /// y runs until either factor has fallen by e^45 (a heavy buyer's (α+τ)^−(r+x) with β < α
    /// does within a sliver of τ), in pieces over which the integrand falls by at most e^16,
    /// each by 16-point Gauss–Legendre, or by 8 points for one short piece falling little
    /// (`Quadrature`). Against an adaptive quadrature to 1e-13 over 1,500 random customers and
    /// parameters (r, s from 0.1 to 10, α, β from 0.03 to 300, x to 150) the worst relative
    /// error was 4e-11, and the tests hold it to the same integral cut finer; the one change of
    /// variable it replaces (v = 1 − e^−cu on α's scale alone) erred by 7e-5 on a heavy buyer
    /// long gone, and by nearly 100% where β ≪ α.
    struct Integral {
        var logJ: Double
        var dLnAlpha: Double, dAlpha: Double, dLnBeta: Double, dBeta: Double
        /// Asked for with `second` (the Hessian's): the covariance, under the integrand, of
        /// u = (ln(α+τ), 1/(α+τ), ln(β+τ), 1/(β+τ)), its upper triangle row by row, and the
        /// means of 1/(α+τ)² and 1/(β+τ)².
        var covariance = InlineArray<10, Double>(repeating: 0)
        var meanInverseAlphaSquared = 0.0, meanInverseBetaSquared = 0.0
    }

    /// How the integral is cut: into at most `maxPieces` pieces over each of which the
    /// integrand falls by at most e^`fallPerPiece`, each taken by 16-point Gauss–Legendre; an
    /// integral that is one piece falling by at most e^`shortFall` over at most `shortSpan` of
    /// y — half the rows of a typical fit — by 8 points. (`fine` is the same integral cut eight
    /// times finer, which the tests hold `standard` to.)
    struct Quadrature: Sendable {
        var maxPieces: Int
        var fallPerPiece: Double
        var shortFall: Double
        var shortSpan: Double

        static let standard = Quadrature(maxPieces: 32, fallPerPiece: 16, shortFall: 3, shortSpan: 1.5)
        static let fine = Quadrature(maxPieces: 1024, fallPerPiece: 1, shortFall: 0, shortSpan: 0)
    }

    /// ln s, ln(α+T), ln(β+T), ln(α+tₓ), ln(β+tₓ): the logs a row's terms take, which the
    /// likelihood works out once for each distinct T and tₓ rather than once a row.
    struct RowLogs {
        var s: Double, alphaT: Double, betaT: Double, alphaTx: Double, betaTx: Double
    }

    func rowLogs(tx: Double, T: Double) -> RowLogs {
        RowLogs(s: log(s), alphaT: log(alpha + T), betaT: log(beta + T), alphaTx: log(alpha + tx), betaTx: log(beta + tx))
    }

    func integral(x: Double, tx: Double, T: Double, logs: RowLogs, second: Bool, quadrature: Quadrature = .standard) -> Integral? {
        guard T > tx else { return nil }
        let rx = r + x
        // The anchor m = min(α, β): its factor's power k1, the other's k2 on M + τ.
        let onAlpha = alpha <= beta
        let (m, k1, M, k2) = onAlpha ? (alpha, rx, beta, s + 1) : (beta, s + 1, alpha, rx)
        let c = k1 - 1
        let base = m + tx
        let logBase = onAlpha ? logs.alphaTx : logs.betaTx
        let Y = log((m + T) / base)
        var end = c > 0 ? min(Y, 45 / c) : Y
        // The other factor, too, may fall by e^45 before T — a heavy buyer's (α+τ)^−(r+x) with
        // β < α falls over a sliver of τ: where M + τ = (M + tₓ) e^(45/k2). (It cannot where
        // k2 (T − tₓ)/(M + tₓ), above k2 ln((M+T)/(M+tₓ)), is under 45.)
        if k2 * (T - tx) > 45 * (M + tx) {
            end = min(end, log(((M + tx) * exp(45 / k2) - M + m) / base))
        }
        // The log-integrand falls at c + k2 (m+τ)/(M+τ) in y, fastest at the end (M ≥ m).
        let anchoredEnd = base * exp(end)
        let fall = end * max(c + k2 * anchoredEnd / (M - m + anchoredEnd), 0.5)
        let pieces = max(1, min(quadrature.maxPieces, Int((fall / quadrature.fallPerPiece).rounded(.up))))
        let h = end / Double(pieces)
        let rule = fall <= quadrature.shortFall && end <= quadrature.shortSpan ? GaussLegendre.short : GaussLegendre.standard
        let n = rule.count * pieces
        let logH = log(h)
        // Per node: ln(α+τ), 1/(α+τ), ln(β+τ), 1/(β+τ), and the log of (integrand × dτ/dy ×
        // weight) without the constant −c ln(m+tₓ) — four nodes at a time (a rule's points are
        // a multiple of four), then replaced by the weight e^(that − its largest).
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 5 * n) { scratch -> Integral in
            let memory = UnsafeMutableRawPointer(scratch.baseAddress!)
            func load(_ row: Int, _ k: Int) -> SIMD4<Double> {
                memory.loadUnaligned(fromByteOffset: (row * n + k) * MemoryLayout<Double>.stride, as: SIMD4<Double>.self)
            }
            func store(_ value: SIMD4<Double>, _ row: Int, _ k: Int) {
                memory.storeBytes(of: value, toByteOffset: (row * n + k) * MemoryLayout<Double>.stride, as: SIMD4<Double>.self)
            }
            var top = -Double.infinity
            var k = 0
            for piece in 0..<pieces {
                let start = Double(piece) * h
                for i in stride(from: 0, to: rule.count, by: 4) {
                    let node = SIMD4(rule.nodes[i], rule.nodes[i + 1], rule.nodes[i + 2], rule.nodes[i + 3])
                    let logWeight = SIMD4(rule.logWeights[i], rule.logWeights[i + 1], rule.logWeights[i + 2], rule.logWeights[i + 3])
                    let y = start + node * h
                    let anchored = base * VectorMath.exp(y)          // m + τ
                    let other = (M - m) + anchored                   // M + τ, M ≥ m: no cancellation
                    let logOther = VectorMath.log(other)
                    let value = logWeight + logH - c * y - k2 * logOther
                    let logAnchored = logBase + y
                    let (alphaSide, betaSide) = onAlpha
                        ? ((logAnchored, 1 / anchored), (logOther, 1 / other)) : ((logOther, 1 / other), (logAnchored, 1 / anchored))
                    store(alphaSide.0, 0, k)
                    store(alphaSide.1, 1, k)
                    store(betaSide.0, 2, k)
                    store(betaSide.1, 3, k)
                    store(value, 4, k)
                    top = max(top, value[0], value[1], value[2], value[3])
                    k += 4
                }
            }
            var sums = SIMD4<Double>(), la = SIMD4<Double>(), ia = SIMD4<Double>(), lb = SIMD4<Double>(), ib = SIMD4<Double>()
            guard second else {
                for k in stride(from: 0, to: n, by: 4) {
                    let w = VectorMath.exp(load(4, k) - top)
                    sums += w
                    la += w * load(0, k)
                    ia += w * load(1, k)
                    lb += w * load(2, k)
                    ib += w * load(3, k)
                }
                let sum = sums.sum()
                return Integral(
                    logJ: top + log(sum) - c * logBase,
                    dLnAlpha: -la.sum() / sum, dAlpha: -rx * ia.sum() / sum, dLnBeta: -lb.sum() / sum, dBeta: -(s + 1) * ib.sum() / sum)
            }
            // Second moments of u less its value at the first node (the covariance does not
            // move with a shift, and the small spread of ln(α+τ) is not lost to its size).
            let origin = (scratch[0], scratch[n], scratch[2 * n], scratch[3 * n])
            var products = InlineArray<10, SIMD4<Double>>(repeating: SIMD4())
            var iaSquared = SIMD4<Double>(), ibSquared = SIMD4<Double>()
            for k in stride(from: 0, to: n, by: 4) {
                let w = VectorMath.exp(load(4, k) - top)
                let (inverseAlpha, inverseBeta) = (load(1, k), load(3, k))
                let u = (load(0, k) - origin.0, inverseAlpha - origin.1, load(2, k) - origin.2, inverseBeta - origin.3)
                sums += w
                la += w * u.0
                ia += w * u.1
                lb += w * u.2
                ib += w * u.3
                products[0] += w * u.0 * u.0
                products[1] += w * u.0 * u.1
                products[2] += w * u.0 * u.2
                products[3] += w * u.0 * u.3
                products[4] += w * u.1 * u.1
                products[5] += w * u.1 * u.2
                products[6] += w * u.1 * u.3
                products[7] += w * u.2 * u.2
                products[8] += w * u.2 * u.3
                products[9] += w * u.3 * u.3
                iaSquared += w * inverseAlpha * inverseAlpha
                ibSquared += w * inverseBeta * inverseBeta
            }
            let sum = sums.sum()
            let mean: InlineArray<4, Double> = [la.sum() / sum, ia.sum() / sum, lb.sum() / sum, ib.sum() / sum]
            var covariance = InlineArray<10, Double>(repeating: 0)
            var entry = 0
            for i in 0..<4 {
                for j in i..<4 {
                    covariance[entry] = products[entry].sum() / sum - mean[i] * mean[j]
                    entry += 1
                }
            }
            return Integral(
                logJ: top + log(sum) - c * logBase,
                dLnAlpha: -(mean[0] + origin.0), dAlpha: -rx * (mean[1] + origin.1), dLnBeta: -(mean[2] + origin.2),
                dBeta: -(s + 1) * (mean[3] + origin.3),
                covariance: covariance, meanInverseAlphaSquared: iaSquared.sum() / sum, meanInverseBetaSquared: ibSquared.sum() / sum)
        }
    }

    /// The two terms of the bracket, in logs: the customer alive at T, and dead between tₓ and T.
    private func terms(x: Double, tx: Double, T: Double) -> (alive: Double, dead: Double, integral: Integral?) {
        terms(x: x, tx: tx, T: T, logs: rowLogs(tx: tx, T: T), second: false)
    }

    private func terms(x: Double, tx: Double, T: Double, logs: RowLogs, second: Bool) -> (alive: Double, dead: Double, integral: Integral?) {
        let alive = -(r + x) * logs.alphaT - s * logs.betaT
        guard T > tx else { return (alive, -.infinity, nil) }
        // The integrand falls from τ = tₓ on, so (T − tₓ) times its value there bounds the
        // integral; below e^−36 of the alive term it changes nothing a double can hold.
        let bound = logs.s + log(T - tx) - (r + x) * logs.alphaTx - (s + 1) * logs.betaTx
        if bound < alive - 36 { return (alive, -.infinity, nil) }
        guard let integral = integral(x: x, tx: tx, T: T, logs: logs, second: second) else { return (alive, -.infinity, nil) }
        return (alive, logs.s + integral.logJ, integral)
    }

    /// Per distinct T and tₓ of the grouped histories, the logs their rows' terms take.
    private func distinctLogs(_ data: PurchaseHistories.Grouped) -> (T: [(alpha: Double, beta: Double)], tx: [(alpha: Double, beta: Double)]) {
        (data.TValues.map { (log(alpha + $0), log(beta + $0)) }, data.txValues.map { (log(alpha + $0), log(beta + $0)) })
    }

    /// Per distinct x: ln Γ(r+x) − ln Γ(r) + r ln α + s ln β, a row's terms before its bracket,
    /// and their derivative in r, ψ(r+x) − ψ(r) + ln α.
    private func frequencyTerms(_ xs: [Double]) -> (value: [Double], dR: [Double]) {
        let lgR = Special.lnGamma(r), psiR = Special.digamma(r)
        return (xs.map { Special.lnGamma(r + $0) - lgR + r * log(alpha) + s * log(beta) }, xs.map { Special.digamma(r + $0) - psiR + log(alpha) })
    }

    /// The log-likelihood and its gradient in (r, α, s, β), summed over the distinct rows.
    static func logLikelihood(_ m: ParetoNBD, _ data: PurchaseHistories.Grouped) -> (value: Double, gradient: [Double]) {
        let xs = data.xValues
        let (termX, dR) = m.frequencyTerms(xs)
        let (logsT, logsTx) = m.distinctLogs(data)
        let logS = log(m.s), logBeta = log(m.beta)
        let total = parallelSums(data.rows, serialBelow: 512) { range in
            var v = 0.0, g = [0.0, 0.0, 0.0, 0.0]
            for i in range {
                let w = data.weight[i]
                let xk = Int(data.xIndex[i]), txk = Int(data.txIndex[i]), Tk = Int(data.TIndex[i])
                let x = xs[xk]
                let tx = data.txValues[txk], T = data.TValues[Tk]
                let logs = RowLogs(s: logS, alphaT: logsT[Tk].alpha, betaT: logsT[Tk].beta, alphaTx: logsTx[txk].alpha, betaTx: logsTx[txk].beta)
                let (a, d, integral) = m.terms(x: x, tx: tx, T: T, logs: logs, second: false)
                // Without the dead term (most rows of long-gone or one-off buyers) the bracket is eᵃ.
                let wa: Double, wd: Double
                if integral != nil, d > -.infinity {
                    let top = max(a, d)
                    let pa = exp(a - top), pd = exp(d - top)
                    let total = pa + pd
                    v += w * (termX[xk] + top + log(total))
                    (wa, wd) = (pa / total, pd / total)
                } else {
                    v += w * (termX[xk] + a)
                    (wa, wd) = (1, 0)
                }
                let row = m.rowGradient(x: x, T: T, logs: logs, dR: dR[xk], logBeta: logBeta, shares: (wa, wd), integral: integral)
                for k in 0..<4 { g[k] += w * row[k] }
            }
            return [v] + g
        }
        return (total[0], Array(total[1...]))
    }

    /// A row's gradient in (r, α, s, β): ln Γ(r+x) − ln Γ(r) + r ln α + s ln β's, and the alive
    /// and dead terms' by their shares (wₐ, w_d) of the bracket. `dR` = ψ(r+x) − ψ(r) + ln α.
    @inline(__always)
    func rowGradient(
        x: Double, T: Double, logs: RowLogs, dR: Double, logBeta: Double, shares: (alive: Double, dead: Double), integral: Integral?
    ) -> InlineArray<4, Double> {
        let (wa, wd) = shares
        var g: InlineArray<4, Double> = [
            dR + wa * -logs.alphaT, r / alpha + wa * -(r + x) / (alpha + T), logBeta + wa * -logs.betaT, s / beta + wa * -s / (beta + T),
        ]
        if wd > 0, let integral {
            g[0] += wd * integral.dLnAlpha
            g[1] += wd * integral.dAlpha
            g[2] += wd * (1 / s + integral.dLnBeta)
            g[3] += wd * integral.dBeta
        }
        return g
    }

    /// The log-likelihood's Hessian in (r, α, s, β), summed over the distinct rows, for the
    /// standard errors: one pass, where central differences of the gradient take eight.
    ///
    /// A row's ℓ = ln Γ(r+x) − ln Γ(r) + r ln α + s ln β + ln(eᵃ + eᵈ), with a the alive term,
    /// d = ln s + ln J. With wₐ, w_d the two terms' shares of the bracket,
    ///
    ///     ∇²ℓ = ∇²(the first terms) + wₐ ∇²a + w_d ∇²d + wₐ w_d (∇a − ∇d)(∇a − ∇d)ᵀ,
    ///
    /// and for J = ∫ f, ln f = −(r+x) ln(α+τ) − (s+1) ln(β+τ) =: g(τ) integrated against f/J,
    /// ∇² ln J = E[∇g] + Cov(g): the quadrature's nodes give both.
    static func logLikelihoodHessian(_ m: ParetoNBD, _ data: PurchaseHistories.Grouped) -> SecondOrderLikelihood? {
        let xs = data.xValues
        let (termX, dR) = m.frequencyTerms(xs)
        let psi1R = Special.trigamma(m.r)
        let trigammaX = xs.map { Special.trigamma(m.r + $0) - psi1R }
        let (logsT, logsTx) = m.distinctLogs(data)
        let logS = log(m.s), logBeta = log(m.beta)
        // The upper triangle of the 4 × 4 Hessian, row by row: (rr, rα, rs, rβ, αα, αs, αβ, ss, sβ, ββ),
        // then the gradient and the value.
        let total = parallelSums(data.rows, serialBelow: 512) { range in
            var h = [Double](repeating: 0, count: 15)
            for i in range {
                let w = data.weight[i]
                let xk = Int(data.xIndex[i]), txk = Int(data.txIndex[i]), Tk = Int(data.TIndex[i])
                let x = xs[xk]
                let tx = data.txValues[txk], T = data.TValues[Tk]
                let logs = RowLogs(s: logS, alphaT: logsT[Tk].alpha, betaT: logsT[Tk].beta, alphaTx: logsTx[txk].alpha, betaTx: logsTx[txk].beta)
                let (a, d, integral) = m.terms(x: x, tx: tx, T: T, logs: logs, second: true)
                let top = max(a, d)
                let pa = exp(a - top), pd = exp(d - top)
                let wa = pa / (pa + pd), wd = pd / (pa + pd)
                h[14] += w * (termX[xk] + top + log(pa + pd))
                // ln Γ(r+x) − ln Γ(r) + r ln α + s ln β, and the alive term's second derivatives.
                var row = InlineArray<10, Double>(repeating: 0)
                row[0] = trigammaX[xk]
                row[1] = 1 / m.alpha - wa / (m.alpha + T)
                row[4] = -m.r / (m.alpha * m.alpha) + wa * (m.r + x) / ((m.alpha + T) * (m.alpha + T))
                row[8] = 1 / m.beta - wa / (m.beta + T)
                row[9] = -m.s / (m.beta * m.beta) + wa * m.s / ((m.beta + T) * (m.beta + T))
                if let integral, wd > 0 {
                    let gradA: InlineArray<4, Double> = [-logs.alphaT, -(m.r + x) / (m.alpha + T), -logs.betaT, -m.s / (m.beta + T)]
                    let gradD: InlineArray<4, Double> = [integral.dLnAlpha, integral.dAlpha, 1 / m.s + integral.dLnBeta, integral.dBeta]
                    // g = D u with D = diag(−1, −(r+x), −1, −(s+1)): Cov(g) = D Cov(u) D.
                    let scale: InlineArray<4, Double> = [-1, -(m.r + x), -1, -(m.s + 1)]
                    var entry = 0
                    for p in 0..<4 {
                        for q in p..<4 {
                            let spread = gradA[p] - gradD[p], spreadQ = gradA[q] - gradD[q]
                            row[entry] += wd * scale[p] * scale[q] * integral.covariance[entry] + wa * wd * spread * spreadQ
                            entry += 1
                        }
                    }
                    // E[∇g]: ∂g_r/∂α = ∂g_α/∂r = −1/(α+τ), ∂g_α/∂α = (r+x)/(α+τ)², the same in s, β;
                    // and ∂²(ln s)/∂s² = −1/s².
                    let meanInverseAlpha = -integral.dAlpha / (m.r + x), meanInverseBeta = -integral.dBeta / (m.s + 1)
                    row[1] += wd * -meanInverseAlpha
                    row[4] += wd * (m.r + x) * integral.meanInverseAlphaSquared
                    row[7] += wd * -1 / (m.s * m.s)
                    row[8] += wd * -meanInverseBeta
                    row[9] += wd * (m.s + 1) * integral.meanInverseBetaSquared
                }
                for k in 0..<10 { h[k] += w * row[k] }
                let gradient = m.rowGradient(x: x, T: T, logs: logs, dR: dR[xk], logBeta: logBeta, shares: (wa, wd), integral: integral)
                for k in 0..<4 { h[10 + k] += w * gradient[k] }
            }
            return h
        }
        var hessian = [[Double]](repeating: [Double](repeating: 0, count: 4), count: 4)
        var entry = 0
        for p in 0..<4 {
            for q in p..<4 {
                (hessian[p][q], hessian[q][p]) = (total[entry], total[entry])
                entry += 1
            }
        }
        return SecondOrderLikelihood(value: total[14], gradient: Array(total[10..<14]), hessian: hessian)
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
        // Many distinct rows: first every k-th customer (`thinned`) from the usual starts, then
        // all rows from that point, by Newton's steps with the Hessian in closed form.
        var starts = [[1.0, 1, 1, 1], [0.5, 10, 0.5, 10]]
        var warmIterations = 0
        var curvature: [[Double]]?
        let every = data.warmStartEvery
        if let every {
            let sampled = data.thinned(every: every).grouped
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
            nearOptimum: curvature != nil,
            penalty: penalty,
            standardErrors: standardErrors,
            hessian: { p in logLikelihoodHessian(ParetoNBD(p), grouped) },
            interrupted: interrupted
        ).fit()
        if let every {
            fit.notes.append("started from a fit on every \(every)th customer (\(warmIterations) iterations)")
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
