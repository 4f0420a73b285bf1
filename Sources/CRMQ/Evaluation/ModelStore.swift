import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// The fields the models give (PRODUCT.md §3), fitted when a statement first asks for one
/// and kept until the snapshot or a setting changes: a query that uses no model field never
/// pays for a fit.
final class ModelStore {
    private struct FitKey: Hashable {
        var snapshot: ObjectIdentifier
        var model: String
    }

    struct Key: Hashable {
        var snapshot: ObjectIdentifier
        var model: ModelName
        var horizon: Int
        var monthlyRate: Double
        var covariates: [String] = []
    }

    /// Everything the models say about one snapshot under one set of settings.
    struct Fitted {
        var value: LifetimeValue
        /// Set when clv is the simple retention model's: the model, and each customer's margin
        /// of the last 52 weeks that it valued.
        var simple: (model: SimpleRetention, yearlyMargin: [Double])?
        var pAlive: [Double]
        var expectedPurchases: [Double]
        var expectedSpend: [Double]
        var marginRatio: [Double]
        var clv: [Double]
        /// BG/BB's discounted expected residual transactions, NaN under another model.
        var dert: [Double] = []
        /// Why a customer's CLV is 0 when the models cannot value them; nil when they can.
        var unvalued: [String?]
        var notes: [Prose]
    }

    static let fields = ModelField.allCases.map(\.field)

    private var histories: [ObjectIdentifier: PurchaseHistories] = [:]
    /// Each purchase model of each snapshot, fitted when first asked for.
    private var purchaseFits: [FitKey: (any PurchaseModel, ModelFit)] = [:]
    private var gammaGammaFits: [ObjectIdentifier: (GammaGamma, ModelFit)] = [:]
    /// The purchase models fitted with covariates, per snapshot, model and covariates.
    private var covariateFits: [CovariateKey: (design: CovariateDesign, fit: ModelFit)] = [:]

    private struct CovariateKey: Hashable {
        var snapshot: ObjectIdentifier
        var model: ModelName
        var covariates: [String]

        init(_ snapshot: Snapshot, _ model: ModelName, _ covariates: [String]) {
            (self.snapshot, self.model, self.covariates) = (ObjectIdentifier(snapshot), model, covariates.map { $0.lowercased() })
        }
    }
    /// Asked during a fit whether to stop.
    var interrupted: InterruptCheck = ctrlCPressed
    /// `set penalty`: every fit's L2 penalty on its parameters' logs. A change forgets every
    /// fit and what came of them.
    var penalty = 0.0 {
        didSet {
            guard penalty != oldValue else { return }
            purchaseFits = [:]
            gammaGammaFits = [:]
            covariateFits = [:]
            cache = [:]
            intervalCache = [:]
            contractCache = [:]
        }
    }
    private var cache: [Key: Fitted] = [:]
    /// The intervals of the model fields, per the fields' key and the interval's level.
    var intervalCache: [IntervalKey: Intervals] = [:]
    /// Each snapshot's contracts fitted by sBG, per period length.
    var contractCache: [ContractKey: Contracts] = [:]

    struct ContractKey: Hashable {
        var snapshot: ObjectIdentifier
        var period: ContractPeriod
    }

    struct IntervalKey: Hashable {
        var fields: Key
        var level: Double
    }
    /// Each customer's (frequency, recency, age), which every purchase model fits on.
    func histories(_ snapshot: Snapshot) -> PurchaseHistories {
        if let cached = histories[ObjectIdentifier(snapshot)] { return cached }
        let customers = snapshot.customers
        let result = PurchaseHistories(
            frequency: customers.numbers(CustomerFields.frequency), recency: customers.numbers(CustomerFields.recency), age: customers.numbers(CustomerFields.age),
            weight: customers.optionalNumbers(CustomerFields.weight))
        histories[ObjectIdentifier(snapshot)] = result
        return result
    }

