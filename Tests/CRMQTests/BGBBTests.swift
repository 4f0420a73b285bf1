import Foundation
import Testing
@testable import CRMQ

/// BG/BB on the donations data of Fader, Hardie & Shang (2010) as `lifetimes` ships it
/// (examples/donations.csv: 11,104 donors, six yearly opportunities), against BTYD's
/// walkthrough and `lifetimes`' BetaGeoBetaBinomFitter (Tests/lifetimes/bgbb_reference.py
/// wrote examples/donations-reference.json).
@Suite struct BGBBTests {
    static let file = repositoryRoot + "/examples/donations.csv"
    let reference: [String: Any]

    init() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/examples/donations-reference.json"))
        reference = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// BTYD's walkthrough: α 1.203507, β 0.7497667, γ 0.6567568, δ 2.783887, ln L −33,225.58;
    /// lifetimes' fit agrees to four digits, and so does crmq's.
    @Test func the_fit_matches_btyd_and_lifetimes() throws {
        let session = Session()
        let loaded = run("load \"\(Self.file)\"", session: session)
        #expect(loaded.out.contains("periods"), "\(loaded.out)")
        let out = run("fit bgbb", session: session, mode: .csv).out
        let values = Dictionary(uniqueKeysWithValues: out.split(separator: "\n").compactMap { line -> (String, Double)? in
            let parts = line.split(separator: ",")
            return parts.count >= 2 ? Double(parts[1]).map { (String(parts[0]), $0) } : nil
        })
        let btyd = ["alpha": 1.203507, "beta": 0.7497667, "gamma": 0.6567568, "delta": 2.783887]
        let lifetimes = try #require(reference["bgbb"] as? [String: Double])
        for (name, value) in btyd {
            let ours = try #require(values[name], "\(name) in \(out)")
            #expect(abs(ours / value - 1) < 5e-4, "\(name): \(ours) against BTYD's \(value)")
            #expect(abs(ours / lifetimes[name]! - 1) < 5e-4, "\(name): \(ours) against lifetimes' \(lifetimes[name]!)")
        }
        // The fit's record: a header line, then its values.
        let lines = out.split(separator: "\n")
        let record = try #require(lines.firstIndex { $0.hasPrefix("model,log_likelihood") })
        let logLikelihood = try #require(Double(lines[record + 1].split(separator: ",")[1]))
        #expect(abs(logLikelihood - -33_225.58) < 0.01, "\(out)")
    }

