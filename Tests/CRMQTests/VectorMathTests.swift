#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import CRMQ

/// e^x and ln x four at a time against the C library's, over the ranges the Pareto/NBD
/// integral takes them in and beyond, and at the edges the C library answers for.
@Suite struct VectorMathTests {
    /// A fixed stream of uniform numbers in [0, 1) (a linear congruential generator).
    struct Uniform {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(UInt64(1) << 53)
        }
    }

    @Test func exp_agrees_with_the_c_library_to_two_units_in_the_last_place() {
        var uniform = Uniform(state: 1)
        var worst = 0.0
        for _ in 0..<50_000 {
            let x = SIMD4(uniform.next(), uniform.next(), uniform.next(), uniform.next()) * 1416 - 708  // [−708, 708)
            let fast = VectorMath.exp(x)
            for k in 0..<4 { worst = max(worst, abs(fast[k] - Glibc.exp(x[k])) / Glibc.exp(x[k])) }
        }
        #expect(worst < 5e-16, "worst relative error \(worst)")
    }

    @Test func log_agrees_with_the_c_library_to_two_units_in_the_last_place() {
        var uniform = Uniform(state: 2)
        var worst = 0.0
        for _ in 0..<50_000 {
            // Magnitudes from 1e-300 to 1e300, and near 1 where ln x is small.
            let x = VectorMath.exp(SIMD4(uniform.next(), uniform.next(), uniform.next(), uniform.next()) * 1380 - 690)
            let near = 1 + (SIMD4(uniform.next(), uniform.next(), uniform.next(), uniform.next()) - 0.5) * 1e-3
            for v in [x, near] {
                let fast = VectorMath.log(v)
                // Relative to ln x, or to 1 ulp of x where ln x is near 0 (d ln x = dx / x).
                for k in 0..<4 { worst = max(worst, abs(fast[k] - Glibc.log(v[k])) / max(abs(Glibc.log(v[k])), 1e-16)) }
            }
        }
        #expect(worst < 5e-16, "worst error \(worst)")
    }

    /// Outside the fast ranges the C library answers: NaN, infinities, underflow to 0 and
    /// subnormals, zero and negatives, exactly as one at a time.
    @Test func edges_are_the_c_library_s_own() {
        let exps = SIMD4<Double>(-800, 710, .nan, -.infinity)
        let fastExp = VectorMath.exp(exps)
        #expect(fastExp[0] == 0 && fastExp[1] == .infinity && fastExp[2].isNaN && fastExp[3] == 0)
        let subnormal = VectorMath.exp(SIMD4(-740, 0, 1, 2))
        #expect(subnormal[0] == Glibc.exp(-740) && subnormal[0] > 0)
        let logs = SIMD4<Double>(0, -1, .leastNonzeroMagnitude, .infinity)  // the smallest subnormal, 4.9e-324
        let fastLog = VectorMath.log(logs)
        #expect(fastLog[0] == -.infinity && fastLog[1].isNaN && fastLog[2] == Glibc.log(.leastNonzeroMagnitude) && fastLog[3] == .infinity)
    }
}
