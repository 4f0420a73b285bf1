import Foundation
import Testing
@testable import CRMQ

/// sBG on contracts, against Fader & Hardie (2007, "How to project customer retention"):
/// two cohorts of 1,000 customers followed for seven yearly renewals.
@Suite struct ContractTests {
    /// Survivors at years 0–7 in the paper's table 1.
    static let regular = [1000, 631, 468, 382, 326, 289, 262, 241]
    static let highEnd = [1000, 869, 743, 653, 593, 551, 517, 491]

    /// A snapshot of one cohort: every contract began on 2000-01-01; those lost in year k
    /// ended half-way through it; the survivors still run at as_of, seven years on. One
    /// transaction each (its first fee), as a folder needs.
    static func cohort(_ survivors: [Int]) -> Fixture {
        var customers = "id,contract_start,contract_end\n", transactions = "customer_id,date,amount\n"
        let start = CalendarDay.parse("2000-01-01")!
        var id = 0
        for year in 1..<survivors.count {
            for _ in 0..<(survivors[year - 1] - survivors[year]) {
                id += 1
                let end = start + Int32((Double(year) - 0.5) * 365.25)
                customers += "C\(id),2000-01-01,\(CalendarDay.format(end))\n"
                transactions += "C\(id),2000-01-01,10\n"
            }
        }
        for _ in 0..<survivors.last! {
            id += 1
            customers += "C\(id),2000-01-01,\n"
            transactions += "C\(id),2000-01-01,10\n"
        }
        return Fixture(["customers.csv": customers, "transactions.csv": transactions, "snapshot.json": "{\"as_of\": \"2007-01-01\"}"])
    }

    /// The paper's estimates: α 0.704, β 1.182 (regular) and α 0.668, β 3.806 (high end).
    @Test(arguments: [(regular, 0.704, 1.182), (highEnd, 0.668, 3.806)])
    func the_fit_matches_the_paper(_ survivors: [Int], _ alpha: Double, _ beta: Double) throws {
        let f = Self.cohort(survivors)
        let session = Session()
        _ = run("load \"\(f.directory)\"", session: session)
        let out = run("fit sbg", session: session, mode: .csv)
        #expect(out.outcome == .completed, "\(out.err)")
        let values = Dictionary(uniqueKeysWithValues: out.out.split(separator: "\n").compactMap { line -> (String, Double)? in
            let parts = line.split(separator: ",")
            return parts.count == 3 ? Double(parts[1]).map { (String(parts[0]), $0) } : nil
        })
        #expect(abs(values["alpha"]! - alpha) < 0.0005, "α \(values["alpha"]!)")
        #expect(abs(values["beta"]! - beta) < 0.0005, "β \(values["beta"]!)")
        // The curve seen: 631 of 1,000 renewed the first time (regular).
        let curve = run("fit sbg", session: session).out
        #expect(curve.contains("renewal by renewal (a year a period)"), "\(curve)")
    }