    /// A purchase model (`ModelCatalog`) fitted on the snapshot's customers, with standard
    /// errors when asked; each model fits on its own.
    func purchase(_ type: any PurchaseModel.Type, _ snapshot: Snapshot, standardErrors: Bool = false) throws(Diagnostic) -> (any PurchaseModel, ModelFit) {
        // Opportunities are BG/BB's; weeks are every other model's.
        if snapshot.countsPeriods, type.time != .periods {
            throw Diagnostic("\(snapshot.name) counts discrete opportunities (periods), not time: \(type.title) is for time in weeks; "
                + "BG/BB is the model for opportunities (fit bgbb)")
        }
        if !snapshot.countsPeriods, type.time == .periods {
            throw Diagnostic("\(type.title) is for discrete opportunities: load a summary with frequency, recency and periods "
                + "(or format (time_unit 'periods'))")
        }
        let key = FitKey(snapshot: ObjectIdentifier(snapshot), model: type.word)
        if var cached = purchaseFits[key] {
            if standardErrors, !cached.1.hasCovariance {
                cached.1.covariance = cached.0.covariance(on: histories(snapshot), penalty: penalty)
                purchaseFits[key] = cached
            }
            return cached
        }
        try WorkMemory.fit.check(customers: snapshot.customers.count)
        let data = histories(snapshot), stop = interrupted
        let result = try Self.fitting(type.title) { () throws(ModelError) in try type.fitted(data, penalty: penalty, standardErrors: standardErrors, interrupted: stop) }
        purchaseFits[key] = result
        return result
    }

    /// BG/NBD, whose every step `explain clv` walks through.
    func bgnbd(_ snapshot: Snapshot, standardErrors: Bool = false) throws(Diagnostic) -> (BGNBD, ModelFit) {
        let (model, fit) = try purchase(BGNBD.self, snapshot, standardErrors: standardErrors)
        guard let bgnbd = model as? BGNBD else { throw Diagnostic("BG/NBD was kept as another model") }
        return (bgnbd, fit)
    }

    /// Gamma-Gamma on the repeat customers' mean spend, with standard errors when asked.
    func gammaGamma(_ snapshot: Snapshot, standardErrors: Bool = false) throws(Diagnostic) -> (GammaGamma, ModelFit) {
        let key = ObjectIdentifier(snapshot)
        let customers = snapshot.customers
        // The repeat spenders, gathered only when a fit or its standard errors need them.
        func data() -> GammaGamma.Data {
            GammaGamma.Data(frequency: customers.numbers(CustomerFields.frequency), monetary: customers.numbers(CustomerFields.monetary))
        }
        if var cached = gammaGammaFits[key] {
            if standardErrors, !cached.1.hasCovariance {
                cached.1.covariance = GammaGamma.covariance(cached.0, data(), penalty: penalty)
                gammaGammaFits[key] = cached
            }
            return cached
        }
        try WorkMemory.fit.check(customers: snapshot.customers.count)
        let spenders = data()
        let result = try Self.fitting("Gamma-Gamma") { () throws(ModelError) in try GammaGamma.fit(spenders, penalty: penalty, standardErrors: standardErrors, interrupted: interrupted) }
        gammaGammaFits[key] = result
        return result
    }

    /// A fit, its failure said with the model's name.
    private static func fitting<Fitted>(_ model: String, _ fit: () throws(ModelError) -> Fitted) throws(Diagnostic) -> Fitted {
        do {
            return try fit()
        } catch {
            if error.message == "interrupted" { throw Diagnostic("interrupted: the fit was stopped, and nothing changed") }
            throw Diagnostic("\(model) cannot be fitted: \(error.message)")
        }
    }

    /// The key of the model fields of a snapshot under the settings.
    func key(_ snapshot: Snapshot, _ settings: Settings) -> Key {
        let value = settings.lifetimeValue(for: snapshot)
        return Key(
            snapshot: ObjectIdentifier(snapshot), model: settings.model(for: snapshot), horizon: value.horizonMonths, monthlyRate: value.monthlyRate,
            covariates: settings.covariates.map { $0.lowercased() })
    }

