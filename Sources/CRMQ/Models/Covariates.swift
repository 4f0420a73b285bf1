#if canImport(Glibc)
import Glibc
#endif

/// Which process a covariate acts on: purchases (CLVTools' `trans.`) or dropout (`life.`).
enum CovariateProcess: String, Sendable, CaseIterable {
    case trans
    case life
}

/// A model parameter that covariates scale: customer i's is θ · exp(sign · γ_process · zᵢ)
/// (Fader & Hardie 2007, "Incorporating time-invariant covariates into the Pareto/NBD and
/// BG/NBD models"; CLVTools' convention). A Gamma rate falls as its covariates raise the rate
/// it governs, hence the sign.
struct CovariateScaling: Sendable {
    var parameter: Int
    var process: CovariateProcess
    var sign: Double
}

/// A purchase model that takes covariates: which of its parameters they scale. Everything
/// else — the fit, a customer's model, the gradient's lift — is `CovariateModel`'s, reached
/// through the extension below, so that a caller holding only the model's type (from its
/// name) needs no switch over the models.
protocol CovariateScaled: PurchaseModel {
    static var covariateScalings: [CovariateScaling] { get }
}

extension ParetoNBD: CovariateScaled {
    /// α_i = α e^(−γ_trans·z), β_i = β e^(−γ_life·z).
    static let covariateScalings = [
        CovariateScaling(parameter: 1, process: .trans, sign: -1), CovariateScaling(parameter: 3, process: .life, sign: -1),
    ]
}

extension BGNBD: CovariateScaled {
    /// α_i = α e^(−γ_trans·z); a_i = a e^(γ_life·z), b_i = b e^(γ_life·z) (CLVTools' BG/NBD).
    static let covariateScalings = [
        CovariateScaling(parameter: 1, process: .trans, sign: -1), CovariateScaling(parameter: 2, process: .life, sign: 1),
        CovariateScaling(parameter: 3, process: .life, sign: 1),
    ]
}

extension CovariateScaled {
    /// The model fitted with covariates (`CovariateModel.fit`): its values are the model's
    /// parameters, then γ_life and γ_trans.
    static func fitWithCovariates(
        _ design: CovariateDesign, penalty: Double, standardErrors: Bool, interrupted: @escaping InterruptCheck
    ) throws(ModelError) -> ModelFit {
        try CovariateModel<Self>.fit(design, scalings: covariateScalings, penalty: penalty, standardErrors: standardErrors, interrupted: interrupted).1
    }

    /// At a fit's values and one customer's covariates: the model that customer follows, and
    /// the lift of a gradient in its ln-parameters to the fit's (ln θ, γ).
    static func atCovariates(_ values: [Double], _ z: [Double]) -> (model: any PurchaseModel, lift: @Sendable ([Double]) -> [Double]) {
        let model = CovariateModel<Self>(values: values, scalings: covariateScalings)
        return (model.model(for: z), { model.lift($0, at: z) })
    }

    /// How the covariates enter, as `fit` notes and `explain fit` writes it.
    static var covariateConvention: String {
        "\(title) with covariates on both processes: "
            + covariateScalings.map { "\(parameterNames[$0.parameter])_i = \(parameterNames[$0.parameter]) · exp(\($0.sign < 0 ? "−" : "")γ_\($0.process.rawValue) · z_i)" }
                .joined(separator: ", ")
    }
}

/// Customers grouped by the values of their covariates: each pattern's purchase histories
/// stand apart, since their parameters differ. Dummies make a handful of patterns; a numeric
/// covariate may make one a customer, which costs a likelihood call each and nothing more.
struct CovariateDesign: Sendable {
    /// The covariates, as the coefficients are named: `gender`, or `channel=online` for a two-valued text.
    var names: [String]
    var patterns: [[Double]] = []
    var histories: [PurchaseHistories] = []
    /// Each customer's pattern, or -1 for one left out (no purchase, or not chosen).
    var patternOfCustomer: [Int32]
    /// Each customer's place among its pattern's customers.
    var memberOfCustomer: [Int32]

