/// A sum of many terms carried with its rounding error (Neumaier's variant of Kahan's
/// summation): a million terms summed plainly lose about √n · ε of the running total, enough
/// to hide the last steps of a fit whose likelihood is summed over every customer.
struct CompensatedSum {
    private var sum = 0.0
    private var compensation = 0.0

    var value: Double { sum + compensation }

    @inline(__always)
    mutating func add(_ term: Double) {
        let t = sum + term
        compensation += abs(sum) >= abs(term) ? (sum - t) + term : (term - t) + sum
        sum = t
    }
}