    /// The model fields of a snapshot under the settings' horizon and discount.
    func fitted(_ snapshot: Snapshot, _ settings: Settings) throws(Diagnostic) -> Fitted {
        let key = key(snapshot, settings)
        if let fitted = cache[key] { return fitted }
        let fitted = try compute(snapshot, settings, settings.lifetimeValue(for: snapshot))
        cache = cache.filter { $0.key.snapshot != key.snapshot }  // one setting at a time per snapshot
        intervalCache = intervalCache.filter { $0.key.fields.snapshot != key.snapshot }
        cache[key] = fitted
        return fitted
    }

    /// The model fields under a lifetime value (horizon, monthly rate) other than the
    /// settings', not kept: `whatif` asks for them once. The simple model takes the annual
    /// rate as given (the settings' unless `annualRate`) and its retention rate can be replaced.
    func compute(
        _ snapshot: Snapshot, _ settings: Settings, _ value: LifetimeValue, annualRate: Double? = nil, retention: ((Double) -> Double)? = nil
    ) throws(Diagnostic) -> Fitted {
        try WorkMemory.modelFields.check(customers: snapshot.customers.count)
        let model = settings.model(for: snapshot)
        var fitted: Fitted
        if model == .simple {
            // The formula needs no fit; the other model fields are BG/NBD's where it can be fitted.
            fitted = (try? values(BGNBD.self, snapshot, value)) ?? Self.unfitted(snapshot, value)
            try Self.useSimpleRetention(
                &fitted, snapshot, annualDiscount: annualRate ?? settings.annualDiscountRate(for: snapshot), retention: retention ?? { $0 })
        } else if !settings.covariates.isEmpty {
            fitted = try covariateValues(model, snapshot, settings.covariates, value)
        } else {
            fitted = try values(model.purchaseModel ?? BGNBD.self, snapshot, value)
        }
        return fitted
    }

    /// The fields from the purchase model fitted with covariates: each customer's P(alive),
    /// expected purchases and clv under their own parameters.
    private func covariateValues(_ model: ModelName, _ snapshot: Snapshot, _ covariates: [String], _ value: LifetimeValue) throws(Diagnostic) -> Fitted {
        let (design, models, _, fit) = try patternModels(snapshot, model, covariates)
        // Each pattern's rows by its own model, one pattern after another as `design.pooled` has them.
        let perRow = design.histories.indices.flatMap { models[$0].lifetimeValues(design.histories[$0], value) }
        let spend = snapshot.knowsSpend ? try gammaGamma(snapshot) : nil
        var fitted = Self.assemble(snapshot, design.pooled, spend, value, perRow)
        fitted.notes.append("transaction model: \(fit.model) \(design.names.joined(separator: ", ")): each customer's parameters from their own covariates")
        return fitted
    }

    /// The model in use fitted with covariates on every customer who bought, kept.
    private func covariateFit(_ model: ModelName, _ snapshot: Snapshot, _ covariates: [String]) throws(Diagnostic) -> (design: CovariateDesign, fit: ModelFit) {
        guard let type = model.covariateModel else {
            throw Diagnostic("covariates are set, and \(model.rawValue) takes none: set model = paretonbd (or bgnbd), or set covariates = none")
        }
        if let cached = covariateFits[CovariateKey(snapshot, model, covariates)] { return cached }
        let rows = (0..<Int32(snapshot.customers.count)).map { $0 }
        let design: CovariateDesign
        do throws(Diagnostic) {
            design = try CovariateDesign(covariates.map { Name($0, SourceRange(0, 0)) }, of: snapshot.customers, rows: rows)
        } catch {
            throw Diagnostic("set covariates: \(error.message)", hint: error.hint)
        }
        let fit = try Self.fitting("\(type.title) with covariates") { () throws(ModelError) in
            try covariateFit(model, snapshot, covariates, design: design)
        }
        return (design, fit)
    }

