import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// The fields the models give (PRODUCT.md §3), fitted when a statement first asks for one
/// and kept until the snapshot or a setting changes: a query that uses no model field never
/// pays for a fit.
final class ModelStore {
    struct Key: Hashable {
        var snapshot: ObjectIdentifier
        var model: ModelName
        var horizon: Int
        var monthlyRate: Double
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
        /// Why a customer's CLV is 0 when the models cannot value them; nil when they can.
        var unvalued: [String?]
        var notes: [String]
    }

    static let fields = ModelField.allCases.map(\.field)

    /// The fitted models of a snapshot: they depend on the data alone.
    struct Fits {
        var histories: PurchaseHistories
        var bgnbd: BGNBD
        var bgnbdFit: ModelFit
        var gammaGamma: GammaGamma
        var gammaGammaFit: ModelFit
    }

    private var histories: [ObjectIdentifier: PurchaseHistories] = [:]
    private var bgnbdFits: [ObjectIdentifier: (BGNBD, ModelFit)] = [:]
    private var gammaGammaFits: [ObjectIdentifier: (GammaGamma, ModelFit)] = [:]
    /// Pareto/NBD, fitted only when asked for (`set model = paretonbd`, `fit paretonbd`).
    private var paretoFits: [ObjectIdentifier: (ParetoNBD, ModelFit)] = [:]
    /// Asked during a fit whether to stop.
    var interrupted: InterruptCheck = ctrlCPressed
    private var cache: [Key: Fitted] = [:]
    /// Each customer's (frequency, recency, age), which every purchase model fits on.
    func histories(_ snapshot: Snapshot) -> PurchaseHistories {
        if let cached = histories[ObjectIdentifier(snapshot)] { return cached }
        let customers = snapshot.customers
        let result = PurchaseHistories(
            frequency: customers.numbers(CustomerFields.frequency), recency: customers.numbers(CustomerFields.recency), age: customers.numbers(CustomerFields.age))
        histories[ObjectIdentifier(snapshot)] = result
        return result
    }

    /// BG/NBD and Gamma-Gamma, the models behind clv by default.
    func fits(_ snapshot: Snapshot) throws(Diagnostic) -> Fits {
        let (bg, bgFit) = try bgnbd(snapshot)
        let (gg, ggFit) = try gammaGamma(snapshot)
        return Fits(histories: histories(snapshot), bgnbd: bg, bgnbdFit: bgFit, gammaGamma: gg, gammaGammaFit: ggFit)
    }

    /// BG/NBD on the snapshot's customers, with standard errors when asked.
    func bgnbd(_ snapshot: Snapshot, standardErrors: Bool = false) throws(Diagnostic) -> (BGNBD, ModelFit) {
        let key = ObjectIdentifier(snapshot)
        if var cached = bgnbdFits[key] {
            if standardErrors, !cached.1.hasStandardErrors {
                cached.1.standardErrors = BGNBD.standardErrors(cached.0, histories(snapshot))
                bgnbdFits[key] = cached
            }
            return cached
        }
        let result = try Self.fitting("BG/NBD") { () throws(ModelError) in try BGNBD.fit(histories(snapshot), standardErrors: standardErrors, interrupted: interrupted) }
        bgnbdFits[key] = result
        return result
    }

    /// Gamma-Gamma on the repeat customers' mean spend, with standard errors when asked.
    func gammaGamma(_ snapshot: Snapshot, standardErrors: Bool = false) throws(Diagnostic) -> (GammaGamma, ModelFit) {
        let key = ObjectIdentifier(snapshot)
        let customers = snapshot.customers
        let data = GammaGamma.Data(frequency: customers.numbers(CustomerFields.frequency), monetary: customers.numbers(CustomerFields.monetary))
        if var cached = gammaGammaFits[key] {
            if standardErrors, !cached.1.hasStandardErrors {
                cached.1.standardErrors = GammaGamma.standardErrors(cached.0, data)
                gammaGammaFits[key] = cached
            }
            return cached
        }
        let result = try Self.fitting("Gamma-Gamma") { () throws(ModelError) in try GammaGamma.fit(data, standardErrors: standardErrors, interrupted: interrupted) }
        gammaGammaFits[key] = result
        return result
    }

