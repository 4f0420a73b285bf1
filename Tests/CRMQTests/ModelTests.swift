import Foundation
import Testing
@testable import CRMQ

/// The models against the published CDNOW figures (Fader, Hardie & Lee 2005) and `lifetimes`,
/// as `examples/cdnow-sample/reference.json` holds them.
@Suite struct ModelTests {
    static let directory = repositoryRoot + "/examples/cdnow-sample"
    let snapshot: Snapshot
    let reference: [String: Any]

    init() throws {
        snapshot = try SnapshotLoader(directory: Self.directory, name: "cdnow", asOf: CalendarDay.parse("1997-09-30")).load()
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.directory + "/reference.json"))
        reference = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func column(_ name: String) -> [Double] {
        guard case .number(let v) = snapshot.customers.column(name) else { return [] }
        return v
    }

    var histories: PurchaseHistories {
        PurchaseHistories(frequency: column("frequency"), recency: column("recency"), age: column("age"))
    }

    /// Equal to `digits` significant digits.
    func same(_ a: Double, _ b: Double, digits: Int) -> Bool {
        abs(a - b) <= 0.5 * pow(10, Double(-digits + 1)) * abs(b) * 1.0000001
    }

    /// Customers sharing a history share a row, found by its key in whole days (a load's
    /// days / 7) or, for any other history, by its exact values; a customer without purchases
    /// (NaN) has none. Histories by hand: rows in order of first sight, weights summed.
    @Test func customers_sharing_a_history_share_a_row() {
        let day = 1.0 / 7  // a day in weeks, as a load derives it
        let data = PurchaseHistories(
            frequency: [2, 0, 2, .nan, 1, 1, 2, 1, 1e9],
            recency: [3 * day, 0, 3 * day, .nan, 0.1, 0.1, 3 * day, 0.1 + 1e-12, 5],
            age: [10 * day, 2, 10 * day, .nan, 3, 3, 11 * day, 3, 6],
            weight: [1, 1, 2, 9, 0.5, 0.25, 1, 1, 4])
        // rows: (2, 3d, 10d) ← customers 0 and 2 (1 + 2); (0, 0, 2 weeks); (1, 0.1, 3) ← 4 and 5, not in
        // whole days but equal (0.5 + 0.25); (2, 3d, 11d); (1, 0.1 + 1e-12, 3), close is not equal; (1e9, 5, 6), too big to pack.
        #expect(data.rowOfCustomer == [0, 1, 0, -1, 2, 2, 3, 4, 5])
        #expect(data.x == [2, 0, 1, 2, 1, 1e9] && data.weight == [3, 1, 0.75, 1, 1, 4])
        #expect(data.tx == [3 * day, 0, 0.1, 3 * day, 0.1 + 1e-12, 5] && data.T == [10 * day, 2, 3, 11 * day, 3, 6])
    }

    /// A million terms of 1e-16 after a 1: summed plainly each is lost against the 1 (ε/2 =
    /// 1.1e-16 rounds them away), carried with their rounding they add 1e-10. Gamma-Gamma's
    /// likelihood sums every customer so, which a fit on 3M customers needed to converge.
    @Test func a_compensated_sum_keeps_what_plain_addition_rounds_away() {
        var sum = CompensatedSum(), plain = 1.0
        sum.add(1)
        for _ in 0..<1_000_000 {
            sum.add(1e-16)
            plain += 1e-16
        }
        #expect(plain == 1)
        #expect(abs(sum.value - (1 + 1e-10)) < 1e-15, "\(sum.value)")
    }

    @Test func bgnbd_reproduces_the_published_fit() throws {
        let (_, fit) = try BGNBD.fit(histories)
        let expected = try #require(reference["bgnbd"] as? [String: Double])
        for (name, value) in zip(fit.names, fit.values) {
            #expect(same(value, expected[name]!, digits: 4), "\(name): \(value) against \(expected[name]!)")
        }
        #expect(abs(fit.logLikelihood - (reference["bgnbd_ll"] as! Double)) < 0.01, "\(fit.logLikelihood)")
        #expect(fit.converged)
        #expect(fit.customers == 2357)
    }

    @Test func gamma_gamma_reproduces_the_published_fit() throws {
        let (_, fit) = try GammaGamma.fit(GammaGamma.Data(frequency: column("frequency"), monetary: column("monetary")))
        let expected = try #require(reference["gammagamma"] as? [String: Double])
        for (name, value) in zip(fit.names, fit.values) {
            let key = name == "gamma" ? "v" : name
            #expect(same(value, expected[key]!, digits: 4), "\(name): \(value) against \(expected[key]!)")
        }
        #expect(abs(fit.logLikelihood - (reference["gammagamma_ll"] as! Double)) < 0.01, "\(fit.logLikelihood)")
        #expect(fit.customers == 946)
    }

    @Test func per_customer_predictions_match_lifetimes() throws {
        let (bg, _) = try BGNBD.fit(histories)
        let (gg, _) = try GammaGamma.fit(GammaGamma.Data(frequency: column("frequency"), monetary: column("monetary")))
        for customer in try #require(reference["customers_sample"] as? [[String: Any]]) {
            let x = customer["frequency"] as! Double, tx = customer["recency_weeks"] as! Double, T = customer["T_weeks"] as! Double
            let id = customer["customer_id"] as! String
            let alive = bg.pAlive(x: x, tx: tx, T: T)
            let expected = bg.expectedPurchases(in: 39, x: x, tx: tx, T: T)
            #expect(abs(alive / (customer["p_alive_bgnbd"] as! Double) - 1) < 1e-4, "P(alive) of \(id): \(alive)")
            #expect(abs(expected / (customer["expected_purchases_39w_bgnbd"] as! Double) - 1) < 1e-4, "E[X] of \(id): \(expected)")
            if let spend = customer["expected_spend_gg"] as? Double {
                let ours = gg.expectedSpend(x: x, monetary: customer["monetary"] as! Double)
                #expect(abs(ours / spend - 1) < 1e-4, "spend of \(id): \(ours)")
            }
        }
    }

    /// MBG/NBD (Batislam et al. 2007) against `lifetimes`' ModifiedBetaGeoFitter on the same
    /// calibration summary (Tests/lifetimes/mbgnbd_reference.py wrote the values): parameters
    /// to four digits, the log-likelihood, and each sample customer's P(alive) and 39-week
    /// expected purchases, one-time buyers included (whom BG/NBD takes to be surely alive).
    @Test func mbgnbd_matches_lifetimes_modified_beta_geo_fitter() throws {
        let (model, fit) = try MBGNBD.fit(histories)
        let expected = try #require(reference["mbgnbd"] as? [String: Double])
        for (name, value) in zip(fit.names, fit.values) {
            #expect(same(value, expected[name]!, digits: 4), "\(name): \(value) against \(expected[name]!)")
        }
        #expect(abs(fit.logLikelihood - (reference["mbgnbd_ll"] as! Double)) < 0.01, "\(fit.logLikelihood)")
        for customer in try #require(reference["customers_sample"] as? [[String: Any]]) {
            let x = customer["frequency"] as! Double, tx = customer["recency_weeks"] as! Double, T = customer["T_weeks"] as! Double
            let id = customer["customer_id"] as! String
            let alive = model.pAlive(x: x, tx: tx, T: T)
            let purchases = model.expectedPurchases(at: [39], x: x, tx: tx, T: T)[0]
            #expect(abs(alive / (customer["p_alive_mbgnbd"] as! Double) - 1) < 1e-4, "P(alive) of \(id): \(alive)")
            #expect(abs(purchases / (customer["expected_purchases_39w_mbgnbd"] as! Double) - 1) < 1e-4, "E[X] of \(id): \(purchases)")
        }
        // Analytic gradient against central differences, at the optimum and away from it.
        let grouped = histories.grouped
        for p in [fit.values, [0.3, 4.0, 1.5, 3.0]] {
            expectGradientMatchesCentralDifferences({ MBGNBD.logLikelihood(MBGNBD($0), grouped) }, at: p, tolerance: 1e-4, names: MBGNBD.parameterNames)
        }
    }

    /// `models` sets the catalogue side by side. AIC and BIC by hand from BG/NBD's published
    /// log-likelihood on CDNOW (−9,582.43, k = 4, n = 2,357): AIC = 8 + 19,164.86 = 19,172.86;
    /// BIC = 4 × ln 2,357 (7.7651) + 19,164.86 = 19,195.92. Each model's holdout total is what
    /// `validate` of that model predicts; every customer bought 1,882 repeat days in it.
    @Test func models_sets_every_model_side_by_side_with_its_holdout_error() throws {
        let session = Session()
        _ = run("load \"\(Self.directory)\" as of 1997-09-30", session: session)
        let out = run("models", session: session, mode: .csv)
        #expect(out.outcome == .completed, "\(out.err)")
        let rows = out.out.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = rows[0]
        func value(_ model: String, _ column: String) -> Double? {
            rows.first { $0.first == model }.flatMap { Double($0[header.firstIndex(of: column)!]) }
        }
        #expect(abs(value("BG/NBD", "aic")! - 19_172.86) < 0.01)
        #expect(abs(value("BG/NBD", "bic")! - 19_195.92) < 0.01)
        #expect(value("BG/NBD", "s") == nil && abs(value("Pareto/NBD", "s")! - 0.6062) < 1e-4)
        for (model, word) in [("BG/NBD", "bgnbd"), ("Pareto/NBD", "paretonbd"), ("MBG/NBD", "mbgnbd")] {
            let validated = run("validate \(word)", session: session, mode: .csv).out
            let predicted = validated.split(separator: "\n")[1].split(separator: ",")[4]
            #expect(abs(value(model, "holdout_predicted")! - Double(predicted)!) < 1e-6, "\(model)")
            #expect(value(model, "holdout_actual") == 1882)
            #expect(value(model, "holdout_mae")! > 0.7 && value(model, "holdout_mae")! < 0.8, "\(model)")
        }
        // Without a holdout the fits are still compared, and the note says how to get one.
        let loaded = Session()
        _ = run("load \"\(Self.directory)\"", session: loaded)
        let fitsOnly = run("models", session: loaded)
        #expect(fitsOnly.out.contains("lowest BIC") && !fitsOnly.out.contains("holdout_mae") && fitsOnly.out.contains("no holdout"), "\(fitsOnly.out)")
        #expect(run("models", session: Session()).err.contains("no snapshot is loaded"))
    }

    /// `explain fit` writes the likelihood of the model in use and its maximum, as `fit` reports it.
    @Test func explain_fit_follows_the_model_in_use() throws {
        let session = Session()
        _ = run("load \"\(Self.directory)\" as of 1997-09-30", session: session)
        for (word, title, logLikelihood) in [("paretonbd", "Pareto/NBD", "-9,594.98"), ("mbgnbd", "MBG/NBD", "-9,582.14")] {
            let text = run("set model = \(word)\nexplain fit", session: session).out
            #expect(text.contains("\(title), per customer") && text.contains("ln L = \(logLikelihood)"), "\(text)")
        }
        let donations = Session()
        _ = run("load \"\(repositoryRoot)/examples/donations.csv\"", session: donations)
        let text = run("explain fit", session: donations).out
        #expect(text.contains("BG/BB, per customer with x purchases in n opportunities") && text.contains("ln L = -33,225.58"), "\(text)")
        #expect(!text.contains("Gamma-Gamma"), "no spend, no Gamma-Gamma: \(text)")
    }

    /// A model is one file and a line in `ModelCatalog`: the language, `fit`, `validate`,
    /// `set model` and the fields take MBG/NBD from there.
    @Test func a_catalogued_model_is_named_fitted_validated_and_valued() throws {
        let session = Session()
        _ = run("load \"\(Self.directory)\" as of 1997-09-30", session: session)
        #expect(run("fit mbgnbd", session: session).out.contains("MBG/NBD"))
        #expect(run("validate mbgnbd", session: session).out.contains("MBG/NBD against the holdout"))
        let valued = run("set model = mbgnbd\nclv for 1760\ncustomers where id = '1760' show p_alive", session: session, mode: .csv)
        #expect(valued.outcome == .completed, "\(valued.err)")
        #expect(valued.out.contains("transaction model: MBG/NBD"))
        #expect(Completer(session: session).complete("fit mb", cursor: 6).candidates == ["mbgnbd"])
        #expect(run("help fit", session: session).out.contains("mbgnbd"))
    }

    /// `lifetimes`' customer_lifetime_value(time=12, discount_rate=0.01, freq="W"): 12 months
    /// of 4.345 weeks, 1% a month, margin ratio 1 (CDNOW has no margins).
    @Test func twelve_month_clv_matches_lifetimes_per_customer_and_in_total() throws {
        let session = Session()
        _ = try session.load(directory: Self.directory, name: "cdnow", asOf: CalendarDay.parse("1997-09-30"))
        let store = ModelStore()
        let (bgnbd, gammaGamma) = (try store.bgnbd(session.current!).0, try store.gammaGamma(session.current!).0)
        let value = LifetimeValue(horizonMonths: 12, monthlyRate: 0.01)
        var settings = Settings()
        settings.horizonMonths = 12
        settings.discountRate = pow(1.01, 12) - 1  // 1% a month, as an annual rate
        #expect(abs(settings.lifetimeValue(for: nil).monthlyRate - 0.01) < 1e-15)
        let fitted = try store.fitted(session.current!, settings)
        let expected = try #require(reference["clv_12m_monthly1pct_sample"] as? [String: Double])
        for (id, clv) in expected {
            let row = try #require(session.current!.row(ofId: id))
            #expect(abs(fitted.clv[row] / clv - 1) < 1e-4, "clv of \(id): \(fitted.clv[row]) against \(clv)")
        }
        let total = fitted.clv.reduce(0, +)
        let reference = self.reference["clv_12m_monthly1pct_total"] as! Double
        #expect(abs(total / reference - 1) < 0.001, "total \(total) against \(reference)")
        // The same number straight from the model, for one customer by hand: x = 29, tₓ = 264/7, T = 38.
        let direct = value.discounted(bgnbd.monthlyPurchases(value, x: 29, tx: 264.0 / 7, T: 38))
            * gammaGamma.expectedSpend(x: 29, monetary: 761.58 / 29)
        #expect(abs(direct / expected["1760"]! - 1) < 1e-4)
    }

    @Test func customers_without_a_purchase_or_with_no_positive_spend_get_zero_with_a_reason() throws {
        // 300 customers who buy as BG/NBD says, and three more: one who never bought, one whose
        // repeat purchase cost nothing (a free sample: amount 0), and one who returned part of
        // a purchase (a negative amount is a return, not a purchase).
        let f = Fixture([:])
        try SyntheticSnapshot(customers: 300, seed: 3).write(to: f.directory)
        let customers = try String(contentsOfFile: f.directory + "/customers.csv", encoding: .utf8)
        let transactions = try String(contentsOfFile: f.directory + "/transactions.csv", encoding: .utf8)
        f.write("customers.csv", customers + "NEVER,Never,retail,North\nFREE,Free,retail,North\nREFUND,Refund,retail,North\n")
        f.write("transactions.csv", transactions
            + "FREE,2023-01-05,20.00,5.00,1\nFREE,2023-02-05,0.00,0.00,1\n"
            + "REFUND,2023-01-05,20.00,5.00,1\nREFUND,2023-02-05,-5.00,-1.00,1\n")
        let snapshot = try f.load()
        let fitted = try ModelStore().fitted(snapshot, Settings())
        let never = snapshot.row(ofId: "NEVER")!, free = snapshot.row(ofId: "FREE")!, refund = snapshot.row(ofId: "REFUND")!
        #expect(fitted.clv[never] == 0)
        #expect(fitted.unvalued[never]?.contains("no purchase") == true)
        #expect(fitted.clv[free] == 0)
        #expect(fitted.unvalued[free]?.contains("not positive") == true)
        // REFUND bought once (frequency 0): valued as a one-time buyer, at the margin it kept:
        // (5 − 1) / (20 − 5) of its revenue.
        #expect(fitted.unvalued[refund] == nil && fitted.clv[refund] > 0)
        #expect(abs(fitted.marginRatio[refund] - 4.0 / 15) < 1e-12)
        let finite = fitted.clv.allSatisfy { $0.isFinite }
        let probabilities = fitted.pAlive.indices.allSatisfy { $0 == never || (fitted.pAlive[$0] >= 0 && fitted.pAlive[$0] <= 1) }
        #expect(finite)
        #expect(probabilities)
    }

    @Test func data_that_cannot_pin_the_model_down_is_a_clear_error() {
        // Everyone buys on the same day of every month: no spread in purchase rates.
        var transactions = "customer_id,date,amount\n"
        for c in 0..<40 { for k in 0..<(c % 5 + 1) { transactions += "C\(c),2024-0\(k + 1)-1\(c % 9),\(10 + c % 7)\n" } }
        let f = Fixture(["customers.csv": "id\n" + (0..<40).map { "C\($0)" }.joined(separator: "\n") + "\n", "transactions.csv": transactions])
        let result = run("load \"\(f.directory)\"\ncount where clv > 0")
        #expect(result.outcome == .failed)
        #expect(result.err.contains("the BG/NBD fit does not settle"))
    }

    /// Data made by the seeded generator from known parameters: the fit finds them again,
    /// each within three standard errors. Slow buyers (a mean gap of about 40 weeks), so that
    /// the generator's rounding of gaps to whole days does not bias the rates.
    @Test func the_fit_recovers_the_parameters_that_generated_the_data() throws {
        let f = Fixture([:])
        var synthetic = SyntheticSnapshot(customers: 20_000, seed: 17)
        synthetic.parameters.r = 0.5
        synthetic.parameters.alpha = 20
        synthetic.parameters.a = 0.6
        synthetic.parameters.b = 3
        synthetic.parameters.p = 4
        synthetic.parameters.q = 5
        synthetic.parameters.gamma = 20
        try synthetic.write(to: f.directory)
        let store = ModelStore(), snapshot = try f.load()
        let bgnbd = try store.bgnbd(snapshot, standardErrors: true).1, gammaGamma = try store.gammaGamma(snapshot, standardErrors: true).1
        let truth = synthetic.parameters
        for (fit, expected) in [(bgnbd, [truth.r, truth.alpha, truth.a, truth.b]), (gammaGamma, [truth.p, truth.q, truth.gamma])] {
            for (k, name) in fit.names.enumerated() {
                let off = abs(fit.values[k] - expected[k]) / fit.standardErrors[k]
                #expect(off < 3, "\(name): \(fit.values[k]) ± \(fit.standardErrors[k]) against \(expected[k])")
            }
        }
    }

    /// The full cohort of 23,570 customers against its own reference values.
    @Test func the_full_cohort_matches_its_reference_too() throws {
        let directory = repositoryRoot + "/examples/cdnow"
        let snapshot = try SnapshotLoader(directory: directory, name: "cdnow", asOf: CalendarDay.parse("1997-09-30")).load()
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/reference.json"))
        let reference = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let store = ModelStore()
        for (fit, key, llKey) in [(try store.bgnbd(snapshot).1, "bgnbd", "bgnbd_ll"), (try store.gammaGamma(snapshot).1, "gammagamma", "gammagamma_ll")] {
            let expected = try #require(reference[key] as? [String: Double])
            for (name, value) in zip(fit.names, fit.values) {
                let want = expected[name == "gamma" ? "v" : name]!
                #expect(same(value, want, digits: 4), "\(key) \(name): \(value) against \(want)")
            }
            #expect(abs(fit.logLikelihood - (reference[llKey] as! Double)) < 0.01, "\(key): \(fit.logLikelihood)")
        }
        var settings = Settings()
        settings.horizonMonths = 12
        settings.discountRate = pow(1.01, 12) - 1
        let total = try ModelStore().fitted(snapshot, settings).clv.reduce(0, +)
        let want = reference["clv_12m_monthly1pct_total"] as! Double
        #expect(abs(total / want - 1) < 0.001, "total clv \(total) against \(want)")
    }

    // MARK: where other implementations fail

    @Test func bgnbd_stays_finite_for_very_frequent_buyers_and_far_from_the_optimum() {
        let farAway = [BGNBD(r: 50, alpha: 0.01, a: 40, b: 0.02), BGNBD(r: 0.01, alpha: 500, a: 0.01, b: 300), BGNBD(r: 0.243, alpha: 4.41, a: 0.79, b: 2.43)]
        for model in farAway {
            for (x, tx, T) in [(0.0, 0.0, 30.0), (1, 1, 30), (300, 38, 39), (5000, 99, 100)] {
                let alive = model.pAlive(x: x, tx: tx, T: T)
                let expected = model.expectedPurchases(at: [4.345, 52, 156], x: x, tx: tx, T: T)
                #expect(alive.isFinite && alive >= 0 && alive <= 1, "P(alive) \(alive) for \(model) at x = \(x)")
                #expect(expected.allSatisfy { $0.isFinite && $0 >= 0 }, "E[X] \(expected) for \(model) at x = \(x)")
            }
        }
        // The log-likelihood with exp terms that would overflow: x = 5000 at α = 0.01.
        let data = PurchaseHistories(frequency: [5000, 0, 3], recency: [99, 0, 10], age: [100, 20, 40]).grouped
        for model in farAway {
            let (value, gradient) = BGNBD.logLikelihood(model, data)
            #expect(value.isFinite && gradient.allSatisfy { $0.isFinite }, "\(model): \(value) \(gradient)")
        }
    }

    /// The cases other tools are known to fail on stay finite in every model, intervals
    /// included: x = 221 with tₓ = 103.43 and T = 103.57 weeks (a NaN in CLVTools #100),
    /// 5,000 purchases, one-time buyers, and a + b < 1 (where BG/NBD's series starts at c ≈ 0).
    @Test func the_known_failure_cases_stay_finite_in_every_model_and_interval() {
        let models: [any PurchaseModel] = [
            BGNBD(r: 0.243, alpha: 4.41, a: 0.793, b: 2.43), BGNBD(r: 0.3, alpha: 5, a: 0.3, b: 0.5),
            MBGNBD([0.525, 6.18, 0.891, 1.61]), MBGNBD([0.3, 5, 0.3, 0.5]),
            ParetoNBD(r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67),
        ]
        let histories = PurchaseHistories(frequency: [221, 5000, 0, 1, 3], recency: [103.43, 99, 0, 5, 20], age: [103.57, 100, 30, 38, 39])
        let value = LifetimeValue(horizonMonths: 36, annualRate: 0.1)
        let identity = [[0.01, 0, 0, 0], [0, 0.01, 0, 0], [0, 0, 0.01, 0], [0, 0, 0, 0.01]]
        for model in models {
            let uncertainty = ParameterUncertainty(values: model.parameters, covariance: identity.indices.map { i in
                identity[i].indices.map { j in identity[i][j] * model.parameters[i] * model.parameters[j] } }, level: 0.9)
            for (row, spread) in zip(model.lifetimeValues(histories, value), model.lifetimeValueSpreads(histories, value, uncertainty)) {
                #expect(row.alive.isFinite && row.alive >= 0 && row.alive <= 1, "\(model): \(row)")
                #expect(row.nextYear.isFinite && row.discounted.isFinite, "\(model): \(row)")
                #expect(spread.aliveLogit.isFinite && spread.nextYearLog.isFinite && spread.discountedLog.isFinite, "\(model): \(spread)")
            }
        }
    }

    /// Customers who all bought once say nothing about dropping out: the fit says so and
    /// offers the penalty, and with it fits, holding the dropout parameters near 1.
    @Test func one_time_buyers_only_is_an_error_that_offers_the_penalty_which_then_fits() throws {
        let ages = (0..<200).map { 20 + Double($0 % 30) }
        let once = PurchaseHistories(frequency: [Double](repeating: 0, count: 200), recency: [Double](repeating: 0, count: 200), age: ages)
        #expect(throws: ModelError.self) { try BGNBD.fit(once) }
        do {
            _ = try BGNBD.fit(once)
        } catch {
            #expect(error.message.contains("set penalty = 0.01"), "\(error.message)")
        }
        let (model, fit) = try BGNBD.fit(once, penalty: 0.01)
        #expect(fit.values.allSatisfy { $0.isFinite && $0 > 0 } && fit.logLikelihood.isFinite)
        // Nothing in the data speaks for a or b, so the penalty alone sets them: ln a = ln b = 0.
        #expect(abs(log(model.a)) < 0.01 && abs(log(model.b)) < 0.01, "\(model)")
        #expect(fit.notes.contains { "\($0)".contains("penalty") })
        // In a session: `set penalty` refits, and settings shows it.
        let session = Session()
        _ = run("load \"\(Self.directory)\" as of 1997-09-30", session: session)
        let plain = run("fit bgnbd", session: session, mode: .csv).out
        let penalised = run("set penalty = 0.01\nfit bgnbd\nsettings", session: session, mode: .csv).out
        #expect(plain != penalised && penalised.contains("penalty"), "\(penalised)")
        #expect(run("set penalty = 500", session: Session()).err.contains("from 0 to 100"))
    }

    @Test func expected_purchases_are_smooth_through_a_plus_b_equal_one_at_x_zero() {
        // x = 0 makes the series' c = a + b − 1 cross zero: the values on either side agree.
        let below = BGNBD(r: 0.3, alpha: 5, a: 0.4, b: 0.6 - 1e-9).expectedPurchases(in: 52, x: 0, tx: 0, T: 10)
        let above = BGNBD(r: 0.3, alpha: 5, a: 0.4, b: 0.6 + 1e-9).expectedPurchases(in: 52, x: 0, tx: 0, T: 10)
        let lower = BGNBD(r: 0.3, alpha: 5, a: 0.4, b: 0.3).expectedPurchases(in: 52, x: 0, tx: 0, T: 10)
        #expect(below.isFinite && above.isFinite && lower.isFinite && lower > 0)
        #expect(abs(below - above) < 1e-6 * max(1, abs(below)), "\(below) against \(above)")
    }

    @Test func the_optimiser_started_far_away_still_reaches_the_cdnow_optimum() throws {
        let grouped = histories.grouped
        let fit = try MaximumLikelihood(
            model: "BG/NBD", names: BGNBD.parameterNames,
            logLikelihood: { BGNBD.logLikelihood(BGNBD($0), grouped) }, customers: histories.modelled,
            starts: [[20, 0.05, 30, 0.05]], standardErrors: false
        ).fit()
        let expected = try #require(reference["bgnbd"] as? [String: Double])
        for (name, value) in zip(fit.names, fit.values) {
            #expect(same(value, expected[name]!, digits: 4), "\(name): \(value) against \(expected[name]!)")
        }
    }

    @Test func ctrl_c_stops_a_fit_and_nothing_changes() throws {
        let session = Session()
        _ = try session.load(directory: Self.directory, name: "cdnow", asOf: CalendarDay.parse("1997-09-30"))
        session.interrupted = { true }  // as if Ctrl-C came at once; only this session hears it
        let stopped = run("fit", session: session)
        #expect(stopped.err.contains("interrupted: the fit was stopped"))
        session.interrupted = { false }
        #expect(run("fit bgnbd", session: session).out.contains("0.2426"))  // the next fit runs in full
    }

    /// The papers' holdout check: fitted on 39 weeks, compared with the next 39.
    @Test func validate_compares_the_prediction_with_the_holdout() {
        let session = Session()
        _ = run("load \"\(Self.directory)\" as of 1997-09-30", session: session)
        let result = run("validate", session: session, mode: .csv)
        #expect(result.outcome == .completed, "\(result.err)")
        // calibration_end,holdout_end,weeks,customers,predicted,actual,ratio — 1,882 repeat days were seen.
        let summary = result.out.split(separator: "\n")[1].split(separator: ",")
        #expect(summary[3] == "2357")
        #expect(abs(Double(summary[4])! - 1653.41) < 0.01)
        #expect(summary[5] == "1882")
        // Pareto/NBD predicts more of the holdout on this data than BG/NBD does (its own figure).
        let pareto = run("validate paretonbd", session: session, mode: .csv).out.split(separator: "\n")[1].split(separator: ",")
        #expect(pareto[5] == "1882")
        #expect(Double(pareto[4])! > 1653.41)
        // A holdout past the data would only count empty weeks (9999-12-31 took minutes).
        let far = run("validate holdout 9999-12-31", session: session)
        #expect(far.outcome == .failed && far.err.contains("the holdout can end at the latest on 1998-06-30"), "\(far.err)")
        let noHoldout = run("load \"\(Self.directory)\"\nvalidate")
        #expect(noHoldout.err.contains("validate needs transactions after as_of"))
    }

    /// explain's steps end in the same numbers the fields hold.
    @Test func explain_clv_ends_in_the_customers_figures() {
        let session = Session()
        _ = run("load \"\(Self.directory)\" as of 1997-09-30", session: session)
        // Each catalogued model of weeks walks through its own P(alive) and clv, ending at its fields' values (BG/BB, of opportunities, in BGBBTests).
        for type in ModelCatalog.purchaseModels where type.time == .weeks {
            _ = run("set model = \(type.word)", session: session)
            let figures = run("customers where id = '1760' show p_alive, clv", session: session, mode: .csv).out
            let values = figures.split(separator: "\n")[1].split(separator: ",").map { Double($0)! }
            let text = run("explain clv for 1760", session: session).out
            #expect(text.contains("The transaction model is \(type.title)"), "\(text)")
            #expect(text.contains("= \(ValueText.display(values[0], unit: .estimate))\n"), "\(type.title) P(alive) \(values[0]) in:\n\(text)")
            #expect(text.contains("= \(ValueText.display(values[1], unit: .money))\n"), "\(type.title) clv \(values[1]) in:\n\(text)")
            #expect(text.contains("x = 29 repeat purchase days"))
        }
        _ = run("set model = simple", session: session)
        #expect(run("explain p_alive for 1760", session: session).err.contains("walks through a purchase model; the model in use is simple"))
        let unknown = run("explain nothing", session: session).err
        #expect(unknown.contains("unknown topic `nothing`") && unknown.contains("the choices are clv, p_alive, fit"), "\(unknown)")
    }

    /// Gupta & Lehmann: m · r / (1 + i − r), with r the share of last-but-one year's buyers
    /// who bought again in the last 52 weeks.
    @Test func the_simple_retention_model_by_hand() throws {
        // As of 2024-12-31: A, B, C, D bought in 2023 (52 to 104 weeks before); A and B again in 2024.
        let f = Fixture([
            "snapshot.json": #"{"as_of": "2024-12-31", "discount_rate": 0.10}"#,
            "customers.csv": "id\nA\nB\nC\nD\n",
            "transactions.csv": """
                customer_id,date,amount,margin
                A,2023-03-01,500,50
                B,2023-04-01,300,30
                C,2023-05-01,200,20
                D,2023-06-01,100,10
                A,2024-06-01,1000,100
                B,2024-07-01,400,40
                """,
        ])
        let session = Session()
        _ = run("load \"\(f.directory)\"", session: session)
        let out = run("clv for A model simple", session: session, mode: .csv).out
        // r = 2 / 4 = 0.5; A's margin in the last 52 weeks is 100; i = 10%:
        // clv = 100 × 0.5 / (1 + 0.10 − 0.5) = 50 / 0.6 = 83.333…
        #expect(out.split(separator: "\n")[1].hasPrefix("\(100 * 0.5 / (1 + 0.10 - 0.5)),100,0.5,0.1"), "\(out)")
        let misspelt = run("clv for A model pareto", session: session).err
        #expect(misspelt.contains("unknown model `pareto`") && misspelt.contains("did you mean `paretonbd`?"), "\(misspelt)")
    }

    /// Each model fits on its own: when BG/NBD cannot be fitted, `fit paretonbd` says
    /// Pareto/NBD's own reason, not BG/NBD's. Forty customers buying every 14 days without
    /// fail cannot pin down any of the models (every customer alive, one rate).
    @Test func each_model_fits_on_its_own() throws {
        var transactions = "customer_id,date,amount\n"
        for c in 0..<40 {
            for k in 0..<(20 + c % 5) { transactions += "C\(c),\(CalendarDay.format(CalendarDay.parse("2024-01-01")! + Int32(c + 14 * k))),\(20 + (c * 7 + k * 3) % 60)\n" }
        }
        let f = Fixture(["customers.csv": "id\n" + (0..<40).map { "C\($0)" }.joined(separator: "\n") + "\n", "transactions.csv": transactions])
        let session = Session()
        _ = run("load \"\(f.directory)\"", session: session)
        #expect(run("fit bgnbd", session: session).err.contains("BG/NBD cannot be fitted"))
        let pareto = run("fit paretonbd", session: session).err
        #expect(pareto.contains("Pareto/NBD cannot be fitted") && !pareto.contains("BG/NBD"), "\(pareto)")
    }

    // MARK: Pareto/NBD

    @Test func pareto_nbd_reaches_at_least_the_published_likelihood() throws {
        let (_, fit) = try ParetoNBD.fit(histories)
        let expected = try #require(reference["paretonbd"] as? [String: Double])
        // At least as likely as lifetimes' parameters (its optimiser stops early), and the
        // paper's −9,594.97 (the same value, cut after two decimals).
        let atReference = ParetoNBD.logLikelihood(
            ParetoNBD(r: expected["r"]!, alpha: expected["alpha"]!, s: expected["s"]!, beta: expected["beta"]!), histories.grouped).value
        #expect(fit.logLikelihood >= atReference, "\(fit.logLikelihood) against \(atReference)")
        #expect(fit.logLikelihood > -9594.98, "\(fit.logLikelihood)")
        for (name, value) in zip(fit.names, fit.values) {
            #expect(abs(value / expected[name]! - 1) < 0.01, "\(name): \(value) against \(expected[name]!)")
        }
    }

    /// The heavy buyers with β < α that the quadrature once got wrong, against mpmath's quad
    /// at 40 digits (−1522.8222942782352, −15838.814101345306, −8512.511516779685).
    @Test func pareto_nbd_integral_for_heavy_buyers_with_beta_below_alpha() throws {
        let cases: [(ParetoNBD, x: Double, tx: Double, T: Double, logJ: Double)] = [
            (ParetoNBD([0.10476053338451392, 0.8933325268031372, 0.7025194560057386, 0.12397062757938555]), 3226, 0.7062945928040427,
             14.364334520796826, -1522.8222942782352),
            (ParetoNBD([0.1192500523506448, 2.8235614777174733, 9.92922734961563, 0.07795033822985956]), 4669, 26.649376212068358,
             149.44343097140776, -15838.814101345306),
            (ParetoNBD([0.14004383433208667, 16.071271652231374, 0.23188402963040147, 9.129174435896159]), 2690, 7.529724871539875,
             135.11035619496667, -8512.511516779685),
        ]
        for (m, x, tx, T, reference) in cases {
            let integral = try #require(m.integral(x: x, tx: tx, T: T, logs: m.rowLogs(tx: tx, T: T), second: false))
            #expect(abs(integral.logJ - reference) < 1e-12 * abs(reference), "x = \(x): \(integral.logJ) against \(reference)")
        }
    }

    /// Pareto/NBD's Hessian in closed form (which its standard errors come from) against
    /// central differences of its analytic gradient, on CDNOW and on the cases that strain
    /// the quadrature (5,000 purchases, β far below α, a buyer long gone), at several
    /// parameters; and the standard errors a fit reports, against those central differences give.
    @Test func pareto_nbd_hessian_matches_central_differences_of_the_gradient() throws {
        let strained = PurchaseHistories(
            frequency: [221, 5000, 0, 1, 3, 40, 12], recency: [103.43, 99, 0, 5, 20, 10, 77.5], age: [103.57, 100, 30, 38, 39, 104, 78]).grouped
        let cases: [(ParetoNBD, PurchaseHistories.Grouped)] = [
            (ParetoNBD(r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67), histories.grouped),
            (ParetoNBD(r: 2.1, alpha: 3.2, s: 0.3, beta: 40), histories.grouped),
            (ParetoNBD(r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67), strained),
            (ParetoNBD(r: 1.18, alpha: 101.4, s: 7.36, beta: 0.1516), strained),
        ]
        for (model, data) in cases {
            let pass = try #require(ParetoNBD.logLikelihoodHessian(model, data))
            let (hessian, gradient) = (pass.hessian, pass.gradient)
            // The value and gradient from the Hessian's pass are the likelihood's own.
            let (value, direct) = ParetoNBD.logLikelihood(model, data)
            #expect(abs(pass.value - value) <= 1e-12 * abs(value), "ℓ: \(pass.value) against \(value)")
            for i in direct.indices { #expect(abs(gradient[i] - direct[i]) <= 1e-9 * max(1, abs(direct[i])), "∂/∂\(ParetoNBD.parameterNames[i])") }
            let p = model.parameters
            for j in p.indices {
                let h = 1e-5 * p[j]
                var up = p, down = p
                up[j] += h
                down[j] -= h
                let gu = ParetoNBD.logLikelihood(ParetoNBD(up), data).gradient, gd = ParetoNBD.logLikelihood(ParetoNBD(down), data).gradient
                for i in p.indices {
                    let numeric = (gu[i] - gd[i]) / (2 * h)
                    // Relative to the row's largest entry: central differences carry about 1e-7 of it.
                    let size = hessian[i].map(abs).max()!
                    #expect(abs(hessian[i][j] - numeric) < 1e-5 * size,
                            "∂²/∂\(ParetoNBD.parameterNames[i])∂\(ParetoNBD.parameterNames[j]) at \(p): \(hessian[i][j]) against \(numeric)")
                }
            }
        }
        let (fitted, fit) = try ParetoNBD.fit(histories)
        let numeric = try #require(MaximumLikelihood.covariance({ ParetoNBD.logLikelihood(ParetoNBD($0), histories.grouped) }, at: fitted.parameters))
        for k in fit.values.indices {
            let se = numeric[k][k].squareRoot()
            #expect(abs(fit.standardErrors[k] / se - 1) < 1e-5, "SE(\(fit.names[k])): \(fit.standardErrors[k]) against \(se)")
        }
    }

    /// The quadrature a fit uses (16 points on pieces falling by e^16 at most, 8 on a short
    /// piece falling little) against the same integral cut into pieces falling by e^1, over
    /// 4,000 random customers and parameters (r, s from 0.1 to 10, α, β from 0.03 to 300, x to
    /// 150 and one in fifty in the thousands): ln J within 1e-13 of its size, its four
    /// derivatives within 1e-11. (Measured: 2e-14 and 2e-13; the pieces falling by e^32 and a
    /// short piece by e^8 would err by 3e-11 and 4e-9.) Before the heavy buyer's fast factor
    /// cut the integral short, one such customer with β < α was 6.5% off (ln J −1522.829
    /// against −1522.822, which mpmath's quad at 40 digits confirms).
    @Test func pareto_nbd_integral_holds_to_the_finer_quadrature() {
        var random = SeededRandom(seed: 2026)
        func logUniform(_ low: Double, _ high: Double) -> Double { exp(log(low) + (log(high) - log(low)) * random.uniform()) }
        var worst = (logJ: 0.0, derivative: 0.0)
        for k in 0..<4000 {
            let m = ParetoNBD(r: logUniform(0.1, 10), alpha: logUniform(0.03, 300), s: logUniform(0.1, 10), beta: logUniform(0.03, 300))
            let x = k % 50 == 0 ? Double(1000 + random.below(4000)) : Double(random.below(151))
            let T = 1 + 150 * random.uniform(), tx = T * random.uniform()
            let logs = m.rowLogs(tx: tx, T: T)
            guard let fast = m.integral(x: x, tx: tx, T: T, logs: logs, second: false),
                  let fine = m.integral(x: x, tx: tx, T: T, logs: logs, second: false, quadrature: .fine) else { continue }
            worst.logJ = max(worst.logJ, abs(fast.logJ - fine.logJ) / max(1, abs(fine.logJ)))
            for (a, b) in [(fast.dLnAlpha, fine.dLnAlpha), (fast.dAlpha, fine.dAlpha), (fast.dLnBeta, fine.dLnBeta), (fast.dBeta, fine.dBeta)] {
                worst.derivative = max(worst.derivative, abs(a - b) / max(abs(b), 1e-300))
            }
        }
        #expect(worst.logJ < 1e-13 && worst.derivative < 1e-11, "\(worst)")
    }

    /// ψ'(x) against central differences of ψ, and its known values ψ'(1) = π²/6, ψ'(1/2) = π²/2.
    @Test func trigamma_matches_its_known_values() {
        #expect(abs(Special.trigamma(1) - Double.pi * Double.pi / 6) < 1e-12)
        #expect(abs(Special.trigamma(0.5) - Double.pi * Double.pi / 2) < 1e-12)
        for x in [0.05, 0.7, 3.3, 6, 12.5, 250] {
            let h = 1e-5 * x
            let numeric = (Special.digamma(x + h) - Special.digamma(x - h)) / (2 * h)
            #expect(abs(Special.trigamma(x) / numeric - 1) < 1e-7, "ψ'(\(x)): \(Special.trigamma(x)) against \(numeric)")
        }
    }

    /// lifetimes' P(alive) and expected purchases, at lifetimes' own parameters.
    @Test func pareto_nbd_predictions_match_lifetimes_at_its_parameters() throws {
        let p = try #require(reference["paretonbd"] as? [String: Double])
        let model = ParetoNBD(r: p["r"]!, alpha: p["alpha"]!, s: p["s"]!, beta: p["beta"]!)
        for customer in try #require(reference["customers_sample"] as? [[String: Any]]) {
            let x = customer["frequency"] as! Double, tx = customer["recency_weeks"] as! Double, T = customer["T_weeks"] as! Double
            let id = customer["customer_id"] as! String
            let alive = model.pAlive(x: x, tx: tx, T: T)
            let expected = model.expectedPurchases(in: 39, x: x, tx: tx, T: T)
            #expect(abs(alive / (customer["p_alive_paretonbd"] as! Double) - 1) < 1e-4, "P(alive) of \(id): \(alive)")
            #expect(abs(expected / (customer["expected_purchases_39w_paretonbd"] as! Double) - 1) < 1e-4, "E[X] of \(id): \(expected)")
        }
    }

    /// Where lifetimes, CLVTools and BTYD lose Pareto/NBD P(alive): customers with hundreds or
    /// thousands of purchases. Checked against the integral taken the slow, plain way:
    /// Simpson's rule in τ on 200,000 intervals, in logs.
    @Test func pareto_nbd_p_alive_for_very_frequent_buyers() {
        let m = ParetoNBD(r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67)
        func bruteForce(x: Double, tx: Double, T: Double) -> Double {
            let n = 200_000
            let h = (T - tx) / Double(n)
            let logs = (0...n).map { k -> Double in
                let tau = tx + Double(k) * h
                let weight = k == 0 || k == n ? 1.0 : (k % 2 == 1 ? 4.0 : 2.0)
                return log(weight * h / 3) - (m.r + x) * log(m.alpha + tau) - (m.s + 1) * log(m.beta + tau)
            }
            let top = logs.max()!
            let logJ = top + log(logs.reduce(0) { $0 + exp($1 - top) })
            let alive = -(m.r + x) * log(m.alpha + T) - m.s * log(m.beta + T)
            return Special.logistic(alive - (log(m.s) + logJ))
        }
        for x in [300.0, 1000, 5000] {
            for (tx, T) in [(99.99, 100.0), (99.5, 100.0), (90, 100)] {
                let ours = m.pAlive(x: x, tx: tx, T: T), slow = bruteForce(x: x, tx: tx, T: T)
                #expect(ours.isFinite && ours >= 0 && ours <= 1)
                #expect(abs(ours - slow) <= 1e-6 * max(slow, 1e-300) || abs(ours - slow) < 1e-12, "x = \(x), tₓ = \(tx): \(ours) against \(slow)")
            }
            #expect(m.expectedPurchases(in: 52, x: x, tx: 99.99, T: 100).isFinite)
        }
    }

    /// Where one change of variable on α's scale was not enough: a heavy buyer long gone (the
    /// integrand falls steeply but not steeply enough to vanish) and a β far below α (its
    /// factor falls over a scale of β, a thousandth of α's). References: lifetimes'
    /// ParetoNBDFitter.conditional_probability_alive, and scipy's adaptive quad to 1e-13 of
    /// the same integral — the two agree to 1e-13 on each.
    @Test func pareto_nbd_p_alive_where_the_integrand_falls_over_two_scales() {
        let cases: [(ParetoNBD, x: Double, tx: Double, T: Double, reference: Double)] = [
            (ParetoNBD(r: 1.4489, alpha: 48.63, s: 0.5612, beta: 46.88), 11, 32.285714285714285, 104, 0.005835929585427233),
            (ParetoNBD(r: 1.18, alpha: 101.4, s: 7.36, beta: 0.1516), 0, 0, 48.82, 2.1412262814956512e-19),
            (ParetoNBD(r: 0.55, alpha: 10.5, s: 0.6, beta: 12.0), 2, 30.43, 38.86, 0.871207421947848),
        ]
        for (m, x, tx, T, reference) in cases {
            let ours = m.pAlive(x: x, tx: tx, T: T)
            #expect(abs(ours / reference - 1) < 1e-10, "x = \(x), tₓ = \(tx), T = \(T) at \(m.parameters): \(ours) against \(reference)")
        }
    }

    /// The analytic gradient against central differences of the likelihood.
    @Test func pareto_nbd_gradient_matches_finite_differences() {
        let data = histories.grouped
        expectGradientMatchesCentralDifferences(
            { ParetoNBD.logLikelihood(ParetoNBD($0), data) }, at: [0.6, 9.0, 0.7, 12.0], step: 1e-5, tolerance: 1e-4, names: ParetoNBD.parameterNames)
    }
}
