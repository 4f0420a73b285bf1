#if canImport(Glibc)
import Glibc
#endif

/// The special functions the models need, in log space where values overflow.
enum Special {
    /// ln Γ(x) for x > 0 (the re-entrant `lgamma_r`, safe on several threads).
    @inline(__always)
    static func lnGamma(_ x: Double) -> Double {
        var sign: Int32 = 0
        return lgamma_r(x, &sign)
    }

    /// ψ(x) = d/dx ln Γ(x) for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 6, then
    /// the asymptotic series (Abramowitz & Stegun 6.3.18), good to about 1e-13.
    static func digamma(_ x: Double) -> Double {
        var x = x
        var result = 0.0
        while x < 6 {
            result -= 1 / x
            x += 1
        }
        let f = 1 / (x * x)
        let series = f * (-1.0 / 12 + f * (1.0 / 120 + f * (-1.0 / 252 + f * (1.0 / 240 + f * (-1.0 / 132 + f * (691.0 / 32760 + f * (-1.0 / 12)))))))
        return result + log(x) - 0.5 / x + series
    }

    /// The trigamma function ψ'(x) = d²/dx² ln Γ(x) for x > 0: ψ'(x) = ψ'(x+1) + 1/x² up to
    /// x ≥ 6, then the asymptotic series 1/x + 1/(2x²) + Σ B₂ₖ/x^(2k+1) (Abramowitz & Stegun 6.4.12).
    static func trigamma(_ x: Double) -> Double {
        var x = x
        var result = 0.0
        while x < 6 {
            result += 1 / (x * x)
            x += 1
        }
        let f = 1 / (x * x)
        let series = f * (1.0 / 6 + f * (-1.0 / 30 + f * (1.0 / 42 + f * (-1.0 / 30 + f * (5.0 / 66 + f * (-691.0 / 2730 + f * (7.0 / 6)))))))
        return result + 1 / x + 0.5 * f + series / x
    }

    /// 1 / (1 + e⁻ˣ) without overflow.
    @inline(__always)
    static func logistic(_ x: Double) -> Double {
        x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
    }

    /// The standard normal quantile Φ⁻¹(p) for 0 < p < 1, by bisection on erfc: a few
    /// microseconds, asked once per interval.
    static func normalQuantile(_ p: Double) -> Double {
        var (low, high) = (-40.0, 40.0)
        for _ in 0..<100 {
            let mid = (low + high) / 2
            if 0.5 * erfc(-mid / 2.0.squareRoot()) < p { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }
}
