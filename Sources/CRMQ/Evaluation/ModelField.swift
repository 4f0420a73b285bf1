/// The fields the lifetime-value models give (PRODUCT.md §3), computed on first use by
/// `ModelStore`. A case per field, so that every lookup is exhaustive.
enum ModelField: String, CaseIterable {
    case pAlive = "p_alive"
    case expectedPurchases = "expected_purchases"
    case expectedSpend = "expected_spend"
    case clv

    var field: Field {
        switch self {
        case .pAlive: Field(rawValue, .number, unit: .ratio, "probability the customer is still active (BG/NBD)")
        case .expectedPurchases: Field(rawValue, .number, unit: .plain, "expected repeat purchases in the next 52 weeks (BG/NBD)")
        case .expectedSpend: Field(rawValue, .number, unit: .money, "expected spend per purchase (Gamma-Gamma)")
        case .clv:
            Field(rawValue, .number, unit: .money,
                  "present value of the margin of the purchases expected over the horizon (BG/NBD × Gamma-Gamma × margin ratio)")
        }
    }

    /// The field's values in what the models say of a snapshot.
    func values(_ fitted: ModelStore.Fitted) -> [Double] {
        switch self {
        case .pAlive: fitted.pAlive
        case .expectedPurchases: fitted.expectedPurchases
        case .expectedSpend: fitted.expectedSpend
        case .clv: fitted.clv
        }
    }
}
