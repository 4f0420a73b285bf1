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
