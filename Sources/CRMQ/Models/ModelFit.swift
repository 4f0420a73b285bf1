#if canImport(Glibc)
import Glibc
#endif

/// What a fit found: the parameters with their standard errors, the log-likelihood at the
/// optimum, how many customers it used and how many iterations it took.
public struct ModelFit: Sendable {
    public var model: String
    public var names: [String]
    public var values: [Double]
    /// The parameters' covariance, the inverse of the observed information (the
    /// log-likelihood's Hessian at the optimum); nil until asked for, or where the Hessian
    /// cannot be inverted.
    var covariance: [[Double]]?
    public var logLikelihood: Double
    public var customers: Int
    public var iterations: Int
    public var converged: Bool
    public var notes: [Prose] = []
    /// BFGS's last inverse Hessian of −ℓ/n in ln θ: where a fit of the same model on more of
    /// the data starts its curvature from.
    var curvature: [[Double]]?

    /// Whether the model counts time (in weeks): the purchase models do, but for Gamma-Gamma
    /// (spend) and BG/BB (opportunities).
    public var usesWeeks: Bool { model != "Gamma-Gamma" && model != BGBB.title && model != ShiftedBetaGeometric.title }
}

/// Why the data cannot support a fit, said so that a person knows what is missing.
public struct ModelError: Error, Sendable, Equatable {
    public var message: String
}

/// The log-likelihood with its gradient and Hessian at one point, from one pass over the data.
struct SecondOrderLikelihood {
    var value: Double
    var gradient: [Double]
    var hessian: [[Double]]
}

/// Maximum likelihood for a model with positive parameters: BFGS on their logarithms (so
/// every step stays in the valid region), from several starts, keeping the best optimum.
struct MaximumLikelihood {
    var model: String
    var names: [String]
    /// The log-likelihood and its gradient in the parameters themselves.
    var logLikelihood: ([Double]) -> (value: Double, gradient: [Double])
    var customers: Int
    var starts: [[Double]]
    /// The first start's curvature, when it comes from a fit on part of the data.
    var curvature: [[Double]]?
    /// Whether the first start is near the optimum (a fit on part of the data, or without
    /// covariates): from there Newton's steps, where the model has its Hessian.
    var nearOptimum = false
    /// c of the L2 penalty c · Σ (ln θᵢ)² on the mean negative log-likelihood (`lifetimes`'
    /// penalizer_coef, on the logs): it holds parameters the data cannot pin down near 1.
    var penalty = 0.0
    /// Standard errors cost a Hessian (two gradients a parameter): only `fit` shows them.
    var standardErrors = true
    /// The log-likelihood with its gradient and Hessian in the parameters, for a model that has
    /// the Hessian in closed form (a pass over the data, where central differences of the
    /// gradient take two a parameter): a start `nearOptimum` then takes Newton's steps
    /// (`Optimizer.newton`), and the standard errors come from the last.
    var hessian: ([Double]) -> SecondOrderLikelihood? = { _ in nil }
    var interrupted: InterruptCheck = ctrlCPressed
    /// Each parameter's natural scale: an optimum beyond e^±12 of it means the likelihood
    /// kept rising as the parameter ran off to 0 or ∞, and there is no estimate to report.
    var scales: [Double] = []
    /// The parameters that enter as e^γ for a γ of either sign (covariate coefficients): a
    /// runaway says γ → ±∞ for them.
    var exponentiated: Set<Int> = []