    /// Pareto/NBD on the snapshot's customers, with standard errors when asked.
    func pareto(_ snapshot: Snapshot, standardErrors: Bool = false) throws(Diagnostic) -> (ParetoNBD, ModelFit) {
        if let cached = paretoFits[ObjectIdentifier(snapshot)], !standardErrors || cached.1.hasStandardErrors { return cached }
        let result = try Self.fitting("Pareto/NBD") { () throws(ModelError) in
            try ParetoNBD.fit(histories(snapshot), standardErrors: standardErrors, interrupted: interrupted)
        }
        paretoFits[ObjectIdentifier(snapshot)] = result
        return result
    }

    /// A fit, its failure said with the model's name.
    private static func fitting<Model>(_ model: String, _ fit: () throws(ModelError) -> (Model, ModelFit)) throws(Diagnostic) -> (Model, ModelFit) {
        do {
            return try fit()
        } catch {
            if error.message == "interrupted" { throw Diagnostic("interrupted: the fit was stopped, and nothing changed") }
            throw Diagnostic("\(model) cannot be fitted: \(error.message)")
        }
    }

    /// The model fields of a snapshot under the settings' horizon and discount.
    func fitted(_ snapshot: Snapshot, _ settings: Settings) throws(Diagnostic) -> Fitted {
        let value = settings.lifetimeValue(for: snapshot)
        let model = settings.model ?? Settings.defaultModel
        let key = Key(snapshot: ObjectIdentifier(snapshot), model: model, horizon: value.horizonMonths, monthlyRate: value.monthlyRate)
        if let fitted = cache[key] { return fitted }
        let fitted = try compute(snapshot, settings, value)
        cache = cache.filter { $0.key.snapshot != key.snapshot }  // one setting at a time per snapshot
        cache[key] = fitted
        return fitted
    }

    /// The model fields under a lifetime value (horizon, monthly rate) other than the
    /// settings', not kept: `whatif` asks for them once. The simple model takes the annual
    /// rate as given (the settings' unless `annualRate`) and its retention rate can be replaced.
    func compute(
        _ snapshot: Snapshot, _ settings: Settings, _ value: LifetimeValue, annualRate: Double? = nil, retention: ((Double) -> Double)? = nil
    ) throws(Diagnostic) -> Fitted {
        let model = settings.model ?? Settings.defaultModel
        var fitted: Fitted
        switch model {
        case .simple:
            // The formula needs no fit; the other model fields are BG/NBD's where it can be fitted.
            fitted = (try? fits(snapshot)).map { Self.values(snapshot, $0, value) } ?? Self.unfitted(snapshot, value)
            try Self.useSimpleRetention(
                &fitted, snapshot, annualDiscount: annualRate ?? settings.annualDiscountRate(for: snapshot), retention: retention ?? { $0 })
        case .paretonbd:
            let (pareto, _) = try self.pareto(snapshot)
            fitted = Self.paretoValues(snapshot, histories(snapshot), try gammaGamma(snapshot), pareto, value)
        case .bgnbd, .gammagamma:
            fitted = Self.values(snapshot, try fits(snapshot), value)
        }
        return fitted
    }

    /// Forgets the models of snapshots that are no longer loaded.
    func keep(only snapshots: [Snapshot]) {
        let live = Set(snapshots.map(ObjectIdentifier.init))
        cache = cache.filter { live.contains($0.key.snapshot) }
        histories = histories.filter { live.contains($0.key) }
        bgnbdFits = bgnbdFits.filter { live.contains($0.key) }
        gammaGammaFits = gammaGammaFits.filter { live.contains($0.key) }
        paretoFits = paretoFits.filter { live.contains($0.key) }
    }

    private static func values(_ snapshot: Snapshot, _ fits: Fits, _ value: LifetimeValue) -> Fitted {
        let histories = fits.histories
        let bg = fits.bgnbd
        // The series of eq. (10) depends on (x, T) alone: once per distinct pair, the
        // discounted purchases over the horizon and the next 52 weeks, were the customer alive.
        var pairOfRow = [Int32](repeating: 0, count: histories.x.count)
        var pairs: [(x: Double, T: Double)] = []
        var pairIndex: [PairKey: Int32] = [:]
        for i in histories.x.indices {
            let key = PairKey(x: histories.x[i], T: histories.T[i])
            if let k = pairIndex[key] { pairOfRow[i] = k } else {
                pairIndex[key] = Int32(pairs.count)
                pairOfRow[i] = Int32(pairs.count)
                pairs.append((histories.x[i], histories.T[i]))
            }
        }
        let perPair: [(Double, Double)] = parallelChunks(pairs.count) { range in
            range.map { k in
                (value.discountedUnconditional(bg, x: pairs[k].x, T: pairs[k].T),
                 max(0, bg.unconditional(at: [52], x: pairs[k].x, T: pairs[k].T)[0]))
            }
        }
        let perRow: [(Double, Double, Double)] = parallelChunks(histories.x.count) { range in
            range.map { i in
                let alive = bg.pAlive(x: histories.x[i], tx: histories.tx[i], T: histories.T[i])
                let (discounted, next) = perPair[Int(pairOfRow[i])]
                return (alive, max(0, next * alive), max(0, discounted * alive))
            }
        }
        return assemble(snapshot, histories, (fits.gammaGamma, fits.gammaGammaFit), value, perRow)
    }