    /// From per-customer covariate values (`values[k][c]`) and the customers' (x, tₓ, T); a
    /// customer with NaN frequency is left out.
    init(names: [String], values: [[Double]], frequency: [Double], recency: [Double], age: [Double], weight: [Double]?) {
        self.names = names
        let n = frequency.count
        patternOfCustomer = [Int32](repeating: -1, count: n)
        memberOfCustomer = [Int32](repeating: -1, count: n)
        var indexOf: [[Double]: Int32] = [:]
        var members: [[Int]] = []
        // A handful of patterns (dummies) are compared in place, without an array a customer.
        func known(_ c: Int) -> Int32? {
            guard patterns.count <= 16 else { return indexOf[values.map { $0[c] }] }
            search: for (p, z) in patterns.enumerated() {
                for k in z.indices where values[k][c] != z[k] { continue search }
                return Int32(p)
            }
            return nil
        }
        for c in 0..<n where !frequency[c].isNaN {
            let k: Int32
            if let known = known(c) { k = known } else {
                let z = values.map { $0[c] }
                k = Int32(patterns.count)
                indexOf[z] = k
                patterns.append(z)
                members.append([])
            }
            patternOfCustomer[c] = k
            memberOfCustomer[c] = Int32(members[Int(k)].count)
            members[Int(k)].append(c)
        }
        histories = members.map { rows in
            PurchaseHistories(
                frequency: rows.map { frequency[$0] }, recency: rows.map { recency[$0] }, age: rows.map { age[$0] },
                weight: weight.map { w in rows.map { w[$0] } })
        }
    }

    /// Every k-th customer of the patterns' rows taken one after another (`PurchaseHistories.thinned`):
    /// a pattern keeps its share of the customers, one of a few perhaps none. For a fit only:
    /// no customer keeps a row.
    func thinned(every k: Int) -> CovariateDesign {
        var sample = self
        var counted = 0.0
        sample.histories = histories.map { h in
            defer { counted += h.sampledCustomers(every: k) }
            return h.thinned(every: k, after: counted)
        }
        return sample
    }

    /// Every pattern's histories as one, the patterns' rows one after another: for the fit
    /// without covariates the search starts from, and, with each customer's row, for the
    /// fields (a row's figures come from its own pattern's model).
    var pooled: PurchaseHistories {
        var all = PurchaseHistories(frequency: [], recency: [], age: [])
        all.rowOfCustomer = [Int32](repeating: -1, count: patternOfCustomer.count)
        var offsets: [Int32] = []
        for h in histories {
            offsets.append(Int32(all.x.count))
            all.x += h.x
            all.tx += h.tx
            all.T += h.T
            all.weight += h.weight
        }
        for c in patternOfCustomer.indices where patternOfCustomer[c] >= 0 {
            let j = Int(patternOfCustomer[c])
            let row = histories[j].rowOfCustomer[Int(memberOfCustomer[c])]
            if row >= 0 { all.rowOfCustomer[c] = offsets[j] + row }
        }
        return all
    }
}

/// A purchase model with time-invariant covariates on both processes: the model's own
/// parameters, then γ_life and γ_trans, one per covariate each (CLVTools' order).
struct CovariateModel<Model: PurchaseModel>: Sendable {
    var base: Model
    var gamma: [CovariateProcess: [Double]]
    let scalings: [CovariateScaling]

    init(base: Model, gamma: [CovariateProcess: [Double]], scalings: [CovariateScaling]) {
        self.base = base
        self.gamma = gamma
        self.scalings = scalings
    }

    /// From a fit's values: the model's parameters, then γ_life and γ_trans.
    init(values: [Double], scalings: [CovariateScaling]) {
        let m = Model.parameterNames.count, k = (values.count - m) / 2
        self.init(base: Model(Array(values[0..<m])), gamma: [.life: Array(values[m..<(m + k)]), .trans: Array(values[(m + k)...])], scalings: scalings)
    }

    /// A gradient in the ln-parameters of the model at covariates `z`, carried to (ln θ,
    /// γ_life, γ_trans): ln p_i = ln θ_i + sign · γ_process · z for a scaled parameter, so
    /// ∂/∂ln θ_i is unchanged and ∂/∂γ_c sums sign · z_c · ∂/∂ln p_i over the process's parameters.
    func lift(_ g: [Double], at z: [Double]) -> [Double] {
        let k = z.count
        var out = g + [Double](repeating: 0, count: 2 * k)
        for scaling in scalings {
            let offset = g.count + (scaling.process == .life ? 0 : k)
            for c in 0..<k { out[offset + c] += g[scaling.parameter] * scaling.sign * z[c] }
        }
        return out
    }

    /// The model a customer with covariates `z` follows.
    func model(for z: [Double]) -> Model {
        var p = base.parameters
        for scaling in scalings { p[scaling.parameter] *= exp(scaling.sign * dot(gamma[scaling.process]!, z)) }
        return Model(p)
    }

