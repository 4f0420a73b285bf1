/// The intervals of the model fields: p_alive, expected_purchases and clv each between a low
/// and a high end, from the uncertainty of the fitted parameters (`ParameterUncertainty`) at
/// the level `set interval` gives.
extension ModelStore {
    struct Intervals {
        var level: Double
        /// Per point field, each customer's ends; NaN where the field is unknown.
        var ends: [ModelField: (low: [Double], high: [Double])]
        /// Where the intervals come from, for `clv for X` and `explain`.
        var source: Prose

        func values(_ field: ModelField, _ end: IntervalEnd) -> [Double] {
            guard let ends = ends[field] else { return [] }
            return end == .low ? ends.low : ends.high
        }
    }

    /// The intervals under the settings, worked out when first asked for and kept with the fields.
    func intervals(_ snapshot: Snapshot, _ settings: Settings) throws(Diagnostic) -> Intervals {
        let level = settings.interval ?? Settings.defaultInterval
        let key = IntervalKey(fields: key(snapshot, settings), level: level)
        if let cached = intervalCache[key] { return cached }
        try WorkMemory.intervals.check(customers: snapshot.customers.count)
        let (pieces, uncertainty, spend, fitted, histories) = try uncertainties(snapshot, settings, level)
        let spreads = pieces.flatMap { $0.model.lifetimeValueSpreads($0.histories, fitted.value, uncertainty, lifted: $0.lift) }
        let customers = snapshot.customers
        let frequency = customers.numbers(CustomerFields.frequency), monetary = customers.numbers(CustomerFields.monetary)
        let n = customers.count
        let unknown = [Double](repeating: .nan, count: n)
        var alive = (low: unknown, high: unknown), next = alive, clv = alive
        for c in 0..<n {
            let row = Int(histories.rowOfCustomer[c])
            guard row >= 0 else { continue }
            let spread = spreads[row]
            (alive.low[c], alive.high[c]) = uncertainty.probability(fitted.pAlive[c], logitVariance: spread.aliveLogit)
            (next.low[c], next.high[c]) = uncertainty.positive(fitted.expectedPurchases[c], logVariance: spread.nextYearLog)
            let value = fitted.clv[c]
            guard let spend, value > 0 else {
                (clv.low[c], clv.high[c]) = (value, value)
                continue
            }
            let spendVariance = spend.uncertainty.variance(spend.model.logSpendGradient(x: frequency[c], monetary: frequency[c] > 0 ? monetary[c] : 0))
            (clv.low[c], clv.high[c]) = uncertainty.positive(value, logVariance: spread.discountedLog + spendVariance)
        }
        let shown = (level * 1000).rounded() / 10
        let intervals = Intervals(
            level: level, ends: [.pAlive: alive, .expectedPurchases: next, .clv: clv],
            source: "\(exact: shown)% intervals from the fitted parameters' standard errors: the estimates' asymptotic normal "
                + "distribution on the log scale, carried to each figure by the delta method (logit for p_alive, log for the rest)"
                + (settings.covariates.isEmpty ? "" : "; with the covariates' coefficients, each customer's own")
                + (spend == nil ? "" : "; clv adds Gamma-Gamma's"))
        intervalCache[key] = intervals
        return intervals
    }

    /// A part of the customers with one model: all of them, or one covariate pattern's. `lift`
    /// carries a gradient in the model's ln-parameters to the uncertainty's parameters.
    struct IntervalPiece {
        var model: any PurchaseModel
        var histories: PurchaseHistories
        var lift: @Sendable ([Double]) -> [Double]
    }

