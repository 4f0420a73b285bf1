#if canImport(Glibc)
import Glibc
#endif

/// Minimises a smooth function of a few parameters with BFGS (Nocedal & Wright, algorithm
/// 6.1) and a line search that keeps the strong Wolfe conditions (algorithms 3.5 and 3.6).
/// Converged when the gradient's largest component is below `gradientTolerance`.
struct Optimizer {
    /// The value and gradient at a point; nil where the function is not defined there.
    typealias Objective = ([Double]) -> (value: Double, gradient: [Double])?

    struct Result {
        var point: [Double]
        var value: Double
        var gradient: [Double]
        var iterations: Int
        var converged: Bool
        /// The inverse Hessian as BFGS last estimated it: a start for a fit of the same
        /// function on more data.
        var inverseHessian: [[Double]]
    }

    var gradientTolerance = 1e-9
    var maxIterations = 1000
    /// The relative precision the value carries: a sum of n terms about 1e-16 · √n, so a
    /// million customers' likelihood no better than 1e-13 of itself, a few thousand's 1e-14.
    var valuePrecision = 1e-14

    /// From `start`; with `curvature`, BFGS's first inverse Hessian is that one (a nearby
    /// fit's) rather than a scaled identity, and a warm start takes a few steps, not twenty.
    func minimise(_ f: Objective, from start: [Double], curvature: [[Double]]? = nil) -> Result? {
        let n = start.count
        var x = start
        guard var (fx, g) = f(x), fx.isFinite, g.allSatisfy(\.isFinite) else { return nil }
        var h = curvature ?? identity(n)
        var iterations = 0
        while iterations < maxIterations {
            if g.map(abs).max()! < gradientTolerance {
                return Result(point: x, value: fx, gradient: g, iterations: iterations, converged: true, inverseHessian: h)
            }
            iterations += 1
            var direction = multiply(h, g).map { -$0 }
            if dot(direction, g) >= 0 {
                // Not a descent direction: start the curvature estimate afresh.
                h = identity(n)
                direction = g.map { -$0 }
            }
            // The step BFGS proposes would lower the value by about half its slope: below the
            // precision a million-term sum carries, no line search can see it (each try costs
            // an evaluation), and the gradient is as small as that precision lets it be.
            if -dot(direction, g) < valuePrecision * max(1, abs(fx)), g.map(abs).max()! < gradientTolerance * 1000 {
                return Result(point: x, value: fx, gradient: g, iterations: iterations, converged: true, inverseHessian: h)
            }
            guard let (step, next, fNext, gNext) = lineSearch(f, x, fx, g, direction) else {
                // No step lowers the value any more: the optimum to the precision of the sums
                // (a million terms carry rounding of about 1e-16 of their total each).
                return Result(
                    point: x, value: fx, gradient: g, iterations: iterations, converged: g.map(abs).max()! < gradientTolerance * 1000, inverseHessian: h)
            }
            let s = zip(next, x).map { $0 - $1 }
            let y = zip(gNext, g).map { $0 - $1 }
            let sy = dot(s, y)
            if iterations == 1, curvature == nil, sy > 0 {
                // Scale the first inverse Hessian guess to the curvature seen (N&W 6.20).
                let scale = sy / dot(y, y)
                h = identity(n).map { $0.map { $0 * scale } }
            }
            if sy > 1e-12 * sqrt(dot(s, s) * dot(y, y)) {
                let rho = 1 / sy
                let hy = multiply(h, y)
                let yhy = dot(y, hy)
                for i in 0..<n {
                    for j in 0..<n {
                        h[i][j] += -rho * (s[i] * hy[j] + hy[i] * s[j]) + (rho * rho * yhy + rho) * s[i] * s[j]
                    }
                }
            }
            _ = step
            let change = abs(fx - fNext)
            x = next
            fx = fNext
            g = gNext
            // The value no longer moves at the precision its sum carries: stop here, converged
            // if the gradient is small too (a million-term sum cannot reach 1e-9 every time).
            if change <= 1e-15 * max(1, abs(fx)), g.map(abs).max()! < gradientTolerance * 1000 {
                return Result(point: x, value: fx, gradient: g, iterations: iterations, converged: true, inverseHessian: h)
            }
        }
        return Result(point: x, value: fx, gradient: g, iterations: iterations, converged: false, inverseHessian: h)
    }

    /// The value, gradient and Hessian at a point; nil where the function is not defined there.
    typealias SecondOrderObjective = ([Double]) -> (value: Double, gradient: [Double], hessian: [[Double]])?

    /// Newton's method with the exact Hessian, for a start near the optimum (a fit on part of
    /// the data): each step solves H s = −g, halved while it raises the value; converged when
    /// the step would gain less than the value's precision, as BFGS's test above. Pareto/NBD on
    /// a million customers: four passes, the last the standard errors' Hessian, where BFGS from
    /// the same start took six and the standard errors a pass more. Not
    /// converged where the Hessian is not positive definite or no step lowers the value: BFGS
    /// goes on from the point returned. Nil where the start is not defined.
    func newton(_ f: SecondOrderObjective, from start: [Double]) -> Result? {
        var x = start
        guard var (fx, g, h) = f(x), fx.isFinite, g.allSatisfy(\.isFinite) else { return nil }
        var iterations = 0
        search: while iterations < maxIterations {
            guard Matrix.isPositiveDefinite(h), let inverse = Matrix.inverse(h) else { break }
            let step = multiply(inverse, g).map { -$0 }
            let gain = -dot(step, g) / 2
            if gain < valuePrecision * max(1, abs(fx)) {
                return Result(
                    point: x, value: fx, gradient: g, iterations: iterations, converged: g.map(abs).max()! < gradientTolerance * 1000,
                    inverseHessian: inverse)
            }
            iterations += 1
            var length = 1.0
            for _ in 0..<20 {
                let next = zip(x, step).map { $0 + length * $1 }
                if let (value, gradient, hessian) = f(next), value.isFinite, gradient.allSatisfy(\.isFinite), value <= fx {
                    (x, fx, g, h) = (next, value, gradient, hessian)
                    continue search
                }
                length /= 2
            }
            break
        }
        return Result(point: x, value: fx, gradient: g, iterations: iterations, converged: false, inverseHessian: identity(x.count))
    }

