import Foundation
import Testing
@testable import CRMQ

/// The model fields' intervals, checked by what they claim: over data generated from known
/// parameters, the prediction at the true parameters falls inside a customer's 90% interval
/// for about 90% of customers, averaged over many seeds (each seed's fit misses the truth in
/// one direction, so a single seed covers nearly all customers or few).
@Suite struct IntervalTests {
    /// The buying story data is generated from.
    enum Story {
        /// λ ~ Gamma(r, α); after each repeat purchase gone with p ~ Beta(a, b).
        case bgnbd(BGNBD)
        /// λ ~ Gamma(r, α) while alive, for an exponential lifetime of rate μ ~ Gamma(s, β).
        case paretonbd(ParetoNBD)
    }

    /// Customers who each first bought in a 30-week window and are watched to week 52, so T
    /// runs from 22 to 52 weeks; purchase times as the story draws them.
    static func histories(_ story: Story, seed: UInt64, customers: Int) -> PurchaseHistories {
        var random = SeededRandom(seed: seed)
        var frequency: [Double] = [], recency: [Double] = [], age: [Double] = []
        for _ in 0..<customers {
            let T = (7 * 52 - Double(random.below(7 * 30))) / 7
            var (t, x, tx) = (0.0, 0.0, 0.0)
            switch story {
            case .bgnbd(let m):
                let lambda = random.gamma(shape: m.r, rate: m.alpha), p = random.beta(m.a, m.b)
                while true {
                    t += random.exponential(rate: lambda)
                    guard t <= T else { break }
                    (x, tx) = (x + 1, t)
                    if random.uniform() < p { break }
                }
            case .paretonbd(let m):
                let lambda = random.gamma(shape: m.r, rate: m.alpha)
                let lifetime = random.exponential(rate: random.gamma(shape: m.s, rate: m.beta))
                while true {
                    t += random.exponential(rate: lambda)
                    guard t <= min(T, lifetime) else { break }
                    (x, tx) = (x + 1, t)
                }
            }
            frequency.append(x)
            recency.append(tx)
            age.append(T)
        }
        return PurchaseHistories(frequency: frequency, recency: recency, age: age)
    }