    /// The fields with Pareto/NBD as the transaction model: its expected purchases have a
    /// closed form, so each distinct row is valued directly.
    private static func paretoValues(
        _ snapshot: Snapshot, _ h: PurchaseHistories, _ gammaGamma: (GammaGamma, ModelFit), _ pareto: ParetoNBD, _ value: LifetimeValue
    ) -> Fitted {
        let perRow: [(Double, Double, Double)] = parallelChunks(h.x.count) { range in
            range.map { i in
                let (x, tx, T) = (h.x[i], h.tx[i], h.T[i])
                let alive = pareto.pAlive(x: x, tx: tx, T: T)
                let cumulative = value.monthEnds.map { pareto.expectedPurchases(in: $0, x: x, T: T, alive: alive) }
                return (alive, pareto.expectedPurchases(in: 52, x: x, T: T, alive: alive), value.discounted(value.monthlyDifferences(cumulative)))
            }
        }
        var fitted = assemble(snapshot, h, gammaGamma, value, perRow)
        fitted.notes.append("transaction model: Pareto/NBD")
        return fitted
    }

    /// Each customer's fields from its row's (P(alive), next 52 weeks, discounted purchases),
    /// Gamma-Gamma's spend and the margin ratio.
    private static func assemble(
        _ snapshot: Snapshot, _ histories: PurchaseHistories, _ gammaGamma: (GammaGamma, ModelFit), _ value: LifetimeValue,
        _ perRow: [(Double, Double, Double)]
    ) -> Fitted {
        let customers = snapshot.customers
        let frequency = customers.numbers(CustomerFields.frequency), monetary = customers.numbers(CustomerFields.monetary)
        let (gg, ggFit) = gammaGamma
        let n = customers.count
        let revenue = customers.numbers(CustomerFields.revenue), margin = customers.numbers(CustomerFields.margin)
        var fitted = Fitted(
            value: value,
            pAlive: [Double](repeating: .nan, count: n), expectedPurchases: [Double](repeating: .nan, count: n),
            expectedSpend: [Double](repeating: .nan, count: n), marginRatio: [Double](repeating: 1, count: n),
            clv: [Double](repeating: 0, count: n), unvalued: [String?](repeating: nil, count: n), notes: ggFit.notes)
        let marginKnown = snapshot.transactions.marginKnown
        if !marginKnown { fitted.notes.append("margin is unknown, so clv values revenue (margin ratio 1)") }
        for c in 0..<n {
            let row = Int(histories.rowOfCustomer[c])
            guard row >= 0 else {
                fitted.unvalued[c] = "no purchase up to as_of: the models start from a first purchase"
                continue
            }
            let (alive, next, discounted) = perRow[row]
            fitted.pAlive[c] = alive
            fitted.expectedPurchases[c] = next
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

private struct PairKey: Hashable {
    var x: Double
    var T: Double
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
        fitted.notes = ["clv = m · r / (1 + i − r): r = \(kept) of \(base) customers kept = \(NumberText.plain((rate * 1000).rounded() / 10))%"]
    }
}

/// `body` over ranges of 0..<count, one per core, the results joined in order.
func parallelChunks<T>(_ count: Int, _ body: (Range<Int>) -> [T]) -> [T] {
    let pieces = count < 2048 ? 1 : 8
    let parts = parallelMap(pieces) { k in body((count * k / pieces)..<(count * (k + 1) / pieces)) }
    return Array(parts.joined())
}

extension Settings {
    /// The annual discount rate in force: set, else snapshot.json's, else 10%.
    func annualDiscountRate(for snapshot: Snapshot?) -> Double {
        discountRate ?? snapshot?.info.discountRate ?? Self.defaultDiscountRate
    }

    /// The CLV horizon and discount in force for a snapshot.
    func lifetimeValue(for snapshot: Snapshot?) -> LifetimeValue {
        LifetimeValue(horizonMonths: Int(horizonMonths ?? Self.defaultHorizonMonths), annualRate: annualDiscountRate(for: snapshot))
    }
}