    /// Every row's P(alive) and next-ten expected purchases at lifetimes' parameters equal
    /// lifetimes' within 1e-6, and the walkthrough's example: x = 4, tₓ = 5, n = 6 → 3.6279 in the next 10.
    @Test func predictions_equal_lifetimes_for_every_history() throws {
        let p = try #require(reference["bgbb"] as? [String: Double])
        let model = BGBB([p["alpha"]!, p["beta"]!, p["gamma"]!, p["delta"]!])
        for row in try #require(reference["rows"] as? [[String: Any]]) {
            // Whole numbers in JSON come back as integers: read each as a number.
            let (x, tx, n) = ((row["frequency"] as! NSNumber).doubleValue, (row["recency"] as! NSNumber).doubleValue, (row["periods"] as! NSNumber).doubleValue)
            let alive = model.pAlive(x: x, tx: tx, T: n), expected = model.expectedPurchases(in: 10, x: x, tx: tx, T: n)
            #expect(abs(alive - (row["p_alive"] as! Double)) < 1e-6, "P(alive) at \(x), \(tx), \(n): \(alive)")
            #expect(abs(expected - (row["expected_10"] as! Double)) < 1e-6, "E at \(x), \(tx), \(n): \(expected)")
        }
        // The paper's example at BTYD's parameters, to the four decimals it is quoted to.
        let btyd = BGBB([1.203507, 0.7497667, 0.6567568, 2.783887])
        #expect(abs(btyd.expectedPurchases(in: 10, x: 4, tx: 5, T: 6) - 3.6279) < 5e-5, "\(btyd.expectedPurchases(in: 10, x: 4, tx: 5, T: 6))")
    }

    /// The analytic gradient of ln L against central differences.
    @Test func the_gradient_matches_central_differences() {
        let histories = PurchaseHistories(frequency: [0, 1, 3, 6, 2], recency: [0, 1, 5, 6, 3], age: [6, 6, 6, 6, 5])
        let grouped = histories.grouped
        expectGradientMatchesCentralDifferences({ BGBB.logLikelihood(BGBB($0), grouped) }, at: [1.2, 0.75, 0.66, 2.78], tolerance: 1e-6, names: BGBB.parameterNames)
    }

    /// Opportunities are BG/BB's alone, and BG/BB has no weeks: each refuses the other's data,
    /// saying which model fits. On the summary BG/BB is the default, the horizon counts
    /// opportunities, and `models` lists BG/BB alone.
    @Test func opportunities_and_weeks_do_not_mix() {
        let session = Session()
        _ = run("load \"\(Self.file)\"", session: session)
        #expect(run("fit bgnbd", session: session).err.contains("BG/BB is the model for opportunities"))
        #expect(run("settings", session: session).out.contains("10 opportunities"))
        let models = run("models", session: session).out
        #expect(models.contains("BG/BB") && !models.contains("Pareto/NBD"), "\(models)")
        let row = run("set horizon = 10 periods\ncustomers where frequency = 4 and recency = 5 show expected_purchases limit 1", session: session, mode: .csv)
        #expect(row.out.contains("3.627"), "\(row.out)")
        let weeks = Session()
        _ = run("load \"\(repositoryRoot)/examples/cdnow-sample\"", session: weeks)
        #expect(run("fit bgbb", session: weeks).err.contains("for discrete opportunities"))
    }

    /// Opportunities are few by nature: more than 1,000 in a row, or a fit that would sum more
    /// than five million terms, is refused with the reason, never a fit that runs for hours.
    @Test func too_many_opportunities_is_an_error_not_an_endless_fit() {
        let f = Fixture(["long.csv": "frequency,recency,periods\n1,1,2000\n", "fraction.csv": "frequency,recency,periods\n1,1.5,6\n"])
        #expect(run("load \"\(f.directory)/long.csv\"").err.contains("more than 1000"))
        #expect(run("load \"\(f.directory)/fraction.csv\"").err.contains("whole number of opportunities"))
        // x = 1 … 12 purchases, the last at opportunity x … x + 899 of 1,000: 10,800 distinct
        // histories summing about 12 × 900 × 545 = 5.9 million terms.
        var x: [Double] = [], tx: [Double] = []
        for purchases in 1...12 {
            for last in purchases..<(purchases + 900) {
                x.append(Double(purchases))
                tx.append(Double(last))
            }
        }
        let data = PurchaseHistories(frequency: x, recency: tx, age: [Double](repeating: 1000, count: x.count))
        #expect(throws: ModelError.self) { try BGBB.fit(data) }
    }

    /// DERT's series (the paper's closed form is checked on every donor in Tests/models): as
    /// the discount goes to 0 it goes to the undiscounted P(alive) · (α+x)/(α+β+n) · (δ+n)/(γ−1),
    /// which exists only for γ > 1; a larger discount is worth less.
    @Test func dert_tends_to_its_undiscounted_limit_and_has_none_for_gamma_at_most_one() {
        let m = BGBB([1.2, 0.75, 3.0, 2.78])
        let (x, tx, n) = (4.0, 5.0, 6.0)
        let limit = m.pAlive(x: x, tx: tx, T: n) * (1.2 + 4) / (1.2 + 0.75 + 6) * (2.78 + 6) / (3.0 - 1)
        #expect(m.dert(x: x, tx: tx, n: n, discount: 0) == limit)
        #expect(abs(m.dert(x: x, tx: tx, n: n, discount: 1e-4) / limit - 1) < 1e-2)
        #expect(m.dert(x: x, tx: tx, n: n, discount: 0.1) < m.dert(x: x, tx: tx, n: n, discount: 0.01))
        #expect(BGBB([1.2, 0.75, 0.66, 2.78]).dert(x: x, tx: tx, n: n, discount: 0) == .infinity)
        #expect(BGBB([1.2, 0.75, 0.66, 2.78]).dert(x: x, tx: tx, n: n, discount: 0.1).isFinite)
    }
}