    /// The fit of `model` with these covariates on every customer, from their design, kept:
    /// `set covariates` after `fit … with` the same covariates fits nothing again. With
    /// standard errors: the intervals take the coefficients' uncertainty too.
    func covariateFit(_ model: ModelName, _ snapshot: Snapshot, _ covariates: [String], design: CovariateDesign) throws(ModelError) -> ModelFit {
        let key = CovariateKey(snapshot, model, covariates)
        if let cached = covariateFits[key] { return cached.fit }
        guard let type = model.covariateModel else { throw ModelError(message: "\(model.rawValue) takes no covariates") }
        let fit = try type.fitWithCovariates(design, penalty: penalty, standardErrors: true, interrupted: interrupted)
        covariateFits[key] = (design, fit)
        return fit
    }

    /// The purchase model customer `c` follows under the settings: with covariates, the model
    /// at their own covariates; else the model in use (`type`), as fitted on every customer.
    func customerModel(_ c: Int, _ type: any PurchaseModel.Type, _ snapshot: Snapshot, _ settings: Settings) throws(Diagnostic) -> any PurchaseModel {
        guard !settings.covariates.isEmpty else { return try purchase(type, snapshot).0 }
        let (design, models, _, _) = try patternModels(snapshot, settings)
        let j = Int(design.patternOfCustomer[c])
        guard j >= 0 else { throw Diagnostic("\(snapshot.customers.label(c)) made no purchase up to as_of: the models start from a first purchase") }
        return models[j]
    }

    /// With covariates set: the customers by covariate pattern, each pattern's model, and the
    /// map of a gradient in its ln-parameters to the fit's (ln θ, γ).
    func patternModels(_ snapshot: Snapshot, _ settings: Settings) throws(Diagnostic) -> (
        design: CovariateDesign, models: [any PurchaseModel], lifts: [@Sendable ([Double]) -> [Double]], fit: ModelFit
    ) {
        try patternModels(snapshot, settings.model(for: snapshot), settings.covariates)
    }

    private func patternModels(_ snapshot: Snapshot, _ name: ModelName, _ covariates: [String]) throws(Diagnostic) -> (
        design: CovariateDesign, models: [any PurchaseModel], lifts: [@Sendable ([Double]) -> [Double]], fit: ModelFit
    ) {
        let (design, fit) = try covariateFit(name, snapshot, covariates)
        let at = design.patterns.map { name.covariateModel!.atCovariates(fit.values, $0) }  // covariateFit checked it takes them
        return (design, at.map(\.model), at.map(\.lift), fit)
    }

    /// The model in use, fitted with the covariates set, at covariates `z` (a new customer's).
    func covariateModel(at z: [Double], _ snapshot: Snapshot, _ settings: Settings) throws(Diagnostic) -> any PurchaseModel {
        let name = settings.model(for: snapshot)
        let (_, fit) = try covariateFit(name, snapshot, settings.covariates)
        return name.covariateModel!.atCovariates(fit.values, z).model
    }

    /// For what would read another purchase model than the fields' while covariates are set
    /// (`validate` of a model not in use): an error, rather than an answer from it.
    static func refuseCovariates(_ settings: Settings, _ what: String) throws(Diagnostic) {
        guard !settings.covariates.isEmpty else { return }
        throw Diagnostic("\(what): not yet with covariates, and covariates are set (\(settings.covariates.joined(separator: ", ")))",
                         hint: "set covariates = none, then ask again")
    }

