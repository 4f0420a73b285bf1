/// A purchase model's working for one customer, as `explain clv` and `explain p_alive`
/// show it to a student: what the model assumes, P(alive) with the customer's numbers put
/// in, and the formula of the expected purchases. Each model writes its own, beside its
/// formulas, so that a new model explains itself.
struct ModelWalkthrough: Sendable {
    /// What the model assumes, with its paper; the fitted parameters follow it.
    var assumes: [Prose]
    /// P(alive) for this customer: the formula, then the numbers substituted, ending at the value.
    var pAlive: [Prose]
    /// E(t), the expected purchases in the t weeks after as_of, as a formula.
    var expectedPurchases: [Prose]
}

extension PurchaseModel {
    /// A parameter to four significant digits, as the estimates are shown.
    static func shown(_ v: Double) -> Prose { "\(v, .estimate)" }
}