    /// Years 8–12, which the paper holds out (as do the foretell and retenmod packages, which
    /// ship all 13 years): regular 223, 207, 194, 183, 173; high end 468, 445, 427, 409, 394.
    /// `examples/subscriptions` carries them after as_of; `validate sbg` fits on years 0–7 and
    /// projects each survivor's renewal t as S(t)/S(7) = Π_{k=8…t} (β+k−1)/(α+β+k−1). For the
    /// regular cohort at α 0.7041, β 1.1820: renewal 8, 241 × 8.1820/8.8861 = 221.9; renewal
    /// 12, 221.9 × 9.1820/9.8861 × 10.1820/10.8861 × 11.1820/11.8861 × 12.1820/12.8861 = 171.4
    /// — within 1% of the 223 and 173 seen. High end: 379.6 predicted at renewal 12 against
    /// 394 (the paper's sBG, too, falls below the high-end survivors by then).
    @Test func validate_sbg_projects_the_papers_years_eight_to_twelve() throws {
        let session = Session()
        _ = run("load \"\(repositoryRoot)/examples/subscriptions\"", session: session)
        // Each plan's survivors at as_of (year 7), then year 8–12's.
        for (plan, survivors, seen, alpha, beta) in [
            ("regular", 241.0, [223, 207, 194, 183, 173], 0.704, 1.182), ("high_end", 491.0, [468, 445, 427, 409, 394], 0.668, 3.806),
        ] {
            let out = run("validate sbg where plan = '\(plan)'", session: session, mode: .csv)
            #expect(out.outcome == .completed, "\(out.err)")
            let rows = out.out.split(separator: "\n").dropFirst().prefix(5).map { $0.split(separator: ",").compactMap { Double($0) } }
            #expect(rows.map { Int($0[0]) } == [8, 9, 10, 11, 12] && rows.map { Int($0[2]) } == seen, "\(out.out)")
            var kept = survivors
            for (k, row) in rows.enumerated() {
                let t = Double(8 + k)
                kept *= (beta + t - 1) / (alpha + beta + t - 1)
                #expect(row[1] == survivors && abs(row[3] - kept) < 0.01 * kept, "renewal \(t): \(row[3]) against \(kept) by hand")
            }
        }
        // Half-way: only renewals 8 and 9 fall in the holdout.
        let half = run("validate sbg where plan = 'regular' holdout 2009-06-30", session: session, mode: .csv).out
        #expect(half.split(separator: "\n").filter { $0.hasPrefix("8,") || $0.hasPrefix("9,") || $0.hasPrefix("10,") }.count == 2, "\(half)")
        // Without anything after as_of there is nothing to compare.
        let cohort = Self.cohort(Self.regular)
        let none = run("load \"\(cohort.directory)\"\nvalidate sbg")
        #expect(none.outcome == .failed && none.err.contains("validate sbg needs what became of the contracts after as_of"), "\(none.err)")
    }

    /// The fields on the regular cohort at its fit: a survivor has renewed 7 times, so its
    /// next renewal's chance is (β+7)/(α+β+7); a lost customer's is 0.
    @Test func the_fields_follow_each_customers_tenure() throws {
        let f = Self.cohort(Self.regular)
        let session = Session()
        _ = run("load \"\(f.directory)\"", session: session)
        let rows = run("customers where contract_end is null show renewal_probability, derl limit 1\ncustomers where contract_end is not null show renewal_probability, derl limit 1",
                       session: session, mode: .csv).out.split(separator: "\n").filter { line in
            line.contains(",") && line.split(separator: ",").allSatisfy { Double($0) != nil }
        }
        let (a, b) = (0.704, 1.182)
        let survivor = rows[0].split(separator: ",").map { Double($0)! }
        #expect(abs(survivor[0] - (b + 7) / (a + b + 7)) < 1e-3, "\(survivor)")
        #expect(survivor[1] > 1, "\(survivor)")
        #expect(rows[1] == "0,0" || rows[1] == "0.0,0.0", "\(rows[1])")
        #expect(run("set contract_period = month\nsettings", session: session).out.contains("month"))
    }