    /// What every interval is made from: the purchase model fitted with its parameters'
    /// uncertainty — with covariates, the base parameters' and the coefficients', each pattern
    /// of customers its own model — and Gamma-Gamma's too when spend is known (fitted apart, so
    /// independent). `histories` has every piece's rows one after another, as `pieces` does.
    private func uncertainties(_ snapshot: Snapshot, _ settings: Settings, _ level: Double) throws(Diagnostic) -> (
        pieces: [IntervalPiece], uncertainty: ParameterUncertainty, spend: (model: GammaGamma, uncertainty: ParameterUncertainty)?,
        fitted: Fitted, histories: PurchaseHistories
    ) {
        let model = settings.model(for: snapshot)
        guard let type = model.purchaseModel else {
            throw Diagnostic("the simple retention model has no fitted parameters, so its figures have no interval: set model = bgnbd, or another fitted model")
        }
        let fitted = try fitted(snapshot, settings)
        let pieces: [IntervalPiece], uncertainty: ParameterUncertainty, histories: PurchaseHistories
        if settings.covariates.isEmpty {
            let (purchases, fit) = try purchase(type, snapshot, standardErrors: true)
            guard let covariance = fit.covariance else {
                throw Diagnostic("the \(fit.model) fit's information matrix cannot be inverted, so its parameters have no standard errors and its figures no interval")
            }
            uncertainty = ParameterUncertainty(values: fit.values, covariance: covariance, level: level)
            histories = self.histories(snapshot)
            pieces = [IntervalPiece(model: purchases, histories: histories, lift: { $0 })]
        } else {
            let (design, models, lifts, fit) = try patternModels(snapshot, settings)
            guard let covariance = fit.covariance else {
                throw Diagnostic("the \(fit.model) fit's information matrix cannot be inverted, so its parameters have no standard errors and its figures no interval")
            }
            uncertainty = ParameterUncertainty(values: fit.values, covariance: covariance, level: level, logScale: type.parameterNames.count)
            histories = design.pooled
            pieces = design.histories.indices.map { IntervalPiece(model: models[$0], histories: design.histories[$0], lift: lifts[$0]) }
        }
        var spend: (model: GammaGamma, uncertainty: ParameterUncertainty)?
        if snapshot.knowsSpend {
            let (model, fit) = try gammaGamma(snapshot, standardErrors: true)
            guard let covariance = fit.covariance else {
                throw Diagnostic("the Gamma-Gamma fit's information matrix cannot be inverted, so clv has no interval")
            }
            spend = (model, ParameterUncertainty(values: fit.values, covariance: covariance, level: level))
        }
        return (pieces, uncertainty, spend, fitted, histories)
    }

    /// The total clv of some customers with its interval at the level set: the delta method on
    /// the total itself (its gradient is Σ clv × the gradient of ln clv, in each model's
    /// parameters), on the log scale. Narrower than the sum of the customers' own ends, which
    /// would take every customer's error at its worst at once.
    func totalLifetimeValue(_ snapshot: Snapshot, _ settings: Settings, customers rows: [Int32]) throws(Diagnostic) -> (total: Double, low: Double, high: Double, level: Double) {
        let level = settings.interval ?? Settings.defaultInterval
        let (pieces, uncertainty, spend, fitted, histories) = try uncertainties(snapshot, settings, level)
        let customers = snapshot.customers
        let frequency = customers.numbers(CustomerFields.frequency), monetary = customers.numbers(CustomerFields.monetary)
        var weights = [Double](repeating: 0, count: histories.x.count)
        var total = 0.0
        var spendGradient = [Double](repeating: 0, count: 3)
        for c in rows.map(Int.init) {
            let row = Int(histories.rowOfCustomer[c]), value = fitted.clv[c]
            guard row >= 0, value.isFinite, value > 0 else { continue }
            weights[row] += value
            total += value
            if let spend {
                let g = spend.model.logSpendGradient(x: frequency[c], monetary: frequency[c] > 0 ? monetary[c] : 0)
                for k in g.indices { spendGradient[k] += value * g[k] }
            }
        }
        guard total > 0 else { return (total, total, total, level) }
        // Each piece's rows are the next of `weights`; the total's gradient is the pieces' summed.
        var gradient: [Double] = []
        var offset = 0
        for piece in pieces {
            let rows = piece.histories.x.count
            let part = piece.lift(piece.model.lifetimeValueTotalGradient(piece.histories, fitted.value, weights: Array(weights[offset..<(offset + rows)])))
            gradient = gradient.isEmpty ? part : zip(gradient, part).map(+)
            offset += rows
        }
        // d ln total = d total / total.
        var logVariance = uncertainty.variance(gradient.map { $0 / total })
        if let spend { logVariance += spend.uncertainty.variance(spendGradient.map { $0 / total }) }
        let (low, high) = uncertainty.positive(total, logVariance: logVariance)
        return (total, low, high, level)
    }
}
