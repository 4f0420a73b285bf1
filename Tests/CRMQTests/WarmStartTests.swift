#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import CRMQ

/// A fit on many distinct rows: a start on a thinned sample of the customers, then Newton's
/// steps with the Hessian in closed form.
@Suite struct WarmStartTests {
    /// Rows standing for k or more customers are kept whole; the rest are sampled every k-th
    /// customer, the first at k/2. By hand, k = 10, weights 100, 3, 4, 5, 1, 60, 2, 10: the
    /// light rows' running count is 3, 7, 12, 13, 15; it passes 5 in the row of 4 and 15 in the
    /// row of 2, which are kept standing for 10 each.
    @Test func thinning_keeps_heavy_rows_whole_and_every_kth_customer_of_the_rest() {
        let data = PurchaseHistories(
            frequency: [0, 1, 2, 3, 4, 5, 6, 7], recency: [0, 1, 2, 3, 4, 5, 6, 7], age: [8, 8, 8, 8, 8, 8, 8, 8],
            weight: [100, 3, 4, 5, 1, 60, 2, 10])
        let sample = data.thinned(every: 10)
        #expect(sample.x == [0, 2, 5, 6, 7])
        #expect(sample.weight == [100, 10, 60, 10, 10])
        #expect(data.sampledCustomers(every: 10) == 15)
        // After 4 customers counted in an earlier table, the thresholds fall at 3 and 13 of this one's:
        // the running count 7, 11, 16, 17, 19 passes 5 (+4) in the row of 3 and 15 in the row of 5.
        #expect(data.thinned(every: 10, after: 4).x == [0, 1, 3, 5, 7])
    }

    /// Whatever the rows, the sample stands for the light rows' customers to within k/2.
    @Test func a_thinned_sample_stands_for_its_customers_to_within_half_a_step() {
        var state: UInt64 = 7
        func next(_ n: UInt64) -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double((state >> 33) % n)
        }
        for k in [2, 7, 50] {
            let rows = 2000
            let weight = (0..<rows).map { _ in 1 + next(next(2) == 0 ? 3 : 120) }
            let data = PurchaseHistories(
                frequency: (0..<rows).map(Double.init), recency: [Double](repeating: 1, count: rows), age: [Double](repeating: 9, count: rows), weight: weight)
            let sample = data.thinned(every: k)
            let heavy = weight.filter { $0 >= Double(k) }.reduce(0, +)
            #expect(abs(sample.weight.reduce(0, +) - heavy - data.sampledCustomers(every: k)) <= Double(k) / 2, "every \(k)")
        }
    }

    /// Newton's steps on a convex function, e^x − a x in each coordinate (minimum at ln a, its
    /// Hessian diag(e^x)): converged in a few steps to the minimum, with the inverse Hessian there.
    @Test func newton_converges_where_the_hessian_is_positive_definite() throws {
        let a = [2.0, 0.5, 30]
        let f: Optimizer.SecondOrderObjective = { x in
            (
                x.indices.map { exp(x[$0]) - a[$0] * x[$0] }.reduce(0, +), x.indices.map { exp(x[$0]) - a[$0] },
                x.indices.map { i in x.indices.map { i == $0 ? exp(x[i]) : 0 } }
            )
        }
        let result = try #require(Optimizer().newton(f, from: [0.5, -0.5, 3]))
        #expect(result.converged && result.iterations <= 6)
        for i in a.indices {
            #expect(abs(result.point[i] - log(a[i])) < 1e-7)
            #expect(abs(result.inverseHessian[i][i] - 1 / a[i]) < 1e-6 / a[i])
        }
    }

    /// Where the Hessian is not positive definite (x⁴ − x² + y² at x = 0.1: 12x² − 2 < 0) no
    /// Newton step is taken: not converged, and BFGS goes on from the start.
    @Test func newton_hands_over_where_the_hessian_is_not_positive_definite() throws {
        let f: Optimizer.SecondOrderObjective = { p in
            let (x, y) = (p[0], p[1])
            return (x * x * x * x - x * x + y * y, [4 * x * x * x - 2 * x, 2 * y], [[12 * x * x - 2, 0], [0, 2]])
        }
        let result = try #require(Optimizer().newton(f, from: [0.1, 1]))
        #expect(!result.converged && result.iterations == 0 && result.point == [0.1, 1])
    }

    /// Pareto/NBD on CDNOW from a start near the optimum by Newton's steps: the optimum,
    /// likelihood and standard errors (from the last step's Hessian) of the fit by BFGS.
    @Test func a_fit_by_newton_s_steps_is_the_fit_by_bfgs() throws {
        let snapshot = try SnapshotLoader(directory: repositoryRoot + "/examples/cdnow-sample", name: "cdnow", asOf: CalendarDay.parse("1997-09-30")).load()
        let customers = snapshot.customers
        let data = PurchaseHistories(
            frequency: customers.numbers(CustomerFields.frequency), recency: customers.numbers(CustomerFields.recency),
            age: customers.numbers(CustomerFields.age))
        let grouped = data.grouped
        let (_, bfgs) = try ParetoNBD.fit(data)
        let newton = try MaximumLikelihood(
            model: "Pareto/NBD", names: ParetoNBD.parameterNames, logLikelihood: { ParetoNBD.logLikelihood(ParetoNBD($0), grouped) },
            customers: data.modelled, starts: [bfgs.values.map { $0 * 1.1 }], nearOptimum: true,
            hessian: { ParetoNBD.logLikelihoodHessian(ParetoNBD($0), grouped) }
        ).fit()
        #expect(newton.converged && newton.iterations <= 6, "\(newton.iterations) steps")
        #expect(abs(newton.logLikelihood - bfgs.logLikelihood) < 1e-9 * abs(bfgs.logLikelihood))
        for k in bfgs.values.indices {
            #expect(abs(newton.values[k] / bfgs.values[k] - 1) < 1e-5, "\(bfgs.names[k]): \(newton.values[k]) against \(bfgs.values[k])")
            #expect(abs(newton.standardErrors[k] / bfgs.standardErrors[k] - 1) < 1e-4, "SE(\(bfgs.names[k]))")
        }
    }
}
