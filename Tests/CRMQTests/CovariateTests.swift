import Foundation
import Testing
@testable import CRMQ

/// Pareto/NBD with time-invariant covariates against CLVTools (Bachmann, Meierer & Näf,
/// Journal of Statistical Software, §6.4.1): the apparel data, weeks, an estimation period of
/// 104 weeks from the first purchase (2005-01-02 → 2006-12-31), Gender and Channel on both
/// processes. Published: r 1.8378, α 92.9123, s 0.5920, β 49.6227, life.Gender −0.6430,
/// life.Channel 0.7907, trans.Gender 0.2859, trans.Channel 0.6241, log-likelihood −5821.0627.
@Suite struct CovariateTests {
    static let published = [1.8378, 92.9123, 0.5920, 49.6227, -0.6430, 0.7907, 0.2859, 0.6241]

    func apparel() throws -> (Session, CovariateDesign) {
        let session = Session()
        let loaded = run("load \"\(repositoryRoot)/examples/apparel\" as of 2006-12-31", session: session)
        #expect(loaded.err.isEmpty, "\(loaded.err)")
        let scope = try session.scope(SourceRange(0, 0))
        let rows = try scope.rows(CustomerFilter())
        let design = try ModelStatements(scope: scope).covariateDesign([Name("gender", SourceRange(0, 0)), Name("channel", SourceRange(0, 0))], rows: rows)
        return (session, design)
    }

    func logLikelihood(_ p: [Double], _ design: CovariateDesign) -> (value: Double, gradient: [Double]) {
        CovariateModel<ParetoNBD>.logLikelihood(p, design, design.histories.map(\.grouped), ParetoNBD.covariateScalings)
    }

    @Test func the_likelihood_is_clvtools_at_its_published_estimates() throws {
        let (_, design) = try apparel()
        #expect(design.patterns.count == 4 && design.pooled.modelled == 600)
        // The published estimates put into our likelihood give the published log-likelihood:
        // the two likelihoods (and the two data summaries) are the same to the fourth decimal.
        let atPublished = logLikelihood(Self.published, design).value
        #expect(abs(atPublished - -5821.0627) < 0.001, "\(atPublished)")
    }