    func fit() throws(ModelError) -> ModelFit {
        let scale = 1 / Double(max(customers, 1))
        let logLikelihood = Self.penalized(self.logLikelihood, penalty, customers: customers)
        // Ctrl-C: every evaluation after it fails at once, and the fit reports it.
        nonisolated(unsafe) var stopped = false
        // The parameters at θ = their logs; nil once Ctrl-C is pressed, or where they run off.
        func parameters(_ theta: [Double]) -> [Double]? {
            if stopped || self.interrupted() {
                stopped = true
                return nil
            }
            guard theta.allSatisfy({ abs($0) < 30 }) else { return nil }
            return theta.map { exp($0) }
        }
        // Minimise −ℓ/n in θ = ln(parameters): ∂/∂θᵢ = −(∂ℓ/∂pᵢ)·pᵢ/n.
        let objective: Optimizer.Objective = { theta in
            guard let p = parameters(theta) else { return nil }
            let (value, gradient) = logLikelihood(p)
            guard value.isFinite, gradient.allSatisfy(\.isFinite) else { return nil }
            return (-value * scale, zip(gradient, p).map { -$0 * $1 * scale })
        }
        // The same in θ with the Hessian: −(Hᵢⱼ pᵢ pⱼ + δᵢⱼ gᵢ pᵢ)/n, from the penalised ℓ's g and
        // H. The last pass is kept: at the optimum it is the standard errors' Hessian.
        nonisolated(unsafe) var lastPass: (parameters: [Double], at: SecondOrderLikelihood)?
        let secondOrder: Optimizer.SecondOrderObjective = { theta in
            guard let p = parameters(theta), let raw = self.hessian(p) else { return nil }
            lastPass = (p, raw)
            let at = Self.penalized(raw, at: p, penalty, customers: customers)
            let (g, h) = (at.gradient, at.hessian)
            guard at.value.isFinite, g.allSatisfy(\.isFinite), h.allSatisfy({ $0.allSatisfy(\.isFinite) }) else { return nil }
            return (
                -at.value * scale, p.indices.map { -g[$0] * p[$0] * scale },
                p.indices.map { i in p.indices.map { j in -(h[i][j] * p[i] * p[j] + (i == j ? g[i] * p[i] : 0)) * scale } }
            )
        }
        var best: Optimizer.Result?
        var totalIterations = 0
        let optimizer = Optimizer(valuePrecision: max(1e-14, 1e-16 * Double(customers).squareRoot()))
        // The next start only when the last did not converge.
        for (k, start) in starts.enumerated() {
            var from = start.map { log($0) }
            let curvature = k == 0 ? curvature : nil
            // Near the optimum, Newton's steps; BFGS from where they stop if they do not converge.
            if k == 0, nearOptimum, let newton = optimizer.newton(secondOrder, from: from) {
                totalIterations += newton.iterations
                if newton.converged {
                    best = newton
                    break
                }
                from = newton.point
            }
            guard let result = optimizer.minimise(objective, from: from, curvature: curvature) else { continue }
            totalIterations += result.iterations
            if best == nil || result.value < best!.value - 1e-12 { best = result }
            if result.converged || stopped { break }
        }
        if stopped { throw ModelError(message: "interrupted") }
        guard let best else {
            throw ModelError(message: "the \(model) fit found no point where the likelihood is defined")
        }
        let values = best.point.map { exp($0) }
        // A likelihood that keeps rising as parameters run to 0 or ∞ has no maximum to
        // report, however flat it has become out there.
        let runaway = best.point.indices.filter { abs(best.point[$0] - log(scales.isEmpty ? 1 : scales[$0])) > 12 }
        if !runaway.isEmpty {
            let which = runaway.map { k in
                "\(names[k]) → " + (exponentiated.contains(k) ? (best.point[k] > 0 ? "+∞" : "−∞") : (best.point[k] > 0 ? "∞" : "0"))
            }.joined(separator: ", ")
            throw ModelError(message: "the \(model) fit does not settle (\(which)): the data cannot pin the model down"
                + (model == "BG/NBD" ? "; customers buying at nearly the same steady rate do this" : "")
                + (penalty > 0 ? "" : ". set penalty = 0.01 holds the parameters near 1 (L2 on their logs)"))
        }
        return ModelFit(
            model: model, names: names, values: values,
            covariance: standardErrors
                ? Self.covariance(
                    at: values, logLikelihood: self.logLikelihood,
                    hessian: { p in lastPass.flatMap { $0.parameters == p ? $0.at : nil } ?? hessian(p) }, penalty: penalty, customers: customers)
                : nil,
            // The optimum's value, less the penalty it carries: −ℓ_penalised/n = best.value.
            logLikelihood: -best.value / scale + Double(max(customers, 1)) * penalty * dot(best.point, best.point),
            customers: customers, iterations: totalIterations,
            converged: best.converged,
            notes: penalty > 0 ? ["penalty \(exact: penalty) · Σ (ln θ)² on the mean log-likelihood; the log-likelihood shown is without it"] : [],
            curvature: best.inverseHessian)
    }

    /// ℓ(θ) − n · c · Σ (ln θᵢ)² and its gradient: the likelihood a penalised fit maximises.
    static func penalized(
        _ logLikelihood: @escaping ([Double]) -> (value: Double, gradient: [Double]), _ penalty: Double, customers: Int
    ) -> ([Double]) -> (value: Double, gradient: [Double]) {
        guard penalty > 0 else { return logLikelihood }
        return { p in
            let (value, gradient) = logLikelihood(p)
            let term = penaltyTerm(at: p, penalty, customers: customers)
            return (value - term.value, gradient.indices.map { gradient[$0] - term.gradient[$0] })
        }
    }

    /// The same with its Hessian at p.
    static func penalized(_ at: SecondOrderLikelihood, at p: [Double], _ penalty: Double, customers: Int) -> SecondOrderLikelihood {
        guard penalty > 0 else { return at }
        let term = penaltyTerm(at: p, penalty, customers: customers)
        var hessian = at.hessian
        for i in p.indices { hessian[i][i] -= term.hessianDiagonal[i] }
        return SecondOrderLikelihood(value: at.value - term.value, gradient: p.indices.map { at.gradient[$0] - term.gradient[$0] }, hessian: hessian)
    }

