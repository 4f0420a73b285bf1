#if canImport(Glibc)
import Glibc
#endif

/// Customer lifetime value as PRODUCT.md §4 defines it: the residual value from as_of on,
///
///     clv = Σ_{m=1…H} E[purchases in month m] × E[spend] × margin ratio ÷ (1 + d)^m
///
/// with months of 4.345 weeks, E[purchases in month m] = E(t_m) − E(t_{m−1}) from the
/// transaction model, E[spend] from Gamma-Gamma, d the monthly discount rate.
public struct LifetimeValue: Sendable, Equatable {
    public static let weeksPerMonth = 4.345
    public var horizonMonths: Int
    /// The monthly rate: (1 + annual)^(1/12) − 1.
    public var monthlyRate: Double
    /// What the horizon counts: months of weeks, or opportunities on a summary of them (BG/BB),
    /// each discounted at the annual rate as if yearly.
    var counts = ModelTime.weeks

    public init(horizonMonths: Int, monthlyRate: Double) {
        self.horizonMonths = horizonMonths
        self.monthlyRate = monthlyRate
    }

    public init(horizonMonths: Int, annualRate: Double) {
        self.init(horizonMonths: horizonMonths, monthlyRate: pow(1 + annualRate, 1.0 / 12) - 1)
    }

    var monthEnds: [Double] { (1...max(1, horizonMonths)).map { Double($0) * (counts == .periods ? 1 : Self.weeksPerMonth) } }

    /// Where expected_purchases looks to: the next 52 weeks, or every opportunity of the horizon.
    var nearTerm: Double { counts == .periods ? Double(max(1, horizonMonths)) : 52 }

    /// The horizon and rate of a summary of opportunities: so many of them, each discounted at
    /// the annual rate.
    static func periods(_ count: Int, rate: Double) -> LifetimeValue {
        var value = LifetimeValue(horizonMonths: count, monthlyRate: rate)
        value.counts = .periods
        return value
    }

    /// Month by month from cumulative expected purchases at the month ends.
    func monthlyDifferences(_ cumulative: [Double]) -> [Double] {
        cumulative.indices.map { max(0, cumulative[$0] - ($0 > 0 ? cumulative[$0 - 1] : 0)) }
    }

    /// Σ_m purchases_m / (1 + d)^m.
    func discounted(_ months: [Double]) -> Double {
        var value = 0.0
        var discount = 1.0
        for purchases in months {
            discount /= 1 + monthlyRate
            value += purchases * discount
        }
        return value
    }
}
