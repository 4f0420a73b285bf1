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
}
