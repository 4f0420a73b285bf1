/// The fields the lifetime-value models give (PRODUCT.md §3), computed on first use by
/// `ModelStore`. A case per field, so that every lookup is exhaustive.
enum ModelField: String, CaseIterable {
    case pAlive = "p_alive"
    case expectedPurchases = "expected_purchases"
    case expectedSpend = "expected_spend"
    case clv
    case pAliveLow = "p_alive_low"
    case pAliveHigh = "p_alive_high"
    case expectedPurchasesLow = "expected_purchases_low"
    case expectedPurchasesHigh = "expected_purchases_high"
    case clvLow = "clv_low"
    case clvHigh = "clv_high"
    case renewalProbability = "renewal_probability"
    case derl
    case renewalProbabilityLow = "renewal_probability_low"
    case renewalProbabilityHigh = "renewal_probability_high"
    case derlLow = "derl_low"
    case derlHigh = "derl_high"
    case dert

    var field: Field {
        switch self {
        case .pAlive: Field(rawValue, .number, unit: .ratio, "probability the customer is still active (BG/NBD)")
        case .expectedPurchases: Field(rawValue, .number, unit: .plain, "expected repeat purchases in the next 52 weeks (BG/NBD)")
        case .expectedSpend: Field(rawValue, .number, unit: .money, "expected spend per purchase (Gamma-Gamma)")
        case .clv:
            Field(rawValue, .number, unit: .money,
                  "present value of the margin of the purchases expected over the horizon (BG/NBD × Gamma-Gamma × margin ratio)")
        case .renewalProbability:
            Field(rawValue, .number, unit: .ratio, "chance the contract is renewed at its next renewal (sBG; 0 once it ended)")
        case .derl:
            Field(rawValue, .number, unit: .plain,
                  "discounted expected residual lifetime: contract periods still to be paid for, the next undiscounted (sBG; 0 once it ended)")
        case .dert:
            Field(rawValue, .number, unit: .plain,
                  "discounted expected residual transactions: every purchase still to come, each discounted per opportunity at the discount rate, no horizon (BG/BB)")
        case .pAliveLow, .pAliveHigh, .expectedPurchasesLow, .expectedPurchasesHigh, .clvLow, .clvHigh,
             .renewalProbabilityLow, .renewalProbabilityHigh, .derlLow, .derlHigh:
            Field(rawValue, .number, unit: bound!.of.field.unit,
                  "\(bound!.end == .low ? "lower" : "upper") end of \(bound!.of.rawValue)'s interval (set interval; 90% unless set) "
                      + "from the uncertainty of the fitted parameters")
        }
    }

    /// The point field an interval field bounds, and which end: clv_low is clv's low end.
    var bound: (of: ModelField, end: IntervalEnd)? {
        switch self {
        case .pAliveLow: (.pAlive, .low)
        case .pAliveHigh: (.pAlive, .high)
        case .expectedPurchasesLow: (.expectedPurchases, .low)
        case .expectedPurchasesHigh: (.expectedPurchases, .high)
        case .clvLow: (.clv, .low)
        case .clvHigh: (.clv, .high)
        case .renewalProbabilityLow: (.renewalProbability, .low)
        case .renewalProbabilityHigh: (.renewalProbability, .high)
        case .derlLow: (.derl, .low)
        case .derlHigh: (.derl, .high)
        case .pAlive, .expectedPurchases, .expectedSpend, .clv, .renewalProbability, .derl, .dert: nil
        }
    }

    /// Whether the field is a contract's (sBG), from contract_start and contract_end, or an
    /// interval's end of one.
    var isContract: Bool {
        let point = bound?.of ?? self
        return point == .renewalProbability || point == .derl
    }

    /// A point field's values in what the models say of a snapshot (nil for an interval's end).
    func values(_ fitted: ModelStore.Fitted) -> [Double]? {
        switch self {
        case .pAlive: fitted.pAlive
        case .expectedPurchases: fitted.expectedPurchases
        case .expectedSpend: fitted.expectedSpend
        case .clv: fitted.clv
        case .dert: fitted.dert.isEmpty ? [Double](repeating: .nan, count: fitted.clv.count) : fitted.dert  // BG/BB's alone
        case .pAliveLow, .pAliveHigh, .expectedPurchasesLow, .expectedPurchasesHigh, .clvLow, .clvHigh, .renewalProbability, .derl,
             .renewalProbabilityLow, .renewalProbabilityHigh, .derlLow, .derlHigh: nil
        }
    }
}

/// Which end of an interval.
enum IntervalEnd {
    case low
    case high
}