    /// Forgets the models of snapshots that are no longer loaded.
    func keep(only snapshots: [Snapshot]) {
        let live = Set(snapshots.map(ObjectIdentifier.init))
        cache = cache.filter { live.contains($0.key.snapshot) }
        intervalCache = intervalCache.filter { live.contains($0.key.fields.snapshot) }
        contractCache = contractCache.filter { live.contains($0.key.snapshot) }
        histories = histories.filter { live.contains($0.key) }
        purchaseFits = purchaseFits.filter { live.contains($0.key.snapshot) }
        gammaGammaFits = gammaGammaFits.filter { live.contains($0.key) }
        covariateFits = covariateFits.filter { live.contains($0.key.snapshot) }
    }

    /// The fields with this purchase model behind them, Gamma-Gamma's spend and the margin ratio.
    private func values(_ type: any PurchaseModel.Type, _ snapshot: Snapshot, _ value: LifetimeValue) throws(Diagnostic) -> Fitted {
        let (model, _) = try purchase(type, snapshot)
        let histories = histories(snapshot)
        // A summary of purchases alone (no monetary column) has no spend to fit Gamma-Gamma on.
        let spend = snapshot.knowsSpend ? try gammaGamma(snapshot) : nil
        var fitted = Self.assemble(snapshot, histories, spend, value, model.lifetimeValues(histories, value))
        if let bgbb = model as? BGBB {
            fitted.dert = Self.dert(bgbb, snapshot, histories, discount: value.monthlyRate)
            if value.monthlyRate <= 0, bgbb.gamma <= 1 {
                fitted.notes.append("dert has no bound without a discount: with γ = \(bgbb.gamma, .estimate) ≤ 1 the expected gifts never stop adding up, so it shows null (set discount)")
            }
        }
        if type.word != Settings.defaultModel.rawValue { fitted.notes.append("transaction model: \(type.title)") }
        if value.counts == .periods {
            fitted.notes.append("expected_purchases counts the next \(count: value.horizonMonths, "opportunity") (set horizon = N)")
        }
        return fitted
    }

    /// Each customer's DERT under BG/BB, worked out once per distinct history; NaN for one
    /// without a history.
    private static func dert(_ model: BGBB, _ snapshot: Snapshot, _ histories: PurchaseHistories, discount: Double) -> [Double] {
        let perRow = parallelChunks(histories.x.count) { range in
            range.map { model.dert(x: histories.x[$0], tx: histories.tx[$0], n: histories.T[$0], discount: discount) }
        }
        return histories.rowOfCustomer.map { $0 >= 0 ? perRow[Int($0)] : .nan }
    }

    /// Each customer's fields from its row's (P(alive), next 52 weeks, discounted purchases),
    /// Gamma-Gamma's spend and the margin ratio.
    private static func assemble(
        _ snapshot: Snapshot, _ histories: PurchaseHistories, _ gammaGamma: (GammaGamma, ModelFit)?, _ value: LifetimeValue,
        _ perRow: [RowLifetimeValue]
    ) -> Fitted {
        let noSpend = "no spend is known (a summary without a monetary column), so there is no value to put on the purchases"
        let customers = snapshot.customers
        let frequency = customers.numbers(CustomerFields.frequency), monetary = customers.numbers(CustomerFields.monetary)
        let n = customers.count
        let revenue = customers.numbers(CustomerFields.revenue), margin = customers.numbers(CustomerFields.margin)
        var fitted = Fitted(
            value: value,
            pAlive: [Double](repeating: .nan, count: n), expectedPurchases: [Double](repeating: .nan, count: n),
            expectedSpend: [Double](repeating: .nan, count: n), marginRatio: [Double](repeating: 1, count: n),
            clv: [Double](repeating: 0, count: n), unvalued: [String?](repeating: nil, count: n),
            notes: gammaGamma?.1.notes ?? ["clv is unknown: \(noSpend)"])
        let marginKnown = snapshot.marginKnown
        if !marginKnown { fitted.notes.append("margin is unknown, so clv values revenue (margin ratio 1)") }
        for c in 0..<n {
            let row = Int(histories.rowOfCustomer[c])
            guard row >= 0 else {
                fitted.unvalued[c] = "no purchase up to as_of: the models start from a first purchase"
                continue
            }
            let (alive, next, discounted) = (perRow[row].alive, perRow[row].nextYear, perRow[row].discounted)
            fitted.pAlive[c] = alive
            fitted.expectedPurchases[c] = next
            guard let gg = gammaGamma?.0 else {
                fitted.clv[c] = .nan
                fitted.unvalued[c] = noSpend
                continue
            }
            if frequency[c] > 0, !(monetary[c] > 0) {
                fitted.unvalued[c] = "a mean repeat spend of \(NumberText.plain(monetary[c])), not positive: Gamma-Gamma cannot value it"
                continue
            }
            let spend = gg.expectedSpend(x: frequency[c], monetary: frequency[c] > 0 ? monetary[c] : 0)
            fitted.expectedSpend[c] = spend
            if marginKnown, revenue[c] > 0, margin[c].isFinite { fitted.marginRatio[c] = margin[c] / revenue[c] }
            fitted.clv[c] = discounted * spend * fitted.marginRatio[c]
        }
        return fitted
    }
}