    /// The log-likelihood over every pattern and its gradient in (θ, γ_life, γ_trans).
    static func logLikelihood(
        _ parameters: [Double], _ design: CovariateDesign, _ grouped: [PurchaseHistories.Grouped], _ scalings: [CovariateScaling]
    ) -> (value: Double, gradient: [Double]) {
        let m = Model.parameterNames.count, k = design.names.count
        let base = Array(parameters[0..<m])
        let gamma: [CovariateProcess: [Double]] = [.life: Array(parameters[m..<(m + k)]), .trans: Array(parameters[(m + k)...])]
        var value = 0.0
        var gradient = [Double](repeating: 0, count: parameters.count)
        for (j, z) in design.patterns.enumerated() {
            var p = base
            for scaling in scalings { p[scaling.parameter] *= exp(scaling.sign * dot(gamma[scaling.process]!, z)) }
            let (v, g) = Model.logLikelihood(Model(p), grouped[j])
            value += v
            for i in 0..<m { gradient[i] += g[i] * p[i] / base[i] }  // ∂p_i/∂θ_i = p_i/θ_i for a scaled one, 1 else
            for scaling in scalings {
                let offset = m + (scaling.process == .life ? 0 : k)
                // ∂p/∂γ_c = p · sign · z_c
                for c in 0..<k { gradient[offset + c] += g[scaling.parameter] * p[scaling.parameter] * scaling.sign * z[c] }
            }
        }
        return (value, gradient)
    }

    /// The log-likelihood with its gradient and Hessian in (θ, γ_life, γ_trans), from the model's
    /// own Hessian where it has one (nil where not): with J each pattern's Jacobian of its
    /// parameters p in (θ, γ) — ∂pᵢ/∂θᵢ = pᵢ/θᵢ, ∂pᵢ/∂γ_c = pᵢ · sign · z_c —
    ///
    ///     H = Σ_patterns Jᵀ H_model J + Σᵢ (∂ℓ/∂pᵢ) ∂²pᵢ,
    ///
    /// ∂²pᵢ/∂θᵢ∂γ_c = (pᵢ/θᵢ) sign z_c and ∂²pᵢ/∂γ_c∂γ_d = pᵢ z_c z_d.
    static func logLikelihoodHessian(
        _ parameters: [Double], _ design: CovariateDesign, _ grouped: [PurchaseHistories.Grouped], _ scalings: [CovariateScaling]
    ) -> SecondOrderLikelihood? {
        let m = Model.parameterNames.count, k = design.names.count, n = parameters.count
        let base = Array(parameters[0..<m])
        let gamma: [CovariateProcess: [Double]] = [.life: Array(parameters[m..<(m + k)]), .trans: Array(parameters[(m + k)...])]
        var hessian = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var gradient = [Double](repeating: 0, count: n)
        var value = 0.0
        for (j, z) in design.patterns.enumerated() where grouped[j].rows > 0 {
            var p = base, factor = [Double](repeating: 1, count: m)
            for scaling in scalings {
                factor[scaling.parameter] = exp(scaling.sign * dot(gamma[scaling.process]!, z))
                p[scaling.parameter] *= factor[scaling.parameter]
            }
            guard let pattern = Model.logLikelihoodHessian(Model(p), grouped[j]) else { return nil }
            let (h, g) = (pattern.hessian, pattern.gradient)
            value += pattern.value
            var jacobian = [[Double]](repeating: [Double](repeating: 0, count: n), count: m)
            for i in 0..<m { jacobian[i][i] = factor[i] }
            for scaling in scalings {
                let i = scaling.parameter, offset = m + (scaling.process == .life ? 0 : k)
                for c in 0..<k {
                    jacobian[i][offset + c] = p[i] * scaling.sign * z[c]
                    hessian[i][offset + c] += g[i] * factor[i] * scaling.sign * z[c]
                    hessian[offset + c][i] += g[i] * factor[i] * scaling.sign * z[c]
                    for d in 0..<k { hessian[offset + c][offset + d] += g[i] * p[i] * z[c] * z[d] }
                }
            }
            for a in 0..<n {
                for i in 0..<m where jacobian[i][a] != 0 { gradient[a] += g[i] * jacobian[i][a] }
                for b in 0..<n {
                    var sum = 0.0
                    for i in 0..<m where jacobian[i][a] != 0 {
                        for l in 0..<m { sum += jacobian[i][a] * h[i][l] * jacobian[l][b] }
                    }
                    hessian[a][b] += sum
                }
            }
        }
        return SecondOrderLikelihood(value: value, gradient: gradient, hessian: hessian)
    }