    @Test func the_fit_reaches_the_published_optimum_on_its_ridge() throws {
        let (_, design) = try apparel()
        let (model, fit) = try CovariateModel<ParetoNBD>.fit(design, scalings: ParetoNBD.covariateScalings, penalty: 0, standardErrors: true, interrupted: { false })
        // At least as likely as the published point (the optimiser of another program stops a
        // little way off along a flat ridge), and no further than 0.01 above it.
        #expect(fit.logLikelihood >= -5821.0627 - 1e-4 && fit.logLikelihood < -5821.0627 + 0.01, "\(fit.logLikelihood)")
        // The coefficients to the published precision's last digit but one; the base parameters,
        // which move along the ridge, within 0.3%.
        for k in 4..<8 { #expect(abs(fit.values[k] - Self.published[k]) < 0.002, "\(fit.names[k]) \(fit.values[k])") }
        for k in 0..<4 { #expect(abs(fit.values[k] / Self.published[k] - 1) < 0.003, "\(fit.names[k]) \(fit.values[k])") }
        #expect(fit.names == ["r", "alpha", "s", "beta", "life.gender", "life.channel", "trans.gender", "trans.channel"])
        #expect(fit.standardErrors.allSatisfy { $0.isFinite && $0 > 0 })
        // A woman (gender 1) bought online (channel 0): α_i = α e^(−0.2861), β_i = β e^(+0.6419).
        let woman = model.model(for: [1, 0])
        #expect(abs(woman.alpha - model.base.alpha * exp(-fit.values[6])) < 1e-9 && abs(woman.beta - model.base.beta * exp(-fit.values[4])) < 1e-9)
    }

    @Test func with_every_coefficient_at_zero_it_is_the_model_without_covariates() throws {
        let (_, design) = try apparel()
        let plain = ParetoNBD(r: 1.449, alpha: 48.63, s: 0.5613, beta: 46.88)
        let withZeros = logLikelihood(plain.parameters + [0, 0, 0, 0], design).value
        let without = ParetoNBD.logLikelihood(plain, design.pooled.grouped).value
        #expect(abs(withZeros - without) < 1e-8 * abs(without), "\(withZeros) against \(without)")
    }

    @Test func the_gradient_matches_central_differences() throws {
        let (_, design) = try apparel()
        let names = ["life.gender", "life.channel", "trans.gender", "trans.channel"]
        // BG/NBD's own gradient is exact, so the chain rule through the covariates is held tight.
        expectGradientMatchesCentralDifferences(
            { CovariateModel<BGNBD>.logLikelihood($0, design, design.histories.map(\.grouped), BGNBD.covariateScalings) },
            at: [0.6, 20, 1.2, 8, -0.4, 0.5, 0.3, 0.6], step: 1e-5, tolerance: 1e-6, names: BGNBD.parameterNames + names)
        // Pareto/NBD's carries its quadrature's error, as the model without covariates does (ModelTests).
        expectGradientMatchesCentralDifferences(
            { self.logLikelihood($0, design) }, at: [1.8, 90, 0.6, 50, -0.6, 0.8, 0.3, 0.6], step: 1e-5, tolerance: 2e-4,
            names: ParetoNBD.parameterNames + names)
    }

    /// The Hessian the standard errors come from, lifted through the covariates from
    /// Pareto/NBD's own (H = Σ Jᵀ H_model J + Σ ∂ℓ/∂p ∂²p), against central differences of
    /// the analytic gradient: relative to each row's largest entry, as the model's own test.
    @Test func the_hessian_matches_central_differences_of_the_gradient() throws {
        let (_, design) = try apparel()
        let grouped = design.histories.map(\.grouped)
        for p in [[1.8, 90, 0.6, 50, -0.6, 0.8, 0.3, 0.6], Self.published] {
            let pass = try #require(CovariateModel<ParetoNBD>.logLikelihoodHessian(p, design, grouped, ParetoNBD.covariateScalings))
            let (hessian, gradient) = (pass.hessian, pass.gradient)
            let (value, direct) = logLikelihood(p, design)
            #expect(abs(pass.value - value) <= 1e-12 * abs(value), "ℓ: \(pass.value) against \(value)")
            for i in p.indices { #expect(abs(gradient[i] - direct[i]) <= 1e-9 * max(1, abs(direct[i])), "gradient \(i)") }
            for j in p.indices {
                let h = 1e-5 * max(1, abs(p[j]))
                var up = p, down = p
                up[j] += h
                down[j] -= h
                let gu = logLikelihood(up, design).gradient, gd = logLikelihood(down, design).gradient
                for i in p.indices {
                    let numeric = (gu[i] - gd[i]) / (2 * h)
                    let size = hessian[i].map(abs).max()!
                    #expect(abs(hessian[i][j] - numeric) < 1e-5 * size, "∂²/∂p\(i)∂p\(j) at \(p): \(hessian[i][j]) against \(numeric)")
                }
            }
        }
        // BG/NBD has no Hessian in closed form: its fit takes central differences instead.
        #expect(CovariateModel<BGNBD>.logLikelihoodHessian([0.6, 20, 1.2, 8, 0, 0, 0, 0], design, grouped, BGNBD.covariateScalings) == nil)
    }

    /// A fit on many distinct rows starts on a thinned sample: thinning the patterns one after
    /// another keeps the same rows as thinning the pooled histories, each pattern its share of
    /// the customers.
    @Test func a_thinned_design_keeps_the_pooled_rows_a_thinned_pool_keeps() throws {
        let (_, design) = try apparel()
        for k in [2, 3, 7] {
            let thinned = design.thinned(every: k).pooled, expected = design.pooled.thinned(every: k)
            #expect(thinned.x == expected.x && thinned.tx == expected.tx && thinned.T == expected.T && thinned.weight == expected.weight, "every \(k)")
        }
    }

    @Test func covariates_are_numbers_true_false_or_two_valued_texts() {
        let session = Session()
        _ = run("load \"\(repositoryRoot)/examples/acme\"", session: session)
        #expect(run("fit gammagamma with satisfaction", session: session).err.contains("gammagamma takes no covariates"))
        #expect(run("fit paretonbd with acquired_on", session: session).err.contains("acquired_on is a date"))
        #expect(run("fit paretonbd with region", session: session).err.contains("region has 5 values among these customers"))
        #expect(run("fit paretonbd with satisfactoin", session: session).err.contains("did you mean `satisfaction`?"))
        // A two-valued text is named by the value that counts 1.
        let two = run("fit paretonbd with segment where segment in ('retail', 'public')", session: session, mode: .csv)
        #expect(two.out.contains("life.segment=retail,") || two.err.contains("cannot fit"), "\(two)")
        // Customers without a value: named, and how to leave them out.
        let f = Fixture([
            "customers.csv": "id,score\nA,1\nB,\nC,0\n",
            "transactions.csv": "customer_id,date,amount\nA,2024-01-01,10\nA,2024-02-01,10\nB,2024-01-01,10\nC,2024-01-05,10\n",
        ])
        let missing = run("load \"\(f.directory)\"; fit paretonbd with score")
        #expect(missing.err.contains("score has no value for 1 customer (the first: B)") && missing.err.contains("where score is not null"), "\(missing.err)")
    }

    @Test func set_covariates_gives_every_customer_their_own_parameters_and_none_takes_them_back() throws {
        let (session, _) = try apparel()
        _ = run("set model = paretonbd", session: session)
        let plain = run("customers where id = '100' show p_alive, clv", session: session, mode: .csv).out
        #expect(run("set covariates = gender, channel", session: session).err.isEmpty)
        let own = run("customers where id = '100' show p_alive, clv", session: session, mode: .csv).out
        #expect(own != plain, "\(own)")
        // What does not take covariates yet says so rather than answering from another model.
        #expect(run("validate bgnbd", session: session).err.contains("not yet with covariates"))
        // A new customer's forecast needs their covariates, and is the model at them.
        #expect(run("forecast new customer", session: session).err.contains("covariates are not known: forecast new customer with gender = …, channel = …"))
        #expect(run("forecast new customer with gender = 1, region = 2", session: session).err.contains("channel is not given"))
        let forecast = run("forecast new customer with gender = 1, channel = 0 weeks 52", session: session, mode: .csv).out
        let zero = forecast.split(separator: "\n").first { $0.hasPrefix("0,") }.flatMap { Double($0.split(separator: ",")[1]) }
        let (model, _) = try CovariateModel<ParetoNBD>.fit(try apparel().1, scalings: ParetoNBD.covariateScalings, penalty: 0, standardErrors: false, interrupted: { false })
        let theirs = model.model(for: [1, 0]).newCustomer(weeks: 52, count: 40)[0]
        #expect(zero.map { abs($0 - theirs) < 1e-6 } == true, "\(forecast) against \(theirs)")
        #expect(run("explain p_alive for 100", session: session).out.contains("Fitted with the covariates gender, channel; at this customer's own"))
        #expect(run("validate", session: session).out.contains("Pareto/NBD with gender, channel against the holdout"))
        let explained = run("explain fit", session: session).out
        #expect(explained.contains("at each customer's own parameters") && explained.contains("Maximum: ln L = -5,821.06"), "\(explained)")
        // models: the covariate model one more row, its k = 8 in AIC and BIC.
        let models = run("models", session: session, mode: .csv).out
        let row = try #require(models.split(separator: "\n").first { $0.hasPrefix("\"Pareto/NBD with covariates: gender, channel\",") })
        #expect(row.contains(",-5821.06"), "\(row)")
        #expect(run("set covariates = region", session: session).err.isEmpty)  // checked when a field is asked for
        #expect(run("customers limit 1 show p_alive", session: session).err.contains("set covariates: unknown field `region`"))
        _ = run("set covariates = none", session: session)
        #expect(run("customers where id = '100' show p_alive, clv", session: session, mode: .csv).out == plain)
        _ = run("set model = mbgnbd; set covariates = gender", session: session)
        #expect(run("customers limit 1 show p_alive", session: session).err.contains("mbgnbd takes none"))
    }

    /// `fit … with` on every customer is the fit `set covariates` needs, and is kept for it: after
    /// it, a session whose every further fit would be stopped still answers from the covariates.
    @Test func set_covariates_after_fit_with_the_same_covariates_fits_nothing_again() throws {
        let (session, _) = try apparel()
        let fitted = run("fit paretonbd with gender, channel", session: session, mode: .csv).out
        #expect(fitted.contains("life.gender"), "\(fitted)")
        _ = run("fit gammagamma", session: session)  // the fields' spend, fitted before every fit is stopped
        session.models.interrupted = { true }
        _ = run("set model = paretonbd; set covariates = gender, channel", session: session)
        let kept = run("customers where id = '100' show p_alive", session: session, mode: .csv)
        #expect(kept.err.isEmpty && kept.out.contains("p_alive"), "\(kept.err) \(kept.out)")
        // A fit on some customers only is not the one the fields need, and is not kept.
        _ = run("set covariates = none", session: session)
        #expect(run("fit bgnbd with gender where channel = 1", session: session).err.contains("interrupted"))
        _ = run("set model = bgnbd; set covariates = gender", session: session)
        #expect(run("customers where id = '100' show p_alive", session: session).err.contains("interrupted"))
    }

    /// p_alive's interval under covariates: the delta method in (ln θ, γ), each customer's
    /// gradient lifted from their own model's. Checked against the same interval built from
    /// central differences of logit P(alive) taken through the covariate model itself
    /// (perturbing ln r, ln α, …, then each γ, and rebuilding the customer's parameters).
    @Test func the_intervals_under_covariates_are_the_delta_method_through_the_coefficients() throws {
        let (session, design) = try apparel()
        _ = run("set model = paretonbd; set covariates = gender, channel", session: session)
        let (model, fit) = try CovariateModel<ParetoNBD>.fit(design, scalings: ParetoNBD.covariateScalings, penalty: 0, standardErrors: true, interrupted: { false })
        let covariance = try #require(fit.covariance)
        let m = 4
        let scale = fit.values.indices.map { $0 < m ? fit.values[$0] : 1.0 }  // ln θ for the base, γ as it is
        let z90 = Special.normalQuantile(0.95)
        let csv = run("customers order by id show id, gender, channel, frequency, recency, age, p_alive_low, p_alive_high", session: session, mode: .csv).out
        let rows = csv.split(separator: "\n").dropFirst().prefix(40).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        var checked = 0
        for row in rows where !row[3].isEmpty {
            let zc = [Double(row[1])!, Double(row[2])!]
            let (x, tx, T) = (Double(row[3])!, Double(row[4])!, Double(row[5])!)
            func logit(_ values: [Double]) -> Double {
                let p = CovariateModel<ParetoNBD>(values: values, scalings: ParetoNBD.covariateScalings).model(for: zc).pAlive(x: x, tx: tx, T: T)
                return log(p / (1 - p))
            }
            let g = fit.values.indices.map { k -> Double in
                let h = 1e-5
                var up = fit.values, down = fit.values
                if k < m { up[k] *= exp(h); down[k] *= exp(-h) } else { up[k] += h; down[k] -= h }
                return (logit(up) - logit(down)) / (2 * h)
            }
            var variance = 0.0
            for i in g.indices { for j in g.indices { variance += g[i] * g[j] * covariance[i][j] / (scale[i] * scale[j]) } }
            let p = model.model(for: zc).pAlive(x: x, tx: tx, T: T)
            let centre = log(p / (1 - p)), spread = z90 * variance.squareRoot()
            let (low, high) = (1 / (1 + exp(-(centre - spread))), 1 / (1 + exp(-(centre + spread))))
            #expect(abs(Double(row[6])! - low) < 1e-6 && abs(Double(row[7])! - high) < 1e-6, "\(row[0]): \(row[6])–\(row[7]) against \(low)–\(high)")
            checked += 1
        }
        #expect(checked > 30)
    }
}