extension ModelStore {
    /// The fields when BG/NBD cannot be fitted: unknown.
    static func unfitted(_ snapshot: Snapshot, _ value: LifetimeValue) -> Fitted {
        let n = snapshot.customers.count
        let unknown = [Double](repeating: .nan, count: n)
        return Fitted(
            value: value, pAlive: unknown, expectedPurchases: unknown, expectedSpend: unknown,
            marginRatio: [Double](repeating: 1, count: n), clv: [Double](repeating: 0, count: n),
            unvalued: [String?](repeating: "BG/NBD cannot be fitted to this data", count: n), notes: [])
    }

    /// clv by the simple retention formula: the customer's margin of the last 52 weeks, the
    /// snapshot's retention rate, the annual discount.
    static func useSimpleRetention(
        _ fitted: inout Fitted, _ snapshot: Snapshot, annualDiscount: Double, retention: (Double) -> Double = { $0 }
    ) throws(Diagnostic) {
        let n = snapshot.customers.count
        guard let (rate, base, kept) = SimpleRetention.retentionRate(snapshot.transactions, customers: n, asOf: snapshot.info.asOf) else {
            throw Diagnostic("the simple model needs a retention rate, and no customer bought 52 to 104 weeks before as_of")
        }
        let model = SimpleRetention(retention: retention(rate), discount: annualDiscount)
        let margins = SimpleRetention.yearlyMargin(snapshot.transactions, customers: n, asOf: snapshot.info.asOf)
        fitted.simple = (model, margins)
        fitted.clv = margins.map { model.value(yearlyMargin: $0) }
        fitted.unvalued = [String?](repeating: nil, count: n)
        fitted.notes = ["clv = m · r / (1 + i − r): r = \(kept) of \(base) customers kept = \(exact: (rate * 1000).rounded() / 10)%"]
    }
}

extension Settings {
    /// The annual discount rate in force: set, else snapshot.json's, else 10%.
    func annualDiscountRate(for snapshot: Snapshot?) -> Double {
        discountRate ?? snapshot?.info.discountRate ?? Self.defaultDiscountRate
    }

    /// The CLV horizon and discount in force for a snapshot.
    func lifetimeValue(for snapshot: Snapshot?) -> LifetimeValue {
        if snapshot?.countsPeriods == true {
            return .periods(Int(horizonMonths ?? Self.defaultHorizonPeriods), rate: annualDiscountRate(for: snapshot))
        }
        return LifetimeValue(horizonMonths: Int(horizonMonths ?? Self.defaultHorizonMonths), annualRate: annualDiscountRate(for: snapshot))
    }

    /// The model in force for a snapshot: set, else BG/BB for a summary of opportunities and
    /// BG/NBD for the rest.
    func model(for snapshot: Snapshot?) -> ModelName {
        model ?? (snapshot?.countsPeriods == true ? .bgbb : Self.defaultModel)
    }
}