    /// Over seeds: the share of customers whose P(alive) (those the model can take to be gone)
    /// and 52-week purchases at the true parameters fall inside their interval.
    static func coverage<Model: PurchaseModel>(_ truth: Model, seeds: Range<UInt64>, data: (UInt64) -> PurchaseHistories) throws -> (alive: Double, purchases: Double) {
        var alive: [Double] = [], purchases: [Double] = []
        let value = LifetimeValue(horizonMonths: 12, annualRate: 0.1)
        for seed in seeds {
            let histories = data(seed)
            let (fitted, fit) = try Model.fit(histories, penalty: 0, standardErrors: true, interrupted: { false })
            let uncertainty = ParameterUncertainty(values: fit.values, covariance: try #require(fit.covariance), level: 0.9)
            let spreads = fitted.lifetimeValueSpreads(histories, value, uncertainty)
            let estimated = fitted.lifetimeValues(histories, value), actual = truth.lifetimeValues(histories, value)
            var inside = (alive: 0.0, aliveCount: 0.0, purchases: 0.0, purchasesCount: 0.0)
            for i in histories.x.indices {
                let w = histories.weight[i]
                let p = uncertainty.probability(estimated[i].alive, logitVariance: spreads[i].aliveLogit)
                if estimated[i].alive < 1 {
                    inside.aliveCount += w
                    if p.low <= actual[i].alive, actual[i].alive <= p.high { inside.alive += w }
                }
                let e = uncertainty.positive(estimated[i].nextYear, logVariance: spreads[i].nextYearLog)
                inside.purchasesCount += w
                if e.low <= actual[i].nextYear, actual[i].nextYear <= e.high { inside.purchases += w }
            }
            alive.append(inside.alive / inside.aliveCount)
            purchases.append(inside.purchases / inside.purchasesCount)
        }
        return (alive.reduce(0, +) / Double(alive.count), purchases.reduce(0, +) / Double(purchases.count))
    }

    @Test func bgnbd_intervals_cover_the_truth_about_ninety_percent_of_the_time() throws {
        let truth = BGNBD(r: 0.8, alpha: 5, a: 0.6, b: 2.5)
        let covered = try Self.coverage(truth, seeds: 0..<40) { Self.histories(.bgnbd(truth), seed: $0, customers: 2000) }
        #expect((0.85...0.95).contains(covered.alive), "P(alive): \(covered.alive)")
        #expect((0.85...0.95).contains(covered.purchases), "52-week purchases: \(covered.purchases)")
    }

    @Test func paretonbd_intervals_cover_the_truth_about_ninety_percent_of_the_time() throws {
        let truth = ParetoNBD(r: 0.8, alpha: 5, s: 0.7, beta: 12)
        let covered = try Self.coverage(truth, seeds: 100..<130) { Self.histories(.paretonbd(truth), seed: $0, customers: 2000) }
        #expect((0.85...0.95).contains(covered.alive), "P(alive): \(covered.alive)")
        #expect((0.85...0.95).contains(covered.purchases), "52-week purchases: \(covered.purchases)")
    }

    /// P(alive)'s analytic gradient, which every P(alive) interval rests on, against central
    /// differences: for each model, at customers who bought recently, long ago, never again
    /// (MBG/NBD) and often.
    @Test func the_log_odds_gradients_match_central_differences() {
        let models: [any PurchaseModel] = [
            BGNBD(r: 0.24, alpha: 4.4, a: 0.79, b: 2.4),
            MBGNBD([0.52, 6.2, 0.89, 1.6]),
            ParetoNBD(r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7),
        ]
        let customers: [(x: Double, tx: Double, T: Double)] = [(1, 2, 38), (4, 30, 38), (0, 0, 30), (12, 50, 52), (2, 5.5, 70)]
        for model in models {
            let make = type(of: model).init
            for c in customers where c.x > 0 || model is MBGNBD {
                expectGradientMatchesCentralDifferences(
                    { make($0).aliveLogOdds(x: c.x, tx: c.tx, T: c.T) }, at: model.parameters, tolerance: 1e-5,
                    names: type(of: model).parameterNames, "\(type(of: model).title) at \(c)")
            }
        }
    }

    /// The fields as a user meets them: ends around the figure, narrower at a lower level, the
    /// level in `settings`, `clv for X` showing them, and the simple formula refusing them.
    @Test func the_interval_fields_bracket_the_figure_and_follow_the_level() throws {
        let session = Session()
        _ = run("load \"\(repositoryRoot)/examples/cdnow-sample\" as of 1997-09-30", session: session)
        let shown = "customers where frequency > 2 show p_alive_low, p_alive, p_alive_high, expected_purchases_low, expected_purchases, "
            + "expected_purchases_high, clv_low, clv, clv_high"
        // The CSV's rows of numbers (a note follows them).
        func numbers(_ out: String) -> [[Double]] {
            out.split(separator: "\n").dropFirst().compactMap { line in
                let v = line.split(separator: ",").compactMap { Double($0) }
                return v.count > 1 ? v : nil
            }
        }
        let rows = numbers(run(shown, session: session, mode: .csv).out)
        #expect(rows.count > 100)
        for row in rows {
            for k in [0, 3, 6] { #expect(row[k] < row[k + 1] && row[k + 1] < row[k + 2], "\(row)") }
        }
        func width(_ out: String) -> Double { numbers(out).map { $0[2] - $0[0] }.reduce(0, +) }
        let ninety = width(run("customers where frequency > 2 show clv_low, clv, clv_high", session: session, mode: .csv).out)
        let set = run("set interval = 50%\nsettings", session: session)
        #expect(set.out.contains("interval") && set.out.contains("50%"), "\(set.out)")
        let fifty = width(run("customers where frequency > 2 show clv_low, clv, clv_high", session: session, mode: .csv).out)
        // z falls from 1.645 to 0.674: the widths by about 0.674 / 1.645 = 0.41.
        #expect(abs(fifty / ninety - 0.674 / 1.645) < 0.02, "\(fifty) against \(ninety)")
        let clv = run("clv for 1760", session: session)
        #expect(clv.out.contains("clv_low") && clv.out.contains("50% intervals"), "\(clv.out)")
        let simple = run("set model = simple\ncount where clv_high > 100", session: session)
        #expect(simple.err.contains("no fitted parameters"), "\(simple.err)")
        #expect(run("set interval = 120%", session: Session()).err.contains("50% to 99.9%"))
    }

    /// The book's total clv has its own interval (`assets`): for one customer it is that
    /// customer's own interval, and for many it is never wider at the top than the sum of their
    /// upper ends — the total's standard deviation is at most the sum of theirs (the triangle
    /// inequality on the stacked gradients), and exp is convex, so T·e^(z·sd_T) ≤ Σ clv·e^(z·sd).
    @Test func the_total_interval_is_one_customers_own_and_no_wider_than_the_sum_of_many() throws {
        let session = Session()
        _ = run("load \"\(repositoryRoot)/examples/acme\"", session: session)
        func numbers(_ csv: String) -> [Double] {
            csv.split(separator: "\n").dropFirst().flatMap { $0.split(separator: ",").map { Double($0) ?? .nan } }
        }
        for id in ["C035", "ACME", "MUELLER"] {
            let own = numbers(run("customers where id = '\(id)' show clv, clv_low, clv_high", session: session, mode: .csv).out)
            let assets = run("assets where id = '\(id)'", session: session, mode: .json).out
            let book = try #require(try JSONSerialization.jsonObject(with: Data(assets.utf8)) as? [String: Any])
            let row = try #require(((book["tables"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]])?.first)
            let total = try #require(row["clv"] as? Double), low = try #require(row["clv_low"] as? Double), high = try #require(row["clv_high"] as? Double)
            #expect(abs(total - own[0]) <= 1e-9 * own[0] && abs(low - own[1]) <= 1e-9 * own[0] && abs(high - own[2]) <= 1e-9 * own[0], "\(id): \(row) against \(own)")
        }
        let ends = numbers(run("customers show clv_high", session: session, mode: .csv).out).filter { !$0.isNaN }
        let assets = run("assets", session: session, mode: .csv).out
        // Columns: customers, clv, clv_low, clv_high, …
        let high = try #require(assets.split(separator: "\n").dropFirst().first?.split(separator: ",").dropFirst(3).first.flatMap { Double($0) })
        #expect(ends.count == 60 && high <= ends.reduce(0, +), "\(high) against \(ends.reduce(0, +))")
    }
}