    /// A step along `d` meeting the strong Wolfe conditions (c₁ = 1e-4, c₂ = 0.9).
    private func lineSearch(_ f: Objective, _ x: [Double], _ fx: Double, _ g: [Double], _ d: [Double])
        -> (Double, [Double], Double, [Double])?
    {
        let c1 = 1e-4, c2 = 0.9
        let slope = dot(g, d)
        func at(_ alpha: Double) -> (Double, [Double], [Double])? {
            let point = zip(x, d).map { $0 + alpha * $1 }
            guard let (v, gr) = f(point), v.isFinite, gr.allSatisfy(\.isFinite) else { return nil }
            return (v, gr, point)
        }
        /// Narrows [lo, hi] to a step meeting both conditions: the minimum of the quadratic
        /// through f(lo), f′(lo) and f(hi), kept away from the ends (else the midpoint).
        func zoom(_ lo: Double, _ hi: Double, _ fLo: Double, _ dLo: Double, _ fHi: Double) -> (Double, [Double], Double, [Double])? {
            var lo = lo, hi = hi, fLo = fLo, dLo = dLo, fHi = fHi
            for _ in 0..<20 {
                let width = hi - lo
                let curvature = fHi - fLo - dLo * width
                var alpha = curvature > 0 ? lo - dLo * width * width / (2 * curvature) : lo + width / 2
                let (low, high) = (min(lo, hi), max(lo, hi))
                let margin = 0.1 * (high - low)
                if !(alpha > low + margin && alpha < high - margin) { alpha = (lo + hi) / 2 }
                guard let (v, gr, point) = at(alpha) else {
                    hi = alpha
                    fHi = .infinity
                    continue
                }
                if v > fx + c1 * alpha * slope || v >= fLo {
                    hi = alpha
                    fHi = v
                } else {
                    let s = dot(gr, d)
                    if abs(s) <= -c2 * slope { return (alpha, point, v, gr) }
                    if s * (hi - lo) >= 0 {
                        hi = lo
                        fHi = fLo
                    }
                    lo = alpha
                    fLo = v
                    dLo = s
                }
                if abs(hi - lo) < 1e-16 { break }
            }
            guard lo > 0, let (v, gr, point) = at(lo), v < fx else { return nil }
            return (lo, point, v, gr)
        }
        var previous = 0.0
        var fPrevious = fx
        var dPrevious = slope
        var alpha = 1.0
        for i in 0..<60 {
            guard let (v, gr, point) = at(alpha) else {
                // Outside where the function is defined: a shorter step.
                alpha = (previous + alpha) / 2
                continue
            }
            let s = dot(gr, d)
            if v > fx + c1 * alpha * slope || (i > 0 && v >= fPrevious) { return zoom(previous, alpha, fPrevious, dPrevious, v) }
            if abs(s) <= -c2 * slope { return (alpha, point, v, gr) }
            if s >= 0 { return zoom(alpha, previous, v, s, fPrevious) }
            previous = alpha
            fPrevious = v
            dPrevious = s
            alpha *= 2
        }
        return nil
    }

    private func identity(_ n: Int) -> [[Double]] {
        (0..<n).map { i in (0..<n).map { $0 == i ? 1 : 0 } }
    }

    private func multiply(_ m: [[Double]], _ v: [Double]) -> [Double] { m.map { dot($0, v) } }
}

@inline(__always)
func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in a.indices { s += a[i] * b[i] }
    return s
}

/// Small dense linear algebra for standard errors and Newton's steps: the inverse of a
/// symmetric matrix by Gauss–Jordan elimination with partial pivoting (nil when it is
/// singular), and whether it is positive definite.
enum Matrix {
    /// Whether the symmetric `m` (its lower triangle read) is positive definite: its Cholesky
    /// factor L (m = L Lᵀ) exists, every pivot positive.
    static func isPositiveDefinite(_ m: [[Double]]) -> Bool {
        let n = m.count
        var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for j in 0..<n {
            var pivot = m[j][j]
            for k in 0..<j { pivot -= l[j][k] * l[j][k] }
            guard pivot > 0, pivot.isFinite else { return false }
            l[j][j] = pivot.squareRoot()
            for i in (j + 1)..<n {
                var sum = m[i][j]
                for k in 0..<j { sum -= l[i][k] * l[j][k] }
                l[i][j] = sum / l[j][j]
            }
        }
        return true
    }

    static func inverse(_ m: [[Double]]) -> [[Double]]? {
        let n = m.count
        var a = m
        var inv = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        for col in 0..<n {
            guard let pivot = (col..<n).max(by: { abs(a[$0][col]) < abs(a[$1][col]) }), abs(a[pivot][col]) > 1e-300 else { return nil }
            a.swapAt(col, pivot)
            inv.swapAt(col, pivot)
            let p = a[col][col]
            for j in 0..<n {
                a[col][j] /= p
                inv[col][j] /= p
            }
            for row in 0..<n where row != col {
                let factor = a[row][col]
                if factor == 0 { continue }
                for j in 0..<n {
                    a[row][j] -= factor * a[col][j]
                    inv[row][j] -= factor * inv[col][j]
                }
            }
        }
        return inv
    }
}