    /// The penalty W Σ (ln pᵢ)², W = c · n, at p: its value, gradient 2W ln pᵢ / pᵢ, and its
    /// Hessian's diagonal 2W (1 − ln pᵢ)/pᵢ² (it has nothing off the diagonal).
    private static func penaltyTerm(at p: [Double], _ penalty: Double, customers: Int) -> (value: Double, gradient: [Double], hessianDiagonal: [Double]) {
        let weight = penalty * Double(max(customers, 1))
        let logs = p.map { log($0) }
        return (
            weight * dot(logs, logs), p.indices.map { 2 * weight * logs[$0] / p[$0] },
            p.indices.map { 2 * weight * (1 - logs[$0]) / (p[$0] * p[$0]) }
        )
    }

    /// The covariance at p under the penalty: from the model's own Hessian when it has one,
    /// else by central differences of the penalised gradient.
    static func covariance(
        at p: [Double], logLikelihood: @escaping ([Double]) -> (value: Double, gradient: [Double]), hessian: ([Double]) -> SecondOrderLikelihood?,
        penalty: Double, customers: Int
    ) -> [[Double]]? {
        guard let at = hessian(p) else { return covariance(penalized(logLikelihood, penalty, customers: customers), at: p) }
        return covariance(hessian: penalized(at, at: p, penalty, customers: customers).hessian)
    }

    /// The inverse of the observed information, the Hessian of −ℓ in the parameters, by
    /// central differences of the analytic gradient; nil when it is singular. (Forward
    /// differences would save an evaluation a parameter, but moved Gamma-Gamma's standard
    /// errors on CDNOW by 0.15%: its p and q are strongly correlated.)
    static func covariance(_ logLikelihood: ([Double]) -> (value: Double, gradient: [Double]), at p: [Double]) -> [[Double]]? {
        let n = p.count
        var hessian = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for j in 0..<n {
            let h = 1e-5 * p[j]
            var up = p, down = p
            up[j] += h
            down[j] -= h
            let gu = logLikelihood(up).gradient, gd = logLikelihood(down).gradient
            for i in 0..<n { hessian[i][j] = (gu[i] - gd[i]) / (2 * h) }
        }
        return covariance(hessian: hessian)
    }

    /// The inverse of −H, H the log-likelihood's Hessian made symmetric; nil when singular.
    static func covariance(hessian: [[Double]]) -> [[Double]]? {
        let n = hessian.count
        var information = hessian
        for i in 0..<n {
            for j in 0...i {
                let s = -(hessian[i][j] + hessian[j][i]) / 2
                information[i][j] = s
                information[j][i] = s
            }
        }
        return Matrix.inverse(information)
    }
}

extension ModelFit {
    /// √diag of the covariance; NaN where it is not known or not positive.
    public var standardErrors: [Double] {
        guard let covariance else { return [Double](repeating: .nan, count: values.count) }
        return covariance.indices.map { covariance[$0][$0] > 0 ? sqrt(covariance[$0][$0]) : .nan }
    }

    var hasCovariance: Bool { covariance != nil }
}

extension BGNBD {
    /// Fits by maximum likelihood; the data needs repeat buyers to say anything about dropout.
    static func fit(
        _ data: PurchaseHistories, penalty: Double = 0, standardErrors: Bool = true, interrupted: @escaping InterruptCheck = ctrlCPressed
    ) throws(ModelError) -> (BGNBD, ModelFit) {
        try maximumLikelihood(data, starts: data.betaGeometricStarts, penalty: penalty, standardErrors: standardErrors, interrupted: interrupted)
    }
}

extension GammaGamma {
    static func covariance(_ model: GammaGamma, _ data: Data, penalty: Double) -> [[Double]]? {
        MaximumLikelihood.covariance(
            MaximumLikelihood.penalized({ logLikelihood(GammaGamma($0), data) }, penalty, customers: data.x.count), at: model.parameters)
    }

    static func fit(
        _ data: Data, penalty: Double = 0, standardErrors: Bool = true, interrupted: @escaping InterruptCheck = ctrlCPressed
    ) throws(ModelError) -> (GammaGamma, ModelFit) {
        guard data.x.count >= 3 else {
            throw ModelError(message: "Gamma-Gamma needs at least 3 repeat customers with a positive spend; this data has \(data.x.count)")
        }
        let meanM = data.m.reduce(0, +) / Double(data.m.count)
        var fit = try MaximumLikelihood(
            model: "Gamma-Gamma", names: parameterNames,
            logLikelihood: { v in logLikelihood(GammaGamma(v), data) },
            customers: data.x.count,
            starts: [[1, 1, 1], [2, 3, max(1, meanM / 2)]],
            penalty: penalty,
            standardErrors: standardErrors,
            interrupted: interrupted,
            scales: [1, 1, meanM]  // γ is in money: its scale is the spend's
        ).fit()
        if data.excluded > 0 {
            fit.notes.append("\(count: data.excluded, "repeat customer") with a mean spend of zero or less left out")
        }
        return (GammaGamma(fit.values), fit)
    }
}