    /// The intervals of renewal_probability and derl, by coverage: cohorts of 1,000 drawn from
    /// a known sBG (α 0.7, β 1.2, as the paper's regular customers), each customer's θ from
    /// Beta(α, β) and a renewal missed with chance θ, followed for 7 periods; fitted on each of
    /// 200 seeds. The truth — retention(8) = (β+7)/(α+β+7) and DERL for a survivor, DERL for a
    /// customer just signed — falls inside the fit's 90% interval on 85–95% of the seeds.
    @Test func the_intervals_cover_the_truth_about_ninety_percent_of_the_time() throws {
        let truth = ShiftedBetaGeometric([0.7, 1.2]), rate = 0.1
        var inside = (chance: 0, survivor: 0, signed: 0)
        let seeds = 200
        for seed in 0..<seeds {
            var random = SeededRandom(seed: UInt64(seed))
            var periods: [Int] = [], churned: [Bool] = []
            for _ in 0..<1000 {
                let theta = random.beta(truth.alpha, truth.beta)
                var t = 1
                while t <= 7, random.uniform() >= theta { t += 1 }
                periods.append(min(t, 7))
                churned.append(t <= 7)
            }
            let (fitted, fit) = try ShiftedBetaGeometric.fit(.init(periods: periods, churned: churned), interrupted: { false })
            let uncertainty = ParameterUncertainty(values: fit.values, covariance: try #require(fit.covariance), level: 0.9)
            let survivor = fitted.intervals(renewals: 7, rate: rate, uncertainty)
            let signed = fitted.intervals(renewals: 0, rate: rate, uncertainty)
            let r = truth.retention(8)
            if survivor.renewal.low <= r, r <= survivor.renewal.high { inside.chance += 1 }
            let lifetime = truth.residualLifetime(renewals: 7, rate: rate)
            if survivor.residual.low <= lifetime, lifetime <= survivor.residual.high { inside.survivor += 1 }
            let fresh = truth.residualLifetime(renewals: 0, rate: rate)
            if signed.residual.low <= fresh, fresh <= signed.residual.high { inside.signed += 1 }
        }
        for (what, count) in [("renewal_probability", inside.chance), ("derl at 7 renewals", inside.survivor), ("derl at 0", inside.signed)] {
            let share = Double(count) / Double(seeds)
            #expect((0.85...0.95).contains(share), "\(what): \(share)")
        }
    }

    /// The interval fields as a user meets them: around each figure, wider at a higher level,
    /// the one value 0 for an ended contract, and the same ends as the model's own for a
    /// survivor of the regular cohort.
    @Test func the_interval_fields_bracket_the_figures() throws {
        let f = Self.cohort(Self.regular)
        let session = Session()
        _ = run("load \"\(f.directory)\"", session: session)
        func rows(_ query: String) -> [[Double]] {
            run(query, session: session, mode: .csv).out.split(separator: "\n").compactMap { line in
                let v = line.split(separator: ",").compactMap { Double($0) }
                return v.count == 6 ? v : nil
            }
        }
        let shown = "show renewal_probability_low, renewal_probability, renewal_probability_high, derl_low, derl, derl_high limit 1"
        let survivor = try #require(rows("customers where contract_end is null \(shown)").first)
        #expect(survivor[0] < survivor[1] && survivor[1] < survivor[2] && survivor[3] < survivor[4] && survivor[4] < survivor[5], "\(survivor)")
        #expect(try #require(rows("customers where contract_end is not null \(shown)").first) == [0, 0, 0, 0, 0, 0])
        _ = run("set interval = 99%", session: session)
        let wider = try #require(rows("customers where contract_end is null \(shown)").first)
        #expect(wider[0] < survivor[0] && wider[5] > survivor[5], "\(wider) against \(survivor)")
        // The same ends from the model, at the fit's parameters and covariance.
        let contracts = try session.models.contracts(try #require(session.current), session.settings)
        let uncertainty = ParameterUncertainty(values: contracts.fit.values, covariance: try #require(contracts.fit.covariance), level: 0.99)
        let ends = contracts.model.intervals(renewals: 7, rate: contracts.rate, uncertainty)
        #expect(abs(ends.renewal.low - wider[0]) < 1e-6 && abs(ends.residual.high - wider[5]) < 1e-6, "\(ends)")
    }

    /// DERL by hand at α = β = 1 (θ uniform, so S(t) = 1/(t+1)) for a new customer at d = 100%:
    /// Σₖ≥₁ z^(k−1)/(k+1) with z = 1/2 = 4 · (ln 2 − 1/2) = 0.772589.
    @Test func the_residual_lifetime_by_hand() {
        let model = ShiftedBetaGeometric([1, 1])
        #expect(abs(model.residualLifetime(renewals: 0, rate: 1) - 4 * (log(2) - 0.5)) < 1e-9)
        #expect(abs(model.survival(3) - 0.25) < 1e-12 && abs(model.retention(1) - 0.5) < 1e-12)
    }

    /// The analytic gradient against central differences, and the errors a user meets.
    @Test func the_gradient_and_the_errors() {
        let data = ShiftedBetaGeometric.Tenures(periods: [1, 1, 2, 3, 3, 5, 4], churned: [true, true, true, true, false, false, true])
        expectGradientMatchesCentralDifferences(
            { ShiftedBetaGeometric.logLikelihood(ShiftedBetaGeometric($0), data) }, at: [0.7, 1.2], tolerance: 1e-6,
            names: ShiftedBetaGeometric.parameterNames)
        let session = Session()
        _ = run("load \"\(repositoryRoot)/examples/acme\"", session: session)
        #expect(run("fit sbg", session: session).err.contains("contract_start"))
        #expect(run("fit sbg period week", session: session).err.contains("unknown period"))
    }
}
