#if canImport(Glibc)
import Glibc
#endif

/// sBG on a snapshot's contracts (`ContractTenures`): the fit, and each customer's chance to
/// renew and discounted expected residual lifetime as fields, each with its interval.
extension ModelStore {
    struct Contracts {
        var period: ContractPeriod
        var model: ShiftedBetaGeometric
        var fit: ModelFit
        var tenures: ContractTenures
        var renewal: [Double]
        var residual: [Double]
        /// The discount rate a period the residual lifetime is worked out at.
        var rate: Double
        /// The intervals' level, and each field's ends; nil when the fit has no standard errors.
        var level: Double
        var ends: [ModelField: (low: [Double], high: [Double])]?

        func values(_ field: ModelField) throws(Diagnostic) -> [Double] {
            guard let bound = field.bound else { return field == .derl ? residual : renewal }
            guard let ends = ends?[bound.of] else {
                throw Diagnostic("the sBG fit's information matrix cannot be inverted, so its parameters have no standard errors and \(bound.of.rawValue) no interval")
            }
            return bound.end == .low ? ends.low : ends.high
        }
    }

    /// The contracts of a snapshot at a period (the settings' unless given), fitted on first use.
    func contracts(_ snapshot: Snapshot, _ settings: Settings, period given: ContractPeriod? = nil) throws(Diagnostic) -> Contracts {
        let period = given ?? settings.contractPeriod ?? .year
        let annual = settings.annualDiscountRate(for: snapshot)
        let key = ContractKey(snapshot: ObjectIdentifier(snapshot), period: period)
        // Cached per period; the discount in force is checked, as it changes the lifetimes only.
        let rate = pow(1 + annual, period.days / 365.25) - 1
        let level = settings.interval ?? Settings.defaultInterval
        if let cached = contractCache[key], cached.rate == rate, cached.level == level { return cached }
        let tenures = try ContractTenures(snapshot, period: period)
        let (model, fit): (ShiftedBetaGeometric, ModelFit)
        do {
            (model, fit) = try ShiftedBetaGeometric.fit(tenures.tenures, penalty: penalty, interrupted: interrupted)
        } catch {
            throw Diagnostic("sBG cannot be fitted: \(error.message)")
        }
        let n = snapshot.customers.count
        var renewal = [Double](repeating: .nan, count: n), residual = renewal
        for c in 0..<n where tenures.periods[c] >= 0 {
            guard !tenures.ended[c] else {
                (renewal[c], residual[c]) = (0, 0)
                continue
            }
            let renewals = tenures.periods[c]
            renewal[c] = model.retention(renewals + 1)
            residual[c] = model.residualLifetime(renewals: renewals, rate: rate)
        }
        let ends = fit.covariance.map { covariance in
            Self.contractIntervals(model, ParameterUncertainty(values: fit.values, covariance: covariance, level: level), tenures, renewal, residual, rate)
        }
        let contracts = Contracts(
            period: period, model: model, fit: fit, tenures: tenures, renewal: renewal, residual: residual, rate: rate, level: level, ends: ends)
        contractCache[key] = contracts
        return contracts
    }

    /// sBG refitted on the contracts of the customers in `kept` alone (`fit sbg where …`,
    /// `validate sbg where …`); the fields stay every contract's.
    func contracts(_ snapshot: Snapshot, _ settings: Settings, period: ContractPeriod?, keeping kept: Set<Int>) throws(Diagnostic) -> Contracts {
        var contracts = try contracts(snapshot, settings, period: period)
        for c in contracts.tenures.periods.indices where !kept.contains(c) { contracts.tenures.periods[c] = -1 }
        do {
            (contracts.model, contracts.fit) = try ShiftedBetaGeometric.fit(contracts.tenures.tenures, penalty: penalty, interrupted: interrupted)
        } catch {
            throw Diagnostic("sBG cannot be fitted: \(error.message)")
        }
        return contracts
    }

    /// Each running contract's renewal_probability and derl between a low and a high end
    /// (`ShiftedBetaGeometric.intervals`), worked out once for each number of renewals; an
    /// ended contract's 0 has no spread.
    private static func contractIntervals(
        _ model: ShiftedBetaGeometric, _ uncertainty: ParameterUncertainty, _ tenures: ContractTenures,
        _ renewal: [Double], _ residual: [Double], _ rate: Double
    ) -> [ModelField: (low: [Double], high: [Double])] {
        var chance = (low: renewal, high: renewal), lifetime = (low: residual, high: residual)
        var byRenewals: [Int: (renewal: (low: Double, high: Double), residual: (low: Double, high: Double))] = [:]
        for c in renewal.indices where tenures.periods[c] >= 0 && !tenures.ended[c] {
            let n = tenures.periods[c]
            let ends = byRenewals[n] ?? model.intervals(renewals: n, rate: rate, uncertainty)
            byRenewals[n] = ends
            (chance.low[c], chance.high[c]) = ends.renewal
            (lifetime.low[c], lifetime.high[c]) = ends.residual
        }
        return [.renewalProbability: chance, .derl: lifetime]
    }
}
