import Foundation
import Testing
@testable import CRMQ

/// `forecast`: the distribution of purchase counts, against `lifetimes` and against each
/// model's own expected purchases (the distribution's mean, by a separate formula).
@Suite struct ForecastTests {
    /// lifetimes' BetaGeoFitter.probability_of_n_purchases_up_to_time(39, n) at the CDNOW
    /// parameters (r 0.242593, α 4.413592, a 0.792919, b 2.425881), n = 0 … 4, run once.
    @Test func a_new_bgnbd_customer_matches_lifetimes() {
        let model = BGNBD(r: 0.242593, alpha: 4.413592, a: 0.792919, b: 2.425881)
        let lifetimes = [0.5743088831901408, 0.19919219427489215, 0.08532251647553779, 0.04579727261329312, 0.02763121917681137]
        for (ours, theirs) in zip(model.newCustomer(weeks: 39, count: 5), lifetimes) {
            #expect(abs(ours - theirs) < 1e-9, "\(ours) against \(theirs)")
        }
    }

    /// Each model's distribution adds to 1 and its mean is the model's expected purchases,
    /// for new customers and for histories light and heavy, recent and lapsed.
    @Test func every_distribution_sums_to_one_and_its_mean_is_the_expectation() {
        let models: [any PurchaseForecast] = [
            BGNBD(r: 0.243, alpha: 4.41, a: 0.793, b: 2.43), MBGNBD([0.525, 6.18, 0.891, 1.61]),
            ParetoNBD(r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67),
        ]
        let histories: [(x: Double, tx: Double, T: Double)] = [(0, 0, 0), (0, 0, 30), (2, 30, 38), (7, 10, 39), (20, 38, 39)]
        for model in models {
            for h in histories {
                for weeks in [13.0, 52] {
                    let p = model.conditional(weeks: weeks, x: h.x, tx: h.tx, T: h.T, count: 400)
                    let mean = zip(p.indices, p).reduce(0.0) { $0 + Double($1.0) * $1.1 }
                    let expected = model.expectedPurchases(in: weeks, x: h.x, tx: h.tx, T: h.T)
                    #expect(abs(p.reduce(0, +) - 1) < 1e-9, "\(type(of: model).title) at \(h): sums to \(p.reduce(0, +))")
                    #expect(abs(mean - expected) < 1e-7 * max(1, expected), "\(type(of: model).title) at \(h), \(weeks) weeks: \(mean) against \(expected)")
                    #expect(p.allSatisfy { $0 >= -1e-15 })
                }
            }
        }
    }

    /// In a session: the table ends in a row for the rest, the record's expectation is the
    /// customer's own, and what cannot be forecast says why.
    @Test func forecast_in_the_shell() {
        let session = Session()
        _ = run("load \"\(repositoryRoot)/examples/cdnow-sample\" as of 1997-09-30", session: session)
        let out = run("forecast for 1760 weeks 39", session: session)
        #expect(out.outcome == .completed, "\(out.err)")
        #expect(out.out.contains("or more") && out.out.contains("P(alive)"), "\(out.out)")
        // This snapshot's BG/NBD is the published fit, so a new customer's P(0) is lifetimes' 0.5743.
        let csv = run("forecast new customer weeks 39", session: session, mode: .csv).out
        let zero = csv.split(separator: "\n").first { $0.hasPrefix("0,") }.flatMap { Double($0.split(separator: ",")[1]) }
        #expect(zero.map { abs($0 - 0.5743) < 5e-4 } == true, "\(csv)")
        #expect(run("set model = simple\nforecast for 1760", session: session).err.contains("purchase model"))
        let donations = Session()
        _ = run("load \"\(repositoryRoot)/examples/donations.csv\"", session: donations)
        // A summary of opportunities counts them: the horizon's 10 unless told, never weeks.
        #expect(run("forecast for 3000", session: donations).out.contains("in the next 10 opportunities"))
        #expect(run("forecast new customer weeks 5", session: donations).err.contains("counts opportunities, not weeks"))
        #expect(run("forecast for 1760 opportunities 5", session: session).err.contains("counts time in weeks"))
    }

    /// BG/BB over opportunities, the same two properties at the donations fit (BTYD's walkthrough),
    /// for histories of x purchases in n = 6, the last at tₓ, over 1, 5 and 10 opportunities.
    @Test func bgbb_distributions_sum_to_one_and_their_mean_is_the_expectation() {
        let model = BGBB([1.2035, 0.7497, 0.6567, 2.7834])
        for (x, tx) in [(0.0, 0.0), (1, 1), (3, 6), (4, 5), (6, 6)] {
            for n in [1.0, 5, 10] {
                let p = model.conditional(weeks: n, x: x, tx: tx, T: 6, count: 12)
                let mean = zip(p.indices, p).reduce(0.0) { $0 + Double($1.0) * $1.1 }
                let expected = model.expectedPurchases(in: n, x: x, tx: tx, T: 6)
                #expect(abs(p.reduce(0, +) - 1) < 1e-12, "x = \(x), tₓ = \(tx), \(n): sums to \(p.reduce(0, +))")
                #expect(abs(mean - expected) < 1e-10 * max(1, expected), "x = \(x), tₓ = \(tx), \(n): \(mean) against \(expected)")
                #expect(p.dropFirst(Int(n) + 1).allSatisfy { $0 == 0 })  // no more purchases than opportunities
            }
        }
        // FHS 2010's example: x = 4, tₓ = 5, n = 6 expects 3.6279 purchases in the next 10 (the figure).
        #expect(abs(model.expectedPurchases(in: 10, x: 4, tx: 5, T: 6) - 3.6279) < 5e-4)
    }
}
