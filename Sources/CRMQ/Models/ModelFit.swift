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
    /// c of the L2 penalty c · Σ (ln θᵢ)² on the mean negative log-likelihood (`lifetimes`'
    /// penalizer_coef, on the logs): it holds parameters the data cannot pin down near 1.
    var penalty = 0.0
    /// Standard errors cost a Hessian (two gradients a parameter): only `fit` shows them.
    var standardErrors = true
    /// The log-likelihood's Hessian in the parameters, for a model that has it in closed form
    /// (a pass over the data, where central differences of the gradient take two a parameter).
    var hessian: ([Double]) -> [[Double]]? = { _ in nil }
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
        // Minimise −ℓ/n in θ = ln(parameters): ∂/∂θᵢ = −(∂ℓ/∂pᵢ)·pᵢ/n.
        let objective: Optimizer.Objective = { theta in
            if stopped || self.interrupted() {
                stopped = true
                return nil
            }
            guard theta.allSatisfy({ abs($0) < 30 }) else { return nil }
            let p = theta.map { exp($0) }
            let (value, gradient) = logLikelihood(p)
            guard value.isFinite, gradient.allSatisfy(\.isFinite) else { return nil }
            return (-value * scale, zip(gradient, p).map { -$0 * $1 * scale })
        }
        var best: Optimizer.Result?
        var totalIterations = 0
        let optimizer = Optimizer(valuePrecision: max(1e-14, 1e-16 * Double(customers).squareRoot()))
        // The next start only when the last did not converge.
        for (k, start) in starts.enumerated() {
            guard let result = optimizer.minimise(objective, from: start.map { log($0) }, curvature: k == 0 ? curvature : nil) else { continue }
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
                ? Self.covariance(at: values, logLikelihood: self.logLikelihood, hessian: hessian, penalty: penalty, customers: customers) : nil,
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
        let weight = penalty * Double(max(customers, 1))
        return { p in
            let (value, gradient) = logLikelihood(p)
            let logs = p.map { log($0) }
            return (value - weight * dot(logs, logs), gradient.indices.map { gradient[$0] - 2 * weight * logs[$0] / p[$0] })
        }
    }

    /// The covariance at p under the penalty: from the model's own Hessian when it has one
    /// (with the penalty's, −2W (1 − ln pᵢ)/pᵢ² on the diagonal, W = c · n), else by central
    /// differences of the penalised gradient.
    static func covariance(
        at p: [Double], logLikelihood: @escaping ([Double]) -> (value: Double, gradient: [Double]), hessian: ([Double]) -> [[Double]]?,
        penalty: Double, customers: Int
    ) -> [[Double]]? {
        guard var h = hessian(p) else { return covariance(penalized(logLikelihood, penalty, customers: customers), at: p) }
        let weight = penalty * Double(max(customers, 1))
        for i in p.indices { h[i][i] -= 2 * weight * (1 - log(p[i])) / (p[i] * p[i]) }
        return covariance(hessian: h)
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