    /// Maximum likelihood from the fit without covariates (every γ at 0). The search runs on
    /// positive numbers, so each γ enters as e^γ and comes back as its log, its standard error
    /// by the delta method (SE(γ) = SE(e^γ) / e^γ); the penalty, L2 on the logs, is L2 on γ.
    static func fit(
        _ design: CovariateDesign, scalings: [CovariateScaling], penalty: Double, standardErrors: Bool, interrupted: @escaping InterruptCheck
    ) throws(ModelError) -> (Self, ModelFit) {
        let m = Model.parameterNames.count, k = design.names.count
        let pooled = design.pooled
        try pooled.requireEnough(for: Model.title, penalty: penalty)
        // Many distinct rows: the search starts on a thinned sample — the fit without
        // covariates, then with them — and goes to every row from there, as Pareto/NBD's own
        // fit does: each by Newton's steps where the model has its Hessian, else BFGS. (On a
        // few hundred customers, as the apparel data, a first Newton step from the fit without
        // covariates may land where the likelihood is not concave: BFGS alone, as before.)
        let every = pooled.warmStartEvery ?? 1
        let sample = every > 1 ? design.thinned(every: every) : design
        let (plain, _) = try Model.fit(sample.pooled, penalty: penalty, standardErrors: false, interrupted: interrupted)
        let names = Model.parameterNames + design.names.map { "life.\($0)" } + design.names.map { "trans.\($0)" }
        func search(_ design: CovariateDesign, from start: [Double], curvature: [[Double]]?, standardErrors: Bool) throws(ModelError) -> ModelFit {
            let grouped = design.histories.map(\.grouped)
            return try MaximumLikelihood(
                model: Model.title + " with covariates", names: names,
                logLikelihood: { q in
                    let parameters = q.indices.map { $0 < m ? q[$0] : log(q[$0]) }
                    let (value, g) = logLikelihood(parameters, design, grouped, scalings)
                    return (value, g.indices.map { $0 < m ? g[$0] : g[$0] / q[$0] })  // ∂/∂q = ∂/∂γ · dγ/dq = ∂/∂γ / q
                },
                customers: pooled.modelled,
                starts: [start], curvature: curvature, nearOptimum: every > 1,
                penalty: penalty, standardErrors: standardErrors,
                hessian: { q in
                    // In q = e^γ: ∂²/∂q_c∂q_d = ∂²/∂γ_c∂γ_d / (q_c q_d) − δ_cd (∂/∂γ_c) / q_c², ∂²/∂θ∂q_c = ∂²/∂θ∂γ_c / q_c.
                    guard let at = logLikelihoodHessian(q.indices.map { $0 < m ? q[$0] : log(q[$0]) }, design, grouped, scalings) else { return nil }
                    let (h, g) = (at.hessian, at.gradient)
                    let scale = q.indices.map { $0 < m ? 1 : 1 / q[$0] }
                    return SecondOrderLikelihood(
                        value: at.value, gradient: g.indices.map { g[$0] * scale[$0] },
                        hessian: h.indices.map { a in
                            h.indices.map { b in h[a][b] * scale[a] * scale[b] - (a == b && a >= m ? g[a] * scale[a] * scale[a] : 0) }
                        })
                },
                interrupted: interrupted,
                exponentiated: Set(m..<(m + 2 * k))
            ).fit()
        }
        var start = plain.parameters + [Double](repeating: 1, count: 2 * k), curvature: [[Double]]?, warmIterations = 0
        if every > 1 {
            let warm = try search(sample, from: start, curvature: nil, standardErrors: false)
            (start, curvature, warmIterations) = (warm.values, warm.curvature, warm.iterations)
        }
        var fit = try search(design, from: start, curvature: curvature, standardErrors: standardErrors)
        if every > 1 { fit.notes.append("started from a fit on every \(every)th customer (\(warmIterations) iterations)") }
        let q = fit.values
        fit.values = q.indices.map { $0 < m ? q[$0] : log(q[$0]) }
        if let covariance = fit.covariance {
            // Cov in (θ, γ) from Cov in (θ, q): each γ's row and column divided by its q.
            let factor = q.indices.map { $0 < m ? 1 : 1 / q[$0] }
            fit.covariance = covariance.indices.map { i in covariance.indices.map { j in covariance[i][j] * factor[i] * factor[j] } }
        }
        if let scaled = Model.self as? any CovariateScaled.Type {
            fit.notes.append("\(scaled.covariateConvention) (Fader & Hardie 2007; CLVTools' convention); \(count: design.patterns.count, "covariate pattern")")
        }
        return (Self(values: fit.values, scalings: scalings), fit)
    }
}
